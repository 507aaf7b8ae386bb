import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { BachError, ExitError } from '../errors.js';
import type { CliContext } from '../util/cli-context.js';
import { readVersion } from '../version.js';
import { COMMANDS, globalHelp, listCommands } from './commands.js';

// argv → the command it names → an exit code. A user error (BachError) is printed without a stack;
// anything else is a bug and keeps its stack. Everything the process provides comes in through the
// context, so tests run the whole CLI in-process; src/cli.ts is the only caller of process.exit.

export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  try {
    return await dispatch([...argv], context);
  } catch (error) {
    return reportFailure(error, context);
  }
}

async function dispatch(argv: string[], context: CliContext): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-V') {
    context.stdout.write(`${readVersion()}\n`);
    return 0;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    context.stdout.write(topic && COMMANDS[topic] ? `${COMMANDS[topic].help}\n` : globalHelp(readVersion()));
    return 0;
  }
  // `bach-render examples --emulator` means build; a bare word that is neither a command nor an
  // existing path is checked for a mistyped command (cli/suggest-command.ts), else read as a path.
  const isCommand = first !== undefined && Object.hasOwn(COMMANDS, first);
  if (first !== undefined && !isCommand && !first.startsWith('-') && !existsSync(resolve(context.cwd, first))) {
    (await import('./suggest-command.js')).rejectMistypedCommand(first, listCommands());
  }
  const name = isCommand ? first : 'build';
  const args = isCommand ? rest : argv;
  const spec = COMMANDS[name]!;
  if (args.includes('--help') || args.includes('-h')) {
    context.stdout.write(`${spec.help}\n`);
    return 0;
  }
  const command = await spec.load();
  return command.run(args, context);
}

/**
 * A full disk (ENOSPC) or an exhausted quota (EDQUOT) is the machine's state, not a bug: said in one
 * line with the file that could not be written, never as an internal-error stack (issue 16, item 2).
 */
export function describeFullDisk(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return undefined;
  const path = (error as NodeJS.ErrnoException).path;
  const what = code === 'ENOSPC' ? 'no space left on the device' : 'the disk quota is exhausted';
  return `${what}${path ? ` (writing ${path})` : ''}`;
}

function reportFailure(error: unknown, context: CliContext): number {
  if (error instanceof ExitError) return error.exitCode;
  if (error instanceof BachError) {
    context.stderr.write(`error: ${error.message}\n`);
    if (error.hint) context.stderr.write(`  ${error.hint.replace(/\n/g, '\n  ')}\n`);
    return 1;
  }
  const full = describeFullDisk(error);
  if (full) {
    context.stderr.write(`error: ${full}\n  Free some space (or raise the quota) and run again; bach-render's records of paid work are kept.\n`);
    return 1;
  }
  context.stderr.write(
    `bach-render hit an internal error (this is a bug; please report it with the text below):\n${
      error instanceof Error ? (error.stack ?? error.message) : String(error)
    }\n`,
  );
  return 1;
}
