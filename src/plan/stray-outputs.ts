import type { Manifest } from '../manifest/types.js';
import { outputPathFor } from './create-plan.js';

// Outputs of shots no longer in the manifest (pure): `<output>/<id>.mp4` files whose id names no
// shot. Listed by every plan until removed (`bach-render clean` removes them), so a removed shot's
// video is never forgotten in the folder (issue 15, item 6). Not strays: the film `<name>.mp4` and a
// hand-altered copy kept aside (`<id>.altered-<stamp>.mp4`), which are the person's.

const SHOT_FILE = /^([a-z0-9][a-z0-9_-]{0,63})\.mp4$/;

export function findStrayOutputs(manifest: Manifest, videoNames: readonly string[]): string[] {
  const shots = new Set(manifest.shots.map((shot) => shot.id));
  const strays: string[] = [];
  for (const name of videoNames) {
    const id = SHOT_FILE.exec(name)?.[1];
    if (!id || shots.has(id) || name === `${manifest.name}.mp4`) continue;
    strays.push(outputPathFor(manifest, id));
  }
  return strays.sort();
}
