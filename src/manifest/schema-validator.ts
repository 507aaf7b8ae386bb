import { compileSchemaValidator, type SchemaValidateFunction } from './schema-compile.js';
import { readManifestSchema } from './schema-file.js';
import { requireGenerated } from '../util/require-generated.js';

// Loading the manifest schema's validator. Importing ajv and compiling the schema costs about
// 130 ms on the reference machine, more than a whole no-op build may take; the build therefore
// writes ajv's standalone code for the schema next to this module
// (dist/manifest/schema-validator.standalone.cjs, about 3 ms to load). When that file is absent
// (running from src/, as the unit tests do) or was generated from another schema (its sha256 does
// not match), the schema is compiled here instead. test/unit/manifest/schema-standalone.test.ts
// checks that both give the same errors.

export const STANDALONE_FILE = './schema-validator.standalone.cjs';

let validatorCache: { validate: SchemaValidateFunction; source: 'standalone' | 'compiled' } | undefined;

export function getSchemaValidator(): { validate: SchemaValidateFunction; source: 'standalone' | 'compiled' } {
  if (!validatorCache) {
    const { schema, sha256 } = readManifestSchema();
    const standalone = requireStandalone();
    validatorCache =
      standalone && standalone.schemaSha256 === sha256
        ? { validate: standalone, source: 'standalone' }
        : { validate: compileSchemaValidator(schema), source: 'compiled' };
  }
  return validatorCache;
}

function requireStandalone(): (SchemaValidateFunction & { schemaSha256?: string }) | undefined {
  return requireGenerated<SchemaValidateFunction & { schemaSha256?: string }>(import.meta.url, STANDALONE_FILE);
}
