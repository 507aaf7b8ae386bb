import type { Document, Node } from 'yaml';
import { yaml } from './yaml-lib.js';
import type { Diagnostic } from '../errors.js';
import { createLocate } from './locate.js';
import { explainYamlError } from './yaml-hints.js';
import { countManifestEntries, MANIFEST_MAX_ENTRIES, manifestTooManyEntries } from './manifest-entries.js';
import { MANIFEST_MAX_BYTES, manifestTooLarge } from './manifest-size.js';
import type { Locate } from './source-span.js';

const { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } = yaml;

// Stage 1 (pure): manifest text → plain value + a way to find positions, or diagnostics.
//
// The YAML document is converted to plain values here rather than with yaml's own `toJS()`, for
// two reasons: alias expansion is measured in one linear pass (an alias bomb — a few lines whose
// aliases expand to billions of values — is refused before any later stage walks it), and the
// converter remembers which anchor each alias points at, so positions can be found through aliases.
// Aliased values are shared, not copied, exactly as `toJS()` shares them.

/** Values an alias-expanded manifest may hold: its character count, at least this many. */
export const MIN_EXPANSION_BUDGET = 100_000;

export type ParseResult =
  | { ok: true; value: unknown; locate: Locate; warnings: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

export function parseManifest(text: string, options: { file: string }): ParseResult {
  const { file } = options;
  if (text.length > MANIFEST_MAX_BYTES) {
    return { ok: false, diagnostics: [manifestTooLarge(file, text.length)] };
  }
  if (countManifestEntries(text) > MANIFEST_MAX_ENTRIES) return { ok: false, diagnostics: [manifestTooManyEntries(file)] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => lineCounter.linePos(offset);
  if (doc.errors.length > 0) {
    // The common mistakes get plain words and the place they start (yaml-hints.ts). One mistake
    // often makes yaml report several errors on the same line; the first says it best.
    const all = doc.errors.map((error) => ({ error, hint: explainYamlError(error, text) }));
    const swallowing = all.find(({ hint }) => hint?.hidesLater)?.hint?.offset ?? Infinity;
    const explained = all.filter(({ error, hint }) => hint?.hidesLater || error.pos[0] < swallowing);
    const lines = new Set<number>();
    const firstPerLine = explained.filter(({ error, hint }) => {
      const line = at(hint?.offset ?? error.pos[0]).line;
      if (lines.has(line)) return false;
      lines.add(line);
      return true;
    });
    return {
      ok: false,
      diagnostics: firstPerLine.map(({ error, hint }) => {
        const start = at(hint?.offset ?? error.pos[0]);
        const end = hint?.end === undefined ? undefined : at(hint.end);
        return {
          severity: 'error' as const,
          code: error.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax',
          message: hint?.message ?? firstLine(error.message),
          file,
          line: start.line,
          col: start.col,
          ...(end && end.line === start.line ? { endLine: end.line, endCol: end.col } : {}),
          ...(hint?.hint ? { hint: hint.hint } : {}),
        };
      }),
    };
  }
  const warnings: Diagnostic[] = doc.warnings.map((warning) => {
    const start = at(warning.pos[0]);
    return { severity: 'warning', code: 'yaml-warning', message: firstLine(warning.message), file, line: start.line, col: start.col };
  });
  const converted = convertDocument(doc, Math.max(MIN_EXPANSION_BUDGET, text.length));
  if (!converted.ok) {
    const start = at(converted.offset);
    return { ok: false, diagnostics: [{ severity: 'error', code: converted.code, message: converted.message, file, line: start.line, col: start.col }] };
  }
  return { ok: true, value: converted.value, locate: createLocate(doc, lineCounter, converted.aliasTargets), warnings };
}

type Converted =
  | { ok: true; value: unknown; aliasTargets: Map<Node, Node> }
  | { ok: false; code: string; message: string; offset: number };

class ConvertError extends Error {
  constructor(readonly code: string, message: string, readonly offset: number) {
    super(message);
  }
}

function convertDocument(doc: Document, budget: number): Converted {
  const anchors = new Map<string, { node: Node; value: unknown; size: number }>();
  const aliasTargets = new Map<Node, Node>();
  let total = 0;

  // Returns the value and its expanded size (the number of values it stands for).
  const convert = (node: unknown): { value: unknown; size: number } => {
    let result: { value: unknown; size: number };
    if (node === null || node === undefined) {
      result = { value: null, size: 1 };
    } else if (isAlias(node)) {
      const anchor = anchors.get(node.source);
      if (!anchor) {
        throw new ConvertError('yaml-syntax', `alias *${node.source} names no anchor defined before it`, node.range?.[0] ?? 0);
      }
      aliasTargets.set(node, anchor.node);
      total += anchor.size;
      if (total > budget) {
        throw new ConvertError(
          'yaml-aliases',
          `YAML aliases expand the manifest to more than ${budget.toLocaleString('en-US')} values (an alias bomb?); refusing to read it`,
          node.range?.[0] ?? 0,
        );
      }
      return { value: anchor.value, size: anchor.size };
    } else if (isScalar(node)) {
      total += 1;
      result = { value: typeof node.value === 'bigint' ? Number(node.value) : node.value, size: 1 };
    } else if (isMap(node)) {
      total += 1;
      const object: Record<string, unknown> = {};
      let size = 1;
      for (const pair of node.items) {
        const key = scalarKey(pair.key);
        const item = convert(pair.value);
        size += item.size;
        // `__proto__` must become an ordinary (unknown) key, not the object's prototype.
        Object.defineProperty(object, key, { value: item.value, enumerable: true, writable: true, configurable: true });
      }
      result = { value: object, size };
    } else if (isSeq(node)) {
      total += 1;
      const array: unknown[] = [];
      let size = 1;
      for (const child of node.items) {
        const item = convert(child);
        size += item.size;
        array.push(item.value);
      }
      result = { value: array, size };
    } else {
      throw new ConvertError('yaml-syntax', 'unexpected YAML node', 0);
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    // Registered after the node is complete, so an alias inside its own anchor cannot make a cycle.
    if (anchor) anchors.set(anchor, { node: node as Node, ...result });
    return result;
  };

  const scalarKey = (key: unknown): string => {
    const resolved = isAlias(key) ? anchors.get(key.source)?.node : key;
    if (key === null || key === undefined) return '';
    if (isScalar(resolved)) return String(resolved.value ?? '');
    const offset = (key as { range?: [number] }).range?.[0] ?? 0;
    throw new ConvertError('yaml-syntax', 'a mapping key must be a plain value (a word or a quoted string)', offset);
  };

  try {
    return { ok: true, value: convert(doc.contents).value, aliasTargets };
  } catch (error) {
    if (error instanceof ConvertError) return { ok: false, code: error.code, message: error.message, offset: error.offset };
    throw error;
  }
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '').trim();
}
