import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_DEFAULTS, defaultDuration } from '../../../src/manifest/defaults.js';
import { errorCodes, load } from './helpers.js';

// Editors complete bach.yaml from the schema, so every field must say what it is and what it
// defaults to. A few optional fields have no constant default; they are listed here (not derived
// from the schema, so a new field cannot slip in unnoticed) and their descriptions must say so.

type Node = Record<string, any>;
const schema = JSON.parse(readFileSync(new URL('../../../schemas/bach.schema.json', import.meta.url), 'utf8')) as Node;
const defs = schema.$defs as Record<string, Node>;

const NO_CONSTANT_DEFAULT = new Set([
  'name', // the manifest folder's name
  'defaults.duration', // depends on the shot's mode
  'subject.name', // the subject's key
  'textToVideoShot.prompt', 'multiImageToVideoShot.prompt', // required, or prompt_file instead
  'textToVideoShot.prompt_file', 'imageToVideoShot.prompt', 'imageToVideoShot.prompt_file', 'multiImageToVideoShot.prompt_file',
  'multiImageToVideoShot.subject', // absent: no subject
  'remote', // absent: no team cache (unless BACH_REMOTE or --remote names one)
  'textToVideoShot.seed', 'imageToVideoShot.seed', 'multiImageToVideoShot.seed', // chosen at first render, kept in bach.lock
]);

function resolveProperty(property: Node): Node {
  if (typeof property.$ref !== 'string') return property;
  return { ...defs[property.$ref.slice('#/$defs/'.length)], ...property };
}

function objectSchemas(): Array<[string, Node]> {
  return [['manifest', schema], ...Object.entries(defs).filter(([, def]) => def.type === 'object' && def.properties)];
}

const properties = objectSchemas().flatMap(([owner, def]) =>
  Object.entries(def.properties as Record<string, Node>).map(([key, property]) => ({
    name: `${owner === 'manifest' ? '' : `${owner}.`}${key}`,
    property: resolveProperty(property),
    required: (def.required ?? []).includes(key),
  })),
);

describe('schema descriptions and defaults', () => {
  it('covers the whole format', () => {
    expect(properties.length).toBeGreaterThan(50);
  });

  it.each(properties)('$name has a description', ({ property }) => {
    expect(typeof property.description).toBe('string');
    expect(property.description.length).toBeGreaterThan(10);
  });

  it.each(properties.filter((p) => !p.required))('optional $name has a default, or says why not', ({ name, property }) => {
    if (NO_CONSTANT_DEFAULT.has(name)) {
      expect(property.default).toBeUndefined();
      expect(property.description).toMatch(/no (static )?default/i);
    } else {
      expect(property.default).toBeDefined();
    }
  });

  it.each(properties.filter((p) => p.required))('required $name has no default and says so', ({ property }) => {
    expect(property.default).toBeUndefined();
    expect(property.description).toMatch(/Required/);
  });

  it('states the same defaults as the code', () => {
    const d = defs.defaults!.properties as Record<string, Node>;
    const value = (key: string) => resolveProperty(d[key]!).default;
    expect(schema.properties.output.default).toBe(BUILT_IN_DEFAULTS.output);
    for (const key of ['model', 'resolution', 'aspect_ratio', 'fps', 'negative_prompt', 'audio_prompt', 'generate_audio', 'enhance_prompt', 'cfg_scale', 'enable_moderation'] as const) {
      expect(value(key), key).toEqual(BUILT_IN_DEFAULTS[key]);
    }
    expect(defs.subject!.properties.type.default).toBe(BUILT_IN_DEFAULTS.subject_type);
    expect(defs.subject!.properties.description.default).toBe(BUILT_IN_DEFAULTS.subject_description);
    expect(defs.textToVideoShot!.properties.duration.default).toBe(defaultDuration('text-to-video'));
    expect(defs.imageToVideoShot!.properties.duration.default).toBe(defaultDuration('image-to-video'));
    expect(defs.multiImageToVideoShot!.properties.duration.default).toBe(defaultDuration('multi-image-to-video'));
  });

  it('has defaults that are valid values', () => {
    const defaults = Object.fromEntries(
      Object.entries(defs.defaults!.properties as Record<string, Node>)
        .map(([key, property]) => [key, resolveProperty(property).default] as const)
        .filter(([, value]) => value !== undefined),
    );
    const shot = { id: 'a', mode: 'image-to-video', image: 'a.png', duration: defs.imageToVideoShot!.properties.duration.default };
    expect(errorCodes(load({ version: 1, output: schema.properties.output.default, defaults, shots: [shot] }))).toEqual([]);
  });
});
