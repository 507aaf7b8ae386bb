import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

// vitest globalSetup: gives the run a folder where the first test file that needs radosgw starts it
// (test/helpers/radosgw.ts), and stops it when the whole run ends. Starting costs ~13 s, so nothing is
// started here: a run without radosgw tests (a single unit test file) pays nothing.

declare module 'vitest' {
  export interface ProvidedContext {
    /** Folder shared by the run's test files: the start lock and the server's own folder. */
    radosgwRunDir: string;
    /** The vitest main process: the server's watchdog stops it if this process dies. */
    radosgwOwnerPid: number;
  }
}

const SCRIPT = fileURLToPath(new URL('../../scripts/radosgw.sh', import.meta.url));

export default function setup(project: TestProject): () => void {
  const runDir = mkdtempSync(join(tmpdir(), 'bach-rgw-run-'));
  project.provide('radosgwRunDir', runDir);
  project.provide('radosgwOwnerPid', process.pid);
  return () => {
    const serverDir = join(runDir, 'server');
    if (existsSync(serverDir)) spawnSync('bash', [SCRIPT, 'stop', serverDir], { stdio: 'inherit' });
    rmSync(runDir, { recursive: true, force: true });
  };
}
