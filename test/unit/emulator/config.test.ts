import { describe, expect, it } from 'vitest';
import { applyConfigPatch, createDefaultConfig, EmulatorConfigError } from '../../../src/emulator/config.js';
import { parseEmulatorFlags } from '../../../src/emulator/parse-flags.js';

describe('applyConfigPatch', () => {
  it('replaces top-level keys and merges faults and plan one level deep', () => {
    const base = applyConfigPatch(createDefaultConfig(), { faults: { seed: 9, drop: 0.1 }, plan: { maxDuration: 4 } });
    const next = applyConfigPatch(base, { faults: { error5xx: 0.2 }, plan: { resolutions: ['720p'] }, processingMs: 10, credits: null });
    expect(next.faults).toMatchObject({ seed: 9, drop: 0.1, error5xx: 0.2 });
    expect(next.plan).toEqual({ maxDuration: 4, resolutions: ['720p'] });
    expect(next.processingMs).toBe(10);
    expect(base.processingMs).toBe(2000); // the base is not modified
  });

  it.each([
    [{ processingMs: -1 }, 'config.processingMs: must be at least 0, got -1'],
    [{ concurrencyPerKey: 0 }, 'config.concurrencyPerKey: must be at least 1, got 0'],
    [{ faults: { drop: 1.5 } }, 'config.faults.drop: must be a probability between 0 and 1, got 1.5'],
    [{ faults: { dorp: 0.1 } }, 'config.faults.dorp: unknown fault'],
    [{ faults: { latencyMs: [50, 10] } }, 'config.faults.latencyMs: max (10) is less than min (50)'],
    [{ plan: { resolutions: ['4k'] } }, 'config.plan.resolutions: "4k" is not one of 720p, 1080p'],
    [{ keys: [] }, 'config.keys: must be a non-empty list'],
    [{ keys: [{ accessKey: 'a' }] }, 'config.keys[0].secretKey: must be a non-empty string'],
    [{ rateLimit: { requestsPerSecond: 0 } }, 'config.rateLimit.requestsPerSecond: must be greater than 0'],
    [{ rateLimit: { requestsPerSecond: 2, mode: 'sliding' } }, 'config.rateLimit.mode: must be "token-bucket" or "fixed-window"'],
    [{ rateLimit: { requestsPerSecond: 2, retryAfter: 'no' } }, 'config.rateLimit.retryAfter: must be true or false'],
    [{ rateLimit: { mode: 'fixed-window' } }, 'config.rateLimit.requestsPerSecond: must be a number'], // --rate-limit-mode alone
    [{ processingMS: 5 }, 'config.processingMS: unknown setting'],
    [{ processingSpread: 1.5 }, 'config.processingSpread: must be a fraction between 0 and 1, got 1.5'],
    [{ processingSpread: -0.1 }, 'config.processingSpread: must be at least 0, got -0.1'],
    [{ timingSeed: null }, 'config.timingSeed: must be a number or a string'],
    [[], 'config: must be a JSON object'],
  ])('refuses %j', (patch, message) => {
    expect(() => applyConfigPatch(createDefaultConfig(), patch)).toThrow(EmulatorConfigError);
    expect(() => applyConfigPatch(createDefaultConfig(), patch)).toThrow(message);
  });
});

describe('parseEmulatorFlags', () => {
  it('maps flags to a configuration patch', () => {
    const flags = parseEmulatorFlags([
      '--port', '0', '--host', '127.0.0.2', '--config', 'emu.json', '--processing-ms', '100', '--concurrency-per-key', '2',
      '--rate-limit', '5:10', '--credits', '60', '--plan-max-duration', '4', '--plan-resolutions', '720p',
      '--sensitive-word', 'gore', '--sensitive-word', 'spoiler', '--result-ttl-ms', '1000', '--fault-seed', 'ci-7',
      '--fault-5xx', '0.1', '--fault-drop-after-create', '0.2', '--fault-latency', '10-50', '--fault-cdn', '--json',
      '--processing-spread', '0.3', '--timing-seed', 'bench-1', '--rate-limit-mode', 'fixed-window', '--rate-limit-no-retry-after',
    ]);
    expect(flags).toMatchObject({ port: 0, host: '127.0.0.2', configFile: 'emu.json', json: true, verbose: false });
    expect(flags.patch).toEqual({
      processingMs: 100,
      processingSpread: 0.3,
      timingSeed: 'bench-1',
      concurrencyPerKey: 2,
      rateLimit: { requestsPerSecond: 5, burst: 10, mode: 'fixed-window', retryAfter: false },
      credits: 60,
      plan: { maxDuration: 4, resolutions: ['720p'] },
      sensitiveWords: ['gore', 'spoiler'],
      resultTtlMs: 1000,
      faults: { seed: 'ci-7', error5xx: 0.1, dropAfterCreate: 0.2, latencyMs: [10, 50], cdn: true },
    });
  });

  it('defaults to 127.0.0.1:8787 and refuses unknown flags and bad numbers', () => {
    expect(parseEmulatorFlags([])).toMatchObject({ port: 8787, host: '127.0.0.1', patch: {} });
    expect(() => parseEmulatorFlags(['--prot', '1'])).toThrow(/Unknown option '--prot'/);
    expect(() => parseEmulatorFlags(['--processing-ms', 'fast'])).toThrow('--processing-ms: expected a number, got "fast"');
    expect(() => parseEmulatorFlags(['--port', '70000'])).toThrow('--port: must be a whole number from 0 to 65535');
    expect(parseEmulatorFlags(['--timing-seed', '42']).patch).toEqual({ timingSeed: 42 });
  });
});
