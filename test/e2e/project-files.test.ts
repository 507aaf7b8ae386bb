import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { textStoryboard } from '../helpers/storyboards.js';
import { testdir } from '../helpers/testdir.js';

// What a build does to the project folder around the manifest: the files it leaves, the folders it
// writes through, the neighbours it shares them with.

function env(emulator: TestEmulator) {
  return { BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey, BACH_POLL_INTERVAL: '0.02' };
}

describe('the project folder', () => {
  it('a lockfile temp file left by a kill is swept at the next build (and nothing else that looks like one)', async () => {
    const emulator = await useEmulator({ processingMs: 10 });
    const root = await testdir({ 'bach.yaml': textStoryboard(1) });
    expect((await runCli([], { cwd: root, env: env(emulator) })).code).toBe(0);
    const leftover = '.bach.lock.0123456789ab.tmp';
    const others = ['.notes.0123456789ab.tmp', '.bach.lock.tmp', '.bach.lock.0123456789AB.tmp', '.other.lock.0123456789ab.tmp'];
    for (const name of [leftover, ...others]) writeFileSync(join(root, name), '{');
    // A plan holds no folder lock: it leaves the folder alone.
    await runCli(['plan'], { cwd: root });
    expect(existsSync(join(root, leftover))).toBe(true);
    // A build with nothing to do still takes the lock, and sweeps.
    const build = await runCli([], { cwd: root, env: env(emulator) });
    expect(build.code, build.stderr).toBe(0);
    expect(existsSync(join(root, leftover))).toBe(false);
    expect(readdirSync(root).filter((name) => name.endsWith('.tmp')).sort()).toEqual([...others].sort());
  });
});
