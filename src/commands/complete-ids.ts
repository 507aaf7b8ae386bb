import { readFile, stat } from 'node:fs/promises';
import type { CliContext } from '../util/cli-context.js';
import { MANIFEST_MAX_BYTES } from '../manifest/manifest-size.js';
import { parseManifest } from '../manifest/parse.js';
import { resolveManifestPath } from '../state/up-to-date.js';

// `bach-render __complete-ids [PATH]` (hidden): the shot ids of the manifest, one per line, for the
// completion scripts' `--only`/`--force`. Parse only — no schema, no file facts — so a manifest with
// mistakes in it still completes, and a key press costs one YAML parse. Prints nothing (exit 0)
// when there is nothing to offer: completion must never print an error into the user's prompt.

export async function run(args: string[], context: CliContext): Promise<number> {
  const { file } = resolveManifestPath(context.cwd, args.find((arg) => !arg.startsWith('-')));
  if (!file) return 0;
  try {
    if ((await stat(file)).size > MANIFEST_MAX_BYTES) return 0;
    const parsed = parseManifest(await readFile(file, 'utf8'), { file });
    if (!parsed.ok) return 0;
    context.stdout.write(listShotIds(parsed.value).map((id) => `${id}\n`).join(''));
  } catch {
    // unreadable: nothing to offer
  }
  return 0;
}

/** Only ids made of word characters and dashes (what the schema allows): bash's `compgen -W` expands what it is given, so nothing else may reach it. */
function listShotIds(value: unknown): string[] {
  const shots = (value as { shots?: unknown } | null)?.shots;
  if (!Array.isArray(shots)) return [];
  const ids = shots.map((shot) => (shot as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === 'string' && /^[\w-]+$/.test(id));
  return [...new Set(ids)];
}
