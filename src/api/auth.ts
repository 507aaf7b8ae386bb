import { SignJWT } from 'jose';

// Bearer tokens for the Bach API (bach-api.md Part 1, "Authentication"): HS256, header
// {alg:'HS256', typ:'JWT'}, payload {iss: accessKey, nbf: now-5, exp: now+ttl}, signed with the secret
// key's UTF-8 bytes. The seed's sample lives 10 days; we sign for minutes and re-sign when under a
// minute is left, so a leaked token is worth little and no request leaves with one about to expire.
// The token and the secret stay inside this closure: nothing here logs, and errors from jose are
// replaced by one that names neither.

export interface TokenSignerOptions {
  accessKey: string;
  secretKey: string;
  /** Milliseconds since the epoch. Default Date.now. */
  now?: () => number;
  /** Lifetime of a token. Default 15 minutes. */
  ttlSeconds?: number;
  /** Re-sign when less than this is left. Default 60 s. */
  renewBeforeSeconds?: number;
}

export interface TokenSigner {
  /** A valid token (cached; re-signed when close to expiry or after invalidate()). */
  getToken(): Promise<string>;
  /** Drops the cached token: the next getToken() signs a new one (after a 1103 "token expired"). */
  invalidate(): void;
  /** The current token, if any, for scrubbing texts that must not contain it. */
  currentToken(): string | undefined;
}

export const DEFAULT_TOKEN_TTL_SECONDS = 15 * 60;
export const NOT_BEFORE_GRACE_SECONDS = 5;

export function createTokenSigner(options: TokenSignerOptions): TokenSigner {
  const now = options.now ?? Date.now;
  const ttl = options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  const renewBefore = Math.min(options.renewBeforeSeconds ?? 60, Math.floor(ttl / 2));
  const key = new TextEncoder().encode(options.secretKey);
  let cached: { token: string; exp: number } | undefined;
  let pending: Promise<string> | undefined;

  async function sign(): Promise<string> {
    const issued = Math.floor(now() / 1000);
    const exp = issued + ttl;
    try {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(options.accessKey)
        .setNotBefore(issued - NOT_BEFORE_GRACE_SECONDS)
        .setExpirationTime(exp)
        .sign(key);
      cached = { token, exp };
      return token;
    } catch {
      // jose's messages do not hold the key, but a wrapped cause could reach a log: keep none.
      throw new Error('could not sign an API token from BACH_ACCESS_KEY/BACH_SECRET_KEY');
    }
  }

  return {
    getToken() {
      const seconds = Math.floor(now() / 1000);
      if (cached && cached.exp - seconds > renewBefore) return Promise.resolve(cached.token);
      // Concurrent callers share one signing.
      pending ??= sign().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
    currentToken() {
      return cached?.token;
    },
  };
}
