import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// The CLI runs from dist/bundle/ (scripts/bundle-cli.ts; npm test builds first). Modules that find
// files relative to themselves must still find them from their original place in dist/: every
// `import.meta.url` in the bundle is the original module's URL, and that module exists.

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const BUNDLE = join(DIST, 'bundle');

describe('the bundled CLI', () => {
  it('is what dist/cli.js (the bin) runs', () => {
    expect(readFileSync(join(DIST, 'cli.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n[^]*import '\.\/bundle\/cli\.js';\n$/);
    expect(readFileSync(join(BUNDLE, 'cli.js'), 'utf8')).toContain('runCli(process.argv.slice(2)');
  });

  it('is what the submitter process runs (spawn-submitter forks dist/submitter/child.js)', () => {
    expect(readFileSync(join(DIST, 'submitter/child.js'), 'utf8')).toMatch(/import '\.\.\/bundle\/child\.js';\n$/);
    expect(readFileSync(join(BUNDLE, 'child.js'), 'utf8')).toContain("send({ type: \"hello\" })");
  });

  it('loads undici from its one-file bundle (scripts/bundle-packages.ts)', async () => {
    const { loadUndici } = (await import(pathToFileURL(join(DIST, 'api/undici.js')).href)) as { loadUndici: () => Promise<unknown> };
    expect(await loadUndici()).toBe(createRequire(join(DIST, 'api/'))('./undici.bundle.cjs'));
  });

  it('asks every module that looks for files beside itself where it was, not where its chunk is', () => {
    const uses: string[] = [];
    for (const name of readdirSync(BUNDLE).filter((n) => n.endsWith('.js'))) {
      const text = readFileSync(join(BUNDLE, name), 'utf8');
      const all = text.match(/import\.meta\.url/g)?.length ?? 0;
      const rewritten = [...text.matchAll(/new URL\("(\.\.\/[\w/.-]+\.js)", import\.meta\.url\)\.href/g)].map((m) => m[1]!);
      expect(rewritten.length, `${name}: every import.meta.url is an original module's URL`).toBe(all);
      uses.push(...rewritten);
    }
    for (const path of uses) expect(existsSync(join(BUNDLE, path)), path).toBe(true);
    expect(uses).toEqual(expect.arrayContaining(['../version.js', '../manifest/schema-file.js', '../submitter/spawn-submitter.js', '../manifest/yaml-lib.js', '../api/undici.js']));
  });
});
