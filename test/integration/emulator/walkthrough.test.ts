import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseMp4 } from '../../../src/video/index.js';
import { useEmulator } from '../../helpers/emulator.js';
import { testdir } from '../../helpers/testdir.js';

// Runs the curl walkthrough of docs/emulator.md (the bash blocks between the walkthrough markers),
// as documented, against a live emulator: sign a token with node, create a text-to-video task with
// curl, poll it to TASK_SUCCEEDED, download the video; then parse the file.

const run = promisify(execFile);
const DOC = new URL('../../../docs/emulator.md', import.meta.url);

function readWalkthrough(): string {
  const text = readFileSync(DOC, 'utf8');
  const section = /<!-- walkthrough:start -->([\s\S]*?)<!-- walkthrough:end -->/.exec(text)?.[1];
  if (!section) throw new Error('docs/emulator.md has no walkthrough markers');
  const blocks = [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]!);
  expect(blocks.length).toBeGreaterThanOrEqual(4);
  return blocks.join('\n');
}

describe('docs/emulator.md curl walkthrough', () => {
  it('creates a text-to-video task, polls it to TASK_SUCCEEDED and downloads 6 s of 24 fps 1280x720', async () => {
    const emu = await useEmulator({ processingMs: 300 });
    const dir = await testdir();
    const script = `set -euo pipefail\n${readWalkthrough()}`;
    const { stdout } = await run('bash', ['-c', script], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, BACH_BASE_URL: emu.url, BACH_ACCESS_KEY: emu.accessKey, BACH_SECRET_KEY: emu.secretKey },
      timeout: 30_000,
    });
    expect(stdout).toMatch(/^\{"code":200,"message":"Success","data":\{"task_id":"[0-9a-f-]{36}","status":"TASK_PENDING","created_at":\d+\},"task_id":"[0-9a-f-]{36}","status":"TASK_PENDING"\}$/m);
    expect(stdout).toMatch(/^TASK_SUCCEEDED$/m);
    expect(parseMp4(readFileSync(join(dir, 'result.mp4')))).toMatchObject({ codec: 'avc1', width: 1280, height: 720, fps: 24, durationSeconds: 6 });
    expect(emu.stats()).toMatchObject({ submissions: { total: 1 }, downloads: { results: 1 } });
  });
});
