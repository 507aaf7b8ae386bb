import { readFile, stat } from 'node:fs/promises';
import { dirname, join, normalize, resolve } from 'node:path';
import type { Diagnostic } from '../errors.js';
import { completeManifest, type ManifestResult, type PreparedManifest } from './complete.js';
import type { FileFacts, OutputFacts } from './file-facts.js';
import { createCacheEntry, createCacheKey, isStateFolderInside, prepareFromCache, readManifestCache, writeManifestCache } from './manifest-cache.js';
import { MANIFEST_MAX_BYTES, manifestTooLarge } from './manifest-size.js';
import { readFileFacts, readOutputFacts } from './read-facts.js';
import type { GuardedSecret } from './rules.js';
import { readManifestSchema } from './schema-file.js';
import type { Manifest } from './types.js';

// Shell: the one function that reads a manifest from disk. It reads the text, runs the pure first
// half of the pipeline (or takes it from the manifest cache), gathers facts about the local files
// the manifest references, and runs the second half. User mistakes come back as diagnostics; only
// unexpected I/O failures throw. The first half is imported on demand, so a load answered from the
// cache never loads yaml or the schema validator.

export const MANIFEST_FILE_NAME = 'bach.yaml';
/** Beside the manifest; see manifest-cache.ts. */
export const MANIFEST_CACHE_PATH = join('.bach', 'manifest-cache.json');

export interface ManifestSource {
  /** As the user named it (a folder gets `/bach.yaml` appended). */
  file: string;
  absFile: string;
  text: string;
}

export type LoadResult =
  | { ok: true; manifest: Manifest; warnings: Diagnostic[]; source: ManifestSource }
  | { ok: false; diagnostics: Diagnostic[]; source?: ManifestSource };

export interface LoadOptions {
  cwd: string;
  /**
   * Reuse (and update) `.bach/manifest-cache.json` beside the manifest: parse and schema validation
   * are skipped when the text was seen before. Default false — `validate` writes nothing.
   */
  cache?: boolean;
  /**
   * The configured API keys (read from the environment and .env by the caller): a prompt that holds
   * one is refused (rules.ts, checkSecrets). Only their names are ever shown.
   */
  secrets?: readonly GuardedSecret[];
}

export async function loadManifest(path: string, options: LoadOptions): Promise<LoadResult> {
  const located = await locateManifest(path, options.cwd);
  if (!located.ok) return located;
  const { file, absFile, size } = located;
  if (size > MANIFEST_MAX_BYTES) return { ok: false, diagnostics: [manifestTooLarge(file, size)] };
  const text = await readFile(absFile, 'utf8');
  const source: ManifestSource = { file, absFile, text };
  const root = dirname(absFile);
  const complete = async (prepared: PreparedManifest) =>
    completeManifest(prepared, { file, absFile, root, secrets: options.secrets, ...(await readFacts(root, prepared)) });

  if (!options.cache || !(await isStateFolderInside(root))) return { ...(await loadFresh(text, file, complete)).result, source };

  const cachePath = join(root, MANIFEST_CACHE_PATH);
  const key = createCacheKey(text, readManifestSchema().sha256);
  const entry = await readManifestCache(cachePath);
  if (entry?.key === key) {
    // Any problem (even a warning) is reported from a fresh parse, at its real position. A cached
    // value that breaks a later stage (the file was damaged or planted in a shape the check above
    // lets through) is a miss too: the fresh parse decides.
    const result = await complete(prepareFromCache(entry)).catch(() => undefined);
    if (result?.ok && result.warnings.length === 0) return { ...result, source };
  }
  const { result, prepared } = await loadFresh(text, file, complete);
  if (result.ok && result.warnings.length === 0 && prepared && entry?.key !== key) {
    await writeManifestCache(cachePath, createCacheEntry(key, prepared));
  }
  return { ...result, source };
}

async function loadFresh(
  text: string,
  file: string,
  complete: (prepared: PreparedManifest) => Promise<ManifestResult>,
): Promise<{ result: ManifestResult; prepared?: PreparedManifest }> {
  const { prepareManifest } = await import('./pipeline.js');
  const prepared = prepareManifest(text, { file });
  if (!prepared.ok) return { result: prepared };
  return { result: await complete(prepared.prepared), prepared: prepared.prepared };
}

async function readFacts(root: string, prepared: PreparedManifest): Promise<{ facts: (path: string) => FileFacts; outputFacts: OutputFacts }> {
  const [facts, outputFacts] = await Promise.all([
    readFileFacts(root, prepared.files),
    prepared.output === undefined ? { exists: false, isDirectory: false, insideRoot: true } : readOutputFacts(root, prepared.output),
  ]);
  // Every referenced file is in the map; the fallback only keeps the types honest.
  return { facts: (path) => facts.get(path) ?? { exists: false, isFile: false, insideRoot: true, size: 0 }, outputFacts };
}

type Located = { ok: true; file: string; absFile: string; size: number } | { ok: false; diagnostics: Diagnostic[] };

async function locateManifest(path: string, cwd: string): Promise<Located> {
  let file = path;
  let absFile = resolve(cwd, path);
  try {
    let stats = await stat(absFile);
    if (stats.isDirectory()) {
      file = normalize(join(path, MANIFEST_FILE_NAME));
      absFile = join(absFile, MANIFEST_FILE_NAME);
      stats = await stat(absFile);
    }
    if (!stats.isFile()) return fail(file, 'manifest-unreadable', `${absFile} is not a file`);
    return { ok: true, file, absFile, size: stats.size };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return fail(file, 'manifest-missing', `no manifest at ${absFile}`, 'Run `bach-render init` to start one, or pass the path of a bach.yaml (or of its folder).');
    }
    if (code === 'EACCES' || code === 'EPERM') return fail(file, 'manifest-unreadable', `cannot read ${absFile} (permission denied)`);
    throw error;
  }
}

function fail(file: string, code: string, message: string, hint?: string): Located {
  return { ok: false, diagnostics: [{ severity: 'error', code, message, file, ...(hint ? { hint } : {}) }] };
}
