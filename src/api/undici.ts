import type * as Undici from 'undici';
import { requireGenerated } from '../util/require-generated.js';

// undici, loaded on first use. Its index loads all of it (fetch, WebSocket, cookies, caches, HTTP/2,
// proxies: 111 CommonJS files), about 55 ms on a 2-core machine, which a build must not spend before
// its first create (issue 14 item 4). The build's own client needs it only for its first upload,
// status query or download; the submitter process, which sends the creates, starts loading it as
// soon as it boots (submitter/child.ts), while the build plans — and was still loading it when the
// plan was ready, so the build writes the same package bundled into one file next to this module
// (dist/api/undici.bundle.cjs, scripts/bundle-packages.ts, from the installed package at every
// build: always the version package-lock.json names). The bundle holds only the part bach-render
// uses, UndiciCore (scripts/undici-core.cjs: an Agent, the request API every dispatcher has, the
// redirect interceptor), which loads in half the time of the whole package. From src/ (the unit
// tests) the package is loaded as it is: it has all of UndiciCore. Everything else imports undici's
// types only; the team cache's S3 backend, loaded only with an s3:// remote, uses the package
// directly (its own agent, nothing shared).

export const UNDICI_BUNDLE_FILE = './undici.bundle.cjs';

/** What bach-render uses of undici. Requests go through `dispatcher.request(…)`, which every dispatcher has. */
export interface UndiciCore {
  Agent: typeof Undici.Agent;
  interceptors: Pick<typeof Undici.interceptors, 'redirect'>;
}

let loading: Promise<UndiciCore> | undefined;

export function loadUndici(): Promise<UndiciCore> {
  return (loading ??= loadBundleOrPackage());
}

async function loadBundleOrPackage(): Promise<UndiciCore> {
  return requireGenerated<UndiciCore>(import.meta.url, UNDICI_BUNDLE_FILE) ?? import('undici');
}
