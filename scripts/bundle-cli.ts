import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

// Runs after `tsc` (npm's postbuild). Node 20 loads an ES module graph file by file — a resolve, a
// read and a link each, about 0.3–0.5 ms — and a build reached its first create through ~180 of
// tsc's files (issue 14 item 4). This bundles the two programs bach-render runs — the CLI
// (dist/cli.js) and the submitter process it forks (dist/submitter/child.js) — into dist/bundle/
// with esbuild: code splitting keeps every dynamic import() lazy (each becomes a chunk loaded when a
// command needs it) and every module a single instance (a module two entries share goes into a
// shared chunk). Packages stay outside (yaml and undici have their own one-file bundles,
// scripts/bundle-packages.ts). Each program's file is then replaced by a short entry that imports its
// bundle, so `bach-render` (package.json's bin), the fork and every test run the bundle. The rest of
// dist/ stays as tsc wrote it: the library API (dist/index.js) and the emulator export load from there.
//
// A module that finds files relative to itself (`import.meta.url`: package.json, the schema, the
// standalone validator, the package bundles, the submitter's script) must keep finding them from its
// original place: each `import.meta.url` is rewritten to that place's URL, computed from the chunk's
// own (every chunk is in dist/bundle/, so the relative path is fixed). Nothing is minified; stacks
// name the chunk and the original function names.

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const outdir = `${dist}bundle`;
const ENTRY_NOTE = 'bundled by scripts/bundle-cli.ts';

const PROGRAMS = [
  { name: 'cli', file: 'cli.js', shebang: true },
  { name: 'child', file: 'submitter/child.js', shebang: false },
];

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

// tsc's own file is kept beside it as `<name>-entry.js`, the bundle's entry. tsc builds incrementally:
// when the source has not changed it does not write the file again, which then is still the short
// entry from last time, and the kept copy is the right one.
const entryOf = (file: string) => `${dist}${file.replace(/\.js$/, '-entry.js')}`;
for (const { file } of PROGRAMS) {
  const written = readFileSync(`${dist}${file}`, 'utf8');
  if (!written.includes(ENTRY_NOTE)) writeFileSync(entryOf(file), written);
}

// esbuild names chunks by content hash and leaves other files in outdir alone: without this, every
// build whose code changed would leave its old chunks behind, and dist/ (what npm packs) would grow.
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: Object.fromEntries(PROGRAMS.map(({ name, file }) => [name, entryOf(file)])),
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
for (const { name, file, shebang } of PROGRAMS) {
  const bundled = relative(dirname(`${dist}${file}`), `${outdir}/${name}.js`).split('\\').join('/');
  writeFileSync(`${dist}${file}`, `${shebang ? '#!/usr/bin/env node\n' : ''}// The ${name === 'cli' ? 'CLI' : 'submitter process'}, ${ENTRY_NOTE} (why: see there).\nimport '${bundled.startsWith('.') ? bundled : `./${bundled}`}';\n`);
}
process.stdout.write(`wrote ${outdir}/ and the entries ${PROGRAMS.map((p) => `dist/${p.file}`).join(', ')}\n`);
