import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, Options } from 'ajv/dist/2020.js';

// The one place that knows how the manifest schema is compiled. Both the build (which writes a
// standalone validator into dist/, see scripts/build-validator.ts) and the runtime fallback compile
// through here, so they cannot disagree on options.
//
// - allErrors: every problem is reported at once, not the first.
// - discriminator: a shot's `mode` picks its branch, so a text-to-video shot is not also reported
//   against the image-to-video rules.
// - unicode: false counts string lengths in UTF-16 code units, like the API's Java `String.length()`
//   (an emoji counts 2), so nothing the server would refuse as too long passes here. ajv marks the
//   option deprecated; it still works in ajv 8, and its notice is filtered out below.
// - verbose: errors carry their parent schema, from which messages take the known keys and limits.
// - strictRequired is off: `oneOf: [{required: [prompt]}, {required: [prompt_file]}]` is the idiom
//   for "one of the two" and names properties defined one level up.

export const SCHEMA_AJV_OPTIONS: Options = {
  allErrors: true,
  strict: true,
  strictRequired: false,
  discriminator: true,
  unicode: false,
  verbose: true,
};

export type { ErrorObject };

export interface SchemaValidateFunction {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const require = createRequire(import.meta.url);

export function createSchemaAjv(extra: Options = {}): Ajv2020 {
  const { Ajv2020: AjvClass } = require('ajv/dist/2020') as typeof import('ajv/dist/2020.js');
  return new AjvClass({ ...SCHEMA_AJV_OPTIONS, ...extra, logger: quietLogger });
}

export function compileSchemaValidator(schema: object): SchemaValidateFunction {
  return createSchemaAjv().compile(schema) as SchemaValidateFunction;
}

/** Generates the standalone (CommonJS) validator code for the build. */
export function createStandaloneValidatorCode(schema: object): string {
  const ajv = createSchemaAjv({ code: { source: true, lines: false, optimize: true } });
  const validate = ajv.compile(schema);
  const { default: standaloneCode } = require('ajv/dist/standalone') as typeof import('ajv/dist/standalone/index.js');
  return standaloneCode(ajv, validate);
}

const quietLogger = {
  log: (...args: unknown[]) => console.log(...args),
  warn: (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('DEPRECATED: option unicode')) return;
    console.warn(...args);
  },
  error: (...args: unknown[]) => console.error(...args),
};
