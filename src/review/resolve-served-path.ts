import type { ReviewData } from './review-data.js';

// Which file a request to the review server may read (pure). The server's whole surface:
//   /__bach/events          the live updates (server-sent events)
//   /                       → redirect to the page, /<output>/
//   /favicon.ico            204 (there is none)
//   /<output>/…             the page (index.html), the shots' videos and the cut (.mp4, .otio),
//                           never a dotfile or any other kind of file
//   exact input image paths the storyboard's images (its thumbnails), nothing else of the project
// Everything else is 404: the manifest, .env, .bach/, bach.lock, a path that climbs out with `..`
// (also percent-encoded, or hidden behind an encoded `/`), an absolute or drive path. The server
// checks the real path (symbolic links resolved) stays inside the project on top of this.

export const EVENTS_PATH = '/__bach/events';

export type ServedPath =
  | { kind: 'events' }
  | { kind: 'redirect'; location: string }
  | { kind: 'no-content' }
  | { kind: 'page-file'; path: string }
  | { kind: 'asset'; path: string }
  | { kind: 'not-found' };

const OUTPUT_EXTENSIONS = new Set(['html', 'mp4', 'otio']);

export function resolveServedPath(pathname: string, allowed: { output: string; assets: ReadonlySet<string> }): ServedPath {
  if (pathname === EVENTS_PATH) return { kind: 'events' };
  // Browsers ask for it unbidden; the page has none, and a 404 would be a console error.
  if (pathname === '/favicon.ico') return { kind: 'no-content' };
  if (!pathname.startsWith('/')) return { kind: 'not-found' };
  const output = allowed.output === '' || allowed.output === '.' ? '' : allowed.output;
  if (pathname === '/' && output !== '') return { kind: 'redirect', location: `/${output.split('/').map(encodeURIComponent).join('/')}/` };
  const raw = pathname.slice(1).split('/');
  const folderRequest = raw[raw.length - 1] === '';
  if (folderRequest) raw.pop();
  const segments: string[] = [];
  for (const part of raw) {
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      return { kind: 'not-found' };
    }
    if (segment === '' || segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) return { kind: 'not-found' };
    segments.push(segment);
  }
  if (folderRequest) {
    return segments.join('/') === output ? { kind: 'page-file', path: output === '' ? 'index.html' : `${output}/index.html` } : { kind: 'not-found' };
  }
  const path = segments.join('/');
  if (allowed.assets.has(path)) return { kind: 'asset', path };
  const inside = output === '' ? segments : path.startsWith(`${output}/`) ? path.slice(output.length + 1).split('/') : null;
  if (!inside || inside.some((segment) => segment.startsWith('.') || segment.includes(':'))) return { kind: 'not-found' };
  const name = inside[inside.length - 1]!;
  const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  if (!OUTPUT_EXTENSIONS.has(extension) || (extension === 'html' && name !== 'index.html')) return { kind: 'not-found' };
  return { kind: 'page-file', path };
}

/** The input images a page shows: the only project files outside the output folder it may load. */
export function listPageAssets(data: ReviewData): Set<string> {
  const assets = new Set<string>();
  for (const shot of data.plan.shots) {
    for (const image of [...shot.images, ...(shot.subject?.images ?? [])]) if (image.kind === 'file') assets.add(image.path);
  }
  return assets;
}
