import type { BuildSettings } from '../project/build-settings.js';
import type { Reporter } from '../report/reporter.js';
import type { ProcessLock } from '../state/process-lock.js';
import type { CliContext } from '../util/cli-context.js';
import type { SpawnedSubmitter } from '../submitter/spawn-submitter.js';
import { acquireFolder } from './acquire-folder.js';
import { openSession, type Session } from './session.js';

// What build and watch do around their work: open the session (none for a dry run, which sends
// nothing), take the folder, and give everything back — reporter, lock, session — however the work
// ends. An error while interrupted is the interruption: exit 130.

export async function withSession(
  options: {
    settings: BuildSettings;
    context: CliContext;
    root: string;
    reporter: Reporter;
    command: 'build' | 'watch';
    /** A submitter process started early by the command: the session uses it, or lets it go. */
    spawnedSubmitter?: SpawnedSubmitter | undefined;
  },
  work: (session: Session | null) => Promise<number>,
): Promise<number> {
  const { settings, context, root, reporter } = options;
  let session: Session | null = null;
  let lock: ProcessLock | null = null;
  try {
    if (!settings.dryRun) {
      session = openSession(settings, root, options.spawnedSubmitter);
      lock = await acquireFolder(root, { wait: settings.wait, interrupt: context.interrupt, reporter, command: options.command });
      // Most builds that get this far have work to send: start the client and the submitter process
      // now, so they are ready when the plan is.
      session.prewarm();
    }
    return await work(session);
  } catch (error) {
    if (context.interrupt.aborted) return 130;
    throw error;
  } finally {
    await reporter.close();
    await lock?.release();
    await session?.close();
  }
}
