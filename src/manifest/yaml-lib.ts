import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { requireGenerated } from '../util/require-generated.js';

// The YAML library (eemeli/yaml), loaded once for the parser, the locator and the hints. Its package
// is 72 CommonJS files: requiring them one by one takes about 30 ms on a 2-core machine, on the path
// of every build that plans (issue 14 item 4: a build's first create waits for it). The build
// therefore writes the same package, bundled into one file by esbuild, next to this module
// (dist/manifest/yaml.bundle.cjs, scripts/bundle-packages.ts; about 8 ms to load). It is made from the
// installed package at each build, so it is always the version package-lock.json names. When the
// file is absent (running from src/, as the unit tests do) the package is required as it is.
// yaml tells its node types by global symbols (Symbol.for), so a document from either copy passes
// the other's isMap/isScalar checks.

export const YAML_BUNDLE_FILE = './yaml.bundle.cjs';

export const yaml: typeof Yaml = requireGenerated<typeof Yaml>(import.meta.url, YAML_BUNDLE_FILE) ?? createRequire(import.meta.url)('yaml');
