import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

// A `.env` beside the manifest (design.md, "Credentials"): KEY=VALUE lines, nothing more. Supported:
// `#` comment lines, an optional `export ` prefix, blank lines, values in single quotes (taken
// literally) or double quotes (\n, \t, \", \\ escapes), unquoted values with a trailing ` # comment`.
// Lines that are none of these are skipped. It is project input — whoever wrote the branch wrote it —
// so it may supply keys and the poll interval, never where requests go (resolve-build-settings.ts).

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

export interface DotEnv {
  /** Where it was read, for messages. */
  file: string;
  values: Readonly<Record<string, string>>;
}

export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(#|$)/.test(line)) continue;
    const match = LINE.exec(line);
    if (!match) continue;
    const [, key = '', raw = ''] = match;
    const value = parseValue(raw);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** `<folder>/.env`, parsed; null when there is none. Read once per command. */
export async function readDotEnv(folder: string): Promise<DotEnv | null> {
  const file = join(folder, '.env');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return { file, values: parseDotEnv(text) };
}

function parseValue(raw: string): string | undefined {
  const quote = raw[0];
  if (quote === "'" || quote === '"') {
    const close = quote === '"' ? findClosingDoubleQuote(raw) : raw.indexOf(quote, 1);
    if (close < 0) return undefined;
    const rest = raw.slice(close + 1).trim();
    if (rest !== '' && !rest.startsWith('#')) return undefined;
    const inner = raw.slice(1, close);
    return quote === "'" ? inner : unescapeDouble(inner);
  }
  return raw.replace(/\s+#.*$/, '');
}

function findClosingDoubleQuote(raw: string): number {
  for (let i = 1; i < raw.length; i += 1) {
    if (raw[i] === '\\') i += 1;
    else if (raw[i] === '"') return i;
  }
  return -1;
}

function unescapeDouble(text: string): string {
  return text.replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' })[c] ?? c);
}
