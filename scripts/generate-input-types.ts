import { readFileSync, writeFileSync } from 'node:fs';
import { renderInputTypes, type JsonSchema } from './input-types.js';

// `npm run generate:types`: writes src/manifest/input-types.generated.ts from the schema.
const schemaUrl = new URL('../schemas/bach.schema.json', import.meta.url);
const target = new URL('../src/manifest/input-types.generated.ts', import.meta.url);
const schema = JSON.parse(readFileSync(schemaUrl, 'utf8')) as JsonSchema;
writeFileSync(target, renderInputTypes(schema));
process.stdout.write(`wrote ${target.pathname}\n`);
