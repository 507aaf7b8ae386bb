import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AwsV4Signer } from 'aws4fetch';

// Starting, stopping and talking to a radosgw of scripts/radosgw.sh, without vitest: the tests
// (radosgw.ts adds the once-per-run lock) and the bench (bench/scenarios/team-cache.ts) share it.

const SCRIPT = fileURLToPath(new URL('../../scripts/radosgw.sh', import.meta.url));

export interface Radosgw {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  /** A second user that owns nothing: give it rights with allowReaderToRead. */
  reader: { accessKey: string; secretKey: string };
  /** The AWS_* variables of the `bach` user (or of `as`), for openTeamCache and the CLI. */
  env(as?: { accessKey: string; secretKey: string }): Record<string, string>;
  /** A new, empty bucket with a unique name. */
  createBucket(): Promise<string>;
  /** A signed request as the `bach` user (tampering, policies, checks behind the backend's back). */
  request(method: string, path: string, init?: { body?: string | Uint8Array; headers?: Record<string, string> }): Promise<{ status: number; text: string }>;
  /** Lets the reader user GET and LIST the bucket (or only the actions given), and nothing else. */
  allowReaderToRead(bucket: string, actions?: string[]): Promise<void>;
}

/** Starts a server in `dir` (~13 s); with an owner pid, it stops itself when that process is gone. */
export async function startRadosgwServer(dir: string, ownerPid?: number): Promise<Radosgw> {
  const owner = ownerPid === undefined ? [] : ['--owner-pid', String(ownerPid)];
  await promisify(execFile)('bash', [SCRIPT, 'start', dir, ...owner], { timeout: 180_000 });
  return readRadosgw(dir);
}

export async function stopRadosgwServer(dir: string): Promise<void> {
  await promisify(execFile)('bash', [SCRIPT, 'stop', dir], { timeout: 60_000 });
}

/** The server a start in `dir` left running. */
export function readRadosgw(dir: string): Radosgw {
  const values = Object.fromEntries(
    readFileSync(join(dir, 'connection.env'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  ) as Record<string, string>;
  return createRadosgw(values.endpoint!, values.access_key!, values.secret_key!, { accessKey: values.reader_access_key!, secretKey: values.reader_secret_key! });
}

function createRadosgw(endpoint: string, accessKey: string, secretKey: string, reader: Radosgw['reader']): Radosgw {
  const request: Radosgw['request'] = async (method, path, init = {}) => {
    const url = `${endpoint}${path}`;
    const signer = new AwsV4Signer({ method, url, headers: init.headers ?? {}, accessKeyId: accessKey, secretAccessKey: secretKey, service: 's3', region: 'us-east-1' });
    const signed = await signer.sign();
    const response = await fetch(url, { method, headers: signed.headers, ...(init.body === undefined ? {} : { body: init.body }) });
    return { status: response.status, text: await response.text() };
  };
  return {
    endpoint,
    accessKey,
    secretKey,
    reader,
    env: (as = { accessKey, secretKey }) => ({
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ACCESS_KEY_ID: as.accessKey,
      AWS_SECRET_ACCESS_KEY: as.secretKey,
      AWS_REGION: 'us-east-1',
    }),
    request,
    async createBucket() {
      const name = `t-${randomBytes(6).toString('hex')}`;
      const answer = await request('PUT', `/${name}`);
      if (answer.status !== 200) throw new Error(`cannot create bucket ${name}: HTTP ${answer.status} ${answer.text}`);
      return name;
    },
    async allowReaderToRead(bucket, actions = ['s3:GetObject', 's3:ListBucket']) {
      const policy = {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: ['arn:aws:iam:::user/bach-reader'] },
            Action: actions,
            Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
          },
        ],
      };
      const answer = await request('PUT', `/${bucket}?policy`, { body: JSON.stringify(policy), headers: { 'content-type': 'application/json' } });
      if (answer.status !== 200 && answer.status !== 204) throw new Error(`cannot set the policy of ${bucket}: HTTP ${answer.status} ${answer.text}`);
    },
  };
}
