import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { isHttpUrl, isObject, isSha256Hex, parseJsonOrUndefined } from './shapes.js';

// `.bach/uploads.json`: which image contents were uploaded to which API (by origin — the emulator's
// CDN URLs mean nothing to the real API) and the CDN URL they got. A URL the server no longer has is
// found by a HEAD before use and uploaded again.

const FORMAT = 1;

interface UploadsFile {
  format: typeof FORMAT;
  origins: Record<string, Record<string, string>>;
}

export class UploadRecords {
  private readonly ephemeral = new Set<string>();

  private constructor(
    private readonly file: string,
    private readonly data: UploadsFile,
  ) {}

  static async read(file: string): Promise<UploadRecords> {
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch {
      /* missing or unreadable: start empty, it is only a record of what can be uploaded again */
    }
    return new UploadRecords(file, { format: FORMAT, origins: parseUploadOrigins(text) });
  }

  /** An origin that lives only as long as this process (the embedded emulator): remembered, never written. */
  markEphemeral(origin: string): void {
    this.ephemeral.add(origin);
  }

  urlsFor(origin: string): ReadonlyMap<string, string> {
    return new Map(Object.entries(this.data.origins[origin] ?? {}));
  }

  set(origin: string, sha256: string, url: string): void {
    (this.data.origins[origin] ??= {})[sha256] = url;
  }

  forget(origin: string, sha256: string): void {
    delete this.data.origins[origin]?.[sha256];
  }

  async write(): Promise<void> {
    const origins = Object.fromEntries(Object.entries(this.data.origins).filter(([origin]) => !this.ephemeral.has(origin)));
    await mkdir(dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify({ format: FORMAT, origins }, null, 2)}\n`);
  }
}

/**
 * The records of an uploads.json text that have the shape `write` gives them — an origin, then image
 * sha256 → http(s) URL; the rest is dropped (the image is then uploaded again, at no cost in credits).
 */
export function parseUploadOrigins(text: string): Record<string, Record<string, string>> {
  const data = parseJsonOrUndefined(text);
  const origins: Record<string, Record<string, string>> = {};
  if (!isObject(data) || data.format !== FORMAT || !isObject(data.origins)) return origins;
  for (const [origin, urls] of Object.entries(data.origins)) {
    if (!isHttpUrl(origin) || !isObject(urls)) continue;
    const kept = Object.entries(urls).filter(([sha256, url]) => isSha256Hex(sha256) && isHttpUrl(url));
    if (kept.length > 0) origins[origin] = Object.fromEntries(kept) as Record<string, string>;
  }
  return origins;
}

/** `https://api.example/api/vdr` → `https://api.example`: uploads are per server, not per path. */
export function originOf(baseUrl: string): string {
  return new URL(baseUrl).origin;
}
