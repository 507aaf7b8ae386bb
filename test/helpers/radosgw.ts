import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { readRadosgw, startRadosgwServer, type Radosgw } from './radosgw-client.js';

export type { Radosgw };

// A real S3 server for the team-cache tests: Ceph's radosgw on 127.0.0.1, started by
// scripts/radosgw.sh ONCE per test run — the first test file that asks starts it under a lock in the
// run's folder (see radosgw-setup.ts), the others wait for it — and stopped when the run ends. Each
// test makes its own bucket, so files running in parallel never see each other's objects.
//
// Without the Debian packages: in CI (CI set) the tests fail loudly; elsewhere they are skipped with a
// message naming the packages.

export const RADOSGW_PACKAGES = 'radosgw ceph-mon ceph-osd ceph-common';
const BINARIES = ['radosgw', 'ceph-mon', 'ceph-osd', 'ceph-authtool', 'monmaptool', 'radosgw-admin', 'ceph'];

let missingReported = false;

/**
 * True when the radosgw tests can run. Missing packages: throws in CI (the tests must run there),
 * else prints which packages to install, once, and returns false.
 */
export function radosgwAvailable(): boolean {
  const missing = BINARIES.filter((name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return true;
  const message = `radosgw tests need ${missing.join(', ')}: apt-get install -y --no-install-recommends ${RADOSGW_PACKAGES}`;
  if (process.env.CI && !/^(0|false|no|off)$/i.test(process.env.CI)) throw new Error(`${message} (CI is set, so they may not be skipped)`);
  if (!missingReported) process.stderr.write(`[skipped] ${message}\n`);
  missingReported = true;
  return false;
}

let shared: Promise<Radosgw> | undefined;

export function useRadosgw(): Promise<Radosgw> {
  shared ??= attach();
  return shared;
}

async function attach(): Promise<Radosgw> {
  const runDir = inject('radosgwRunDir');
  if (!runDir) throw new Error('radosgw tests need the globalSetup in vitest.config.ts (test/helpers/radosgw-setup.ts)');
  const serverDir = join(runDir, 'server');
  const ready = join(runDir, 'ready');
  const failed = join(runDir, 'start.failed');
  let starter = false;
  try {
    mkdirSync(join(runDir, 'start.lock'));
    starter = true;
  } catch {
    // Another test file is starting it: wait below.
  }
  if (starter) {
    try {
      await startRadosgwServer(serverDir, inject('radosgwOwnerPid'));
      writeFileSync(ready, '');
    } catch (error) {
      const text = (error as { stderr?: string }).stderr || (error as Error).message;
      writeFileSync(failed, text);
      throw new Error(`radosgw did not start: ${text}`);
    }
  } else {
    const deadline = Date.now() + 180_000;
    while (!existsSync(ready)) {
      if (existsSync(failed)) throw new Error(`radosgw did not start: ${readFileSync(failed, 'utf8')}`);
      if (Date.now() > deadline) throw new Error('radosgw did not start within 180 s (started by another test file)');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return readRadosgw(serverDir);
}
