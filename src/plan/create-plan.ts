import type { LockEntry, Lockfile } from '../lock/types.js';
import type { ImageRef, Manifest, Shot } from '../manifest/types.js';
import { describeChanges } from './describe-changes.js';
import { buildFingerprintRequest, deriveSeed, fingerprintRequest, type InputDigests } from '../contract/fingerprint.js';
import {
  PLAN_VERSION,
  type CacheShotPlan,
  type InFlightShotPlan,
  type Plan,
  type PlanTotals,
  type Reason,
  type RemovedShot,
  type RenderShotPlan,
  type ShotPlan,
  type UploadNeed,
  type WorkKind,
} from './types.js';

// The planner: pure. Every input is passed in — file digests, the lockfile, what the outputs on disk
// hash to, which fingerprints the cache holds, which tasks are already paid for — so that it never
// reads the disk, the clock or the network, and a test can build any situation from plain data.

export type OutputState = { exists: false } | { exists: true; size: number; sha256: string };

export interface PlanInputs {
  manifest: Manifest;
  /** sha256 of every local file the manifest references (root-relative path → hex). */
  digests: InputDigests;
  lock: Lockfile;
  /** State of each output file, by root-relative path; a path left out counts as missing. */
  outputs: ReadonlyMap<string, OutputState>;
  /** Fingerprints that have a complete entry in `.bach/cache/`. */
  cached: ReadonlySet<string>;
  /** Fingerprints with a recorded, already-accepted task (the journal): resuming them costs nothing. */
  inFlight: ReadonlyMap<string, { taskId: string }>;
  /** Fingerprints whose paid result expired before download (journal): paying again needs consent. */
  expired?: ReadonlyMap<string, { taskId: string }> | undefined;
  /** `<output>/<id>.mp4` files of ids no shot has (plan/stray-outputs.ts). */
  strayOutputs?: readonly string[] | undefined;
  /** Fingerprints with a create request of unknown outcome (journal `sending`): held until --force. */
  inDoubt?: ReadonlySet<string> | undefined;
  /** Image digests already uploaded to the API in use (for the upload total). */
  uploaded: ReadonlySet<string>;
  /** `--only`: plan just these shots (the others are `skipped`; removed shots are left alone). */
  only?: ReadonlySet<string> | undefined;
  /** `--force`: render these shots again even if unchanged. */
  force?: ReadonlySet<string> | undefined;
}

export function outputPathFor(manifest: Manifest, shotId: string): string {
  return manifest.output === '.' || manifest.output === '' ? `${shotId}.mp4` : `${manifest.output}/${shotId}.mp4`;
}

export function createPlan(inputs: PlanInputs): Plan {
  const { manifest, lock, only } = inputs;
  const shots = manifest.shots.map((shot) => planShot(shot, inputs));
  const ids = new Set(manifest.shots.map((shot) => shot.id));
  const removed: RemovedShot[] = only
    ? []
    : Object.keys(lock.shots)
        .filter((id) => !ids.has(id))
        .sort()
        .map((id) => ({ id, previous: lock.shots[id]! }));
  const uploads = collectUploads(shots, inputs);
  const totals = countTotals(shots, removed, uploads);
  const changes = removed.length > 0 || shots.some((s) => s.kind !== 'unchanged' && s.kind !== 'skipped');
  // A shot removed by this very plan is said once, as removed; from the next plan on, its video is a stray.
  const removedOutputs = new Set(removed.map((r) => r.previous.output.path));
  const strayOutputs = (inputs.strayOutputs ?? []).filter((path) => !removedOutputs.has(path));
  return { planVersion: PLAN_VERSION, shots, removed, uploads, totals, changes, ...(strayOutputs.length > 0 ? { strayOutputs } : {}) };
}

