import type { Env } from '../api/credentials.js';
import { BachError } from '../errors.js';

// How to talk to an `s3://bucket/prefix` team cache, from the standard AWS variables only (pure):
//   AWS_ENDPOINT_URL_S3 > AWS_ENDPOINT_URL     the server (R2, MinIO, Ceph); unset: AWS S3 itself
//   AWS_REGION > AWS_DEFAULT_REGION            the signing region (R2: "auto"; default us-east-1)
//   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN   no key id: anonymous (public buckets)
// Never from the manifest or a `.env` in the project: those come with the branch, and a branch must not
// choose where our signed requests go. Profiles (~/.aws) and instance roles are not read; CI systems and
// `aws configure export-credentials --format env` put the variables in the environment.
//
// Addressing: a custom endpoint is addressed path-style (http://host:port/bucket/key), which every
// S3-compatible server accepts and which needs no wildcard DNS or certificate; AWS itself is addressed
// virtual-hosted (https://bucket.s3.region.amazonaws.com/key), except buckets with dots (their names
// break the TLS wildcard certificate), which go path-style.

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3Config {
  bucket: string;
  /** Without leading or trailing slash; '' for the bucket's root. */
  prefix: string;
  /** Origin (and base path, for a gateway under a path) of the bucket's requests, without the bucket. */
  endpoint: string;
  addressing: 'path' | 'virtual';
  region: string;
  /** null: anonymous requests. */
  credentials: S3Credentials | null;
  /** `s3://bucket/prefix` plus the endpoint when it is not AWS: how messages name the remote. */
  display: string;
}

export function resolveS3Config(location: { bucket: string; prefix: string; url: string }, env: Env): S3Config {
  const endpointText = nonEmpty(env.AWS_ENDPOINT_URL_S3) ?? nonEmpty(env.AWS_ENDPOINT_URL);
  const endpointVariable = nonEmpty(env.AWS_ENDPOINT_URL_S3) ? 'AWS_ENDPOINT_URL_S3' : 'AWS_ENDPOINT_URL';
  const custom = endpointText === undefined ? undefined : normalizeEndpoint(endpointText, endpointVariable);
  const region =
    nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? (custom?.includes('.r2.cloudflarestorage.com') ? 'auto' : 'us-east-1');
  if (!/^[a-z0-9-]{1,40}$/.test(region)) {
    throw new BachError('invalid-remote', `AWS_REGION "${region}" is not a region name (e.g. eu-west-1, auto)`);
  }
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    const missing = accessKeyId === undefined ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY';
    throw new BachError('invalid-remote', `${missing} is not set, but its partner is`, {
      hint: 'Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither (anonymous reads).',
    });
  }
  const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
  const credentials =
    accessKeyId === undefined || secretAccessKey === undefined
      ? null
      : { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) };
  const { bucket, prefix } = location;
  if (custom !== undefined) {
    return { bucket, prefix, endpoint: custom, addressing: 'path', region, credentials, display: `${location.url} at ${custom}` };
  }
  const dotted = bucket.includes('.');
  return {
    bucket,
    prefix,
    endpoint: dotted ? `https://s3.${region}.amazonaws.com` : `https://${bucket}.s3.${region}.amazonaws.com`,
    addressing: dotted ? 'path' : 'virtual',
    region,
    credentials,
    display: location.url,
  };
}

/** The URL of an object (a key relative to the prefix) or, with key null, of the bucket itself. */
export function createObjectUrl(config: S3Config, key: string | null, query?: Record<string, string>): string {
  const fullKey = key === null ? null : config.prefix === '' ? key : `${config.prefix}/${key}`;
  const bucketPath = config.addressing === 'path' ? `/${config.bucket}` : '';
  const keyPath = fullKey === null ? (bucketPath === '' ? '/' : '') : `/${fullKey.split('/').map(encodeURIComponent).join('/')}`;
  const search = query === undefined ? '' : `?${new URLSearchParams(query).toString()}`;
  return `${config.endpoint}${bucketPath}${keyPath}${search}`;
}

/** The key as the server stores it (with the prefix), for LIST's `prefix` and `start-after`. */
export function toServerKey(config: S3Config, key: string): string {
  return config.prefix === '' ? key : `${config.prefix}/${key}`;
}

/** The key relative to the prefix, or undefined for a key outside it. */
export function fromServerKey(config: S3Config, serverKey: string): string | undefined {
  if (config.prefix === '') return serverKey;
  return serverKey.startsWith(`${config.prefix}/`) ? serverKey.slice(config.prefix.length + 1) : undefined;
}

function normalizeEndpoint(text: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BachError('invalid-remote', `${variable} is not a URL`, { hint: 'e.g. https://ACCOUNT.r2.cloudflarestorage.com or http://127.0.0.1:9000' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BachError('invalid-remote', `${variable} must be an http(s) URL, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new BachError('invalid-remote', `${variable} must not hold credentials (user:password@)`, {
      hint: 'The keys go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
    });
  }
  if (url.search || url.hash) throw new BachError('invalid-remote', `${variable} must not have a query string or fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text ? text : undefined;
}
