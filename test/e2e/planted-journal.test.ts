import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { textToVideoBody, useEmulator } from '../helpers/emulator.js';
import { textStoryboard } from '../helpers/storyboards.js';
import { testdir } from '../helpers/testdir.js';

// `.bach/` may come with a branch. A planted journal entry whose fingerprint leads out of the cache
// made a build download a paid result outside `.bach/cache` (issue 16, item 10): every field read
// from the journal is checked first, and an entry that fails is ignored with a warning.

describe('a planted journal entry', () => {
  it('whose fingerprint leads out of the cache is ignored with a warning; nothing is written outside', async () => {
    const emu = await useEmulator({ processingMs: 10 });
    const created = await emu.call('POST', '/videos/text2video', { body: textToVideoBody({ prompt: 'planted', seed: 1 }) });
    const taskId = created.json!.data.task_id as string;
    await emu.waitForTask(taskId);
    const outer = await testdir();
    const root = join(outer, 'project');
    mkdirSync(join(root, '.bach/journal'), { recursive: true });
    writeFileSync(join(root, 'bach.yaml'), textStoryboard(1));
    const planted = { journalVersion: 1, key: 'planted', fingerprint: '../../../escaped', shotId: 'ghost', mode: 'text-to-video', request: { prompt: 'planted', seed: 1 }, seed: 1, state: 'accepted', taskId };
    writeFileSync(join(root, '.bach/journal/planted.json'), JSON.stringify(planted));
    const env = { BACH_BASE_URL: emu.url, BACH_ACCESS_KEY: emu.accessKey, BACH_SECRET_KEY: emu.secretKey, BACH_POLL_INTERVAL: '0.02' };
    const build = await runCli(['--reporter', 'plain'], { cwd: root, env });
    expect(build.code, build.stderr).toBe(0);
    expect(build.stderr).toContain(`${join(root, '.bach/journal/planted.json')} was ignored (its fingerprint is not 64 hex digits)`);
    // Nothing beside the project, nothing in the folders above the cache: the planted task was never followed.
    expect(readdirSync(outer)).toEqual(['project']);
    expect(emu.stats().downloads.results).toBe(1); // the build's own shot only
  });
});
