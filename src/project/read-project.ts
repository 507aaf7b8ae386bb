import { join } from 'node:path';
import { BachError } from '../errors.js';
import type { InputDigests } from '../contract/fingerprint.js';
import { lockfilePathFor, readLockfile } from '../lock/lockfile-io.js';
import type { Lockfile } from '../lock/types.js';
import { listLocalFiles } from '../manifest/list-local-files.js';
import type { Manifest } from '../manifest/types.js';
import { outputPathFor, type OutputState } from '../plan/create-plan.js';
import { HashCache } from '../state/hash-cache.js';
import { hashFiles } from '../state/hash-files.js';
import { Journal, type JournalEntry } from '../state/journal.js';
import { statePaths, type StatePaths } from '../state/paths.js';
import { listCachedFingerprints } from '../state/result-cache.js';
import { listOutputVideos } from '../state/list-output-videos.js';
import { findStrayOutputs } from '../plan/stray-outputs.js';
import { stampOf, type Stamp } from '../state/up-to-date.js';
import { UploadRecords } from '../state/upload-records.js';

// The front hall: everything a plan needs from the project folder, read once, the same way for
// build, build --dry-run, plan, watch and the no-op fast path's snapshot. createPlanInputs (pure)
// turns it into the planner's inputs.
//
// One error policy:
//   - what the plan cannot do without, and must not guess, stops it with a BachError saying what to
//     do: a damaged bach.lock (it records what was paid for; never discarded or overwritten), an
//     input file that vanished since the manifest was loaded;
//   - what can be rebuilt is read leniently — a missing or damaged hash cache, upload record file or
//     result cache counts as empty (it costs re-hashing, a re-upload, never a payment);
//   - what is left alone is said: journal files that cannot be read become `notices`, which every
//     command shows the same way.
// Unchanged files are not read again (the stat cache); the result cache is listed, not read; the
// journal is listed without touching a file (only a build holding the folder lock sweeps it).

export interface ReadProjectOptions {
  /** The manifest as the user named it: the lockfile is named the same way in messages. */
  label: string;
  /** The API origin whose upload records count; null for none (the embedded emulator, which lives one process). */
  origin: string | null;
  now: () => number;
}

export interface ProjectState {
  manifest: Manifest;
  paths: StatePaths;
  lockPath: string;
  lock: Lockfile;
  /** The lockfile's text as read (null: there is none yet); unchanged text is never rewritten. */
  lockText: string | null;
  /** The lockfile's stamp just before it was read, for the up-to-date snapshot. */
  lockStamp: Stamp | null;
  journal: Journal;
  journalEntries: readonly JournalEntry[];
  hashCache: HashCache;
  uploadRecords: UploadRecords;
  /** Image digests recorded as uploaded to `origin`. */
  uploaded: ReadonlySet<string>;
  /** Fingerprints with a complete entry in `.bach/cache/`. */
  cached: ReadonlySet<string>;
  /** sha256 of every local file the manifest references. */
  digests: InputDigests;
  /** Each locked shot's output on disk. */
  outputs: ReadonlyMap<string, OutputState>;
  /** Outputs of shots no longer in the manifest (root-relative). */
  strayOutputs: string[];
  /** What was left alone and should be said (one line each). */
  notices: string[];
}

export async function readProject(manifest: Manifest, options: ReadProjectOptions): Promise<ProjectState> {
  const paths = statePaths(manifest.root);
  const lockPath = lockfilePathFor(manifest.file);
  const lockStamp = stampOf(lockPath);
  const journal = new Journal(paths.journal);
  const [lockState, hashCache, uploadRecords, cached, outputVideos] = await Promise.all([
    readLockfile(lockPath, lockfilePathFor(options.label)),
    HashCache.read(paths.hashes),
    UploadRecords.read(paths.uploads),
    listCachedFingerprints(paths.cache),
    listOutputVideos(join(manifest.root, manifest.output)),
  ]);
  const { entries, unreadable } = journal.list();
  const { lock } = lockState;
  const outputFiles = manifest.shots.filter((shot) => lock.shots[shot.id]).map((shot) => outputPathFor(manifest, shot.id));
  const [inputs, outputs] = await Promise.all([
    hashFiles(listLocalFiles(manifest), { root: manifest.root, cache: hashCache, now: options.now }),
    hashFiles(outputFiles, { root: manifest.root, cache: hashCache, now: options.now }),
  ]);
  const digests = new Map<string, string>();
  for (const [path, hashed] of inputs) {
    // The loader checked every file a moment ago; one that vanished since is a race with an editor.
    if (!hashed) throw new BachError('file-vanished', `${path} disappeared while bach-render was reading the manifest`, { hint: 'Run again.' });
    digests.set(path, hashed.sha256);
  }
  const outputStates = new Map<string, OutputState>();
  for (const [path, hashed] of outputs) outputStates.set(path, hashed ? { exists: true, ...hashed } : { exists: false });
  return {
    manifest,
    paths,
    lockPath,
    lock,
    lockText: lockState.text,
    lockStamp,
    journal,
    journalEntries: entries,
    hashCache,
    uploadRecords,
    uploaded: new Set(options.origin ? uploadRecords.urlsFor(options.origin).keys() : []),
    cached,
    digests,
    outputs: outputStates,
    strayOutputs: findStrayOutputs(manifest, outputVideos),
    notices: unreadable.map(({ file, why }) => `${file} was ignored (${why}): not an entry bach-render wrote; left alone — move it aside if it keeps appearing`),
  };
}
