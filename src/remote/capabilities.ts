import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { CallOptions, RemoteBackend } from './backend.js';
import { probeKey } from './keys.js';

// Claims rest on one promise of the store: a second conditional create of the same key is refused.
// Some S3-compatible servers ignore `If-None-Match` and overwrite instead; there two machines could
// both "win" a claim. So the first claim on a remote checks it — create a scratch object twice, the
// second must answer "exists" — and the answer is remembered in `.bach/remote-capabilities.json`,
// keyed by the remote (URL and endpoint, never a credential), so later runs do not ask again. Delete
// that file to check again (after a server upgrade, say). The file is project state anyone could have
// edited: it is shape-checked when read, and anything odd means "not checked yet".

export const CAPABILITIES_FILE = 'remote-capabilities.json';

export interface RemoteCapabilities {
  /** A second create of the same key is refused: claims (and write-once records) hold. */
  conditionalCreate: boolean;
  /** ISO time of the check. */
  checkedAt: string;
}

interface CapabilityMemo {
  version: 1;
  remotes: Record<string, RemoteCapabilities>;
}

/** The remembered answer for this remote, else a fresh check (remembered when it succeeds). */
export async function readOrCheckCapabilities(
  backend: RemoteBackend,
  remoteId: string,
  stateDir: string,
  options: CallOptions = {},
): Promise<RemoteCapabilities> {
  const file = join(stateDir, CAPABILITIES_FILE);
  const memo = await readMemo(file);
  const known = memo.remotes[remoteId];
  if (known) return known;
  const capabilities = await checkConditionalCreate(backend, options);
  // Another run may have written the file meanwhile: merge with what is there now.
  const latest = await readMemo(file);
  latest.remotes[remoteId] = capabilities;
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(latest, null, 2)}\n`);
  return capabilities;
}

export async function checkConditionalCreate(backend: RemoteBackend, options: CallOptions = {}): Promise<RemoteCapabilities> {
  const key = probeKey(randomUUID());
  const body = Buffer.from(`${JSON.stringify({ probe: 'conditional create', at: new Date(backend.now()).toISOString() })}\n`);
  try {
    const first = await backend.createSmall(key, body, options);
    const second = first === 'created' ? await backend.createSmall(key, body, options) : 'exists';
    return { conditionalCreate: first === 'created' && second === 'exists', checkedAt: new Date(backend.now()).toISOString() };
  } finally {
    await backend.remove(key, options).catch(() => {});
  }
}

async function readMemo(file: string): Promise<CapabilityMemo> {
  const empty: CapabilityMemo = { version: 1, remotes: {} };
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return empty;
  }
  if (value === null || typeof value !== 'object') return empty;
  const { version, remotes } = value as { version?: unknown; remotes?: unknown };
  if (version !== 1 || remotes === null || typeof remotes !== 'object' || Array.isArray(remotes)) return empty;
  // No prototype: an id such as "__proto__" in the file must stay a plain key.
  const checked: Record<string, RemoteCapabilities> = Object.create(null) as Record<string, RemoteCapabilities>;
  for (const [id, entry] of Object.entries(remotes as Record<string, unknown>)) {
    const { conditionalCreate, checkedAt } = (entry ?? {}) as Record<string, unknown>;
    if (typeof conditionalCreate === 'boolean' && typeof checkedAt === 'string' && checkedAt.length <= 64) {
      checked[id] = { conditionalCreate, checkedAt };
    }
  }
  return { version: 1, remotes: checked };
}
