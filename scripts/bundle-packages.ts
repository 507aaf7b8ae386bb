import { buildSync } from 'esbuild';

// Runs after `tsc` (npm's postbuild): bundles two installed packages, each into one CommonJS file
// in dist/, beside the module that loads it: yaml (src/manifest/yaml-lib.ts, 72 files) and the part
// of undici bach-render uses (src/api/undici.ts; the entry is scripts/undici-core.cjs, which says
// why). Node requires a package's files one by one; one file loads in a fraction of the time, on the
// path to a build's first create. Made from node_modules at each build,
// so always the version package-lock.json names; generated, not committed. Nothing is minified, so
// a stack through them still reads.
const PACKAGES = [
  { entry: 'node_modules/yaml/dist/index.js', target: 'dist/manifest/yaml.bundle.cjs' },
  { entry: 'scripts/undici-core.cjs', target: 'dist/api/undici.bundle.cjs' },
];

for (const { entry, target } of PACKAGES) {
  const outfile = new URL(`../${target}`, import.meta.url).pathname;
  buildSync({ entryPoints: [new URL(`../${entry}`, import.meta.url).pathname], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning' });
  process.stdout.write(`wrote ${outfile}\n`);
}
