// The seed's own Python sample code (token, create, poll until done) against the emulator, with
// Debian's python3-jwt and python3-requests (required in CI, skipped elsewhere with a message).
// test/fixtures/seed-sample/bach_sample.py is the sample as the seed wrote it; the first test checks
// that claim against the seed page itself, kept beside it (seed-page.txt: the API page's text as the
// seed extracted it, verbatim), so the check runs on every machine.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMp4 } from '../../../src/video/index.js';
import { useEmulator } from '../../helpers/emulator.js';
import { requireSystemTools } from '../../helpers/system-tools.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SAMPLE_DIR = join(REPO, 'test/fixtures/seed-sample');
const SEED_FILE = join(SAMPLE_DIR, 'seed-page.txt');

// Debian's interpreter first: a python3 from pyenv or a venv earlier on PATH lacks Debian's modules.
const PYTHON = ['/usr/bin/python3', 'python3'].find(
  (command) => spawnSync(command, ['-c', 'import jwt, requests'], { stdio: 'ignore' }).status === 0,
) ?? 'python3';
const python = requireSystemTools('the seed sample test', [
  { command: PYTHON, args: ['-c', 'import jwt, requests'], aptPackage: 'python3-jwt python3-requests' },
]);

/** The sample's code lines, grouped by snippet, as the seed's text extraction prints them. */
function readSampleAsTheSeedPrintsIt(): string[][] {
  const code = readFileSync(join(SAMPLE_DIR, 'bach_sample.py'), 'utf8').split('\n');
  const start = code.findIndex((line) => line !== '' && !line.startsWith('#'));
  const snippets: string[][] = [[]];
  for (const line of code.slice(start)) {
    if (line.trim() === '') {
      if (snippets.at(-1)!.length > 0) snippets.push([]);
      continue;
    }
    snippets.at(-1)!.push(line.trimStart().replaceAll(' == ', ' '));
  }
  return snippets.filter((snippet) => snippet.length > 0);
}

function runSample(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(PYTHON, [join(SAMPLE_DIR, 'run_seed_sample.py')], {
      env: { PATH: process.env.PATH ?? '', NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

describe('the seed sample code', () => {
  it('is the seed text, with only indentation and `==` restored', () => {
    const seed = readFileSync(SEED_FILE, 'utf8').split('\n').map((line) => line.trimEnd());
    const snippets = readSampleAsTheSeedPrintsIt();
    expect(snippets).toHaveLength(3);
    let from = 0;
    for (const snippet of snippets) {
      const at = seed.indexOf(snippet[0]!, from);
      expect(at, `"${snippet[0]}" in the seed after line ${from}`).toBeGreaterThanOrEqual(0);
      expect(seed.slice(at, at + snippet.length)).toEqual(snippet);
      from = at + snippet.length;
    }
  });

  describe.skipIf(python.skip)('run against the emulator', () => {
    beforeAll(python.assertAvailable);

    it('signs a token, creates a task at {base}/submit, polls /status until done and prints the video URL', async () => {
      const emu = await useEmulator({ processingMs: 400 });
      const result = await runSample({
        BACH_BASE_URL: emu.url,
        BACH_ACCESS_KEY: emu.accessKey,
        BACH_SECRET_KEY: emu.secretKey,
        BACH_SAMPLE_SLEEP_SCALE: '0.01', // the sample's 10 s poll → 0.1 s
      });
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stdout.trim().split('\n');
      const [task] = emu.stats().tasks;
      expect(lines.at(-1)).toBe(`${emu.origin}/cdn/results/${task!.taskId}.mp4`);
      const stats = emu.stats();
      expect(stats.requests.byRoute).toMatchObject({ submit: 1 });
      expect(stats.requests.byRoute.status).toBeGreaterThanOrEqual(2); // it waited: not done at the first poll
      expect(stats.requests.byStatus).toEqual({ 200: stats.requests.total });
      expect(task).toMatchObject({ mode: 'text2video', status: 'TASK_SUCCEEDED', resolution: '720p' });
      const video = Buffer.from(await (await fetch(lines.at(-1)!)).arrayBuffer());
      expect(parseMp4(video)).toMatchObject({ width: 1280, height: 720, durationSeconds: 6 });
    });

    it('submits image-to-video when the payload has an image_url string', async () => {
      const emu = await useEmulator({ processingMs: 0 });
      const payload = { model_name: 'bach-1.0-preview', image_url: 'https://images.example.com/a.png', resolution: '720p', duration: 2 };
      const result = await runSample({
        BACH_BASE_URL: emu.url,
        BACH_ACCESS_KEY: emu.accessKey,
        BACH_SECRET_KEY: emu.secretKey,
        BACH_SAMPLE_SLEEP_SCALE: '0.01',
        BACH_SAMPLE_PAYLOAD: JSON.stringify(payload),
      });
      expect(result.code, result.stderr).toBe(0);
      expect(emu.stats().tasks).toMatchObject([{ mode: 'image2video', status: 'TASK_SUCCEEDED' }]);
    });
  });
});
