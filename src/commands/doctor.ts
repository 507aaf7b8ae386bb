import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ApiError as ApiErrorType } from '../api/errors.js';
import { CODE } from '../contract/business-codes.js';
import { UsageError } from '../errors.js';
import type { BuildFlags } from '../project/build-settings.js';
import { resolveManifestPath } from '../state/up-to-date.js';
import type { CliContext } from '../util/cli-context.js';
import { createPalette, shouldUseColor } from '../util/palette.js';
import { quietBuildFlags } from './build-flags.js';
import { readCommandSettings } from './command-settings.js';

// `bach-render doctor [PATH]`: are the keys and the API address right, before a build finds out
// shot by shot (issue 15, item 2)? One authenticated request that creates nothing, decided: a status
// query of a task id that cannot exist (GET /videos/text2video/<nil-like UUID>). The API checks the
// token before it looks the task up, so "task not found" (1200) proves the address answers and the
// keys are accepted; 401 codes say which part of the keys or the clock is wrong; a transport
// failure names the address tried. Settings come from the same front hall as a build (the API
// address never from a file in the project; keys from the environment, then the project's .env).
// Two attempts at most: a doctor that retries for a minute is no help.

const PROBE_TASK_ID = '00000000-0000-4000-8000-000000000000';

export async function run(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseDoctorArgs(args);
  const { path, file } = resolveManifestPath(context.cwd, positionals[0]);
  const flags = doctorFlags(path, values['base-url']);
  const settings = await readCommandSettings(flags, context, file ?? join(context.cwd, 'bach.yaml'));
  const palette = createPalette(shouldUseColor(context.stdout.isTTY, context.env));
  const ok = (text: string) => context.stdout.write(`${palette.green('ok')}    ${text}\n`);
  const bad = (text: string, hint: string) => context.stdout.write(`${palette.red('fail')}  ${text}\n      ${hint}\n`);
  if (settings.api.kind !== 'api') return 0; // unreachable: doctor never asks for the emulator
  const { baseUrl } = settings.api;
  if (!settings.credentials) {
    bad(settings.credentialsError?.message ?? 'no keys', settings.credentialsError?.hint ?? 'Set BACH_ACCESS_KEY and BACH_SECRET_KEY.');
    return 1;
  }
  // Never a character of either key: the access key is half of the credentials.
  ok('keys found (BACH_ACCESS_KEY and BACH_SECRET_KEY)');
  const [{ createApiClient }, { ApiError }] = await Promise.all([import('../api/client.js'), import('../api/errors.js')]);
  const api = createApiClient({ baseUrl, credentials: settings.credentials, retry: { maxAttempts: 2, baseDelayMs: 200 } });
  try {
    await api.getTask('text-to-video', PROBE_TASK_ID, { signal: context.interrupt });
    ok(`${baseUrl} answered and accepted the keys`);
    return 0;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return report(error, baseUrl, ok, bad);
  } finally {
    await api.close();
  }
}

function report(error: ApiErrorType, baseUrl: string, ok: (text: string) => void, bad: (text: string, hint: string) => void): number {
  if (error.code === CODE.notFound) {
    ok(`${baseUrl} answered and accepted the keys (a status query of a task that does not exist; nothing was created)`);
    return 0;
  }
  if (error.code === CODE.authFailed || error.code === CODE.authMissing) {
    bad(`${baseUrl} rejected the keys (${error.code} ${error.message})`, 'Check BACH_ACCESS_KEY and BACH_SECRET_KEY (environment, or the .env beside bach.yaml).');
  } else if (error.code === CODE.tokenNotYetValid || error.code === CODE.tokenExpired) {
    bad(`${baseUrl} rejected the token's time (${error.code} ${error.message})`, "Check this computer's clock (it must be within 5 s of the server's).");
  } else if (error.kind === 'network' || error.kind === 'timeout') {
    bad(`${baseUrl} could not be reached: ${error.message}`, 'Check the network, and BACH_BASE_URL or --base-url.');
  } else {
    bad(`${baseUrl} answered unexpectedly: ${error.message}${error.status ? ` (HTTP ${error.status})` : ''}`, 'Is this the Bach API? Check BACH_BASE_URL or --base-url.');
  }
  return 1;
}

function parseDoctorArgs(args: string[]) {
  try {
    return parseArgs({ args, options: { 'base-url': { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function doctorFlags(path: string, baseUrl: string | undefined): BuildFlags {
  return quietBuildFlags(path, { baseUrl });
}
