#!/usr/bin/env node
import { setMaxListeners } from 'node:events';
import { COMMANDS, globalHelp } from './cli/commands.js';
import type { CliContext } from './cli/context.js';
import { BachError, ExitError } from './errors.js';
import { readVersion } from './version.js';

// The only place that decides exit codes and calls process.exit. Commands return a code; user
// errors (BachError) are printed without a stack; anything else is a bug and keeps its stack.

const EXIT_INTERRUPTED = 130;

async function main(argv: string[]): Promise<number> {
  const context = createProcessContext();
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
  // `bach-render examples --emulator` means build; a bare word that is neither a command nor a path
  // the user could mean is most likely a mistyped command, which the build reports as a missing path.
  const isCommand = first !== undefined && Object.hasOwn(COMMANDS, first);
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

function createProcessContext(): CliContext {
  const controller = new AbortController();
  // Every poll, sleep and transfer of a build listens to this one signal at the same time.
  setMaxListeners(0, controller.signal);
  let interrupts = 0;
  // SIGHUP (the terminal closed, an SSH session dropped) stops a build like SIGTERM: no new
  // submissions, a summary, the folder lock released — Node's default would kill the process on the
  // spot and leave a stale lock. The terminal is gone by then, so a write to it may fail (EIO); such
  // errors are ignored rather than crash the orderly stop. A hang-up is often delivered more than
  // once (the kernel to the foreground group, the shell to its jobs): only a second SIGINT or SIGTERM
  // means "exit at once".
  const onSignal = (signal: NodeJS.Signals) => {
    if (signal === 'SIGHUP') ignoreLostTerminal();
    interrupts += 1;
    if (interrupts > 1) {
      if (signal === 'SIGHUP') return;
      process.stderr.write('\nInterrupted again: exiting now.\n');
      process.exit(EXIT_INTERRUPTED);
    }
    process.stderr.write(
      '\nInterrupted: no new submissions; recording what is in flight (Ctrl-C again to exit at once).\n',
    );
    controller.abort(new DOMException(`received ${signal}`, 'AbortError'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  const columns = () => process.stdout.columns;
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: {
      write: (text) => void process.stdout.write(text),
      get isTTY() {
        return Boolean(process.stdout.isTTY);
      },
      get columns() {
        return columns();
      },
    },
    stderr: {
      write: (text) => void process.stderr.write(text),
      get isTTY() {
        return Boolean(process.stderr.isTTY);
      },
      get columns() {
        return process.stderr.columns;
      },
    },
    interrupt: controller.signal,
  };
}

function ignoreLostTerminal(): void {
  for (const stream of [process.stdout, process.stderr]) if (stream.listenerCount('error') === 0) stream.on('error', () => {});
}

function reportFailure(error: unknown): number {
  if (error instanceof ExitError) return error.exitCode;
  if (error instanceof BachError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.hint) process.stderr.write(`  ${error.hint.replace(/\n/g, '\n  ')}\n`);
    return 1;
  }
  process.stderr.write(
    `bach-render hit an internal error (this is a bug; please report it with the text below):\n${
      error instanceof Error ? (error.stack ?? error.message) : String(error)
    }\n`,
  );
  return 1;
}

/**
 * Exits once stdout and stderr have handed everything written to the OS. A write to a full pipe
 * (more than its 64 KiB buffer, e.g. a long list of diagnostics piped to `less`) is queued, and
 * process.exit would drop the queue; an empty write's callback runs after everything before it.
 * A reader that never reads must not keep the process alive for ever: after a few seconds it exits
 * regardless.
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  setTimeout(() => process.exit(code), 5_000).unref();
  for (const stream of [process.stdout, process.stderr]) {
    try {
      stream.write('', () => done());
    } catch {
      done();
    }
  }
}

main(process.argv.slice(2)).then(exitWhenFlushed, (error: unknown) => exitWhenFlushed(reportFailure(error)));
