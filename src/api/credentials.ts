import { BachError } from '../errors.js';
import { DEFAULT_BASE_URL } from '../contract/capabilities.js';

// The client's secrets and address, checked before any work starts: the keys from the environment
// (with the project's .env underneath it), the address from --base-url or the process environment
// only — project/resolve-build-settings.ts decides which values reach these functions, so that a
// file a branch adds cannot send signed requests elsewhere. No message here repeats a key or a URL
// that holds credentials.

export type Env = Readonly<Record<string, string | undefined>>;

export interface Credentials {
  accessKey: string;
  secretKey: string;
}

const CREDENTIAL_HINT =
  'Set them in the environment or in a .env file beside bach.yaml (keys from the Bach Developer Console), ' +
  'or try everything without an account with --emulator.';

export function readCredentials(env: Env): Credentials {
  const accessKey = env.BACH_ACCESS_KEY?.trim() ?? '';
  const secretKey = env.BACH_SECRET_KEY?.trim() ?? '';
  const missing = [accessKey ? undefined : 'BACH_ACCESS_KEY', secretKey ? undefined : 'BACH_SECRET_KEY'].filter(
    (name): name is string => name !== undefined,
  );
  if (missing.length > 0) {
    const verb = missing.length === 1 ? 'is' : 'are';
    throw new BachError('missing-credentials', `${missing.join(' and ')} ${verb} not set`, { hint: CREDENTIAL_HINT });
  }
  return { accessKey, secretKey };
}

/** --base-url, else BACH_BASE_URL, else the public API; http(s), no credentials, no trailing slash. */
export function resolveBaseUrl(flag: string | undefined, env: Env): string {
  const fromFlag = flag?.trim();
  const fromEnv = env.BACH_BASE_URL?.trim();
  if (fromFlag) return normalizeBaseUrl(fromFlag, '--base-url');
  if (fromEnv) return normalizeBaseUrl(fromEnv, 'BACH_BASE_URL');
  return DEFAULT_BASE_URL;
}

function normalizeBaseUrl(text: string, source: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BachError('invalid-base-url', `${source} is not a URL`, {
      hint: `Use the API's address, e.g. ${DEFAULT_BASE_URL}`,
    });
  }
  if (url.username || url.password) {
    throw new BachError('invalid-base-url', `${source} must not embed credentials (user:password@)`, {
      hint: 'The API keys go in BACH_ACCESS_KEY and BACH_SECRET_KEY.',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BachError('invalid-base-url', `${source} must be an http(s) URL, not ${url.protocol}`);
  }
  if (url.search || url.hash) {
    throw new BachError('invalid-base-url', `${source} must not have a query string or fragment`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
