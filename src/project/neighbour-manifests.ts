import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Manifest } from '../manifest/types.js';
import type { Plan } from '../plan/types.js';

// Shell: other manifests in the same folder. Each manifest has its own lockfile (`<name>.lock`), but
// they share the folder's `.bach/` (the folder lock, the journal, the in-doubt log, all keyed by shot
// id) and, by default, its `renders/` — two manifests with the same shot ids then overwrite each
// other's videos, and each build sees the other's as altered. That used to happen silently.
//
// Decided: a neighbour is known by its lockfile (`other.lock` next to an `other.yaml` or `.yml`), so it
// is found once it has been built; its lockfile records each shot's output path, which says exactly
// which videos are shared. A `bach.yml` next to `bach.yaml` shares the lockfile itself. Both are
// warnings, not errors: the storyboards may be meant to take turns; the person decides.

const MANIFEST_EXTENSIONS = ['.yaml', '.yml'];
const LISTED = 5;

export async function findNeighbourWarnings(manifest: Manifest, plan: Plan): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(manifest.root);
  } catch {
    return [];
  }
  const own = basename(manifest.file);
  const stem = basename(own, extname(own));
  const present = new Set(names);
  const warnings: string[] = [];

  for (const name of names) {
    if (name === own || !isManifestName(name) || basename(name, extname(name)) !== stem) continue;
    warnings.push(`${name} is beside ${own} and uses the same lockfile (${stem}.lock), .bach/ and outputs: a build of either undoes the other's; keep one manifest per lockfile name (rename one of them)`);
  }

  const outputs = new Map(plan.shots.map((shot) => [shot.shot.id, shot.outputPath]));
  for (const name of names) {
    if (!name.endsWith('.lock') || name === `${stem}.lock`) continue;
    const otherStem = name.slice(0, -'.lock'.length);
    const otherManifest = MANIFEST_EXTENSIONS.map((ext) => `${otherStem}${ext}`).find((candidate) => present.has(candidate));
    if (!otherManifest) continue; // not a bach-render lockfile, or its manifest is gone
    const shots = await readLockfileOutputs(join(manifest.root, name));
    if (!shots) continue;
    const common = [...shots.keys()].filter((id) => outputs.has(id)).sort();
    if (common.length === 0) continue;
    const sharedOutputs = common.filter((id) => shots.get(id) === outputs.get(id)).map((id) => outputs.get(id)!);
    const sharing =
      sharedOutputs.length > 0
        ? `share ${list(sharedOutputs)} and .bach/: each build overwrites the other's videos. Give one of them its own \`output:\` folder, or its own folder`
        : 'share .bach/ (its journal and messages go by shot id). Keep each manifest in a folder of its own';
    warnings.push(`${otherManifest} (lockfile ${name}) has shots with the same ids as ${own}: ${list(common)}; they ${sharing}`);
  }
  return warnings;
}

function isManifestName(name: string): boolean {
  return MANIFEST_EXTENSIONS.includes(extname(name).toLowerCase());
}

/** Shot id → output path of a bach-render lockfile; undefined for anything else (another tool's `.lock`). */
async function readLockfileOutputs(path: string): Promise<Map<string, string> | undefined> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
  const record = data as { lockfileVersion?: unknown; shots?: unknown } | null;
  if (typeof record !== 'object' || record === null || typeof record.lockfileVersion !== 'number') return undefined;
  if (typeof record.shots !== 'object' || record.shots === null || Array.isArray(record.shots)) return undefined;
  const outputs = new Map<string, string>();
  for (const [id, entry] of Object.entries(record.shots as Record<string, unknown>)) {
    const output = (entry as { output?: { path?: unknown } } | null)?.output?.path;
    outputs.set(id, typeof output === 'string' ? output : '');
  }
  return outputs;
}

function list(items: readonly string[]): string {
  const shown = items.slice(0, LISTED).join(', ');
  return items.length > LISTED ? `${shown} and ${items.length - LISTED} more` : shown;
}
