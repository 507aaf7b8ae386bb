import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createStandaloneValidatorCode } from '../src/manifest/schema-compile.js';

// Runs after `tsc` (npm's postbuild): writes ajv's standalone validator for the manifest schema
// into dist/, stamped with the schema's sha256 so a stale copy is never used (see
// src/manifest/schema-validator.ts). Generated, not committed.
const schemaText = readFileSync(new URL('../schemas/bach.schema.json', import.meta.url), 'utf8');
const sha256 = createHash('sha256').update(schemaText).digest('hex');
const code = createStandaloneValidatorCode(JSON.parse(schemaText) as object);
const target = new URL('../dist/manifest/schema-validator.standalone.cjs', import.meta.url);
writeFileSync(target, `${code}\nmodule.exports.schemaSha256 = ${JSON.stringify(sha256)};\n`);
process.stdout.write(`wrote ${target.pathname} (${code.length} bytes)\n`);
