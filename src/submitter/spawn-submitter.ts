import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromSubmitter, ToSubmitter } from './protocol.js';

// Starting the submitter process, apart from using it (host.ts), so that a build can start it the
// moment it knows it is no no-op — before it loads the rest of bach-render, reads the project and
// plans — and hand it to its session later. Booting Node and loading the API client in the child
// takes a few hundred milliseconds; started early, that runs on another core while this process
// plans, instead of between the plan and the first create request (issue 14 item 4: it was most of
// the makespan's distance from the ideal). This file imports nothing but Node's own modules, so the
// build pays a couple of milliseconds for it.
//
// A spawned process nobody claims (the build turned out to submit nothing, or failed first) is let
// go with `release()`: disconnected, it exits on its own once idle (child.ts). It has not registered
// in `.bach/submitters/` and has touched no journal — that happens only on `init`, which the host
// sends after the build holds the folder.

export interface SpawnedSubmitter {
  readonly pid: number | undefined;
  /** Sends now if the process listens, else queues until it says hello (earlier messages would be lost). */
  post(message: ToSubmitter): void;
  /** Every message from the process but `hello`. One listener: the host that claimed it. */
  onMessage(listener: (message: Exclude<FromSubmitter, { type: 'hello' }>) => void): void;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** True once the process exited or its channel closed: nothing can be sent any more. */
  isGone(): boolean;
  /** The host takes the process; `release()` leaves a claimed one alone. Returns false if it was claimed already. */
  claim(): boolean;
  /** Lets an unclaimed process go (it exits once idle); does nothing to a claimed one. Idempotent. */
  release(): void;
  /** Closes the channel (the process exits once idle). */
  disconnect(): void;
  /** Lets this process exit while the channel is open (`true`), or holds it open (`false`). */
  holdOpen(hold: boolean): void;
}

export function spawnSubmitter(): SpawnedSubmitter {
  const child = spawnChild();
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  child.on('error', () => {
    /* reported through 'exit' and the host's pending requests */
  });
  let greeted = false;
  let claimed = false;
  const outbox: ToSubmitter[] = [];
  let listener: ((message: Exclude<FromSubmitter, { type: 'hello' }>) => void) | undefined;
  child.on('message', (message: FromSubmitter) => {
    if (message.type === 'hello') {
      greeted = true;
      for (const queued of outbox.splice(0)) child.send(queued);
    } else listener?.(message);
  });
  const isGone = () => exited || !child.connected;
  const disconnect = () => {
    if (child.connected) child.disconnect();
  };
  return {
    pid: child.pid,
    post(message) {
      if (isGone()) return;
      if (greeted) child.send(message);
      else outbox.push(message);
    },
    onMessage(next) {
      listener = next;
    },
    exited: exitedPromise,
    isGone,
    claim() {
      if (claimed) return false;
      claimed = true;
      return true;
    },
    release() {
      if (!claimed) disconnect();
    },
    disconnect,
    holdOpen(hold) {
      const channel = child.channel as unknown as { ref?: () => void; unref?: () => void } | undefined;
      if (hold) channel?.ref?.();
      else channel?.unref?.();
    },
  };
}

function spawnChild(): ChildProcess {
  const url = new URL('./child.js', import.meta.url);
  let script = fileURLToPath(url);
  const execArgv: string[] = [];
  // Under the test runner this module is TypeScript: run the child through tsx.
  if (import.meta.url.endsWith('.ts')) {
    script = script.replace(/\.js$/, '.ts');
    execArgv.push('--import', 'tsx');
  }
  const child = fork(script, [], { detached: true, stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv, serialization: 'json' });
  // The build must be able to exit while the submitter finishes a request on its own — or, spawned
  // early, while it is still starting and turned out not to be needed.
  child.unref();
  (child.channel as unknown as { unref?: () => void } | undefined)?.unref?.();
  return child;
}
