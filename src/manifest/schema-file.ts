import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

// The shipped schema, read once: part of the package (schemas/ sits beside dist/ and src/), not
// user input. Its sha256 stamps the standalone validator and keys the manifest cache.

export const SCHEMA_URL = new URL('../../schemas/bach.schema.json', import.meta.url);

export interface ManifestSchema {
  schema: Record<string, unknown>;
  sha256: string;
}

let schemaCache: ManifestSchema | undefined;

export function readManifestSchema(): ManifestSchema {
  if (!schemaCache) {
    const text = readFileSync(SCHEMA_URL, 'utf8');
    schemaCache = {
      schema: JSON.parse(text) as Record<string, unknown>,
      sha256: createHash('sha256').update(text).digest('hex'),
    };
  }
  return schemaCache;
}
