import { readFileSync } from 'node:fs';
import { FINGERPRINT_SCHEME } from './plan/fingerprint-scheme.js';

// The package version, read once from package.json (beside dist/ and src/ alike).
let cached: string | undefined;

export function readVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}

/** What an up-to-date snapshot is valid for: this version and its fingerprint scheme. */
export function snapshotVersion(): string {
  return `${readVersion()}+fp${FINGERPRINT_SCHEME}`;
}
