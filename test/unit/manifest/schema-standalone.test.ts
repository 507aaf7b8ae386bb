import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compileSchemaValidator, createStandaloneValidatorCode, type SchemaValidateFunction } from '../../../src/manifest/schema-compile.js';
import { parseManifest } from '../../../src/manifest/parse.js';
import { readManifestSchema } from '../../../src/manifest/schema-file.js';
import { validateManifest } from '../../../src/manifest/validate.js';
import { manifestWith, SHOTS, type Fields } from './helpers.js';

// The build ships ajv's standalone code for the schema (fast to load); the runtime compiles the
// schema when that file is missing. Both must report the same problems.

function loadStandalone(code: string): SchemaValidateFunction {
  const module = { exports: {} as unknown };
  new Function('module', 'exports', 'require', code)(module, module.exports, createRequire(import.meta.url));
  return module.exports as SchemaValidateFunction;
}

const { schema } = readManifestSchema();
const standalone = loadStandalone(createStandaloneValidatorCode(schema));
const compiled = compileSchemaValidator(schema);

const samples = [
  manifestWith(),
  manifestWith({ outputs: 'x', defaults: { duration: 9, fps: 30 } }, [{ ...SHOTS.t2v, duration: 5, promt: 'x' }]),
  manifestWith({ subjects: { hero: { images: [], type: 'person' } } }, [{ ...SHOTS.multi, subject: 'hero', images: Array(9).fill('a.png') }]),
  manifestWith({}, [{ id: 'Bad Id', mode: 'text2video' }, { mode: 'image-to-video' }, 'not a shot' as unknown as Fields]),
  manifestWith({}, [{ ...SHOTS.i2v, prompt: 'a', prompt_file: 'b', seed: -1, cfg_scale: 99, prompt_extra: 1 }]),
  { version: 2, shots: {} },
];

describe('standalone and compiled schema validators', () => {
  it.each(samples.map((sample, i) => [i, sample] as const))('agree on sample %i', (_i, sample) => {
    const text = stringify(sample);
    const parsed = parseManifest(text, { file: 'bach.yaml' });
    if (!parsed.ok) throw new Error('sample does not parse');
    const a = validateManifest(parsed.value, { file: 'bach.yaml', locate: parsed.locate, validate: standalone });
    const b = validateManifest(parsed.value, { file: 'bach.yaml', locate: parsed.locate, validate: compiled });
    expect(a).toEqual(b);
  });

  it('find problems in the invalid samples (the comparison is not vacuous)', () => {
    expect(standalone(samples[0])).toBe(true);
    for (const sample of samples.slice(1)) expect(standalone(sample)).toBe(false);
  });
});
