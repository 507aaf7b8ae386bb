import { posix } from 'node:path';
import { createFileFacts, type FileFacts, type OutputFacts } from './file-facts.js';
import { completeManifest, type ManifestResult } from './complete.js';
import { prepareManifest } from './pipeline.js';
import type { GuardedSecret } from './rules.js';

// The whole load without the disk: manifest text plus file facts made up in memory. For tests of
// every later stage (plan, render, watch) that need a real Manifest:
//
//   const result = loadManifestFromText(yaml`...`);                       // every file: a small PNG
//   const result = loadManifestFromText(text, { facts: { 'a.png': { exists: false } } });

export interface FromTextOptions {
  /** Absolute folder of the (imaginary) manifest. Default `/project`. */
  root?: string;
  /** What diagnostics call the file. Default `bach.yaml`. */
  file?: string;
  /**
   * Facts per root-relative path, merged over the default: the file exists inside the root, is
   * 1 KiB, is a PNG, and (as a prompt_file) holds `Prompt from <path>`.
   */
  facts?: Record<string, Partial<FileFacts>>;
  /** The output folder's facts. Default: it does not exist yet. */
  output?: Partial<OutputFacts>;
  /** Configured keys no prompt may contain. */
  secrets?: readonly GuardedSecret[];
}

export function loadManifestFromText(text: string, options: FromTextOptions = {}): ManifestResult {
  const root = options.root ?? '/project';
  const file = options.file ?? 'bach.yaml';
  const prepared = prepareManifest(text, { file });
  if (!prepared.ok) return prepared;
  const { files } = prepared.prepared;
  const facts = (path: string): FileFacts => createFileFacts(path, files.get(path) ?? new Set(), options.facts?.[path]);
  return completeManifest(prepared.prepared, {
    file,
    absFile: posix.join(root, posix.basename(file)),
    root,
    facts,
    outputFacts: { exists: false, isDirectory: false, insideRoot: true, ...options.output },
    secrets: options.secrets,
  });
}

/** Like loadManifestFromText, for tests that only want the Manifest: throws with the diagnostics otherwise. */
export function createManifestFromText(text: string, options: FromTextOptions = {}): ManifestResult & { ok: true } {
  const result = loadManifestFromText(text, options);
  if (!result.ok) {
    throw new Error(`invalid manifest:\n${result.diagnostics.map((d) => `${d.file}:${d.line ?? 0}:${d.col ?? 0}: ${d.code}: ${d.message}`).join('\n')}`);
  }
  return result;
}
