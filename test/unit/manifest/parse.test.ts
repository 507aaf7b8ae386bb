import { describe, expect, it } from 'vitest';
import { MANIFEST_MAX_BYTES } from '../../../src/manifest/manifest-size.js';
import { parseManifest } from '../../../src/manifest/parse.js';
import { messages, load } from './helpers.js';

const parse = (text: string) => parseManifest(text, { file: 'bach.yaml' });

describe('parseManifest', () => {
  it('reads YAML into plain values', () => {
    const result = parse('version: 1\nshots:\n  - id: a\n    aspect_ratio: 16:9\n    seed: 7\n');
    expect(result.ok && result.value).toEqual({ version: 1, shots: [{ id: 'a', aspect_ratio: '16:9', seed: 7 }] });
  });

  it('reports syntax errors with their position', () => {
    const result = parse('version: 1\nshots:\n  - id: a\n   mode: [x\n');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.diagnostics[0]).toMatchObject({ code: 'yaml-syntax', line: 4 });
  });

  it('reports a key written twice', () => {
    const result = parse('version: 1\nversion: 1\nshots: []\n');
    expect(!result.ok && result.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['duplicate-key', 2, 1]]);
  });

  it('refuses more than one document', () => {
    expect(parse('version: 1\n---\nversion: 1\n').ok).toBe(false);
  });

  it('follows anchors and aliases, sharing the value', () => {
    const result = parse('x: &p {a: 1}\ny: *p\n');
    expect(result.ok && result.value).toEqual({ x: { a: 1 }, y: { a: 1 } });
  });

  it('finds positions through aliases', () => {
    const result = load('version: 1\nprompts:\n  p: &bad 4k\nshots:\n  - id: a\n    mode: text-to-video\n    prompt: x\n    resolution: *bad\n');
    expect(messages(result)).toContain('8:17 enum: shots[0].resolution: expected 720p or 1080p, got "4k"');
  });

  it('refuses an alias bomb quickly', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const result = parse(levels.join('\n'));
    expect(!result.ok && result.diagnostics.map((d) => d.code)).toEqual(['yaml-aliases']);
  });

  it('refuses an alias that names no earlier anchor', () => {
    const result = parse('a: *nothing\n');
    expect(result.ok).toBe(false);
  });

  it('refuses an oversized manifest without parsing it', () => {
    const result = parse(`# ${'x'.repeat(MANIFEST_MAX_BYTES)}\n`);
    expect(!result.ok && result.diagnostics.map((d) => d.code)).toEqual(['manifest-too-large']);
  });

  it('keeps __proto__ an ordinary (unknown) key', () => {
    const result = load('version: 1\n__proto__: {polluted: true}\nshots: []\n');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(messages(result)).toEqual(['2:1 unknown-field: __proto__: unknown field']);
  });

  it('refuses a complex mapping key', () => {
    const result = parse('? [a, b]\n: 1\n');
    expect(!result.ok && result.diagnostics[0]?.code).toBe('yaml-syntax');
  });

  it('says an empty manifest is empty', () => {
    expect(messages(load('# nothing yet\n'))).toEqual(['1:1 required: the manifest is empty; it needs `version: 1` and `shots:`']);
  });

  it('refuses a manifest that is not a mapping', () => {
    expect(messages(load('- a\n- b\n'))).toEqual(['1:1 type: manifest: expected a mapping (key: value lines), got a list of 2']);
  });
});
