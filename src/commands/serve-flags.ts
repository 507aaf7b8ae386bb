import { UsageError } from '../errors.js';
import { parseNumber } from '../util/parse-number.js';

// `--serve` and `--port N` belong to watch mode only (the live review page); they are taken out of
// the arguments before the build flags are parsed, so `build` without --watch refuses them clearly.

export interface ServeFlags {
  args: string[];
  /** null: not serving. */
  serve: { port: number | undefined } | null;
}

export function takeServeFlags(args: readonly string[]): ServeFlags {
  const rest: string[] = [];
  let serve = false;
  let port: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--serve') serve = true;
    else if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg === '--port' ? args[++i] : arg.slice('--port='.length);
      if (value === undefined) throw new UsageError('--port needs a number (1-65535)');
      port = parseNumber('--port', value, { integer: true, min: 1, max: 65_535 });
    } else rest.push(arg);
  }
  if (port !== undefined && !serve) throw new UsageError('--port goes with --serve (the live review page of watch mode)');
  return { args: rest, serve: serve ? { port } : null };
}
