import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadManifest, type LoadResult } from '../manifest/load.js';
import type { Manifest } from '../manifest/types.js';
import { createPlan, outputPathFor } from '../plan/create-plan.js';
import { createPlanJson, type PlanJson } from '../plan/plan-json.js';
import type { Plan } from '../plan/types.js';
import { createPlanInputs } from '../project/create-plan-inputs.js';
import { readProject } from '../project/read-project.js';
import { writeProjectCaches } from '../project/write-project-caches.js';
import { hashFiles } from '../state/hash-files.js';
import type { VideoFile } from './review-data.js';

// The one place `review` and `cut` read a project: load the manifest, read the project through the
// front hall (readProject → createPlanInputs → createPlan, exactly as `plan` does), then the few
// facts the page and the cut need beyond the plan (prompt files' texts, every video on disk). It
// writes only the hash cache (a cache). Uploads only change the plan's image count, which neither
// the page nor the cut shows, so no API origin is consulted.

export type ProjectPlan =
  | { ok: true; loaded: LoadResult & { ok: true }; manifest: Manifest; plan: Plan; planJson: PlanJson; videos: Record<string, VideoFile | null>; notices: string[] }
  | { ok: false; loaded: LoadResult & { ok: false } };

export async function readProjectPlan(path: string, context: { cwd: string }): Promise<ProjectPlan> {
  const loaded = await loadManifest(path, { cwd: context.cwd, cache: true });
  if (!loaded.ok) return { ok: false, loaded };
  const { manifest } = loaded;
  const project = await readProject(manifest, { label: loaded.source.file, origin: null, now: Date.now });
  const plan = createPlan(createPlanInputs(project, { only: [], force: [] }));
  const outputs = manifest.shots.map((shot) => outputPathFor(manifest, shot.id));
  const [hashed, promptTexts] = await Promise.all([
    hashFiles(outputs, { root: manifest.root, cache: project.hashCache, now: Date.now }),
    readPromptTexts(manifest),
  ]);
  await writeProjectCaches(project);
  const videos: Record<string, VideoFile | null> = {};
  for (const shot of manifest.shots) {
    const file = hashed.get(outputPathFor(manifest, shot.id));
    videos[shot.id] = file ? { size: file.size, sha256: file.sha256 } : null;
  }
  const planJson = createPlanJson(plan, loaded.source.file, { promptTexts });
  return { ok: true, loaded, manifest, plan, planJson, videos, notices: project.notices };
}

/** The texts of the shots' prompt files (the loader checked each is UTF-8 text inside the project). */
async function readPromptTexts(manifest: Manifest): Promise<Map<string, string>> {
  const files = new Set<string>();
  for (const shot of manifest.shots) if (shot.prompt?.kind === 'file') files.add(shot.prompt.path);
  const texts = new Map<string, string>();
  await Promise.all(
    [...files].map(async (file) => {
      const text = await readFile(join(manifest.root, file), 'utf8').catch(() => null);
      // The same normalisation as the request: no byte-order mark, no surrounding whitespace.
      if (text !== null) texts.set(file, text.replace(/^\uFEFF/, '').trim());
    }),
  );
  return texts;
}