function planShot(shot: Shot, inputs: PlanInputs): ShotPlan {
  const previous: LockEntry | undefined = inputs.lock.shots[shot.id];
  const seed = shot.seed ?? previous?.seed ?? deriveSeed(shot, inputs.digests);
  const { body: request } = buildFingerprintRequest(shot, inputs.digests, seed);
  const fingerprint = fingerprintRequest(shot.mode, request);
  const outputPath = outputPathFor(inputs.manifest, shot.id);
  const base = { shot, fingerprint, mode: shot.mode, request, seed, outputPath, ...(previous ? { previous } : {}) };
  // A video already in the cache beats a recorded task (it may be that task's result, collected just
  // before a crash); a recorded task beats a new render, which alone costs.
  const work = (kind: WorkKind, reasons: Reason[]): CacheShotPlan | InFlightShotPlan | RenderShotPlan => {
    if (inputs.cached.has(fingerprint)) return { ...base, kind, reasons, source: 'cache', seconds: 0 };
    const recorded = inputs.inFlight.get(fingerprint);
    if (recorded) return { ...base, kind, reasons, source: 'in-flight', inFlightTaskId: recorded.taskId, seconds: 0 };
    return render(kind, reasons);
  };
  const render = (kind: WorkKind, reasons: Reason[]): RenderShotPlan => {
    if (inputs.inDoubt?.has(fingerprint)) {
      const held: Reason = { kind: 'in-doubt', text: `an earlier create request got no answer: it may already be billed (${shot.duration} s); not sent again — --force ${shot.id} sends it` };
      return { ...base, kind, reasons: [...reasons, held], source: 'render', seconds: 0, heldInDoubt: true };
    }
    const expired = inputs.expired?.get(fingerprint);
    if (!expired) return { ...base, kind, reasons, source: 'render', seconds: shot.duration };
    const lost: Reason = { kind: 'result-expired', text: `the paid result of task ${expired.taskId} expired before download` };
    return { ...base, kind, reasons: [...reasons, lost], source: 'render', seconds: shot.duration, needsRerenderConsent: true };
  };

  if (inputs.only && !inputs.only.has(shot.id)) {
    return { ...base, kind: 'skipped', source: null, reasons: [], seconds: 0 };
  }
  if (inputs.force?.has(shot.id)) {
    const reasons: Reason[] = [{ kind: 'forced', text: 'forced (--force)' }];
    if (inputs.inDoubt?.has(fingerprint)) reasons.push({ kind: 'in-doubt', text: `an earlier create request got no answer: it may already be billed (${shot.duration} s)` });
    return { ...base, kind: previous ? 'render-again' : 'create', source: 'render', reasons, seconds: shot.duration };
  }
  if (!previous) return work('create', [{ kind: 'new', text: 'new shot' }]);
  if (previous.fingerprint !== fingerprint) {
    const reasons = describeChanges(previous, shot, request);
    // Same request, other fingerprint: the lockfile entry itself changed (a merge, an edit, an older scheme).
    if (reasons.length === 0) reasons.push({ kind: 'lockfile', text: 'the lockfile records another fingerprint for this request' });
    return work('update', reasons);
  }
  const outputReason = checkOutput(previous, outputPath, inputs.outputs.get(outputPath));
  if (!outputReason) return { ...base, kind: 'unchanged', source: null, reasons: [], seconds: 0 };
  const planned = work('render-again', [outputReason]);
  if (planned.source === 'cache') return { ...planned, kind: 'restore' };
  // A hand-altered output is the person's file: a paid render never overwrites it (issue 15, item 1).
  // The shot is kept as it is and reported on every plan; `--force ID` renders it again (above), and a
  // free restore (the cache has the video) moves the altered file aside first (render/keep-altered-output.ts).
  if (planned.source === 'render' && outputReason.kind === 'output-altered') {
    const kept: Reason = { ...outputReason, text: `${outputPath} was altered by hand: kept (not in the cache; --force ${shot.id} renders it again, ${shot.duration} s)` };
    return { ...base, kind: 'unchanged', source: null, reasons: [kept], seconds: 0, kept: true };
  }
  return planned;
}

function checkOutput(previous: LockEntry, outputPath: string, state: OutputState | undefined): Reason | null {
  if (previous.output.path !== outputPath) {
    return { kind: 'output-moved', path: outputPath, text: `output moved to ${outputPath}` };
  }
  if (!state || !state.exists) return { kind: 'output-missing', path: outputPath, text: `${outputPath} is missing` };
  if (state.sha256 !== previous.output.sha256 || state.size !== previous.output.size) {
    return { kind: 'output-altered', path: outputPath, text: `${outputPath} was altered` };
  }
  return null;
}

function collectUploads(shots: ShotPlan[], inputs: PlanInputs): UploadNeed[] {
  const needs = new Map<string, UploadNeed>();
  for (const plan of shots) {
    if (plan.source !== 'render' || plan.heldInDoubt) continue;
    for (const ref of imagesOf(plan.shot)) {
      if (ref.kind !== 'file') continue;
      const sha256 = inputs.digests.get(ref.path);
      if (sha256 === undefined || inputs.uploaded.has(sha256) || needs.has(sha256)) continue;
      needs.set(sha256, { sha256, path: ref.path });
    }
  }
  return [...needs.values()];
}

export function imagesOf(shot: Shot): ImageRef[] {
  return [...(shot.subject?.images ?? []), ...(shot.image ? [shot.image] : []), ...(shot.images ?? [])];
}

function countTotals(shots: ShotPlan[], removed: RemovedShot[], uploads: UploadNeed[]): PlanTotals {
  const count = (kind: ShotPlan['kind']) => shots.filter((s) => s.kind === kind).length;
  return {
    create: count('create'),
    update: count('update'),
    restore: count('restore'),
    renderAgain: count('render-again'),
    unchanged: count('unchanged'),
    kept: shots.filter((s) => s.source === null && s.kept === true).length,
    skipped: count('skipped'),
    removed: removed.length,
    fromCache: shots.filter((s) => s.source === 'cache').length,
    inFlight: shots.filter((s) => s.source === 'in-flight').length,
    secondsToGenerate: shots.reduce((sum, s) => sum + s.seconds, 0),
    heldInDoubt: shots.filter((s) => s.source === 'render' && s.heldInDoubt === true).length,
    secondsPossiblyBilled: shots.filter(hasInDoubtRecord).reduce((sum, s) => sum + s.shot.duration, 0),
    imagesToUpload: uploads.length,
  };
}

function hasInDoubtRecord(shot: ShotPlan): boolean {
  return shot.reasons.some((r) => r.kind === 'in-doubt');
}

/**
 * What `--max-seconds` weighs a plan at: the seconds it generates, plus what earlier, unanswered
 * creates of the shots it sends again (--force) may already have cost (issue 16, item 3: a
 * `--max-seconds 6` build spent 12 s). Held shots are not sent, so they cost nothing more.
 */
export function budgetSeconds(plan: Plan): number {
  const resent = plan.shots.filter((s) => s.source === 'render' && !s.heldInDoubt && hasInDoubtRecord(s));
  return plan.totals.secondsToGenerate + resent.reduce((sum, s) => sum + s.shot.duration, 0);
}
