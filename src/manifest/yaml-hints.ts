import { yaml } from './yaml-lib.js';

// Plain words for the YAML mistakes people make most, pointed at where the mistake starts rather
// than where the parser gave up (pure: text in, position and words out):
//   - an unclosed quote: yaml reports the end of the file (or of the line); we point at the opening
//     quote, found in yaml's own token stream;
//   - a colon inside an unquoted value (`prompt: Title: a sunset`): YAML reads a second key; we say
//     so and show the value quoted;
//   - a missing colon (`mode text-to-video`): YAML reads a key spanning lines; we show the line with
//     its colon.
// Any other error keeps yaml's message and position (parse.ts).

export interface YamlErrorLike {
  code: string;
  message: string;
  /** Offsets into the text: [start, end). */
  pos: [number, number];
}

export interface ExplainedYamlError {
  /** Where the problem starts (an offset into the text). */
  offset: number;
  /** Exclusive end of the span to underline, on the same line. */
  end?: number;
  message: string;
  hint?: string;
  /** Every later error is a consequence of this one (an unclosed quote swallows what follows). */
  hidesLater?: boolean;
}

export function explainYamlError(error: YamlErrorLike, text: string): ExplainedYamlError | undefined {
  const quote = /^Missing closing (["'])quote/.exec(error.message)?.[1];
  if (error.code === 'MISSING_CHAR' && quote) return explainUnclosedQuote(quote, error.pos[0], text);
  if (error.code === 'BLOCK_AS_IMPLICIT_KEY') return explainColonInValue(error.pos[0], text);
  if (error.code === 'MULTILINE_IMPLICIT_KEY' || (error.code === 'MISSING_CHAR' && /^Implicit map keys need to be followed by map values/.test(error.message))) {
    return explainMissingColon(error.pos[0], text);
  }
  return undefined;
}

function explainUnclosedQuote(quote: string, errorOffset: number, text: string): ExplainedYamlError | undefined {
  const type = quote === '"' ? 'double-quoted-scalar' : 'single-quoted-scalar';
  const closed = quote === '"' ? /^"(?:[^"\\]|\\[\s\S])*"$/ : /^'(?:[^']|'')*'$/;
  let opening: number | undefined;
  for (const token of listQuotedScalars(text)) {
    if (token.type === type && token.offset <= errorOffset && !closed.test(token.source)) opening = token.offset;
  }
  if (opening === undefined) return undefined;
  const inside = quote === '"' ? 'write it as \\" inside "…"' : "write it twice ('') inside '…'";
  return {
    offset: opening,
    end: opening + 1,
    hidesLater: true,
    message: `unclosed quote: the ${quote} that starts this value is never closed`,
    hint: `Close the quote at the end of the value. To use a ${quote} in the text, ${inside}, or quote the value with ${quote === '"' ? "'" : '"'} instead.`,
  };
}

function explainColonInValue(valueOffset: number, text: string): ExplainedYamlError | undefined {
  const { line, lineStart } = lineAt(text, valueOffset);
  const keyPart = line.slice(0, valueOffset - lineStart);
  const value = line.slice(valueOffset - lineStart).replace(/\s+#.*$/, '').trimEnd();
  const colon = /:(\s|$)/.exec(value);
  if (!colon || !/:\s*$/.test(keyPart)) return undefined;
  return {
    offset: valueOffset,
    end: valueOffset + colon.index + 1,
    message: `the value holds ": ", which YAML reads as the start of another key; a value with a colon in it must be quoted`,
    hint: `Quote the whole value: \`${keyPart.trimStart()}${JSON.stringify(value)}\``,
  };
}

function explainMissingColon(keyOffset: number, text: string): ExplainedYamlError | undefined {
  const { line, lineStart } = lineAt(text, keyOffset);
  const rest = line.slice(keyOffset - lineStart).replace(/\s+#.*$/, '').trimEnd();
  const match = /^([A-Za-z_][\w-]*)(?:[ \t]+(\S.*))?$/.exec(rest);
  if (!match || /:(\s|$)/.test(rest)) return undefined;
  const [, key = '', value] = match;
  return {
    offset: keyOffset,
    end: keyOffset + key.length,
    message: `"${key}" is not followed by a colon: each line of a mapping is "key: value"`,
    hint: `Write it as \`${value === undefined ? `${key}:` : `${key}: ${value}`}\``,
  };
}

interface QuotedToken {
  type: string;
  offset: number;
  source: string;
}

/** Quoted scalars in yaml's concrete syntax tree, in text order (only walked for a quote error). */
function listQuotedScalars(text: string): QuotedToken[] {
  const out: QuotedToken[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const token = node as Partial<QuotedToken>;
    if (typeof token.type === 'string' && token.type.endsWith('quoted-scalar') && typeof token.offset === 'number' && typeof token.source === 'string') {
      out.push({ type: token.type, offset: token.offset, source: token.source });
    }
    for (const value of Object.values(node)) if (value !== null && typeof value === 'object') walk(value);
  };
  for (const token of new yaml.Parser().parse(text)) walk(token);
  return out.sort((a, b) => a.offset - b.offset);
}

function lineAt(text: string, offset: number): { line: string; lineStart: number } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  return { line: text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, ''), lineStart };
}
