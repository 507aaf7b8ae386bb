import { basename, extname, relative, sep } from 'node:path';
import { listLocalFiles } from '../manifest/list-local-files.js';
import type { ManifestSource } from '../manifest/load.js';
import type { Manifest } from '../manifest/types.js';

// The explicit list of files watch mode watches: the manifest, every local image and subject image
// it references, every prompt_file — root-relative POSIX, sorted.
//
// Never what bach-render writes itself, so that a run's own writes cannot trigger a run: `.bach/`
// (caches, journal, process lock), the lockfile, and the videos `<output>/<id>.mp4`. Inputs can
// legitimately live in the output folder (a still exported next to the videos); only the video
// names are left out, so such an input is still watched.
//
// When the manifest does not load, the list is the last good one plus whatever the broken text still
// references (when it parses at all): a reference to a file that does not exist yet is an invalid
// manifest, and creating that file is how the user fixes it — so it must be watched too.

export function listWatchFiles(manifest: Manifest): string[] {
  const manifestPath = toRootRelative(manifest.root, manifest.file);
  const outputs = new Set(manifest.shots.map((shot) => joinPosix(manifest.output, `${shot.id}.mp4`)));
  return keepInputs([manifestPath, ...listLocalFiles(manifest)], manifestPath, (path) => outputs.has(path));
}

/** Files worth watching for an invalid manifest: the manifest plus what its text references. */
export async function listFilesOfInvalid(source: ManifestSource, root: string): Promise<string[]> {
  const manifestPath = toRootRelative(root, source.absFile);
  // Imported on demand: the yaml parser is needed only when a save broke the manifest.
  const { prepareManifest } = await import('../manifest/pipeline.js');
  const prepared = prepareManifest(source.text, { file: source.file });
  const referenced = prepared.ok ? [...prepared.prepared.files.keys()] : [];
  const output = prepared.ok ? prepared.prepared.output : undefined;
  const isVideo = (path: string) => output !== undefined && extname(path) === '.mp4' && parentOf(path) === normalizeFolder(output);
  return keepInputs([manifestPath, ...referenced], manifestPath, isVideo);
}

function keepInputs(paths: readonly string[], manifestPath: string, isOutput: (path: string) => boolean): string[] {
  const lockPath = joinPosix(parentOf(manifestPath), `${basename(manifestPath, extname(manifestPath))}.lock`);
  const own = (path: string) => path === '.bach' || path.startsWith('.bach/') || path === lockPath || isOutput(path);
  return [...new Set(paths)].filter((path) => path === manifestPath || !own(path)).sort();
}

export function toRootRelative(root: string, absolute: string): string {
  return relative(root, absolute).split(sep).join('/');
}

function joinPosix(folder: string, name: string): string {
  const base = normalizeFolder(folder);
  return base === '' ? name : `${base}/${name}`;
}

function normalizeFolder(folder: string): string {
  const trimmed = folder.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '');
  return trimmed === '.' ? '' : trimmed;
}

function parentOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}
