import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { EmulatorKey } from './config.js';
import { CODE } from '../contract/business-codes.js';

// JWT verification as the seed describes it (HS256, iss = AccessKey, signed with the SecretKey as
// UTF-8), with the codes in a fixed order:
//   no / empty Authorization header                                   → 1101
//   not exactly `Bearer <token>` (one space), malformed token, alg other
//   than HS256, unknown or missing `iss`, bad signature, non-numeric
//   nbf/exp                                                            → 1100
//   nbf in the future                                                  → 1102
//   exp in the past                                                    → 1103
// No clock tolerance: the seed's tokens already carry a 5 s grace in nbf. A token without exp is
// accepted (the seed always sets one; refusing it would be a rule no source states).

export type AuthResult =
  | { ok: true; accessKey: string }
  | { ok: false; code: typeof CODE.authFailed | typeof CODE.authMissing | typeof CODE.tokenNotYetValid | typeof CODE.tokenExpired };

const BEARER = /^Bearer ([^ ]+)$/;

export async function verifyAuthorization(
  header: string | undefined,
  keys: readonly EmulatorKey[],
  now: Date = new Date(),
): Promise<AuthResult> {
  if (header === undefined || header === '') return { ok: false, code: CODE.authMissing };
  const match = BEARER.exec(header);
  if (!match) return { ok: false, code: CODE.authFailed };
  const token = match[1]!;

  let issuer: unknown;
  try {
    if (decodeProtectedHeader(token).alg !== 'HS256') return { ok: false, code: CODE.authFailed };
    issuer = decodeJwt(token).iss;
  } catch {
    return { ok: false, code: CODE.authFailed };
  }
  const key = keys.find((candidate) => candidate.accessKey === issuer);
  if (!key) return { ok: false, code: CODE.authFailed };

  try {
    await jwtVerify(token, new TextEncoder().encode(key.secretKey), { algorithms: ['HS256'], currentDate: now });
    return { ok: true, accessKey: key.accessKey };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, code: CODE.tokenExpired };
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf' && error.reason === 'check_failed') {
      return { ok: false, code: CODE.tokenNotYetValid };
    }
    return { ok: false, code: CODE.authFailed };
  }
}
