import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliContext } from '../util/cli-context.js';
import { applyConfigPatch, createDefaultConfig, EmulatorConfigError, type EmulatorConfig } from '../emulator/config.js';
import { startEmulator } from '../emulator/index.js';
import { FlagError, isLoopbackHost, parseEmulatorFlags } from '../emulator/parse-flags.js';
import { BachError, UsageError } from '../errors.js';

// `bach-render emulator`: serve the local Bach API until Ctrl-C. Settings: defaults < --config file
// < flags (then POST /_emulator/config at run time). Prints the base URL, the (fake, local) key pair
// and ready-to-paste `export` lines — printing these keys is intended, they unlock nothing real.
// --json prints one JSON line instead, for scripts that start the emulator as a child process.

const EXIT_INTERRUPTED = 130;

export async function run(args: string[], context: CliContext): Promise<number> {
  let flags;
  try {
    flags = parseEmulatorFlags(args);
  } catch (error) {
    if (error instanceof FlagError) throw new UsageError(error.message);
    throw error;
  }
  const config = await resolveConfig(flags.configFile, flags.patch, context.cwd);
  if (!isLoopbackHost(flags.host)) {
    context.stderr.write(
      `warning: binding ${flags.host} makes the emulator (and its published keys) reachable from other machines.\n`,
    );
  }
  const emulator = await startEmulator({
    ...config,
    port: flags.port,
    host: flags.host,
    ...(flags.verbose ? { log: (line: string) => context.stderr.write(`${line}\n`) } : {}),
  }).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new BachError('emulator-port', `port ${flags.port} is already in use`, { hint: 'Pick another with --port N (0 picks a free one).' });
    }
    throw error;
  });

  if (flags.json) {
    context.stdout.write(`${JSON.stringify({ url: emulator.url, origin: emulator.origin, accessKey: emulator.accessKey, secretKey: emulator.secretKey })}\n`);
  } else {
    context.stdout.write(formatBanner(emulator, config));
  }
  await waitForAbort(context.interrupt);
  await emulator.close();
  return EXIT_INTERRUPTED;
}

async function resolveConfig(file: string | undefined, flagPatch: object, cwd: string): Promise<EmulatorConfig> {
  let config = createDefaultConfig();
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(resolve(cwd, file), 'utf8');
    } catch (error) {
      throw new BachError('emulator-config', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new BachError('emulator-config', `${file}: not valid JSON (${(error as Error).message})`, { cause: error });
    }
    config = applyOrExplain(config, parsed, file);
  }
  return applyOrExplain(config, flagPatch, 'flags');
}

function applyOrExplain(config: EmulatorConfig, patch: unknown, source: string): EmulatorConfig {
  try {
    return applyConfigPatch(config, patch, source);
  } catch (error) {
    if (error instanceof EmulatorConfigError) {
      throw new BachError('emulator-config', error.message, { hint: 'See docs/emulator.md for every setting and its range.' });
    }
    throw error;
  }
}

function formatBanner(emulator: { url: string; origin: string; accessKey: string; secretKey: string }, config: EmulatorConfig): string {
  const exports = `export BACH_BASE_URL=${shellQuote(emulator.url)} BACH_ACCESS_KEY=${shellQuote(emulator.accessKey)} BACH_SECRET_KEY=${shellQuote(emulator.secretKey)}`;
  const faults = Object.entries(config.faults).filter(([key, value]) => key !== 'seed' && key !== 'cdn' && value !== 0);
  return [
    `Bach API emulator listening on ${emulator.url}`,
    '',
    `  Access key: ${emulator.accessKey}`,
    `  Secret key: ${emulator.secretKey}`,
    '',
    'Use it from a shell (a local fake key pair, safe to print):',
    `  ${exports}`,
    '',
    `Admin: GET ${emulator.origin}/_emulator/stats · POST ${emulator.origin}/_emulator/reset · GET|POST ${emulator.origin}/_emulator/config`,
    `Tasks take ${config.processingMs} ms${config.processingSpread > 0 ? ` ± ${Math.round(config.processingSpread * 100)}%` : ''}, ${config.concurrencyPerKey} at once per key${faults.length > 0 ? `; faults: ${faults.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(', ')} (seed ${JSON.stringify(config.faults.seed)})` : ''}.`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
