import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/util/hash.js';
import { useEmulator } from '../../helpers/emulator.js';
import { runInProcess, startInProcess } from '../../helpers/in-process-cli.js';
import { testdir } from '../../helpers/testdir.js';

// The front hall (src/project/): build, build --dry-run, plan and watch read the project the same
// way and decide the API address the same way — so they agree on what a build would upload. And a
// file in the project never decides where signed requests go.

const EXAMPLES = fileURLToPath(new URL('../../../examples', import.meta.url));
const IMAGES = ['frames/castle.png', 'frames/hero.png', 'refs/hero-front.png', 'refs/hero-side.png'];
const API = 'http://127.0.0.1:9/api/vdr'; // nothing listens there: nothing below may send a request
const KEYS = { BACH_ACCESS_KEY: 'ak', BACH_SECRET_KEY: 'sk' };

/** The examples, with `.bach/uploads.json` recording all four images as uploaded to `origin`. */
async function examplesUploadedTo(origin: string): Promise<string> {
  const root = await testdir();
  cpSync(EXAMPLES, root, { recursive: true, filter: (source) => !/[/\\](renders|\.bach)([/\\]|$)/.test(source) && !source.endsWith('bach.lock') });
  const urls = Object.fromEntries(IMAGES.map((path) => [sha256Hex(readFileSync(join(root, path))), `${origin}/cdn/${path}`]));
  mkdirSync(join(root, '.bach'), { recursive: true });
  writeFileSync(join(root, '.bach/uploads.json'), `${JSON.stringify({ format: 1, origins: { [origin]: urls } })}\n`);
  return root;
}

/** What each command says it would upload: plan --json, build --dry-run, build and watch (both stopped by a zero budget before they send anything). */
async function uploadCounts(root: string, env: Record<string, string>): Promise<Record<string, number>> {
  const plan = await runInProcess(['plan', '--json'], { cwd: root, env });
  const dryRun = await runInProcess(['build', '--dry-run', '--reporter', 'json'], { cwd: root, env });
  const build = await runInProcess(['build', '--max-seconds', '0', '--reporter', 'json'], { cwd: root, env });
  expect(build.code, build.stderr).toBe(1);
  expect(build.stdout).toContain('more than --max-seconds 0; nothing was submitted');
  const watch = startInProcess(['watch', '--max-seconds', '0', '--reporter', 'json'], { cwd: root, env });
  const watchPlan = await watch.waitFor((event) => event.type === 'plan');
  await watch.waitFor((event) => event.type === 'watch:idle');
  watch.interrupt();
  expect(await watch.done).toBe(130);
  const planOf = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line)).find((event) => event.type === 'plan').plan;
  return {
    plan: JSON.parse(plan.stdout).totals.imagesToUpload,
    'build --dry-run': planOf(dryRun.stdout).totals.imagesToUpload,
    build: planOf(build.stdout).totals.imagesToUpload,
    watch: watchPlan.plan.totals.imagesToUpload,
  };
}

describe('one front hall', () => {
  it('gives one upload count in plan, build --dry-run, build and watch: the records of the API in use', async () => {
    const recorded = await examplesUploadedTo('http://127.0.0.1:9');
    const env = { ...KEYS, BACH_BASE_URL: API };
    expect(await uploadCounts(recorded, env)).toEqual({ plan: 0, 'build --dry-run': 0, build: 0, watch: 0 });
    // Records of another server count for nothing, in every command alike.
    const elsewhere = await examplesUploadedTo('https://api-gen-na.bach.art');
    expect(await uploadCounts(elsewhere, env)).toEqual({ plan: 4, 'build --dry-run': 4, build: 4, watch: 4 });
  });

  it('names the API every command talks to when it is not the public one', async () => {
    const root = await examplesUploadedTo('http://127.0.0.1:9');
    const plan = await runInProcess(['plan'], { cwd: root, env: { BACH_BASE_URL: API } });
    expect(plan.stderr).toContain(`Bach API: ${API} (from BACH_BASE_URL; the default is https://api-gen-na.bach.art/api/vdr)`);
    const dryRun = await runInProcess(['build', '--dry-run', '--base-url', API], { cwd: root });
    expect(dryRun.stderr).toContain(`Bach API: ${API} (from --base-url;`);
    const publicApi = await runInProcess(['build', '--dry-run'], { cwd: root });
    expect(publicApi.stderr).not.toContain('Bach API:');
  });

  it('refuses a .env that sets BACH_BASE_URL: no request reaches the server it names', async () => {
    const emulator = await useEmulator();
    const root = await examplesUploadedTo('http://127.0.0.1:9');
    writeFileSync(join(root, '.env'), `BACH_BASE_URL=${emulator.url}\nBACH_ACCESS_KEY=${emulator.accessKey}\nBACH_SECRET_KEY=${emulator.secretKey}\n`);
    for (const argv of [['build'], ['build', '--dry-run'], ['plan'], ['watch']]) {
      const result = await runInProcess(argv, { cwd: root, env: { BACH_POLL_INTERVAL: '0.02' } });
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.stderr).toContain(`error: ${join(root, '.env')} sets BACH_BASE_URL; the API address is never read from a file in the project\n`);
      expect(result.stderr).toContain('Remove BACH_BASE_URL from .env, and set it in the environment or pass --base-url instead.');
    }
    expect(emulator.stats().requests.total).toBe(0);
    // The keys in .env are still welcome; the address comes from the environment.
    writeFileSync(join(root, '.env'), `BACH_ACCESS_KEY=${emulator.accessKey}\nBACH_SECRET_KEY=${emulator.secretKey}\n`);
    const allowed = await runInProcess(['build', '--reporter', 'plain'], { cwd: root, env: { BACH_BASE_URL: emulator.url, BACH_POLL_INTERVAL: '0.02' } });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(emulator.stats().submissions.total).toBe(3);
  });
});
