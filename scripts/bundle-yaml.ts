import { buildSync } from 'esbuild';

// Runs after `tsc` (npm's postbuild): bundles the installed `yaml` package into one CommonJS file in
// dist/ (src/manifest/yaml-lib.ts says why: one file loads in a fraction of the time of its 72).
// Generated, not committed. Nothing is minified, so a stack through it still reads.
const target = new URL('../dist/manifest/yaml.bundle.cjs', import.meta.url);
const entry = new URL('../node_modules/yaml/dist/index.js', import.meta.url);
buildSync({ entryPoints: [entry.pathname], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: target.pathname, logLevel: 'warning' });
process.stdout.write(`wrote ${target.pathname}\n`);
