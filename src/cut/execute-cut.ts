import { mkdir, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BachError } from '../errors.js';
import type { PlanJson } from '../plan/plan-json.js';
import { commitTempFile, tempPathFor, writeFileAtomic } from '../util/atomic-write.js';
import { chooseJoin, type ProbedClip } from './choose-join.js';
import { createOtio } from './create-otio.js';
import { createCutShots, selectCutShots, type CutShot, type VideoFacts } from './cut-shots.js';
import { isCutCurrent, readCutRecord, writeCutRecord, type FileStamp } from './cut-record.js';
import { findExecutable } from './find-executable.js';

// `bach-render cut` and the build's `cut: true`: the shots, in storyboard order, into
// `<output>/<name>.mp4`, and the timeline into `<output>/<name>.otio`. Incremental: when the same
// videos went into the film last time and the film is untouched, nothing is done. mediabunny (the
// copy join and the probe) is imported only here, only when a cut is made, so a build that does not
// cut never loads it. Both files are written atomically (temp file + rename).

export interface CutProject {
  root: string;
  /** Output folder, root-relative POSIX. */
  output: string;
  name: string;
  planJson: PlanJson;
  videos: Readonly<Record<string, VideoFacts | null>>;
}

export interface CutOptions {
  /** Cut what exists even while shots are stale or missing. */
  allowStale?: boolean;
  /** Cut again even when the last cut is current. */
  force?: boolean;
  /** Where ffmpeg is looked up (PATH). */
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
}

export type CutOutcome =
  | {
      kind: 'cut';
      film: string;
      otio: string;
      /** copy: stream copy; copy-in-band: stream copy with each shot's parameter sets in-band; re-encode: ffmpeg. */
      method: 'copy' | 'copy-in-band' | 're-encode';
      /** Why the shots had to be re-encoded. */
      differences: string[];
      clips: string[];
      leftOut: CutShot[];
      stale: CutShot[];
      seconds: number;
      frames: number;
      width: number;
      height: number;
    }
  | { kind: 'up-to-date'; film: string; otio: string; clips: string[] }
  | { kind: 'refused'; stale: CutShot[]; missing: CutShot[] }
  | { kind: 'empty'; missing: CutShot[] };

export function filmPaths(project: Pick<CutProject, 'output' | 'name'>): { film: string; otio: string } {
  const prefix = project.output === '.' || project.output === '' ? '' : `${project.output}/`;
  return { film: `${prefix}${project.name}.mp4`, otio: `${prefix}${project.name}.otio` };
}

export async function executeCut(project: CutProject, options: CutOptions): Promise<CutOutcome> {
  const selection = selectCutShots(createCutShots(project.planJson, project.videos), options.allowStale ?? false);
  if (selection.kind === 'refuse') return { kind: 'refused', stale: selection.stale, missing: selection.missing };
  if (selection.kind === 'empty') return { kind: 'empty', missing: selection.missing };
  const { film, otio } = filmPaths(project);
  const wanted = { root: project.root, film, otio, clips: selection.clips.map((clip) => ({ id: clip.id, sha256: clip.video.sha256 })) };
  const record = await readCutRecord(project.root);
  const onDisk = { film: await stampOf(join(project.root, film)), otio: await stampOf(join(project.root, otio)) };
  if (!options.force && isCutCurrent(record, wanted, onDisk)) return { kind: 'up-to-date', film, otio, clips: wanted.clips.map((clip) => clip.id) };

  const { probeClip, ClipReadError } = await import('./probe-clip.js');
  const probed: Array<ProbedClip & { path: string; shot: CutShot }> = [];
  for (const shot of selection.clips) {
    const path = join(project.root, shot.output);
    try {
      probed.push({ id: shot.id, path, shot, info: await probeClip(path) });
    } catch (error) {
      if (error instanceof ClipReadError || (error as Error).name === 'UnsupportedInputFormatError') {
        throw new BachError('cut-unreadable', `cut: ${shot.output}: ${(error as Error).message}`, { hint: 'Build again to restore the shot\'s video.' });
      }
      throw error;
    }
  }
  const join_ = chooseJoin(probed);
  const filmPath = join(project.root, film);
  await mkdir(join(project.root, project.output), { recursive: true });
  const temp = tempPathFor(filmPath);
  try {
    if (join_.method === 'copy') {
      const { joinWithoutReencoding } = await import('./join-copy.js');
      await joinWithoutReencoding(probed, temp, join_.inBandParameterSets, options.signal);
    } else {
      const ffmpeg = findExecutable('ffmpeg', options.env);
      if (!ffmpeg) {
        throw new BachError('cut-needs-ffmpeg', `cut: these shots cannot be joined without re-encoding, and ffmpeg is not on the PATH:\n  ${join_.differences.join('\n  ')}`, {
          hint: 'Install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg) and run the cut again — or give every shot the same resolution and aspect_ratio.',
        });
      }
      const { joinWithFfmpeg } = await import('./join-ffmpeg.js');
      await joinWithFfmpeg(
        ffmpeg,
        {
          inputs: probed.map((clip) => ({ path: clip.path, duration: clip.info.duration, hasAudio: clip.info.audio !== null })),
          width: join_.width,
          height: join_.height,
          fps: join_.fps,
          audio: join_.audio,
          output: temp,
        },
        options.signal,
      );
    }
    await flush(temp);
    await commitTempFile(temp, filmPath);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  const result = await probeClip(filmPath);
  await writeFileAtomic(
    join(project.root, otio),
    createOtio({
      name: project.name,
      film,
      clips: probed.map((clip) => ({
        id: clip.id,
        prompt: clip.shot.prompt,
        seed: clip.shot.seed,
        output: clip.shot.output,
        targetUrl: pathToFileURL(clip.path).href,
        fps: roundRate(clip.info.fps),
        frameCount: clip.info.frameCount,
      })),
    }),
  );
  const [filmStamp, otioStamp] = [await stampOf(filmPath), await stampOf(join(project.root, otio))];
  if (filmStamp && otioStamp) {
    await writeCutRecord(project.root, { root: project.root, film: { path: film, ...filmStamp }, otio: { path: otio, ...otioStamp }, clips: wanted.clips });
  }
  return {
    kind: 'cut',
    film,
    otio,
    method: join_.method === 're-encode' ? 're-encode' : join_.inBandParameterSets ? 'copy-in-band' : 'copy',
    differences: join_.method === 're-encode' ? join_.differences : [],
    clips: probed.map((clip) => clip.id),
    leftOut: selection.leftOut,
    stale: selection.stale,
    seconds: result.duration,
    frames: result.frameCount,
    width: result.width,
    height: result.height,
  };
}

/**
 * What a build calls when it has finished (manifest `cut: true`): cut when every shot is up to date,
 * else report why not (never with --allow-stale: an automatic cut never leaves shots out).
 * Returns null when the manifest does not ask for a cut.
 */
export async function cutAfterBuild(project: CutProject & { cut: boolean }, options: Omit<CutOptions, 'allowStale' | 'force'>): Promise<CutOutcome | null> {
  if (!project.cut) return null;
  return executeCut(project, { ...options, allowStale: false, force: false });
}

async function stampOf(path: string): Promise<FileStamp | null> {
  return stat(path).then(
    (stats) => (stats.isFile() ? { size: stats.size, mtimeMs: stats.mtimeMs } : null),
    () => null,
  );
}

async function flush(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function roundRate(fps: number): number {
  return Math.abs(fps - Math.round(fps)) < 0.01 ? Math.round(fps) : Math.round(fps * 1000) / 1000;
}
