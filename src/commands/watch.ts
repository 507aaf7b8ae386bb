import type { CliContext } from '../cli/context.js';
import { BachError } from '../errors.js';

// Placeholder while the command is being built (see the open issue); never shipped as done.
export async function run(_args: string[], _context: CliContext): Promise<number> {
  throw new BachError('not-implemented', 'bach-render watch is not implemented yet');
}
