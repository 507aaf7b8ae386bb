import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { signToken, useEmulator } from '../../helpers/emulator.js';

// Authentication, case by case (bach-api.md Part 1: 1101 / 1100 / 1102 / 1103), then per-key rate
// limiting, before the route is even looked at.

const KEYS = [
  { accessKey: 'test-access-one', secretKey: 'test-secret-one' },
  { accessKey: 'test-access-two', secretKey: 'test-secret-two' },
];

describe('authentication', () => {
  it('accepts a token made the seed way (HS256, nbf now-5 s, exp in 10 days), for every configured key', async () => {
    const emu = await useEmulator({ keys: KEYS });
    for (const key of KEYS) {
      const token = await signToken({ ...key });
      const answer = await emu.call('GET', '/status/unknown-task', { auth: `Bearer ${token}` });
      expect(answer.status).toBe(404); // authenticated: the route answered
      expect(answer.json).toEqual({ code: 1200, message: 'Resource not found', data: null });
    }
  });

  const cases: [string, (emu: Awaited<ReturnType<typeof useEmulator>>) => Promise<string | null>, number, string][] = [
    ['no Authorization header', async () => null, 1101, 'Authorization header missing'],
    ['an empty Authorization header', async () => '', 1101, 'Authorization header missing'],
    ['a token without "Bearer "', async (emu) => emu.token(), 1100, 'Authentication failed'],
    ['"bearer" in lower case', async (emu) => `bearer ${await emu.token()}`, 1100, 'Authentication failed'],
    ['two spaces after Bearer', async (emu) => `Bearer  ${await emu.token()}`, 1100, 'Authentication failed'],
    ['Bearer alone', async () => 'Bearer', 1100, 'Authentication failed'],
    ['a malformed token', async () => 'Bearer not.a.jwt', 1100, 'Authentication failed'],
    ['a token of another algorithm (HS512)', async (emu) => `Bearer ${await emu.token({ alg: 'HS512' })}`, 1100, 'Authentication failed'],
    ['an unsigned token (alg none)', async () => `Bearer ${unsignedToken()}`, 1100, 'Authentication failed'],
    ['an unknown issuer', async (emu) => `Bearer ${await emu.token({ accessKey: 'someone-else' })}`, 1100, 'Authentication failed'],
    ['a wrong secret', async (emu) => `Bearer ${await emu.token({ secretKey: 'not-the-secret' })}`, 1100, 'Authentication failed'],
    ['a token without iss', async (emu) => `Bearer ${await new SignJWT({ exp: Math.floor(Date.now() / 1000) + 60 }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(emu.secretKey))}`, 1100, 'Authentication failed'],
    ['a token not valid yet (nbf + 60 s)', async (emu) => `Bearer ${await emu.token({ nbf: 60 })}`, 1102, 'Token not yet valid'],
    ['an expired token (exp − 1 s)', async (emu) => `Bearer ${await emu.token({ nbf: -100, exp: -1 })}`, 1103, 'Token expired'],
    ['a token both not yet valid and expired (nbf is checked first)', async (emu) => `Bearer ${await emu.token({ nbf: 60, exp: -1 })}`, 1102, 'Token not yet valid'],
    ['an expired token with a bad signature (the signature is checked first)', async (emu) => `Bearer ${await emu.token({ exp: -1, secretKey: 'wrong' })}`, 1100, 'Authentication failed'],
  ];

  it.each(cases)('%s → 401', async (_name, header, code, message) => {
    const emu = await useEmulator();
    const auth = await header(emu);
    for (const path of ['/status/some-task', '/videos/text2video', '/no/such/route']) {
      const answer = await emu.call(path === '/videos/text2video' ? 'POST' : 'GET', path, { auth, body: path === '/videos/text2video' ? {} : undefined });
      expect(answer.status, path).toBe(401);
      expect(answer.json, path).toEqual({ code, message, data: null });
    }
  });

  it('answers an authenticated request to an unknown route with 404/1200, and anything outside the API too', async () => {
    const emu = await useEmulator();
    expect((await emu.call('GET', '/videos/text2video2/abc')).json?.code).toBe(1200);
    expect((await emu.call('DELETE', '/status/abc')).json?.code).toBe(1200);
    const outside = await fetch(`${emu.origin}/api/other`);
    expect(outside.status).toBe(404);
    expect(await outside.json()).toEqual({ code: 1200, message: 'Resource not found', data: null });
  });
});

describe('rate limiting', () => {
  it('answers 429/1800 with Retry-After once a key has used its burst; other keys are not affected', async () => {
    const emu = await useEmulator({ keys: KEYS, rateLimit: { requestsPerSecond: 0.5, burst: 2 } });
    const [one, two] = await Promise.all(KEYS.map((key) => signToken(key)));
    const get = (token: string) => emu.call('GET', '/status/x', { auth: `Bearer ${token}` });
    expect((await get(one!)).status).toBe(404);
    expect((await get(one!)).status).toBe(404);
    const limited = await get(one!);
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ code: 1800, message: 'Rate limit exceeded', data: null });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await get(two!)).status).toBe(404);
    expect(emu.stats().rateLimited).toBe(1);
    expect(emu.stats().requests.byStatus).toMatchObject({ '404': 3, '429': 1 });
  });

  it('a fixed window without Retry-After: the window full, 429/1800 with no Retry-After header', async () => {
    // Windows of 10^12 ms (the next boundary is in 2033), so that the test cannot straddle one: 2 each.
    const emu = await useEmulator({ rateLimit: { requestsPerSecond: 2.5e-9, mode: 'fixed-window', windowMs: 1e12, retryAfter: false } });
    expect((await emu.call('GET', '/status/x')).status).toBe(404);
    expect((await emu.call('GET', '/status/x')).status).toBe(404);
    const limited = await emu.call('GET', '/status/x');
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ code: 1800, message: 'Rate limit exceeded', data: null });
    expect(limited.headers.get('retry-after')).toBeNull();
  });

  it('checks the token before the rate limit (a bad token is 401 even when the bucket is empty)', async () => {
    const emu = await useEmulator({ rateLimit: { requestsPerSecond: 0.1, burst: 1 } });
    await emu.call('GET', '/status/x');
    expect((await emu.call('GET', '/status/x')).status).toBe(429);
    expect((await emu.call('GET', '/status/x', { auth: null })).status).toBe(401);
  });
});

function unsignedToken(): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ iss: 'bach-emulator-access-key', nbf: now - 5, exp: now + 60 })}.`;
}
