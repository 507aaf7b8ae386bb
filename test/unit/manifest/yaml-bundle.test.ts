import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as packaged from 'yaml';
import type * as Yaml from 'yaml';

// The build ships the yaml package bundled into one file (scripts/bundle-packages.ts, loaded by
// src/manifest/yaml-lib.ts); the unit tests, run from src/, use the package. Both must read every
// manifest alike: same values, same errors at the same places, and nodes one copy made must pass the
// other's type checks (the locator gets documents from the parser, whichever copy each loaded).

const out = join(mkdtempSync(join(tmpdir(), 'yaml-bundle-')), 'yaml.bundle.cjs');
buildSync({ entryPoints: [createRequire(import.meta.url).resolve('yaml')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: out, logLevel: 'silent' });
const bundled = createRequire(import.meta.url)(out) as typeof Yaml;

const samples = [
  'version: 1\nshots:\n  - { id: a, mode: text-to-video, prompt: "waves", seed: 1 }\n',
  'defaults: &d { resolution: 720p }\nshots:\n  - <<: *d\n    id: b\n',
  'shots:\n  - id: a\n    prompt: "unclosed\n',
  'a: 1\na: 2\n',
  'prompt: Title: a sunset\n',
  'x: [1, 2\n',
];

function describeDoc(lib: typeof Yaml, text: string) {
  const lineCounter = new lib.LineCounter();
  const doc = lib.parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  return {
    value: doc.errors.length === 0 ? doc.toJS() : undefined,
    errors: doc.errors.map((e) => [e.code, e.pos, lineCounter.linePos(e.pos[0])]),
    warnings: doc.warnings.map((w) => [w.code, w.pos]),
    tokens: [...new lib.Parser().parse(text)].map((t) => t.type),
  };
}

describe('the bundled yaml', () => {
  it.each(samples)('reads %j as the package does', (text) => {
    expect(describeDoc(bundled, text)).toEqual(describeDoc(packaged, text));
  });

  it("recognises the package's nodes, and the package its nodes", () => {
    const fromBundle = bundled.parseDocument('a: [1, *x]\nb: &x 2\n').contents;
    const fromPackage = packaged.parseDocument('a: 1\n').contents;
    expect(packaged.isMap(fromBundle)).toBe(true);
    expect(bundled.isMap(fromPackage)).toBe(true);
    expect(bundled.isScalar(packaged.parseDocument('1').contents)).toBe(true);
  });

  it('is what the built loader loads (npm test builds dist/ first)', async () => {
    const dist = new URL('../../../dist/manifest/', import.meta.url);
    const { yaml } = (await import(new URL('yaml-lib.js', dist).href)) as { yaml: typeof Yaml };
    expect(yaml).toBe(createRequire(dist)('./yaml.bundle.cjs'));
    expect(yaml).not.toBe(createRequire(import.meta.url)('yaml'));
  });
});
