import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '../manifest/types.js';
import type { PlanJson } from '../plan/plan-json.js';
import { createReviewPage } from './create-review-page.js';
import type { ReviewData, RunOverlay, VideoFile } from './review-data.js';
import { writeReviewPage, type WrittenPage } from './write-review-page.js';

// What `review` does and what every build does after it (the build integration calls this): make the
// page's data from the project's plan, draw the page, write it when it changed. Returns the data too,
// for a live server to push (review-server.ts).

export interface ReviewSource {
  manifest: Pick<Manifest, 'root' | 'output' | 'name'>;
  planJson: PlanJson;
  videos: Readonly<Record<string, VideoFile | null>>;
}

export async function updateReviewPage(source: ReviewSource, run: RunOverlay): Promise<WrittenPage & { data: ReviewData }> {
  const data = await readReviewData(source, run);
  const written = await writeReviewPage(source.manifest.root, source.manifest.output, createReviewPage(data));
  return { ...written, data };
}

/** The page's data: the plan, the videos, the run overlay, and the film when `cut` has written one. */
export async function readReviewData(source: ReviewSource, run: RunOverlay): Promise<ReviewData> {
  const { manifest } = source;
  const prefix = manifest.output === '.' || manifest.output === '' ? '' : `${manifest.output}/`;
  const film = { file: `${prefix}${manifest.name}.mp4`, otio: `${prefix}${manifest.name}.otio` };
  const [filmExists, otioExists] = await Promise.all([isFile(join(manifest.root, film.file)), isFile(join(manifest.root, film.otio))]);
  return {
    title: manifest.name,
    output: manifest.output,
    plan: source.planJson,
    videos: source.videos,
    run,
    ...(filmExists && otioExists ? { film } : {}),
  };
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((stats) => stats.isFile(), () => false);
}
