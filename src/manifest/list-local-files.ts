import type { ImageRef, Manifest } from './types.js';

// The local files a resolved manifest depends on (root-relative POSIX, unique, sorted): watch
// mode watches exactly these plus the manifest; `validate` counts the images among them.

export function listLocalFiles(manifest: Manifest): string[] {
  const files = new Set(listLocalImages(manifest));
  for (const shot of manifest.shots) if (shot.prompt?.kind === 'file') files.add(shot.prompt.path);
  return [...files].sort();
}

/** Local images only (shot images and the images of the subjects shots use). */
export function listLocalImages(manifest: Manifest): string[] {
  const files = new Set<string>();
  const add = (ref: ImageRef) => {
    if (ref.kind === 'file') files.add(ref.path);
  };
  for (const shot of manifest.shots) {
    if (shot.image) add(shot.image);
    shot.images?.forEach(add);
    shot.subject?.images.forEach(add);
  }
  return [...files].sort();
}
