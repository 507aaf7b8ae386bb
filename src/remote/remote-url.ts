import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Where a team cache lives, from the text a person wrote (`--remote`, BACH_REMOTE or the manifest's
// `remote:`). Pure: no disk, no network. Two forms:
//   - `s3://bucket/prefix` — S3-compatible storage; which server answers (the endpoint) and with which
//     credentials is never part of this text: it comes from the AWS_* environment (see s3-config.ts);
//   - a folder: a path (relative to `baseDir`) or a `file://` URL, typically a mounted network share.
// Anything else (http://, gs://, credentials in the URL) is refused with a message saying what to write.

export type RemoteLocation =
  | { kind: 's3'; bucket: string; prefix: string; /** `s3://bucket/prefix`, normalised. */ url: string }
  | { kind: 'folder'; /** Absolute. */ path: string; url: string };

export type ParsedRemoteUrl = { ok: true; location: RemoteLocation } | { ok: false; message: string };

const FORMS = 'expected s3://bucket/prefix, a folder path or a file:// URL';

/** Characters S3 documents as safe in key names; enough for a prefix and nothing needs escaping. */
const PREFIX_SEGMENT = /^[A-Za-z0-9!_.*'()-]+$/;

/** AWS's rules for new bucket names (R2, MinIO and Ceph accept them too). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseRemoteUrl(text: string, baseDir: string): ParsedRemoteUrl {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: `is empty; ${FORMS}` };
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]+):/.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 's3') return parseS3(trimmed);
  if (scheme === 'file') return parseFileUrl(trimmed);
  if (scheme !== undefined && /^[A-Za-z][A-Za-z0-9+.-]+:\/\//.test(trimmed)) {
    return { ok: false, message: `"${scheme}://" is not a supported team cache; ${FORMS}` };
  }
  // A plain path (a one-letter "scheme" is a Windows drive, which `resolve` handles).
  const path = isAbsolute(trimmed) ? resolve(trimmed) : resolve(baseDir, trimmed);
  return { ok: true, location: { kind: 'folder', path, url: path } };
}

function parseS3(text: string): ParsedRemoteUrl {
  const match = /^s3:\/\/([^/?#]*)([^?#]*)([?#].*)?$/i.exec(text);
  if (!match) return { ok: false, message: FORMS };
  const [, authority = '', rawPath = '', rest] = match;
  if (authority.includes('@')) {
    return { ok: false, message: 'must not hold credentials; they come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY' };
  }
  if (rest !== undefined) return { ok: false, message: 'must not have a query string or fragment' };
  if (!BUCKET.test(authority) || authority.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(authority)) {
    return {
      ok: false,
      message: `"${authority}" is not a bucket name (3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit)`,
    };
  }
  const segments = rawPath.split('/').filter((segment) => segment !== '');
  for (const segment of segments) {
    if (segment === '.' || segment === '..' || !PREFIX_SEGMENT.test(segment)) {
      return { ok: false, message: `the prefix segment "${segment}" is not allowed (letters, digits and !_.*'()- only; no "." or "..")` };
    }
  }
  const prefix = segments.join('/');
  const url = `s3://${authority}${prefix === '' ? '' : `/${prefix}`}`;
  return { ok: true, location: { kind: 's3', bucket: authority, prefix, url } };
}

function parseFileUrl(text: string): ParsedRemoteUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `is not a valid file:// URL; ${FORMS}` };
  }
  if (url.hostname !== '' && url.hostname !== 'localhost') {
    return { ok: false, message: `file:// URLs name a local path (file:///mnt/share/cache); mount "${url.hostname}" and use its path` };
  }
  if (url.search || url.hash) return { ok: false, message: 'must not have a query string or fragment' };
  const path = resolve(fileURLToPath(url));
  return { ok: true, location: { kind: 'folder', path, url: path } };
}
