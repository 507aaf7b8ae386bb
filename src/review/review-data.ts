import type { PlanJson } from '../plan/plan-json.js';

// What the review page is drawn from: the plan data of `plan --json` (the same object, not a second
// reading of the files), the facts about the videos on disk, and what the current run knows that
// the plan cannot (a task in flight, a failure with the API's message). Plain data, so the page is
// a pure function of it and a test can build any situation.

export interface ReviewData {
  /** The film's name (manifest `name:`, default the folder's). */
  title: string;
  /** The output folder relative to the manifest's folder, POSIX (`renders`, or `.`). */
  output: string;
  plan: PlanJson;
  /** Per shot id: the video at `<output>/<id>.mp4` as it is on disk now, or null when there is none. */
  videos: Readonly<Record<string, VideoFile | null>>;
  run: RunOverlay;
  /** The assembled film beside the shots, when `cut` wrote one (a link at the top of the page). */
  film?: { file: string; otio: string } | undefined;
}

export interface VideoFile {
  size: number;
  sha256: string;
}

/**
 * What a run knows beyond the plan. `failed` holds the last failure of a shot together with the
 * fingerprint it failed for: a failure of an earlier version of the shot no longer applies.
 * `inFlight` is the live status of shots the current run is working on (watch --serve).
 */
export interface RunOverlay {
  failed: Readonly<Record<string, ShotFailureNote>>;
  inFlight: Readonly<Record<string, InFlightNote>>;
}

export interface ShotFailureNote {
  fingerprint: string;
  message: string;
  taskId?: string | undefined;
}

export interface InFlightNote {
  /** The executor's status word: waiting, uploading, submitting, pending, processing, downloading, restoring. */
  status: string;
  taskId?: string | undefined;
}

export function emptyRunOverlay(): RunOverlay {
  return { failed: {}, inFlight: {} };
}
