import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layers stack: a folder of src/ imports only from its own floor and the floors below it, in
// the order ARCHITECTURE.md states (its "Floors" table, read here, so the document and the check
// cannot drift apart). Every import counts — static, type-only, re-exports and dynamic import() —
// and there are no exceptions. A folder that is not in the table fails too: a new folder is placed
// on a floor when it is added. The pure floors (contract, plan) also import no disk, process or
// network module.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = join(ROOT, 'src');
const PURE = ['contract', 'plan'];
const IMPURE_MODULES = /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|dgram|worker_threads)$|^(undici|chokidar|listr2)$/;

/** `src/<name>` (a folder, or a file at the top of src/) → its floor, lowest first, from ARCHITECTURE.md. */
function readFloors(markdown: string): Map<string, number> {
  const start = markdown.indexOf('<!-- floors:start -->');
  const end = markdown.indexOf('<!-- floors:end -->');
  if (start < 0 || end < start) throw new Error('ARCHITECTURE.md has no floors table between <!-- floors:start --> and <!-- floors:end -->');
  const floors = new Map<string, number>();
  for (const line of markdown.slice(start, end).split('\n')) {
    const row = /^\|\s*(\d+)\s*\|([^|]*)\|/.exec(line);
    if (!row) continue;
    for (const name of row[2]!.matchAll(/`([\w.-]+)\/?`/g)) floors.set(name[1]!, Number(row[1]));
  }
  return floors;
}

/** Every relative import of a TypeScript file: `from '…'`, `import '…'`, `import('…')`, `export … from '…'`. */
function readImports(text: string): string[] {
  const specifiers: string[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"]+)\1/g)) specifiers.push(match[2]!);
  return specifiers;
}

function listSourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return listSourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** `src/render/x.ts` → `render`; `src/cli.ts` → `cli.ts`. */
function unitOf(absolute: string): string {
  const [first] = relative(SRC, absolute).split(sep);
  return first!;
}

interface Violation {
  file: string;
  imports: string;
  why: string;
}

function findViolations(floors: ReadonlyMap<string, number>): Violation[] {
  const violations: Violation[] = [];
  for (const file of listSourceFiles(SRC)) {
    const from = unitOf(file);
    const own = floors.get(from);
    const shown = relative(ROOT, file).split(sep).join('/');
    if (own === undefined) {
      violations.push({ file: shown, imports: '', why: `src/${from} is on no floor of ARCHITECTURE.md` });
      continue;
    }
    for (const specifier of readImports(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) {
        if (PURE.includes(from) && IMPURE_MODULES.test(specifier)) violations.push({ file: shown, imports: specifier, why: `src/${from} is pure` });
        continue;
      }
      const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
      if (!target.startsWith(SRC + sep)) {
        violations.push({ file: shown, imports: specifier, why: 'leaves src/' });
        continue;
      }
      const to = unitOf(target);
      const theirs = floors.get(to);
      if (theirs === undefined) violations.push({ file: shown, imports: specifier, why: `src/${to} is on no floor` });
      else if (theirs > own) violations.push({ file: shown, imports: specifier, why: `runs up from floor ${own} (${from}) to floor ${theirs} (${to})` });
    }
  }
  return violations;
}

describe('the floors of src/', () => {
  const floors = readFloors(readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8'));

  it('places every folder and top-level file of src/ on a floor', () => {
    const units = readdirSync(SRC).filter((name) => name.endsWith('.ts') || statSync(join(SRC, name)).isDirectory());
    expect(units.filter((unit) => !floors.has(unit))).toEqual([]);
  });

  it('has no import that runs up a floor, and no disk, process or network module in a pure floor', () => {
    expect(findViolations(floors)).toEqual([]);
  });

  it('reads every kind of import', () => {
    const text = [
      "import { a } from '../a/x.js';",
      "import type { B } from '../b/y.js';",
      "export { c } from '../c/z.js';",
      "export type * from '../d/w.js';",
      "import '../e/side-effect.js';",
      "const f = await import('../f/lazy.js');",
      "let g: import('../g/type.js').G;",
    ].join('\n');
    expect(readImports(text)).toEqual(['../a/x.js', '../b/y.js', '../c/z.js', '../d/w.js', '../e/side-effect.js', '../f/lazy.js', '../g/type.js']);
  });

  it('puts the floors in the order the team agreed, with room for the folders to come', () => {
    const order = (name: string) => floors.get(name) ?? Number.NaN;
    const chain = ['util', 'contract', 'manifest', 'lock', 'plan', 'state', 'api', 'remote', 'emulator', 'submitter', 'project', 'render', 'cut', 'report', 'session', 'watch', 'commands', 'cli'];
    for (let i = 1; i < chain.length; i += 1) expect(order(chain[i]!), `${chain[i - 1]} < ${chain[i]}`).toBeGreaterThan(order(chain[i - 1]!));
    expect(order('errors.ts')).toBe(order('util'));
    expect(order('version.ts')).toBe(order('util'));
    expect(order('video')).toBe(order('contract'));
    expect(order('review')).toBe(order('report'));
    expect(order('cli.ts')).toBe(order('cli'));
    expect(order('index.ts')).toBe(order('cli'));
  });
});
