import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { textStoryboard } from '../helpers/storyboards.js';
import { testdir } from '../helpers/testdir.js';

// Before paying, a build asks the API for the task bach.lock records for a shot's current request
// (issue 11, items 3 and 11): a clone holding only what git holds gets every video the API still
// serves for free, byte-identical, and its bach.lock does not change — without any team cache.

const api = (emulator: TestEmulator) => ({ BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey, BACH_POLL_INTERVAL: '0.02' });

function videos(root: string): Record<string, string> {
  const dir = join(root, 'renders');
  const mp4s = readdirSync(dir).filter((name) => name.endsWith('.mp4')).sort();
  return Object.fromEntries(mp4s.map((name) => [name, createHash('sha256').update(readFileSync(join(dir, name))).digest('hex')]));
}

describe('a clone without the videos', () => {
  it('downloads what the lock names from its earlier tasks, free; the lock stays as it is', async () => {
    const emulator = await useEmulator({ processingMs: 20 });
    const a = await testdir({ 'bach.yaml': textStoryboard(3) });
    expect((await runCli(['build', '--no-remote'], { cwd: a, env: api(emulator) })).code).toBe(0);
    expect(emulator.stats().submissions.total).toBe(3);
    const b = await testdir();
    for (const file of ['bach.yaml', 'bach.lock']) writeFileSync(join(b, file), readFileSync(join(a, file)));
    const built = await runCli(['build', '--reporter', 'plain'], { cwd: b, env: api(emulator) });
    expect(built.code, built.stderr + built.stdout).toBe(0);
    expect(built.stdout).toMatch(/3 results downloaded from their earlier tasks \(bach\.lock's task ids\), free/);
    expect(emulator.stats().submissions.total).toBe(3);
    expect(videos(b)).toEqual(videos(a));
    expect(readFileSync(join(b, 'bach.lock'), 'utf8')).toBe(readFileSync(join(a, 'bach.lock'), 'utf8'));
  });
});
