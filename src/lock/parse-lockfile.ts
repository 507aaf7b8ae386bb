import { BachError } from '../errors.js';
import { canonicalJsonPretty } from '../util/canonical-json.js';
import { LOCKFILE_VERSION, type LockEntry, type Lockfile } from './types.js';

// Text <-> Lockfile, pure. A damaged lockfile is never silently discarded or overwritten: it records
// what was paid for. Each failure names the problem and what to do. schemas/bach-lock.schema.json
// describes the same format for people and tools; test/unit/lock/lock-schema.test.ts keeps this
// hand-written check (no ajv at run time: a no-op build must start fast) in agreement with it.

const MODES = new Set(['text-to-video', 'image-to-video', 'multi-image-to-video']);
const HEX64 = /^[0-9a-f]{64}$/;
const SHOT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function serializeLockfile(lock: Lockfile): string {
  return canonicalJsonPretty(lock);
}

/**
 * serializeLockfile with each entry's text kept by identity, for a writer that rewrites the file
 * after every finished shot: entries are immutable objects, so an unchanged entry is never
 * serialized twice. The bytes are exactly serializeLockfile's (test/unit/lock/lockfile.test.ts).
 */
export function createLockSerializer(): (lock: Lockfile) => string {
  const texts = new WeakMap<LockEntry, string>();
  const entryText = (entry: LockEntry) => {
    let text = texts.get(entry);
    if (text === undefined) {
      text = canonicalJsonPretty(entry).trimEnd().replace(/\n/g, '\n    ');
      texts.set(entry, text);
    }
    return text;
  };
  return (lock) => {
    const ids = Object.keys(lock.shots).sort();
    if (ids.length === 0) return serializeLockfile(lock);
    const body = ids.map((id) => `    ${JSON.stringify(id)}: ${entryText(lock.shots[id]!)}`).join(',\n');
    return `{\n  "lockfileVersion": ${JSON.stringify(lock.lockfileVersion)},\n  "shots": {\n${body}\n  }\n}\n`;
  };
}

export function parseLockfile(text: string, file: string): Lockfile {
  const conflict = /^(<{7}|={7}|>{7})(?: |$)/m.exec(text);
  if (conflict) {
    const line = text.slice(0, conflict.index).split('\n').length;
    throw new BachError('lock-conflict', `${file}:${line}: the lockfile contains git conflict markers`, {
      hint:
        'Resolve the merge by keeping one side for each shot (or delete the conflicting entries: those shots\n' +
        'will be planned again, and restored from .bach/cache when it holds them), then run `bach-render plan`.',
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BachError('lock-invalid', `${file}: the lockfile is not valid JSON (${(error as Error).message})`, {
      hint: 'Restore it from git (`git checkout -- bach.lock`); bach-render will not overwrite it while it is damaged.',
    });
  }
  if (!isObject(data)) throw invalid(file, 'the top level must be an object');
  const version = data.lockfileVersion;
  if (version !== LOCKFILE_VERSION) {
    throw new BachError(
      'lock-version',
      `${file}: lockfileVersion ${JSON.stringify(version)} is not supported (this bach-render reads version ${LOCKFILE_VERSION})`,
      {
        hint:
          typeof version === 'number' && version > LOCKFILE_VERSION
            ? 'It was written by a newer bach-render: upgrade bach-render.'
            : 'Restore the lockfile from git, or move it aside to start over (every shot will be planned again).',
      },
    );
  }
  for (const key of Object.keys(data)) {
    if (key !== 'lockfileVersion' && key !== 'shots') throw invalid(file, `unknown top-level field "${key}"`);
  }
  if (!isObject(data.shots)) throw invalid(file, '"shots" must be an object keyed by shot id');
  const shots: Record<string, LockEntry> = {};
  for (const [id, entry] of Object.entries(data.shots)) {
    if (!SHOT_ID.test(id)) throw invalid(file, `shots: "${id}" is not a valid shot id`);
    shots[id] = parseEntry(entry, `shots.${id}`, file);
  }
  return { lockfileVersion: LOCKFILE_VERSION, shots };
}

function parseEntry(value: unknown, where: string, file: string): LockEntry {
  if (!isObject(value)) throw invalid(file, `${where} must be an object`);
  const allowed = ['fingerprint', 'mode', 'request', 'seed', 'taskId', 'output'];
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw invalid(file, `${where}: unknown field "${key}"`);
  }
  const { fingerprint, mode, request, seed, taskId, output } = value;
  if (typeof fingerprint !== 'string' || !HEX64.test(fingerprint)) {
    throw invalid(file, `${where}.fingerprint must be 64 hex digits`);
  }
  if (typeof mode !== 'string' || !MODES.has(mode)) throw invalid(file, `${where}.mode is not a known mode`);
  if (!isObject(request)) throw invalid(file, `${where}.request must be an object`);
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 10_000_000) {
    throw invalid(file, `${where}.seed must be an integer from 0 to 10000000`);
  }
  if (request.seed !== seed) throw invalid(file, `${where}.seed does not match ${where}.request.seed`);
  if (typeof taskId !== 'string' || taskId.length === 0) throw invalid(file, `${where}.taskId must be a non-empty string`);
  if (!isObject(output)) throw invalid(file, `${where}.output must be an object`);
  const { path, size, sha256 } = output;
  if (typeof path !== 'string' || path.length === 0 || path.startsWith('/') || path.split('/').includes('..')) {
    throw invalid(file, `${where}.output.path must be a relative path inside the project`);
  }
  if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) {
    throw invalid(file, `${where}.output.size must be a positive integer`);
  }
  if (typeof sha256 !== 'string' || !HEX64.test(sha256)) throw invalid(file, `${where}.output.sha256 must be 64 hex digits`);
  if (Object.keys(output).length !== 3) throw invalid(file, `${where}.output has unknown fields`);
  return {
    fingerprint,
    mode: mode as LockEntry['mode'],
    request: request as LockEntry['request'],
    seed,
    taskId,
    output: { path, size, sha256 },
  };
}

function invalid(file: string, what: string): BachError {
  return new BachError('lock-invalid', `${file}: invalid lockfile: ${what}`, {
    hint: 'Restore it from git; bach-render will not overwrite a lockfile it cannot read.',
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
