#!/usr/bin/env node
import { setMaxListeners } from 'node:events';
import { createFdOutput, type FdOutput } from './cli/fd-output.js';
import { runCli } from './cli/run-cli.js';
import { createStdinInput } from './cli/stdin-input.js';
import type { CliContext } from './util/cli-context.js';

// The process around the CLI (cli/run-cli.ts): its streams, environment and signals, and the only
// process.exit. Ctrl-C (SIGINT), SIGTERM and SIGHUP abort the context's signal: stop submitting, record
// what is in flight, exit 130; a second one exits at once.

const EXIT_INTERRUPTED = 130;

const stdout = createFdOutput(1, () => process.stdout);
const stderr = createFdOutput(2, () => process.stderr);

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
      stderr.write('\nInterrupted again: exiting now.\n');
      process.exit(EXIT_INTERRUPTED);
    }
    stderr.write(
      '\nInterrupted: no new submissions; recording what is in flight (Ctrl-C again to exit at once).\n',
    );
    controller.abort(new DOMException(`received ${signal}`, 'AbortError'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout,
    stderr,
    stdin: createStdinInput(() => process.stdin),
    interrupt: controller.signal,
  };
}

function ignoreLostTerminal(): void {
  for (const stream of [process.stdout, process.stderr]) if (stream.listenerCount('error') === 0) stream.on('error', () => {});
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
  for (const output of [stdout, stderr] satisfies FdOutput[]) output.flush(done);
}

runCli(process.argv.slice(2), createProcessContext()).then(exitWhenFlushed);
