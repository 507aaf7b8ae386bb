#!/usr/bin/env node
import { setMaxListeners } from 'node:events';
import { runCli } from './cli/run-cli.js';
import type { CliContext } from './util/cli-context.js';

// The process around the CLI (cli/run-cli.ts): its streams, environment and signals, and the only
// process.exit. Ctrl-C (SIGINT) and SIGTERM abort the context's signal: stop submitting, record
// what is in flight, exit 130; a second one exits at once.

const EXIT_INTERRUPTED = 130;

function createProcessContext(): CliContext {
  const controller = new AbortController();
  // Every poll, sleep and transfer of a build listens to this one signal at the same time.
  setMaxListeners(0, controller.signal);
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts > 1 || signal === 'SIGHUP') {
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

runCli(process.argv.slice(2), createProcessContext()).then((code) => {
  // Let stdout drain before exiting; process.exit would cut piped output short.
  process.exitCode = code;
  setImmediate(() => process.exit(code));
});
