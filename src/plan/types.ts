import type { RequestBody, RequestValue } from '../api/requests.js';
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

/** Where the video will come from: a new paid render, the local cache, or a task already paid for. */
export type WorkSource = 'render' | 'cache' | 'in-flight';

export type ReasonKind =
  | 'new' | 'field' | 'file' | 'mode' | 'output-missing' | 'output-altered' | 'output-moved' | 'forced' | 'result-expired' | 'lockfile';

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

export interface ShotPlan {
  kind: ActionKind;
  shot: Shot;
  fingerprint: string;
  /** The fingerprinted request (local files as `{ sha256 }`), what the lockfile will record. */
  request: RequestBody;
  seed: number;
  /** null for unchanged and skipped shots. */
  source: WorkSource | null;
  reasons: Reason[];
  /** Root-relative POSIX path of `<output>/<id>.mp4`. */
  outputPath: string;
  previous?: LockEntry;
  /** Seconds of video this shot will be billed for in this build (0 unless source is `render`). */
  seconds: number;
  /** The recorded task to resume, when source is `in-flight`. */
  inFlightTaskId?: string;
  /**
   * This exact request was paid for before, but its result expired before it could be downloaded:
   * rendering it again costs again, so the build does it only with --allow-rerender.
   */
  needsRerenderConsent?: boolean;
}

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
  skipped: number;
  removed: number;
  /** Shots whose video comes from the cache / from a task already paid for (no new cost). */
  fromCache: number;
  inFlight: number;
  /** Seconds of video that new renders will generate: what the build costs. */
  secondsToGenerate: number;
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
}
