import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenSigner } from '../../../src/api/auth.js';

const secret = 'sk-test-secret-0123456789';
const key = new TextEncoder().encode(secret);

describe('createTokenSigner', () => {
  it('signs HS256 {iss, nbf: now-5, exp: now+15min} with the typ header', async () => {
    const now = 1_700_000_000_000;
    const signer = createTokenSigner({ accessKey: 'ak-1', secretKey: secret, now: () => now });
    const token = await signer.getToken();
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decodeJwt(token)).toEqual({ iss: 'ak-1', nbf: 1_700_000_000 - 5, exp: 1_700_000_000 + 900 });
    const { payload } = await jwtVerify(token, key, { currentDate: new Date(now), algorithms: ['HS256'] });
    expect(payload.iss).toBe('ak-1');
  });

  it('reuses the token until under a minute is left, then re-signs', async () => {
    let now = 1_700_000_000_000;
    const signer = createTokenSigner({ accessKey: 'ak', secretKey: secret, now: () => now });
    const first = await signer.getToken();
    now += 13 * 60_000;
    expect(await signer.getToken()).toBe(first);
    now += 60_000 + 1000; // 59 s left
    const second = await signer.getToken();
    expect(second).not.toBe(first);
    expect(decodeJwt(second).exp).toBe(Math.floor(now / 1000) + 900);
  });

  it('re-signs after invalidate() and shares one signing between concurrent callers', async () => {
    let now = 1_700_000_000_000;
    const signer = createTokenSigner({ accessKey: 'ak', secretKey: secret, now: () => now, ttlSeconds: 120 });
    const [a, b] = await Promise.all([signer.getToken(), signer.getToken()]);
    expect(a).toBe(b);
    expect(signer.currentToken()).toBe(a);
    now += 1000;
    signer.invalidate();
    const c = await signer.getToken();
    expect(c).not.toBe(a);
    expect(decodeJwt(c).exp).toBe(Math.floor(now / 1000) + 120);
  });

  it('dates tokens by the server clock once told (a clock 6 s fast would put nbf past the 5 s grace)', async () => {
    const server = 1_700_000_000_000;
    const local = server + 6_000;
    const signer = createTokenSigner({ accessKey: 'ak', secretKey: secret, now: () => local });
    const early = await signer.getToken();
    expect(decodeJwt(early).nbf).toBe(1_700_000_000 + 6 - 5);
    expect(signer.followServerClock(server)).toEqual({ aheadMs: 6_000, shiftMs: -6_000 });
    const corrected = await signer.getToken();
    expect(corrected).not.toBe(early);
    expect(decodeJwt(corrected)).toMatchObject({ nbf: 1_700_000_000 - 5, exp: 1_700_000_000 + 900 });
    await jwtVerify(corrected, key, { currentDate: new Date(server), algorithms: ['HS256'] });
  });
});
