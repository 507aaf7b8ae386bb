// Bump FINGERPRINT_SCHEME only with a migration (contract/fingerprint.ts, rule 4): a new scheme makes
// every locked shot look changed.
// Its own module so that the no-op fast path can read it without loading the fingerprint code.
export const FINGERPRINT_SCHEME = 1;
