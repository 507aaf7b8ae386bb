import type { ShotIdentity } from '../contract/shot-identity.js';
import type { RequestValue } from '../contract/create-request.js';
import type { LockEntry } from '../lock/types.js';
import type { Shot } from '../manifest/types.js';

export const PLAN_VERSION = 1;

/**
 * What happens to a shot:
 *   create        not in the lockfile (new shot)
 *   update        in the lockfile, but its fingerprint changed
 *   restore       unchanged, but the output is missing, moved or altered, and the cache holds the video
 *   render-again  unchanged, but the output is gone and not cached (or --force): costs credits again
 *   unchanged     nothing to do
 *   skipped       left out by --only
 */
export type ActionKind = 'create' | 'update' | 'restore' | 'render-again' | 'unchanged' | 'skipped';

/**
 * Where the video will come from: a new paid render, the local cache, a task already paid for, or the
 * team cache (`team`: only `plan` marks it, after one lookup — a build fetches those results before
 * it plans, so its own plan shows them as `cache`).
 */
export type WorkSource = 'render' | 'cache' | 'in-flight' | 'team' | 'earlier-task';

export type ReasonKind =
  | 'new' | 'field' | 'file' | 'mode' | 'output-missing' | 'output-altered' | 'output-moved' | 'forced' | 'result-expired' | 'in-doubt' | 'lockfile';

export interface Reason {
  kind: ReasonKind;
  /** Manifest field name (`prompt`, `duration`, `image` …) when the reason is about a field. */
  field?: string;
  /** Local file path when the reason is about a file. */
  path?: string;
  /** One short phrase, e.g. `prompt "…waves crashing" → "…waves breaking"`, `duration 5 → 4`, `frames/hero.png changed`. */
  text: string;
  /**
   * For `field`, `file` and `mode` reasons: the value before and after, as the API receives it (a local file
   * as `{ sha256 }`), whole; null when the field was (or is now) absent.
   */
  from?: RequestValue | null;
  to?: RequestValue | null;
}

/** An action that does something (unchanged and skipped shots do nothing). */
export type WorkKind = Exclude<ActionKind, 'unchanged' | 'skipped'>;

/** Every planned shot: its identity (what the lockfile will record) and why it is planned so. */
interface ShotPlanBase extends ShotIdentity {
  shot: Shot;
  reasons: Reason[];
  /** Root-relative POSIX path of `<output>/<id>.mp4`. */
  outputPath: string;
  previous?: LockEntry;
  /** Seconds of video this shot will be billed for in this build (0 unless source is `render`). */
  seconds: number;
}

/** Nothing to do: unchanged, or left out by --only. */
export interface IdleShotPlan extends ShotPlanBase {
  kind: 'unchanged' | 'skipped';
  source: null;
  /** Unchanged, but its output was altered by hand and the cache lacks the video: left as the person made it (one `output-altered` reason). */
  kept?: boolean;
}

/** The video is in `.bach/cache/`: copied into place, no cost. */
export interface CacheShotPlan extends ShotPlanBase {
  kind: WorkKind;
  source: 'cache';
}

/** A task an earlier build paid for (the journal) is polled and collected, no new cost. */
export interface InFlightShotPlan extends ShotPlanBase {
  kind: WorkKind;
  source: 'in-flight';
  /** The recorded task to resume. */
  inFlightTaskId: string;
}

/** The team cache holds this fingerprint's result: fetched, verified, no cost (plan/free-sources.ts). */
export interface TeamShotPlan extends ShotPlanBase {
  kind: WorkKind;
  source: 'team';
}

/**
 * bach.lock names a task for this exact request and the API still serves its result: downloaded,
 * verified against the lock's sha256, no cost (plan/free-sources.ts; a build asks before it pays).
 */
export interface EarlierTaskShotPlan extends ShotPlanBase {
  kind: WorkKind;
  source: 'earlier-task';
  /** bach.lock's task for this fingerprint. */
  earlierTaskId: string;
}

/** A new render: paid. */
export interface RenderShotPlan extends ShotPlanBase {
  kind: WorkKind;
  source: 'render';
  /**
   * This exact request was paid for before, but its result expired before it could be downloaded:
   * rendering it again costs again, so the build does it only with --allow-rerender.
   */
  needsRerenderConsent?: boolean;
  /**
   * An earlier create request for this exact request got no answer: the API may have created and
   * billed a task no one can look up. Not sent again (seconds 0) until the person decides: `--force ID`
   * sends it (issue 16, item 3). The build reports the shot as not done.
   */
  heldInDoubt?: boolean;
}

/** A shot's plan, by where its video comes from (`source`). */
export type ShotPlan = IdleShotPlan | CacheShotPlan | InFlightShotPlan | TeamShotPlan | EarlierTaskShotPlan | RenderShotPlan;

export interface RemovedShot {
  id: string;
  previous: LockEntry;
}

export interface UploadNeed {
  sha256: string;
  /** One root-relative path holding these bytes. */
  path: string;
}

export interface PlanTotals {
  create: number;
  update: number;
  restore: number;
  renderAgain: number;
  unchanged: number;
  /** Of the unchanged: outputs altered by hand, kept (a paid render would overwrite them; `--force ID` does). */
  kept: number;
  skipped: number;
  removed: number;
  /** Shots whose video comes from the cache / from a task already paid for (no new cost). */
  fromCache: number;
  inFlight: number;
  /** Shots whose video the team cache holds (present only when `plan` consulted a team cache). */
  fromTeam?: number;
  /** Shots whose video the API still serves from the task bach.lock names (present only when `plan` asked the API). */
  fromEarlierTasks?: number;
  /** Seconds of video that new renders will generate: what the build costs. */
  secondsToGenerate: number;
  /** Shots held because an earlier create for them may have been billed (not sent; `--force ID` sends). */
  heldInDoubt: number;
  /**
   * Seconds earlier builds may already have been billed for shots with an unanswered create (held or
   * forced). Forced ones count against `--max-seconds` with what they generate (`budgetSeconds`).
   */
  secondsPossiblyBilled: number;
  /** Distinct images (by content) that must be uploaded. */
  imagesToUpload: number;
}

export interface Plan {
  planVersion: typeof PLAN_VERSION;
  /** In storyboard order. */
  shots: ShotPlan[];
  /** In the lockfile, no longer in the manifest; sorted by id. */
  removed: RemovedShot[];
  uploads: UploadNeed[];
  totals: PlanTotals;
  /** True when a build would do anything (Terraform's "changes pending"). */
  changes: boolean;
  /** Outputs of shots no longer in the manifest, root-relative (plan/stray-outputs.ts); not a change. */
  strayOutputs?: string[];
}
