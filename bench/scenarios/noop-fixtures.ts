import { copyFile, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJsonPretty as canonicalJson } from '../../src/util/canonical-json.js';
import type { EmulatorProcess } from '../lib/emulator.js';
import { imageStoryboard, resetProject, writeImages, writeStoryboard } from '../lib/fixtures.js';
import { hasStamp, writeStamp } from '../lib/fixture-stamp.js';
import { expectNoChanges, renderFully } from '../lib/project.js';

// The two rendered storyboards of the no-op figure.
//
// 1,000 shots / 300 images (200 KB PNGs) are rendered for real against the emulator (0-s tasks).
//
// 10,000 shots / 3,000 images cannot be rendered that way inside the bench's time budget: a first
// build rewrites the whole bach.lock after every finished shot (~10 µs per entry per rewrite, so
// ~5 µs × N² in all: ~9 minutes of lockfile writing alone at N = 10,000; see docs/performance.md).
// So it is assembled from the 1,000-shot render instead: shot i repeats the request of shot
// i mod 1,000 (same prompt, seed and image bytes, so the same fingerprint), with its own id, its
// own output file and its own image file. The lockfile is written in bach.lock's documented
// canonical form; `plan --detailed-exitcode` then fills .bach/hashes.json and proves that nothing
// is left to do (the scenario's untimed warm-up run follows). A no-op does the same work per shot
// whether or not two shots share a request: parse, stat, fingerprint, compare.

export const SMALL = { shots: 1_000, images: 300 };
export const LARGE = { shots: 10_000, images: 3_000 };
const IMAGE_BYTES = 200 * 1024;

const RECIPE = 'rendered-storyboards/1';

export interface RenderedProjects {
  small: string;
  large: string;
  /** Wall time of the real first build of the small project; undefined when kept from an earlier run. */
  firstBuildMs?: number;
}

/** Both rendered projects under `dir` (shared by the no-op and plan scenarios), made once per bench run. */
export async function ensureRenderedProjects(dir: string, emulator: EmulatorProcess, log: (message: string) => void): Promise<RenderedProjects> {
  const small = join(dir, 'small');
  const large = join(dir, 'large');
  if ((await hasStamp(dir, RECIPE)) && (await stillRendered([small, large], emulator))) return { small, large };
  await mkdir(dir, { recursive: true });
  log(`rendering ${SMALL.shots} shots / ${SMALL.images} images (0-s tasks)…`);
  const firstBuildMs = await createSmallProject(small, emulator);
  log(`assembling ${LARGE.shots} shots / ${LARGE.images} images from it…`);
  await createLargeProject(large, small, emulator);
  await writeStamp(dir, RECIPE);
  return { small, large, firstBuildMs };
}

async function stillRendered(roots: string[], emulator: EmulatorProcess): Promise<boolean> {
  try {
    for (const root of roots) await expectNoChanges(root, emulator);
    return true;
  } catch {
    return false;
  }
}

const id = (i: number) => `s${String(i).padStart(5, '0')}`;
const image = (i: number) => `images/i${String(i).padStart(4, '0')}.png`;

async function createSmallProject(root: string, emulator: EmulatorProcess): Promise<number> {
  await resetProject(root);
  const images = await writeImages(root, SMALL.images, IMAGE_BYTES);
  await writeStoryboard(root, imageStoryboard(SMALL.shots, images));
  return renderFully(root, emulator);
}

interface LockShape {
  lockfileVersion: number;
  shots: Record<string, { output: { path: string } } & Record<string, unknown>>;
}

async function createLargeProject(root: string, small: string, emulator: EmulatorProcess): Promise<void> {
  await resetProject(root);
  await mkdir(join(root, 'images'), { recursive: true });
  await mkdir(join(root, 'renders'), { recursive: true });
  // Image j is used by shots i ≡ j (mod 3,000), whose 1,000-shot twin i mod 1,000 uses image (j mod 1,000) mod 300.
  await inBatches(LARGE.images, (j) => copyFile(join(small, image((j % SMALL.shots) % SMALL.images)), join(root, image(j))));

  const lines = ['version: 1', 'defaults: { resolution: 720p, duration: 1 }', 'shots:'];
  for (let i = 0; i < LARGE.shots; i++) {
    const twin = i % SMALL.shots;
    lines.push(`  - { id: ${id(i)}, mode: image-to-video, image: ${image(i % LARGE.images)}, prompt: "Scene ${twin}, slow pan", seed: ${twin} }`);
  }
  await writeStoryboard(root, `${lines.join('\n')}\n`);

  const smallLock = JSON.parse(await readFile(join(small, 'bach.lock'), 'utf8')) as LockShape;
  const shots: LockShape['shots'] = {};
  for (let i = 0; i < LARGE.shots; i++) {
    const twin = smallLock.shots[id(i % SMALL.shots)];
    if (!twin) throw new Error(`the 1,000-shot lockfile has no entry ${id(i % SMALL.shots)}`);
    shots[id(i)] = { ...twin, output: { ...twin.output, path: `renders/${id(i)}.mp4` } };
  }
  await writeFile(join(root, 'bach.lock'), canonicalJson({ lockfileVersion: smallLock.lockfileVersion, shots }));
  await inBatches(LARGE.shots, (i) => copyFile(join(small, 'renders', `${id(i % SMALL.shots)}.mp4`), join(root, 'renders', `${id(i)}.mp4`)));
  // The result cache, so the project is what a real build leaves (undo restores from it).
  await cp(join(small, '.bach', 'cache'), join(root, '.bach', 'cache'), { recursive: true });
  // Fills .bach/hashes.json (a real first run after a checkout does the same) and proves there is
  // nothing to render before any build runs: a mistake here must fail, not start 10,000 renders.
  await expectNoChanges(root, emulator);
}

async function inBatches(count: number, work: (i: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < count; start += 64) {
    await Promise.all(Array.from({ length: Math.min(64, count - start) }, (_, k) => work(start + k)));
  }
}
