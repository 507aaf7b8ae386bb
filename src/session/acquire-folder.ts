import { join } from 'node:path';
import type { Reporter } from '../report/reporter.js';
import { Journal } from '../state/journal.js';
import { acquireProcessLock, type ProcessLock } from '../state/process-lock.js';
import { statePaths } from '../state/paths.js';
import { assertProjectLinksInside } from '../state/project-links.js';
import { waitForSubmitters } from '../submitter/registry.js';

// Before a build (or a watch session) reads the journal: it must be the only bach-render working in
// the folder, and no submitter of an earlier, killed build may still be recording a task it
// created (reading the journal before that record lands would mean paying for the task twice).

export async function acquireFolder(
  root: string,
  options: { wait: boolean; interrupt: AbortSignal; reporter: Reporter; command: string },
): Promise<ProcessLock> {
  const paths = statePaths(root);
  // Before the first write into .bach/ (the lock itself): it must not lead out of the project.
  await assertProjectLinksInside({ root });
  const lock = await acquireProcessLock(paths.processLock, {
    wait: options.wait,
    signal: options.interrupt,
    command: options.command,
    now: () => new Date(),
    onWaiting: (owner) => options.reporter.message('info', `waiting for another bach-render (pid ${owner.pid}) working in this folder…`),
  });
  try {
    await waitForSubmitters(join(paths.dir, 'submitters'), {
      signal: options.interrupt,
      onWaiting: (pids) =>
        options.reporter.message('info', `waiting for an interrupted build's submitter (pid ${pids.join(', ')}) to record its last submissions — nothing it owns is sent again…`),
      onStillWaiting: (pids, waitedMs) =>
        options.reporter.message(
          'info',
          `still waiting after ${Math.round(waitedMs / 1000)} s for pid ${pids.join(', ')} (its create may be waiting out a rate limit); Ctrl-C to stop waiting, or end that process and its unanswered requests are held in doubt`,
        ),
    });
    // The only moment a journal temp file can be nobody's: every writer (an earlier build's
    // submitter) is gone, and this session's submitter has not been told `init` (it may be running
    // already, started early, but touches no journal before that).
    const journal = new Journal(paths.journal);
    journal.sweepLeftovers();
    // Tasks of an earlier `--emulator` build ended with its process (the emulator was inside it).
    const ended = journal.dropEphemeral();
    if (ended.length > 0) {
      const shots = ended.length <= 10 ? ended.join(', ') : `${ended.slice(0, 10).join(', ')} and ${ended.length - 10} more`;
      options.reporter.message('info', `The embedded emulator's tasks ended with the earlier build that ran it (${shots}): planned again, free with --emulator.`);
    }
  } catch (error) {
    await lock.release();
    throw error;
  }
  return lock;
}
