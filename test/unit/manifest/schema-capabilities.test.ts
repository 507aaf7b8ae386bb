import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ASPECT_RATIOS, FPS_VALUES, LIMITS, MODEL_NAMES, MODES, RESOLUTIONS } from '../../../src/contract/capabilities.js';
import type { Mode } from '../../../src/manifest/types.js';

// The schema states the API's limits for editors; src/contract/capabilities.ts states them for the code.
// This test keeps the two the same numbers.

type Node = Record<string, any>;
const schema = JSON.parse(readFileSync(new URL('../../../schemas/bach.schema.json', import.meta.url), 'utf8')) as Node;
const defs = schema.$defs as Record<string, Node>;
const shotDefs: Record<Mode, Node> = {
  'text-to-video': defs.textToVideoShot!,
  'image-to-video': defs.imageToVideoShot!,
  'multi-image-to-video': defs.multiImageToVideoShot!,
};

describe('schema and capabilities', () => {
  it('have the same modes', () => {
    expect(Object.values(shotDefs).map((def) => def.properties.mode.const)).toEqual(Object.keys(MODES));
    expect(defs.shot!.oneOf).toHaveLength(Object.keys(MODES).length);
  });

  it.each(Object.keys(MODES) as Mode[])('have the same durations for %s', (mode) => {
    expect(shotDefs[mode].properties.duration.enum).toEqual(MODES[mode].durations);
  });

  it('allow in defaults every duration some mode allows', () => {
    const all = [...new Set(Object.values(MODES).flatMap((mode) => mode.durations))].sort((a, b) => a - b);
    expect(defs.defaults!.properties.duration.enum).toEqual(all);
  });

  it('require a prompt where the API does', () => {
    for (const [mode, def] of Object.entries(shotDefs)) {
      const requiresPrompt = JSON.stringify(def.oneOf ?? []) === JSON.stringify([{ required: ['prompt'] }, { required: ['prompt_file'] }]);
      expect(requiresPrompt, mode).toBe(MODES[mode as Mode].promptRequired);
    }
  });

  it('have the same enumerations', () => {
    expect(defs.model!.enum).toEqual([...MODEL_NAMES]);
    expect(defs.resolution!.enum).toEqual([...RESOLUTIONS]);
    expect(defs.aspectRatio!.enum).toEqual([...ASPECT_RATIOS]);
    expect(defs.fps!.enum).toEqual([...FPS_VALUES]);
  });

  it('have the same limits', () => {
    expect(defs.prompt!.maxLength).toBe(LIMITS.promptChars);
    expect(defs.negativePrompt!.maxLength).toBe(LIMITS.negativePromptChars);
    expect(defs.audioPrompt!.maxLength).toBe(LIMITS.audioPromptChars);
    expect([defs.seed!.minimum, defs.seed!.maximum]).toEqual([LIMITS.seedMin, LIMITS.seedMax]);
    expect([defs.cfgScale!.minimum, defs.cfgScale!.maximum]).toEqual([LIMITS.cfgScaleMin, LIMITS.cfgScaleMax]);
    expect(defs.subject!.properties.images.maxItems).toBe(LIMITS.subjectImages);
    expect(defs.subject!.properties.name.maxLength).toBe(LIMITS.subjectNameChars);
    expect(defs.subject!.properties.description.maxLength).toBe(LIMITS.subjectDescChars);
  });

  it('count a subject as one of the multi-image elements', () => {
    const multi = shotDefs['multi-image-to-video'];
    expect(multi.properties.images.maxItems).toBe(LIMITS.multiImageElements);
    expect(multi.then.properties.images.maxItems).toBe(LIMITS.multiImageElements - 1);
    expect(multi.if).toEqual({ required: ['subject'] });
  });
});
