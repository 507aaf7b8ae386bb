import { createRequire } from 'node:module';

// The build writes generated CommonJS files next to the modules that load them — ajv's standalone
// validator for the manifest schema, the yaml and undici packages each bundled into one file
// (scripts/). Run from src/, as the unit tests do, they are absent, and each caller falls back to
// what the file stands in for. Only a missing file means "absent": any other error is thrown.

/** The file `file` beside the module at `moduleUrl` (its `import.meta.url`), or undefined when the build has not written it. */
export function requireGenerated<T>(moduleUrl: string, file: string): T | undefined {
  try {
    return createRequire(moduleUrl)(file) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}
