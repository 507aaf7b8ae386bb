import { UsageError } from '../errors.js';
import { COMMANDS } from './commands.js';
import type { CliContext } from '../util/cli-context.js';
import { createCompletionScript, SHELLS, type CompletionCommand, type CompletionFlag, type CompletionSpec, type Shell } from './completion-scripts.js';

// `bach-render completion SHELL`: prints the completion script for bash, zsh or fish. It lives with
// the command table (the cli floor) because the completions are read from the table's help texts —
// the option lines (`  --name VALUE   description`) — so what completes is what `--help` documents,
// and a new option needs no second list. Values: `--only`/`--force` complete shot ids, a FILE value
// completes files, and a description that starts `a | b | c` lists the choices.

export async function run(args: string[], context: CliContext): Promise<number> {
  const positionals = args.filter((arg) => !arg.startsWith('-'));
  const unknown = args.find((arg) => arg.startsWith('-'));
  if (unknown) throw new UsageError(`completion: unknown option "${unknown}"`, { hint: 'Usage: bach-render completion bash|zsh|fish' });
  const shell = positionals[0];
  if (positionals.length !== 1 || !SHELLS.includes(shell as Shell)) {
    throw new UsageError(shell === undefined ? 'completion: which shell? bash, zsh or fish' : `completion: no completion for "${positionals.join(' ')}"; bash, zsh or fish`, {
      hint: 'Usage: bach-render completion bash|zsh|fish   (run `bach-render completion --help`)',
    });
  }
  context.stdout.write(createCompletionScript(shell as Shell, describeCommands()));
  return 0;
}

/** The command table as completion sees it. */
export function describeCommands(): CompletionSpec {
  const commands: CompletionCommand[] = Object.entries(COMMANDS).map(([name, spec]) => ({
    name,
    summary: spec.summary,
    flags: [...parseOptionLines(spec.help), { name: '--help', description: 'Show this command\'s help', repeatable: false }],
    positional: name === 'completion' ? 'shells' : name === 'init' ? 'folders' : /^Usage: .*\[PATH\]/m.test(spec.help) ? 'files' : 'none',
  }));
  return { program: 'bach-render', defaultCommand: 'build', commands };
}

/** `  --name VALUE  description`: a VALUE is written in capitals (N, ID[,ID...], MS|MIN-MAX, RPS[:BURST]). */
const OPTION_LINE = /^ {2}(--[a-z][a-z0-9-]*)(?: ([A-Z][A-Z0-9_[\],.:|-]*))? +(\S.*)$/;

const CONTINUATION = /^ {6,}(\S.*)$/;
const MAX_DESCRIPTION = 72;

function parseOptionLines(help: string): CompletionFlag[] {
  const flags: CompletionFlag[] = [];
  const lines = help.split('\n');
  for (const [index, line] of lines.entries()) {
    const match = OPTION_LINE.exec(line);
    if (!match) continue;
    const [, name = '', valueName, first = ''] = match;
    let description = first;
    for (let next = index + 1; next < lines.length && CONTINUATION.test(lines[next]!) && !OPTION_LINE.test(lines[next]!); next++) {
      description += ` ${CONTINUATION.exec(lines[next]!)![1]}`;
    }
    const choices = /^([a-z]+(?: \| [a-z]+)+)/.exec(description)?.[1]?.split(' | ');
    flags.push({
      name,
      description: shorten(description.replace(/\s*\(repeatable[^)]*\)/, '')),
      repeatable: /\(repeatable/.test(description),
      ...(valueName === undefined
        ? {}
        : {
            valueName,
            value:
              name === '--only' || name === '--force'
                ? { kind: 'ids' as const }
                : choices
                  ? { kind: 'choices' as const, choices }
                  : valueName === 'FILE'
                    ? { kind: 'files' as const }
                    : { kind: 'free' as const },
          }),
    });
  }
  return flags;
}

/** The first sentence, at most MAX_DESCRIPTION characters: a completion menu has one line per option. */
function shorten(description: string): string {
  const sentence = description.split(/(?<=\.) /)[0]!.replace(/\.$/, '');
  return sentence.length <= MAX_DESCRIPTION ? sentence : `${sentence.slice(0, MAX_DESCRIPTION - 1).replace(/\s+\S*$/, '')}…`;
}
