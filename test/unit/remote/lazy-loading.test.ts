import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The team cache must not slow down a run that does not use it, and an s3:// remote must not be paid
// for by a folder remote: the S3 client (undici's agent here, aws4fetch) is reachable from the
// modules the rest of bach-render imports only through a dynamic import(). This follows the static
// imports (not `import type`, not `await import(...)`) of the source.

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src');

function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'([^']+)';/gms)) found.push(match[1]!);
  for (const match of text.matchAll(/^import\s+'([^']+)';/gm)) found.push(match[1]!);
  return found;
}

function reachablePackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!specifier.startsWith('node:')) packages.add(specifier);
    }
  };
  visit(join(SRC, entry));
  return packages;
}

describe('what the team cache loads', () => {
  it('settings resolution is pure and light: no package at all', () => {
    expect([...reachablePackages('remote/remote-settings.ts')]).toEqual([]);
  });

  it('opening a team cache loads neither undici nor aws4fetch (the S3 backend is imported when an s3:// remote is opened)', () => {
    const packages = reachablePackages('remote/open-team-cache.ts');
    expect(packages.has('aws4fetch')).toBe(false);
    expect(packages.has('undici')).toBe(false);
    expect(readFileSync(join(SRC, 'remote/open-team-cache.ts'), 'utf8')).toContain("await import('./s3-backend.js')");
  });

  it('nothing outside src/remote imports it yet statically (the integration must keep it lazy)', () => {
    expect(reachablePackages('cli.ts').has('aws4fetch')).toBe(false);
  });
});
