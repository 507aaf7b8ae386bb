import type { Document, LineCounter, Node } from 'yaml';
import { yaml } from './yaml-lib.js';
import type { Locate, PathSegment, SourceSpan } from './source-span.js';

const { isAlias, isCollection, isMap, isPair, isScalar, isSeq } = yaml;

// Finds the source span of a value (or its key) by walking the YAML document along a path, through
// aliases. Each step is a lookup in one mapping or sequence, so a lookup costs the depth of the
// path times the width of a mapping — a few steps for any manifest.

export function createLocate(doc: Document, lineCounter: LineCounter, aliasTargets: Map<Node, Node>): Locate {
  const spanOf = (node: unknown): SourceSpan => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (!range) return { line: 1, col: 1, endLine: 1, endCol: 1 };
    const start = lineCounter.linePos(range[0]);
    // A collection spans many lines; point at its first character rather than underline it all.
    const endOffset = isCollection(node) ? range[0] + 1 : Math.max(range[1], range[0] + 1);
    const end = lineCounter.linePos(endOffset);
    return { line: start.line, col: start.col, endLine: end.line, endCol: end.col };
  };
  const deref = (node: unknown): unknown => (isAlias(node) ? (aliasTargets.get(node) ?? node) : node);

  return (path, part = 'value') => {
    let node: unknown = doc.contents;
    let last: unknown = node;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i] as PathSegment;
      const current = deref(node);
      const isLast = i === path.length - 1;
      if (isMap(current)) {
        const pair = current.items.find((item) => isPair(item) && keyText(deref(item.key)) === String(segment));
        if (!pair) return spanOf(last);
        if (isLast && part === 'key') return spanOf(pair.key);
        // `key:` with nothing after it has no value node; its key is the place to point at.
        node = pair.value ?? pair.key;
      } else if (isSeq(current) && typeof segment === 'number' && segment < current.items.length) {
        node = current.items[segment];
      } else {
        return spanOf(last);
      }
      last = node;
    }
    return spanOf(node);
  };
}

function keyText(key: unknown): string | undefined {
  if (key === null || key === undefined) return '';
  return isScalar(key) ? String(key.value ?? '') : undefined;
}
