import type { Lockfile, LockEntry } from '../../src/lock/types.js';
import type { ImageRef, Manifest, Shot } from '../../src/manifest/types.js';
import { createPlan, outputPathFor, type OutputState, type PlanInputs } from '../../src/plan/create-plan.js';
import type { Plan } from '../../src/plan/types.js';

// Small builders for the pure core: a shot, a manifest, digests, and "the lockfile a build of this
// manifest would have written" — so each test states only what differs.

export function makeShot(overrides: Partial<Shot> & { id: string }): Shot {
  const mode = overrides.mode ?? 'text-to-video';
  const base: Shot = {
    id: overrides.id,
    index: 0,
    mode,
    model: 'bach-1.0-preview',
    generateAudio: false,
    enhancePrompt: true,
    cfgScale: 5,
    resolution: '1080p',
    aspectRatio: '16:9',
    duration: mode === 'text-to-video' ? 6 : 5,
    fps: 24,
    pos: { line: 1, col: 1 },
    ...(mode === 'image-to-video' ? { image: file('frames/a.png'), enableModeration: false } : {}),
    ...(mode === 'multi-image-to-video' ? { images: [file('frames/a.png')] } : {}),
    prompt: { kind: 'text', text: `prompt of ${overrides.id}` },
  };
  return { ...base, ...overrides };
}

export function file(path: string): ImageRef & { kind: 'file' } {
  return { kind: 'file', path };
}

export function url(href: string): ImageRef {
  return { kind: 'url', url: href };
}

export function makeManifest(shots: Shot[], overrides: Partial<Manifest> = {}): Manifest {
  return {
    file: '/project/bach.yaml',
    root: '/project',
    version: 1,
    name: 'project',
    output: 'renders',
    cut: false,
    shots: shots.map((shot, index) => ({ ...shot, index })),
    ...overrides,
  };
}

/** Fake digests: every path maps to sha256-like hex derived from its content label. */
export function digestsOf(files: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(files).map(([path, content]) => [path, fakeSha(content)]));
}

export function fakeSha(label: string): string {
  let hex = '';
  for (const char of label) hex += char.charCodeAt(0).toString(16).padStart(2, '0');
  return (hex + '0'.repeat(64)).slice(0, 64);
}

export function planInputs(manifest: Manifest, digests: Map<string, string>, overrides: Partial<PlanInputs> = {}): PlanInputs {
  return {
    manifest,
    digests,
    lock: { lockfileVersion: 1, shots: {} },
    outputs: new Map(),
    cached: new Set(),
    inFlight: new Map(),
    uploaded: new Set(),
    ...overrides,
  };
}

/**
 * The lockfile and output states a complete build of `manifest` leaves behind: every shot rendered,
 * every output present with the recorded hash.
 */
export function builtState(manifest: Manifest, digests: Map<string, string>): { lock: Lockfile; outputs: Map<string, OutputState> } {
  const plan = createPlan(planInputs(manifest, digests));
  const shots: Record<string, LockEntry> = {};
  const outputs = new Map<string, OutputState>();
  for (const s of plan.shots) {
    const sha256 = fakeSha(`video of ${s.fingerprint}`);
    shots[s.shot.id] = {
      fingerprint: s.fingerprint,
      mode: s.shot.mode,
      request: s.request,
      seed: s.seed,
      taskId: `task-${s.shot.id}`,
      output: { path: outputPathFor(manifest, s.shot.id), size: 1000, sha256 },
    };
    outputs.set(outputPathFor(manifest, s.shot.id), { exists: true, size: 1000, sha256 });
  }
  return { lock: { lockfileVersion: 1, shots }, outputs };
}

export function shotPlan(plan: Plan, id: string) {
  const found = plan.shots.find((s) => s.shot.id === id);
  if (!found) throw new Error(`no shot ${id} in plan`);
  return found;
}
