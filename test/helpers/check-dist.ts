import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The e2e tests run the built CLI (dist/). A dist/ older than src/ would test yesterday's code and
// pass or fail for the wrong reasons, so the first e2e helper to load stops them all, saying what to do.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Why dist/ cannot be trusted (missing, or a source file changed after it was built); null when fresh. */
export function findStaleDist(root = ROOT): string | null {
  try {
    statSync(join(root, 'dist/cli.js'));
  } catch {
    return 'dist/cli.js does not exist';
  }
  // The newest file of dist/, not cli.js: tsc rewrites only what changed, and the build's last step
  // (postbuild) writes a file every time.
  const built = newestFile(join(root, 'dist'))!.mtimeMs;
  const newer = newestFile(join(root, 'src'));
  if (newer && newer.mtimeMs > built) return `${newer.path.slice(root.length)} changed after dist/ was last built`;
  return null;
}

export function assertFreshDist(): void {
  const stale = findStaleDist();
  if (stale) throw new Error(`${stale}: run \`npm run build\` (npm test builds first) before the e2e tests`);
}

function newestFile(folder: string): { path: string; mtimeMs: number } | null {
  let newest: { path: string; mtimeMs: number } | null = null;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    const candidate = entry.isDirectory() ? newestFile(path) : { path, mtimeMs: statSync(path).mtimeMs };
    if (candidate && (!newest || candidate.mtimeMs > newest.mtimeMs)) newest = candidate;
  }
  return newest;
}
