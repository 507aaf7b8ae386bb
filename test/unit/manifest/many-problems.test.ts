import { describe, expect, it } from 'vitest';
import { countErrors, MAX_DIAGNOSTICS } from '../../../src/manifest/diagnostics.js';
import { loadManifestFromText } from '../../../src/manifest/from-text.js';
import { parseManifest } from '../../../src/manifest/parse.js';
import type { SchemaValidateFunction } from '../../../src/manifest/schema-compile.js';
import { getSchemaValidator } from '../../../src/manifest/schema-validator.js';
import { validateManifest } from '../../../src/manifest/validate.js';

// A manifest of very many tiny invalid shots (`shots: [{},{},…]`) was refused in quadratic time —
// 100,000 of them took 53 s — and with one message each. Refusal is linear (the schema sees one
// shot's errors at a time) and capped: the first MAX_DIAGNOSTICS problems, then how many more.
// Speed itself is measured in bench/ (the `refusal` scenario), not here.

const emptyShots = (count: number) => `version: 1\nshots: [${Array(count).fill('{}').join(',')}]\n`;

describe('many problems', () => {
  it('lists the first problems and says how many more there are', () => {
    const result = loadManifestFromText(emptyShots(5000));
    if (result.ok) throw new Error('expected a refusal');
    expect(result.diagnostics).toHaveLength(MAX_DIAGNOSTICS + 1);
    expect(result.diagnostics[0]).toMatchObject({ code: 'required', message: expect.stringMatching(/^shots\[0\]\.mode: missing/) });
    expect(result.diagnostics.at(-1)).toMatchObject({ code: 'more-problems', message: '4,800 more problems not shown; fix the ones above first', omitted: 4800 });
    expect(countErrors(result.diagnostics)).toBe(5000);
  });

  it('the schema validator never collects more than one shot’s errors in a call (ajv concatenates them per call: quadratic)', () => {
    const { validate } = getSchemaValidator();
    let most = 0;
    const counting = ((data: unknown) => {
      const ok = validate(data);
      counting.errors = validate.errors ?? null;
      most = Math.max(most, validate.errors?.length ?? 0);
      return ok;
    }) as SchemaValidateFunction;
    const parsed = parseManifest(emptyShots(3000), { file: 'bach.yaml' });
    if (!parsed.ok) throw new Error('does not parse');
    const result = validateManifest(parsed.value, { file: 'bach.yaml', locate: parsed.locate, validate: counting });
    expect(result.ok).toBe(false);
    expect(most).toBeLessThanOrEqual(2);
  });

  it('reports problems of every part at their own paths: top level, subjects and shots', () => {
    const text = [
      'version: 2',
      'subjects:',
      '  hero: { images: [] }',
      'shots:',
      '  - { id: a, mode: text-to-video, prompt: x }',
      '  - { id: b, mode: text-to-video, prompt: x, duration: 5 }',
      '  - { id: c, mode: text2video, prompt: x }',
    ].join('\n');
    const result = loadManifestFromText(text);
    if (result.ok) throw new Error('expected a refusal');
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.line}:${d.col} ${d.code}`)).toEqual(['1:10 enum', '3:19 too-few-images', '6:56 enum', '7:20 enum']);
    expect(errors.map((d) => d.message)).toEqual([
      'version: expected 1, got 2',
      'subjects.hero.images: a subject needs at least 1 image, got none',
      'shots[1].duration: text-to-video needs duration 6, got 5',
      'shots[2].mode: expected text-to-video, image-to-video or multi-image-to-video, got "text2video"; did you mean "text-to-video"?',
    ]);
  });

  it('caps problems found by the rules too (e.g. one id used 1,000 times)', () => {
    const shots = Array.from({ length: 1000 }, () => '  - { id: same, mode: text-to-video, prompt: x }').join('\n');
    const result = loadManifestFromText(`version: 1\nshots:\n${shots}\n`);
    if (result.ok) throw new Error('expected a refusal');
    expect(result.diagnostics).toHaveLength(MAX_DIAGNOSTICS + 1);
    expect(result.diagnostics.at(-1)).toMatchObject({ code: 'more-problems', omitted: 999 - MAX_DIAGNOSTICS });
    expect(countErrors(result.diagnostics)).toBe(999);
  });

  it('a manifest with fewer problems than the cap lists them all, with no closing note', () => {
    const result = loadManifestFromText(emptyShots(3));
    if (result.ok) throw new Error('expected a refusal');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['required', 'required', 'required']);
  });
});
