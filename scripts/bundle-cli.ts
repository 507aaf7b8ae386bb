import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

// Runs after `tsc` (npm's postbuild). Node 20 loads an ES module graph file by file — a resolve, a
// read and a link each, about 0.3–0.5 ms — and a build reaches its first create through ~180 of
// tsc's files (issue 14 item 4). This bundles what the CLI can load, from dist/cli.js, into
// dist/bundle/ with esbuild: code splitting keeps every dynamic import() lazy (each becomes a chunk
// loaded when the command needs it) and every module a single instance (a module two commands
// share goes into a shared chunk). Packages stay outside (node_modules, as before; yaml has its
// own one-file bundle, scripts/bundle-yaml.ts). dist/cli.js is then replaced by a two-line entry that
// imports dist/bundle/cli.js, so `bach-render` (package.json's bin) and every test run the bundle.
// The rest of dist/ stays as tsc wrote it: the library API (dist/index.js), the emulator export and
// the submitter process (dist/submitter/child.js, forked by path) load from there.
//
// A module that finds files relative to itself (`import.meta.url`: package.json, the schema, the
// standalone validator, the yaml bundle, the submitter's script) must keep finding them from its
// original place: each `import.meta.url` is rewritten to that place's URL, computed from the chunk's
// own (every chunk is in dist/bundle/, so the relative path is fixed). Nothing is minified; stacks
// name the chunk and the original function names.

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const outdir = `${dist}bundle`;

const keepModuleUrls: Plugin = {
  name: 'keep-module-urls',
  setup(esbuild) {
    esbuild.onLoad({ filter: /\/dist\/.*\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const fromChunk = relative(outdir, args.path).split('\\').join('/');
      const original = `new URL(${JSON.stringify(fromChunk)}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', original), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

const ENTRY_NOTE = 'The CLI, bundled by scripts/bundle-cli.ts';
// tsc's own dist/cli.js is kept as dist/cli-entry.js, the bundle's entry. tsc builds incrementally:
// when src/cli.ts has not changed it does not write dist/cli.js again, which then is still the
// two-line entry from last time, and the kept copy is the right one.
const tscEntry = readFileSync(`${dist}cli.js`, 'utf8');
if (!tscEntry.includes(ENTRY_NOTE)) writeFileSync(`${dist}cli-entry.js`, tscEntry);

await build({
  entryPoints: { cli: `${dist}cli-entry.js` },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outdir,
  chunkNames: 'chunk-[hash]',
  plugins: [keepModuleUrls],
  logLevel: 'warning',
});
writeFileSync(`${dist}cli.js`, `#!/usr/bin/env node\n// ${ENTRY_NOTE} (why: see there).\nimport './bundle/cli.js';\n`);
process.stdout.write(`wrote ${outdir}/ and the entry ${dist}cli.js\n`);
