import type * as Undici from 'undici';

// undici, loaded on first use. Its index loads all of it (fetch, WebSocket, cookies, caches, HTTP/2,
// proxies): about 55 ms on a 2-core machine, which a build must not spend before its first create
// (issue 14 item 4). The build's own client needs it only for its first upload, status query or
// download; the submitter process, which sends the creates, starts loading it as soon as it boots
// (submitter/child.ts), on the other core while the build plans. Everything else imports its types only.

let loading: Promise<typeof Undici> | undefined;

export function loadUndici(): Promise<typeof Undici> {
  return (loading ??= import('undici'));
}
