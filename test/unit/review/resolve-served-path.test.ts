import { describe, expect, it } from 'vitest';
import { resolveServedPath } from '../../../src/review/resolve-served-path.js';

// The review server's whole surface: the page's folder (page, videos, cut) and the exact input
// images; everything else — above all a path that escapes — is 404.

const allowed = { output: 'renders', assets: new Set(['frames/hero.png', 'refs/a b.png']) };

describe('resolveServedPath', () => {
  it.each([
    ['/__bach/events', { kind: 'events' }],
    ['/', { kind: 'redirect', location: '/renders/' }],
    ['/renders/', { kind: 'page-file', path: 'renders/index.html' }],
    ['/renders/index.html', { kind: 'page-file', path: 'renders/index.html' }],
    ['/renders/opening.mp4', { kind: 'page-file', path: 'renders/opening.mp4' }],
    ['/renders/My%20Film.otio', { kind: 'page-file', path: 'renders/My Film.otio' }],
    ['/frames/hero.png', { kind: 'asset', path: 'frames/hero.png' }],
    ['/refs/a%20b.png', { kind: 'asset', path: 'refs/a b.png' }],
  ])('%s → allowed', (path, expected) => {
    expect(resolveServedPath(path, allowed)).toEqual(expected);
  });

  it.each([
    '/bach.yaml',
    '/bach.lock',
    '/.env',
    '/.bach/hashes.json',
    '/renders/.hidden.mp4',
    '/renders/.bach/x.mp4',
    '/renders/notes.txt',
    '/renders/other.html',
    '/renders/../bach.yaml',
    '/renders/%2e%2e/bach.yaml',
    '/renders/..%2fbach.yaml',
    '/renders/..%2Fbach.yaml',
    '/renders%2f..%2fbach.yaml',
    '/renders/..%5cbach.yaml',
    '/renders/%00.mp4',
    '/renders/%E0%A4%A.mp4',
    '/frames/other.png',
    '/frames/./hero.png',
    '/frames//hero.png',
    '//etc/passwd',
    '/etc/passwd',
    '/renders/C:%5cwindows.mp4',
    'renders/opening.mp4',
    '/frames/',
  ])('%s → 404', (path) => {
    expect(resolveServedPath(path, allowed)).toEqual({ kind: 'not-found' });
  });

  it('serves the folder itself as the page when the output is the manifest\'s folder, never its dotfiles', () => {
    const here = { output: '.', assets: new Set<string>() };
    expect(resolveServedPath('/', here)).toEqual({ kind: 'page-file', path: 'index.html' });
    expect(resolveServedPath('/a.mp4', here)).toEqual({ kind: 'page-file', path: 'a.mp4' });
    expect(resolveServedPath('/.env', here)).toEqual({ kind: 'not-found' });
    expect(resolveServedPath('/bach.yaml', here)).toEqual({ kind: 'not-found' });
    expect(resolveServedPath('/.bach/cache/x.mp4', here)).toEqual({ kind: 'not-found' });
  });
});
