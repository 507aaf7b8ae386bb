import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// What a module of src/ loads the moment it is imported: the packages reachable through static
// imports (not `import type`, not `await import(...)`), read from the source. Tests use it to keep
// heavy packages (undici, aws4fetch, yaml) off paths that must start fast.

export const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'([^']+)';/gms)) found.push(match[1]!);
  for (const match of text.matchAll(/^import\s+'([^']+)';/gm)) found.push(match[1]!);
  for (const match of text.matchAll(/^export\s+(?!type\s)[^;]*?from\s+'([^']+)';/gms)) found.push(match[1]!);
  return found;
}

/** Packages (not node: built-ins) loaded by importing `entry` (a path under src/, e.g. `render/execute-plan.ts`). */
export function reachablePackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!specifier.startsWith('node:')) packages.add(specifier);
    }
  };
  visit(join(SRC, entry));
  return packages;
}
