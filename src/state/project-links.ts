import { realpath } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { BachError } from '../errors.js';
import { isInsideFolder, realpathOfNearest } from '../util/real-path.js';

// The places a build writes to beside the manifest — `.bach/` (and the folders in it), the lockfile
// and the output folder — must not lead out of the project. A committed `.bach` symlink made a build
// write into, overwrite and delete files elsewhere (the process lock went to the link's target: a
// file named `lock` there was taken over, then deleted). Links that stay inside the project are fine.
//
// Checked by every command that writes, before it writes anything there: a build or watch session
// before it takes the folder lock (acquireFolder), each build run (buildOnce), and a plan before it
// writes its caches. The manifest cache, written while loading, checks its own folder (manifest-cache.ts).

/** Folders of `.bach/` that are written into (files in it are replaced by rename, never written through). */
const STATE_FOLDERS = ['.bach', '.bach/cache', '.bach/journal', '.bach/submitters'];

export interface ProjectPlaces {
  /** Absolute path of the manifest's folder. */
  root: string;
  /** Absolute path of the lockfile (left out: not checked). */
  lockfile?: string;
  /** The output folder, relative to the root (left out: not checked). */
  output?: string;
}

export interface LeavingLink {
  /** As the user would name it, relative to the root. */
  path: string;
  /** Where it leads (a real path). */
  target: string;
}

/** The places that lead (through a symbolic link somewhere on the way) out of the project; [] when none. */
export async function findLinksLeavingProject(places: ProjectPlaces): Promise<LeavingLink[]> {
  const rootReal = await realpath(places.root);
  const leaving: LeavingLink[] = [];
  const check = async (path: string, absolute: string) => {
    const target = await realpathOfNearest(absolute);
    if (target !== undefined && !isInsideFolder(rootReal, target)) leaving.push({ path, target });
  };
  for (const folder of STATE_FOLDERS) {
    await check(folder, join(places.root, folder));
    if (leaving.length > 0) break; // `.bach` itself leaves: the folders in it say nothing more
  }
  if (places.lockfile !== undefined) await check(relative(places.root, places.lockfile), places.lockfile);
  if (places.output !== undefined) await check(places.output === '' ? '.' : places.output, join(places.root, places.output));
  return leaving;
}

/** Refuses (BachError) when any place leads out of the project; see findLinksLeavingProject. */
export async function assertProjectLinksInside(places: ProjectPlaces): Promise<void> {
  const leaving = await findLinksLeavingProject(places);
  if (leaving.length === 0) return;
  const list = leaving.map((link) => `${link.path} → ${link.target}`).join(', ');
  throw new BachError(
    'link-outside-project',
    `${leaving.length === 1 ? 'a symbolic link leads' : 'symbolic links lead'} out of the project: ${list}; bach-render writes only inside the manifest's folder and refuses to write through ${leaving.length === 1 ? 'it' : 'them'}`,
    { hint: 'Remove the link (bach-render creates .bach/ and the output folder itself), or make it point inside the project.' },
  );
}
