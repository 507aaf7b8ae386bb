import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { textStoryboard } from '../helpers/storyboards.js';
import { testdir } from '../helpers/testdir.js';

// One cause, one line (issue 15, item 2). A wrong BACH_BASE_URL with 7 shots printed 34 retry lines
// over 11 s and the same cause 7 times in the summary; a wrong secret printed the same line 14 times.

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('a failure that hits every shot', () => {
  it('a wrong API address: said once, new submissions stopped, the summary grouped, the address named', async () => {
    const root = await testdir({ 'bach.yaml': textStoryboard(7) });
    const env = { BACH_BASE_URL: 'http://127.0.0.1:9/api/vdr', BACH_ACCESS_KEY: 'ak', BACH_SECRET_KEY: 'sk' };
    const build = await runCli(['--reporter', 'plain'], { cwd: root, env, timeoutMs: 90_000 });
    expect(build.code).toBe(1);
    const out = build.stdout;
    expect(count(out, 'connection refused (ECONNREFUSED)); retrying')).toBe(1);
    expect(count(out, ': failed: ')).toBe(1);
    expect(out).toMatch(/Failed \(4\):\n {2}4 shots \(shot-00\d, shot-00\d, shot-00\d, shot-00\d\): could not talk to the Bach API: connection refused/);
    expect(out).toContain('Not submitted (3): shot-004, shot-005, shot-006 — stopped: the Bach API at http://127.0.0.1:9 cannot be reached (connection refused (ECONNREFUSED)): check the network, and BACH_BASE_URL or --base-url');
  });

  it('a wrong secret: one failure line and one summary line, nothing else submitted', async () => {
    const emu = await useEmulator();
    const root = await testdir({ 'bach.yaml': textStoryboard(7) });
    const env = { BACH_BASE_URL: emu.url, BACH_ACCESS_KEY: emu.accessKey, BACH_SECRET_KEY: 'not-the-secret', BACH_POLL_INTERVAL: '0.02' };
    const build = await runCli(['--reporter', 'plain'], { cwd: root, env });
    expect(build.code).toBe(1);
    const out = build.stdout;
    expect(count(out, ': failed: ')).toBe(1);
    const failedLines = out.slice(out.indexOf('Failed (')).split('\n').filter((line) => line.startsWith('  '));
    expect(failedLines).toHaveLength(1);
    expect(out).toContain('stopped: the API rejected the keys (check BACH_ACCESS_KEY and BACH_SECRET_KEY)');
    expect(emu.stats().submissions.total).toBe(0);
  });
});

describe('bach-render doctor', () => {
  it('says the keys and the address are right with one request that creates nothing', async () => {
    const emu = await useEmulator();
    const root = await testdir({ 'bach.yaml': textStoryboard(1) });
    const good = await runCli(['doctor'], { cwd: root, env: { BACH_BASE_URL: emu.url, BACH_ACCESS_KEY: emu.accessKey, BACH_SECRET_KEY: emu.secretKey } });
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toContain(`ok    ${emu.url} answered and accepted the keys (a status query of a task that does not exist; nothing was created)`);
    expect(good.stdout + good.stderr).not.toContain(emu.secretKey);
    expect(good.stdout + good.stderr).not.toContain(emu.accessKey);
    expect(emu.stats().requests.total).toBe(1);
    expect(emu.stats().submissions.total).toBe(0);
  });

  it('says what is wrong: a wrong secret, a wrong address, missing keys', async () => {
    const emu = await useEmulator();
    const root = await testdir({ 'bach.yaml': textStoryboard(1) });
    const secret = await runCli(['doctor'], { cwd: root, env: { BACH_BASE_URL: emu.url, BACH_ACCESS_KEY: emu.accessKey, BACH_SECRET_KEY: 'wrong-secret' } });
    expect(secret.code).toBe(1);
    expect(secret.stdout).toContain(`fail  ${emu.url} rejected the keys (1100 `);
    expect(secret.stdout).not.toContain('wrong-secret');
    const address = await runCli(['doctor', '--base-url', 'http://127.0.0.1:9/api/vdr'], { cwd: root, env: { BACH_ACCESS_KEY: 'a', BACH_SECRET_KEY: 'b' } });
    expect(address.code).toBe(1);
    expect(address.stdout).toContain('fail  http://127.0.0.1:9/api/vdr could not be reached: connection refused (ECONNREFUSED)');
    const none = await runCli(['doctor'], { cwd: root, env: { BACH_BASE_URL: emu.url } });
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('fail  BACH_ACCESS_KEY and BACH_SECRET_KEY are not set');
    expect(emu.stats().submissions.total).toBe(0);
  });
});
