import { loadManifest } from '../manifest/load.js';
import type { Manifest } from '../manifest/types.js';
import { lockfilePathFor, readLockfile } from '../lock/lockfile-io.js';
import type { LockEntry } from '../lock/types.js';
import { outputPathFor } from '../plan/create-plan.js';
import { reportDiagnostics } from '../report/report-diagnostics.js';
import { assertProjectLinksInside } from '../state/project-links.js';
import { resolveManifestPath } from '../state/up-to-date.js';
import type { CliContext } from '../util/cli-context.js';

// What `pull` and `push` work from: the manifest's shots that bach.lock records, each with where its
// output goes. The output path comes from the manifest (outputPathFor), never from the lock, and the
// project's places are checked not to lead outside it, so a lockfile from a branch cannot make a pull
// write anywhere else. Lock entries of shots no longer in the manifest are left alone (a build drops them).

export interface LockedShot {
  shotId: string;
  outputPath: string;
  entry: LockEntry;
}

export type LockedShots =
  | { ok: true; manifest: Manifest; label: string; shots: LockedShot[]; unlocked: string[] }
  | { ok: false };

/** `given`: the PATH argument; without one, the nearest bach.yaml (this folder or a parent), as every command finds it. */
export async function readLockedShots(given: string | undefined, context: CliContext): Promise<LockedShots> {
  const { path } = resolveManifestPath(context.cwd, given);
  const loaded = await loadManifest(path, { cwd: context.cwd, cache: true });
  reportDiagnostics(loaded, context);
  if (!loaded.ok) return { ok: false };
  const { manifest } = loaded;
  const lockfile = lockfilePathFor(manifest.file);
  await assertProjectLinksInside({ root: manifest.root, lockfile, output: manifest.output });
  const { lock } = await readLockfile(lockfile, lockfilePathFor(loaded.source.file));
  const shots: LockedShot[] = [];
  const unlocked: string[] = [];
  for (const shot of manifest.shots) {
    const entry = lock.shots[shot.id];
    if (entry) shots.push({ shotId: shot.id, outputPath: outputPathFor(manifest, shot.id), entry });
    else unlocked.push(shot.id);
  }
  return { ok: true, manifest, label: loaded.source.file, shots, unlocked };
}
