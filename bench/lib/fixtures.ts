import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createPngMaker } from './png.js';

// Storyboards and images for the scenarios, written under bench/.work/. Everything is derived from
// counts and seeds, so two runs of the bench (or two machines) build byte-identical projects.

/** Writes `count` distinct PNGs of about `bytes` each as images/i0000.png…; returns their paths. */
export async function writeImages(root: string, count: number, bytes: number, seedBase = 0): Promise<string[]> {
  await mkdir(join(root, 'images'), { recursive: true });
  const make = createPngMaker(bytes);
  const paths = Array.from({ length: count }, (_, i) => `images/i${String(i).padStart(4, '0')}.png`);
  // A few files in flight: enough to keep the disk busy, little memory (the padding is shared).
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const file = await open(join(root, paths[i]!), 'w');
      try {
        await file.writev(make(seedBase + i));
      } finally {
        await file.close();
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return paths;
}

/** `shots` image-to-video shots (1 s, 720p) cycling through `images`; fixed seeds, stable fingerprints. */
export function imageStoryboard(shots: number, images: readonly string[]): string {
  const lines = ['version: 1', 'defaults: { resolution: 720p, duration: 1 }', 'shots:'];
  for (let i = 0; i < shots; i++) {
    const id = `s${String(i).padStart(5, '0')}`;
    lines.push(`  - { id: ${id}, mode: image-to-video, image: ${images[i % images.length]}, prompt: "Scene ${i}, slow pan", seed: ${i} }`);
  }
  return `${lines.join('\n')}\n`;
}

export interface TextShot {
  id: string;
  prompt: string;
  seed: number;
}

/** `count` text-to-video shots; `tag` varies the prompts (and so the fingerprints) between projects. */
export function textShots(count: number, tag = 'Scene'): TextShot[] {
  return Array.from({ length: count }, (_, i) => ({ id: `t${String(i).padStart(3, '0')}`, prompt: `${tag} ${i}, waves at dusk`, seed: i }));
}

/** A storyboard of text-to-video shots (6 s, the only text duration). */
export function textStoryboard(shots: readonly TextShot[], resolution: '720p' | '1080p' = '720p'): string {
  const lines = ['version: 1', `defaults: { resolution: ${resolution} }`, 'shots:'];
  for (const shot of shots) lines.push(`  - { id: ${shot.id}, mode: text-to-video, prompt: "${shot.prompt}", seed: ${shot.seed} }`);
  return `${lines.join('\n')}\n`;
}

/** The API request bach-render sends for a TextShot at 720p, as the sample-code baseline sends it. */
export function textShotBody(shot: TextShot): Record<string, unknown> {
  return { model_name: 'bach-1.0-preview', prompt: shot.prompt, resolution: '720p', aspect_ratio: '16:9', duration: 6, fps: 24, seed: shot.seed };
}

export async function writeStoryboard(root: string, text: string): Promise<void> {
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'bach.yaml'), text);
}

/** Forgets every build: lockfile, outputs and .bach/ (hash cache, uploads, journal, result cache). */
export async function resetProject(root: string): Promise<void> {
  await Promise.all(['bach.lock', 'renders', '.bach'].map((name) => rm(join(root, name), { recursive: true, force: true })));
}
