import { frameSize } from '../contract/capabilities.js';
import type { ImageRef, Shot } from '../manifest/types.js';
import type { RequestValue } from '../contract/create-request.js';
import type { Plan } from './types.js';

// The machine-readable plan (`bach-render plan --json`), documented in README "Plan JSON". Stable:
// fields are only ever added; a breaking change bumps planVersion. The review page (src/review/) is
// drawn from this same data, so what a shot is (prompt, mode, images, settings) is here too.

export interface PlanJson {
  planVersion: 1;
  manifest: string;
  changes: boolean;
  totals: Plan['totals'];
  shots: PlanJsonShot[];
  removed: { id: string; fingerprint: string; output: string }[];
  /** Outputs of shots no longer in the manifest, until `clean` removes them (added in 0.4; planVersion still 1). */
  strayOutputs: string[];
  uploads: { path: string; sha256: string }[];
}

export interface PlanJsonShot {
  id: string;
  action: Plan['shots'][number]['kind'];
  source: Plan['shots'][number]['source'];
  fingerprint: string;
  previousFingerprint: string | null;
  seed: number;
  seconds: number;
  output: string;
  /** `from`/`to` (added in 0.2, planVersion still 1): on field, file and mode reasons, the values before and after. */
  reasons: { kind: string; field?: string; path?: string; text: string; from?: RequestValue | null; to?: RequestValue | null }[];
  taskId: string | null;
  /** Unchanged, with its output altered by hand and kept (added in 0.3, planVersion still 1). */
  kept?: true;
  /** Held: an earlier create for it got no answer and may be billed; not sent until --force (planVersion still 1). */
  heldInDoubt?: true;
  // What the shot is (added with the review page).
  mode: Shot['mode'];
  model: string;
  /** The prompt's text: written inline, or read from `promptFile` when the caller passed its text; else null. */
  prompt: string | null;
  /** The `prompt_file` path (root-relative), or null for an inline prompt. */
  promptFile: string | null;
  negativePrompt: string | null;
  audioPrompt: string | null;
  generateAudio: boolean;
  /** The shot's own input images in order: `image` (image-to-video) or `images` (multi-image-to-video). */
  images: PlanJsonImage[];
  subject: { key: string; name: string; type: string; description: string | null; images: PlanJsonImage[] } | null;
  resolution: Shot['resolution'];
  aspectRatio: Shot['aspectRatio'];
  /** The frame size the API renders for this resolution and aspect ratio. */
  width: number;
  height: number;
  duration: number;
  fps: number;
}

/** A local file (root-relative POSIX path) or a URL passed through to the API. */
export type PlanJsonImage = { kind: 'file'; path: string } | { kind: 'url'; url: string };

export interface PlanJsonOptions {
  /** Texts of `prompt_file`s by root-relative path; without them a file prompt's `prompt` is null. */
  promptTexts?: ReadonlyMap<string, string>;
}

export function createPlanJson(plan: Plan, manifestName: string, options: PlanJsonOptions = {}): PlanJson {
  return {
    planVersion: plan.planVersion,
    manifest: manifestName,
    changes: plan.changes,
    totals: plan.totals,
    shots: plan.shots.map((s) => ({
      id: s.shot.id,
      action: s.kind,
      source: s.source,
      fingerprint: s.fingerprint,
      previousFingerprint: s.previous?.fingerprint ?? null,
      seed: s.seed,
      seconds: s.seconds,
      output: s.outputPath,
      reasons: s.reasons.map((r) => ({
        kind: r.kind,
        ...(r.field ? { field: r.field } : {}),
        ...(r.path ? { path: r.path } : {}),
        text: r.text,
        ...('from' in r ? { from: r.from ?? null, to: r.to ?? null } : {}),
      })),
      taskId: s.source === 'in-flight' ? s.inFlightTaskId : s.source === 'earlier-task' ? s.earlierTaskId : null,
      ...(s.source === null && s.kept === true ? { kept: true } : {}),
      ...(s.source === 'render' && s.heldInDoubt === true ? { heldInDoubt: true } : {}),
      ...describeShot(s.shot, options),
    })),
    removed: plan.removed.map((r) => ({ id: r.id, fingerprint: r.previous.fingerprint, output: r.previous.output.path })),
    strayOutputs: plan.strayOutputs ?? [],
    uploads: plan.uploads.map((u) => ({ path: u.path, sha256: u.sha256 })),
  };
}

function describeShot(shot: Shot, options: PlanJsonOptions): Omit<PlanJsonShot, 'id' | 'action' | 'source' | 'fingerprint' | 'previousFingerprint' | 'seed' | 'seconds' | 'output' | 'reasons' | 'taskId'> {
  const prompt = shot.prompt;
  const { width, height } = frameSize(shot.resolution, shot.aspectRatio);
  return {
    mode: shot.mode,
    model: shot.model,
    prompt: prompt === undefined ? null : prompt.kind === 'text' ? prompt.text : (options.promptTexts?.get(prompt.path) ?? null),
    promptFile: prompt?.kind === 'file' ? prompt.path : null,
    negativePrompt: shot.negativePrompt ?? null,
    audioPrompt: shot.audioPrompt ?? null,
    generateAudio: shot.generateAudio,
    images: [...(shot.image ? [shot.image] : []), ...(shot.images ?? [])].map(describeImage),
    subject: shot.subject
      ? {
          key: shot.subject.key,
          name: shot.subject.name,
          type: shot.subject.type,
          description: shot.subject.description ?? null,
          images: shot.subject.images.map(describeImage),
        }
      : null,
    resolution: shot.resolution,
    aspectRatio: shot.aspectRatio,
    width,
    height,
    duration: shot.duration,
    fps: shot.fps,
  };
}

function describeImage(ref: ImageRef): PlanJsonImage {
  return ref.kind === 'file' ? { kind: 'file', path: ref.path } : { kind: 'url', url: ref.url };
}
