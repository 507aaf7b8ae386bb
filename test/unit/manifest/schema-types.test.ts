import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderInputTypes, type JsonSchema } from '../../../scripts/input-types.js';

// The schema is the one source of the input types: the committed generated file must be exactly
// what the generator makes from the committed schema (run `npm run generate:types` to fix).

const schema = JSON.parse(readFileSync(new URL('../../../schemas/bach.schema.json', import.meta.url), 'utf8')) as JsonSchema;

describe('input types generated from the schema', () => {
  it('are up to date', () => {
    const committed = readFileSync(new URL('../../../src/manifest/input-types.generated.ts', import.meta.url), 'utf8');
    expect(committed).toBe(renderInputTypes(schema));
  });

  it('follow a change of the schema (the check can fail)', () => {
    const changed = structuredClone(schema) as { properties: Record<string, JsonSchema> };
    changed.properties.output = { ...changed.properties.output, type: 'integer' };
    expect(renderInputTypes(changed as JsonSchema)).toContain('output?: number;');
  });

  it('refuse a keyword they cannot type', () => {
    expect(() => renderInputTypes({ type: 'object', properties: { a: { anyOf: [{ type: 'string' }] } } })).toThrow(/anyOf/);
  });
});
