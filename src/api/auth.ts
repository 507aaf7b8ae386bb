import { createHmac } from 'node:crypto';

// Bearer tokens for the Bach API (bach-api.md Part 1, "Authentication"): HS256, header
// {alg:'HS256', typ:'JWT'}, payload {iss: accessKey, nbf: now-5, exp: now+ttl}, signed with the secret
// key's UTF-8 bytes. The seed's sample lives 10 days; we sign for minutes and re-sign when under a
// minute is left, so a leaked token is worth little and no request leaves with one about to expire.
// The token and the secret stay inside this closure: nothing here logs, and any error is replaced by
// one that names neither.
//
// Signed with node:crypto's HMAC, not jose (which the emulator still uses to verify, and the tests to
// check these tokens): an HS256 JWT is two base64url JSON texts and one HMAC, and importing jose cost
// ~40 ms in every process that sends — the build and its submitter — right on the way to the first
// create request (issue 14 item 4a).
//
// Token times follow the server's clock once it is known to differ from ours (followServerClock,
// after a 1102 "token not valid yet"): a clock a few seconds fast would otherwise put `nbf` past the
// 5 s grace, and every request would fail.

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
  /**
   * Dates tokens by the server's clock from now on: `serverTimeMs` is its time (a Date header) as of
   * this moment. Returns how far this clock is ahead of it (ms; negative when behind) and how much the
   * tokens' times moved. Drops the cached token.
   */
  followServerClock(serverTimeMs: number): { aheadMs: number; shiftMs: number };
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
  /** Added to this clock to get the server's (0 until the server says otherwise). */
  let offsetMs = 0;
  /** Bumped by followServerClock: a token being signed by the old clock must not be cached. */
  let clockGeneration = 0;
  const nowSeconds = () => Math.floor((now() + offsetMs) / 1000);

  async function sign(): Promise<string> {
    const generation = clockGeneration;
    const issued = nowSeconds();
    const exp = issued + ttl;
    try {
      const token = signHs256({ iss: options.accessKey, nbf: issued - NOT_BEFORE_GRACE_SECONDS, exp }, key);
      if (generation === clockGeneration) cached = { token, exp };
      return token;
    } catch {
      // Node's messages do not hold the key, but a wrapped cause could reach a log: keep none.
      throw new Error('could not sign an API token from BACH_ACCESS_KEY/BACH_SECRET_KEY');
    }
  }

  return {
    getToken() {
      const seconds = nowSeconds();
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
    followServerClock(serverTimeMs) {
      // A Date header has whole seconds, so the server's clock is up to a second later than it says:
      // erring early keeps `nbf` inside the grace, and costs at most a second of the token's life.
      const previous = offsetMs;
      offsetMs = serverTimeMs - now();
      cached = undefined;
      pending = undefined;
      clockGeneration += 1;
      return { aheadMs: -offsetMs, shiftMs: offsetMs - previous };
    },
  };
}

/** A compact JWS: base64url(header).base64url(claims).base64url(HMAC-SHA256 of the two), header first as jose writes it. */
function signHs256(claims: { iss: string; nbf: number; exp: number }, key: Uint8Array): string {
  const signingInput = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${createHmac('sha256', key).update(signingInput).digest('base64url')}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
