import type { Manifest, Shot } from '../../src/manifest/types.js';
import { createPlan } from '../../src/plan/create-plan.js';
import { createPlanJson, type PlanJson } from '../../src/plan/plan-json.js';
import { emptyRunOverlay, type ReviewData, type RunOverlay, type VideoFile } from '../../src/review/review-data.js';
import { builtState, digestsOf, fakeSha, makeManifest, planInputs } from './builders.js';

// Review-page data for tests, made the way the command makes it: a manifest, the state a build of
// `built` left behind (lockfile + outputs), a plan of `current` against it, the plan's JSON.

export interface ReviewFixture {
  /** The storyboard as last built (default: `current`). */
  built?: Shot[];
  /** Shots that have no video on disk. */
  missing?: string[];
  /** Shots never built (not in the lockfile). */
  unbuilt?: string[];
  run?: RunOverlay;
  files?: Record<string, string>;
  manifest?: Partial<Manifest>;
  /** Per shot id: the video's sha256 (default: derived from the id). */
  videoShas?: Record<string, string>;
}

export function createTestPlanJson(current: Shot[], fixture: ReviewFixture = {}): PlanJson {
  const digests = digestsOf(fixture.files ?? { 'frames/a.png': 'A' });
  const unbuilt = new Set(fixture.unbuilt ?? []);
  const builtShots = (fixture.built ?? current).filter((shot) => !unbuilt.has(shot.id));
  const state = builtState(makeManifest(builtShots, fixture.manifest), digests);
  for (const id of fixture.missing ?? []) state.outputs.delete(`renders/${id}.mp4`);
  const plan = createPlan(planInputs(makeManifest(current, fixture.manifest), digests, state));
  return createPlanJson(plan, 'bach.yaml');
}

export function createTestReviewData(current: Shot[], fixture: ReviewFixture = {}): ReviewData {
  const plan = createTestPlanJson(current, fixture);
  const gone = new Set([...(fixture.missing ?? []), ...(fixture.unbuilt ?? [])]);
  const videos: Record<string, VideoFile | null> = {};
  for (const shot of current) videos[shot.id] = gone.has(shot.id) ? null : { size: 1000, sha256: fixture.videoShas?.[shot.id] ?? fakeSha(`video-${shot.id}`) };
  return { title: 'The Film', output: 'renders', plan, videos, run: fixture.run ?? emptyRunOverlay() };
}
