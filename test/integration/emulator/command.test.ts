import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../../src/util/cli-context.js';
import { run } from '../../../src/commands/emulator.js';
import { isLoopbackHost } from '../../../src/emulator/parse-flags.js';
import { BachError, UsageError } from '../../../src/errors.js';
import { signToken, textToVideoBody } from '../../helpers/emulator.js';
import { testdir } from '../../helpers/testdir.js';

// `bach-render emulator` run in-process with its own streams and interrupt signal.

function createContext(cwd: string) {
  const controller = new AbortController();
  let stdout = '';
  let stderr = '';
  const context: CliContext = {
    cwd,
    env: {},
    stdout: { write: (text) => void (stdout += text), isTTY: false },
    stderr: { write: (text) => void (stderr += text), isTTY: false },
    interrupt: controller.signal,
  };
  return { context, stop: () => controller.abort(), stdout: () => stdout, stderr: () => stderr };
}

async function waitFor<T>(read: () => T | undefined): Promise<T> {
  for (let i = 0; i < 500; i += 1) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('timed out waiting for the emulator to start');
}

describe('bach-render emulator', () => {
  it('prints the base URL, the key pair and export lines, serves the API, and stops on interrupt with 130', async () => {
    const cli = createContext(await testdir());
    const exit = run(['--port', '0', '--processing-ms', '20'], cli.context);
    const banner = await waitFor(() => (cli.stdout().includes('Ctrl-C') ? cli.stdout() : undefined));
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+\/api\/vdr)/.exec(banner)![1]!;
    expect(banner).toContain('Access key: bach-emulator-access-key');
    expect(banner).toContain('Secret key: bach-emulator-secret-key');
    expect(banner).toContain(`export BACH_BASE_URL=${url} BACH_ACCESS_KEY=bach-emulator-access-key BACH_SECRET_KEY=bach-emulator-secret-key`);
    expect(banner).toContain('Tasks take 20 ms, 4 at once per key.');

    const token = await signToken({ accessKey: 'bach-emulator-access-key', secretKey: 'bach-emulator-secret-key' });
    const created = await fetch(`${url}/videos/text2video`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(textToVideoBody()),
    });
    expect(((await created.json()) as { code: number }).code).toBe(200);

    cli.stop();
    expect(await exit).toBe(130);
    await expect(fetch(`${url}/status/x`)).rejects.toThrow();
  });

  it('layers defaults < --config file < flags, and prints one JSON line with --json', async () => {
    const dir = await testdir();
    await writeFile(join(dir, 'emu.json'), JSON.stringify({ processingMs: 5, concurrencyPerKey: 9, faults: { seed: 'file', drop: 0.25 } }));
    const cli = createContext(dir);
    const exit = run(['--port', '0', '--json', '--config', 'emu.json', '--concurrency-per-key', '3', '--fault-5xx', '0.5'], cli.context);
    const line = await waitFor(() => (cli.stdout().endsWith('\n') ? cli.stdout() : undefined));
    const info = JSON.parse(line) as { url: string; origin: string; accessKey: string; secretKey: string };
    expect(info).toEqual({ url: `${info.origin}/api/vdr`, origin: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), accessKey: 'bach-emulator-access-key', secretKey: 'bach-emulator-secret-key' });
    const config = (await (await fetch(`${info.origin}/_emulator/config`)).json()) as Record<string, any>;
    expect(config).toMatchObject({ processingMs: 5, concurrencyPerKey: 3, faults: { seed: 'file', drop: 0.25, error5xx: 0.5 } });
    cli.stop();
    expect(await exit).toBe(130);
  });

  it('explains a bad config file or flag before starting', async () => {
    const dir = await testdir({ 'bad.json': '{"faults": {"drop": 3}}', 'broken.json': '{ nope' });
    const bad = run(['--config', 'bad.json'], createContext(dir).context);
    await expect(bad).rejects.toThrow(BachError);
    await expect(bad).rejects.toThrow('bad.json.faults.drop: must be a probability between 0 and 1, got 3');
    await expect(run(['--config', 'broken.json'], createContext(dir).context)).rejects.toThrow(/broken\.json: not valid JSON/);
    await expect(run(['--config', 'missing.json'], createContext(dir).context)).rejects.toThrow(/cannot read missing\.json/);
    await expect(run(['--fault-drop', '2', '--port', '0'], createContext(dir).context)).rejects.toThrow('flags.faults.drop: must be a probability between 0 and 1, got 2');
    await expect(run(['--bogus'], createContext(dir).context)).rejects.toThrow(UsageError);
  });

  it('knows which hosts are loopback (others get a warning)', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '192.168.1.10', '::', 'example.com']) expect(isLoopbackHost(host), host).toBe(false);
  });
});
