import { rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { hashFiles } from '../state/hash-files.js';
import type { RunContext } from './run-context.js';

// A person's change to an output is never lost to a placement (issue 15, item 1). Before a video is
// placed at `<output>/<id>.mp4`, the file already there is compared with what bach-render put there
// (the lockfile's record of the shot) and with the video about to be placed; if it is neither, someone
// altered it by hand, and it is moved aside first:
//
//   renders/<id>.altered-<YYYYMMDD-HHMMSS>.mp4   (UTC; `-2`, `-3` … if that name is taken)
//
// The name ends in `.mp4` so players open it, and never matches `<id>.mp4` of a shot (ids may not
// contain dots), so no build, cut or page takes it for an output, and no sweep removes it: it is the
// person's file from here on. (The plan already refuses to *pay* to overwrite an altered output — the
// shot is kept — so this runs for the free restore, and for `--force ID`, which asks to render again.)

export async function keepAlteredOutput(
  context: Pick<RunContext, 'manifest' | 'hashCache' | 'lockWriter' | 'emit' | 'clock'>,
  target: { shotId: string; outputPath: string },
  incomingSha256: string,
): Promise<string | null> {
  const { root } = context.manifest;
  const found = (await hashFiles([target.outputPath], { root, cache: context.hashCache, now: () => context.clock.now() })).get(target.outputPath);
  if (!found) return null;
  const recorded = context.lockWriter.current.shots[target.shotId]?.output;
  if (found.sha256 === incomingSha256 || (recorded && recorded.path === target.outputPath && recorded.sha256 === found.sha256)) return null;
  const absolute = join(root, target.outputPath);
  const kept = await freeAlteredName(absolute, context.clock.now());
  await rename(absolute, kept);
  const keptPath = join(dirname(target.outputPath), basename(kept)).replaceAll('\\', '/');
  context.emit({ type: 'notice', level: 'warn', message: `${target.outputPath} was altered by hand: kept as ${keptPath}` });
  return keptPath;
}

/** A free `<id>.altered-<UTC stamp>[-n].mp4` beside `absolute` (also used by `pull`). */
export async function freeAlteredName(absolute: string, now: number): Promise<string> {
  const { access } = await import('node:fs/promises');
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const stem = absolute.replace(/\.mp4$/, '');
  for (let n = 1; ; n += 1) {
    const candidate = `${stem}.altered-${stamp}${n === 1 ? '' : `-${n}`}.mp4`;
    try {
      await access(candidate);
    } catch {
      return candidate;
    }
  }
}
