import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { makePng } from '../helpers/images.js';
import { testdir } from '../helpers/testdir.js';

// A task that fails because its input image's upload URL expired must not be re-submitted with the
// same dead URL (issue 16, item 6: 12 failed tasks, 4 shots failed in one build). Before a retry the
// image's URL is checked, and the image uploaded again when the server no longer has it.

describe('a retry after an expired upload URL', () => {
  it('uploads the image again and the retry succeeds', async () => {
    // One task at a time: `wait` (text, 700 ms) holds the slot while `still`'s upload (TTL 300 ms) expires.
    const emu = await useEmulator({ processingMs: 700, uploadTtlMs: 300, concurrencyPerKey: 1 });
    const root = await testdir({
      'frame.png': makePng(3, { size: 16 }),
      'bach.yaml': [
        'version: 1',
        'shots:',
        '  - { id: a-wait, mode: text-to-video, prompt: "A slow dawn", seed: 1 }',
        '  - { id: b-still, mode: image-to-video, image: frame.png, prompt: "The frame comes alive", seed: 2 }',
        '',
      ].join('\n'),
    });
    const env = { BACH_BASE_URL: emu.url, BACH_ACCESS_KEY: emu.accessKey, BACH_SECRET_KEY: emu.secretKey, BACH_POLL_INTERVAL: '0.05' };
    const build = await runCli(['--concurrency', '1', '--retries', '2', '--reporter', 'plain'], { cwd: root, env });
    expect(build.code, `${build.stdout}\n${build.stderr}`).toBe(0);
    expect(build.stdout + build.stderr).toContain('frame.png: its upload had expired; uploaded again');
    // The first b-still task failed on the dead URL; the one retry used a fresh upload.
    expect(emu.stats().submissions.byMode).toMatchObject({ image2video: 2 });
    expect(emu.stats().uploads.images).toBe(2);
  });
});
