import type * as Undici from 'undici';
import { requireGenerated } from '../util/require-generated.js';

// undici, loaded on first use. Its index loads all of it (fetch, WebSocket, cookies, caches, HTTP/2,
// proxies: 111 CommonJS files), about 55 ms on a 2-core machine, which a build must not spend before
// its first create (issue 14 item 4). The build's own client needs it only for its first upload,
// status query or download; the submitter process, which sends the creates, starts loading it as
// soon as it boots (submitter/child.ts), while the build plans — and was still loading it when the
// plan was ready, so the build writes the same package bundled into one file next to this module
// (dist/api/undici.bundle.cjs, scripts/bundle-packages.ts, from the installed package at every
// build: always the version package-lock.json names). From src/ (the unit tests) the package is
// loaded as it is. Everything else imports undici's types only; the team cache's S3 backend, loaded
// only with an s3:// remote, uses the package directly (its own agent, nothing shared).

export const UNDICI_BUNDLE_FILE = './undici.bundle.cjs';

let loading: Promise<typeof Undici> | undefined;

export function loadUndici(): Promise<typeof Undici> {
  return (loading ??= loadBundleOrPackage());
}

async function loadBundleOrPackage(): Promise<typeof Undici> {
  return requireGenerated<typeof Undici>(import.meta.url, UNDICI_BUNDLE_FILE) ?? import('undici');
}
