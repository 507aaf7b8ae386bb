import { posix } from 'node:path';
import { BUILT_IN_DEFAULTS } from './defaults.js';
import { asArray, asRecord, asString, looseShots, looseSubjects } from './loose.js';
import type { PathSegment } from './source-span.js';

// How a string in the manifest that names an image or a file is read (pure):
// - `http://…` / `https://…`: a URL, passed through to the API as written;
// - any other URI scheme (`ftp:`, `file:`, `data:` …): refused — the API fetches http(s) only;
// - an absolute path (`/…`, `C:\…`, `\\server\…`): refused — the storyboard must stay portable;
// - anything else: a path relative to the manifest's folder. Backslashes are read as folder
//   separators (a manifest written on Windows works elsewhere) and the path is normalised to POSIX
//   without `./`, so `./frames//a.png` and `frames/a.png` are the same file.

export type FileUse = 'image' | 'prompt';

export type ClassifiedRef =
  | { kind: 'url'; url: string }
  | { kind: 'file'; path: string }
  | { kind: 'invalid'; code: 'url-scheme' | 'invalid-url' | 'absolute-path' | 'outside-root' | 'not-a-file'; reason: string };

export interface FileReference {
  /** Where the reference is written, e.g. ['shots', 3, 'images', 0]. */
  path: PathSegment[];
  raw: string;
  use: FileUse;
  ref: ClassifiedRef;
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
const HTTP = /^https?:\/\//i;

export function classifyReference(raw: string): ClassifiedRef {
  if (HTTP.test(raw)) {
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      url = undefined;
    }
    if (!url || url.hostname === '') return { kind: 'invalid', code: 'invalid-url', reason: 'is not a valid http(s) URL' };
    return { kind: 'url', url: raw };
  }
  if (/^[a-zA-Z]:[\\/]/.test(raw) || raw.startsWith('/') || raw.startsWith('\\')) {
    return { kind: 'invalid', code: 'absolute-path', reason: 'is an absolute path; write it relative to the manifest\'s folder so the project stays portable' };
  }
  const scheme = SCHEME.exec(raw);
  if (scheme) {
    return {
      kind: 'invalid',
      code: 'url-scheme',
      reason: `uses the "${scheme[1]}:" scheme; only http:// and https:// URLs are supported${
        looksLikeFileName(raw) ? ` (for a local file whose name has a colon, write ./${raw})` : ''
      }`,
    };
  }
  const path = normalizeLocalPath(raw);
  if (path === '..' || path.startsWith('../')) return { kind: 'invalid', code: 'outside-root', reason: 'points outside the manifest\'s folder' };
  if (path === '.') return { kind: 'invalid', code: 'not-a-file', reason: 'names the manifest\'s folder, not a file' };
  return { kind: 'file', path };
}

export function normalizeLocalPath(raw: string): string {
  const normalized = posix.normalize(raw.replace(/\\/g, '/'));
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

/**
 * Every image and file reference in the manifest, in manifest order (subjects first). Reads the
 * value loosely: it may have failed the schema, and the files it names are checked all the same.
 * A field counts only where the shot's mode takes it (an `image` on a text-to-video shot is an
 * unknown field, reported by the schema, not a file to check).
 */
export function collectReferences(manifest: unknown): FileReference[] {
  const references: FileReference[] = [];
  const add = (path: PathSegment[], raw: unknown, use: FileUse) => {
    if (typeof raw === 'string' && raw !== '') references.push({ path, raw, use, ref: classifyReference(raw) });
  };
  for (const [key, subject] of looseSubjects(manifest)) {
    asArray(subject.images).forEach((raw, i) => add(['subjects', key, 'images', i], raw, 'image'));
  }
  looseShots(manifest).forEach((shot, index) => {
    const mode = asString(shot.mode);
    add(['shots', index, 'prompt_file'], shot.prompt_file, 'prompt');
    if (mode === 'image-to-video') add(['shots', index, 'image'], shot.image, 'image');
    if (mode === 'multi-image-to-video') asArray(shot.images).forEach((raw, i) => add(['shots', index, 'images', i], raw, 'image'));
  });
  return references;
}

/** The local files to gather facts about: root-relative path → what it is used as. */
export function listReferencedFiles(references: readonly FileReference[]): Map<string, Set<FileUse>> {
  const files = new Map<string, Set<FileUse>>();
  for (const reference of references) {
    if (reference.ref.kind !== 'file') continue;
    const uses = files.get(reference.ref.path) ?? new Set<FileUse>();
    uses.add(reference.use);
    files.set(reference.ref.path, uses);
  }
  return files;
}

function looksLikeFileName(raw: string): boolean {
  return !raw.includes('//') && /\.(png|jpe?g|gif|bmp|webp|svg|ico|tiff?|md|txt)$/i.test(raw);
}

/**
 * The output folder, root-relative, when it is a local path at all (the rules judge it): the
 * manifest's `output:`, or the default when it sets none — the default folder may be a symbolic
 * link too, and is checked like a written one.
 */
export function localOutputFolder(manifest: unknown): string | undefined {
  const written = asRecord(manifest)?.output;
  if (written !== undefined && typeof written !== 'string') return undefined;
  const ref = classifyReference(written ?? BUILT_IN_DEFAULTS.output);
  return ref.kind === 'file' ? ref.path : undefined;
}
