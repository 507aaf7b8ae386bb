// The API's business codes (bach-api.md Part 1, "Response codes"): one table for the client, the
// executor and the emulator, so a code is named where it is used and never written as a bare number.

/** Each code by what it means. */
export const CODE = {
  success: 200,
  invalidParameter: 1000,
  sensitiveContent: 1001,
  authFailed: 1100,
  authMissing: 1101,
  tokenNotYetValid: 1102,
  tokenExpired: 1103,
  notFound: 1200,
  batchNotFound: 1203,
  durationNotInPlan: 1300,
  resolutionNotInPlan: 1301,
  insufficientCredits: 1302,
  rateLimited: 1800,
  internalError: 5000,
} as const;

export type BusinessCode = (typeof CODE)[keyof typeof CODE];

/** HTTP status and message of each business code; 1000's message is always the specific rule's. */
export const BUSINESS_CODES: Readonly<Record<BusinessCode, { http: number; message: string }>> = {
  [CODE.success]: { http: 200, message: 'Success' },
  [CODE.invalidParameter]: { http: 400, message: 'Invalid parameter' },
  [CODE.sensitiveContent]: { http: 400, message: 'Sensitive content detected' },
  [CODE.authFailed]: { http: 401, message: 'Authentication failed' },
  [CODE.authMissing]: { http: 401, message: 'Authorization header missing' },
  [CODE.tokenNotYetValid]: { http: 401, message: 'Token not yet valid' },
  [CODE.tokenExpired]: { http: 401, message: 'Token expired' },
  [CODE.notFound]: { http: 404, message: 'Resource not found' },
  [CODE.batchNotFound]: { http: 404, message: 'Batch ID not found or expired' },
  [CODE.durationNotInPlan]: { http: 403, message: 'Duration not supported by plan' },
  [CODE.resolutionNotInPlan]: { http: 403, message: 'Resolution not supported by plan' },
  [CODE.insufficientCredits]: { http: 403, message: 'Insufficient credits' },
  [CODE.rateLimited]: { http: 429, message: 'Rate limit exceeded' },
  [CODE.internalError]: { http: 500, message: 'Internal server error' },
};
