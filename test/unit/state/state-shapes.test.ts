import { describe, expect, it } from 'vitest';
import { parseManifestCache } from '../../../src/manifest/manifest-cache.js';
import { parseHashRecords } from '../../../src/state/hash-cache.js';
import { parseCacheRecord } from '../../../src/state/result-cache.js';
import { parseSnapshot } from '../../../src/state/up-to-date.js';
import { parseUploadOrigins } from '../../../src/state/upload-records.js';
import { isRootRelativePath } from '../../../src/state/shapes.js';

// Every file of `.bach/` is read through a shape check: whatever a damaged, truncated or planted file
// holds, the reader answers "nothing usable" (a cache miss) instead of crashing or using it.

const FP = 'a'.repeat(64);
const SHA = 'b'.repeat(64);
const WRONG_SHAPES = ['null', '42', '"text"', '[]', '{}', 'true', '{"format": 1}', '{"format":1,"files":null,"origins":null}', ''];

describe('.bach/ shape checks', () => {
  it.each(WRONG_SHAPES)('a file holding %j is read as nothing, without throwing', (text) => {
    expect(parseSnapshot(text)).toBeNull();
    expect(parseHashRecords(text)).toEqual([]);
    expect(parseUploadOrigins(text)).toEqual({});
    expect(parseCacheRecord(text, FP)).toBeNull();
    expect(parseManifestCache(text)).toBeUndefined();
  });

  it('up-to-date.json: only root-relative paths with stamps, and shot ids', () => {
    const snapshot = (files: unknown, shots: unknown = ['a']) => JSON.stringify({ format: 1, version: 'v', manifest: '/p/bach.yaml', files, shots });
    expect(parseSnapshot(snapshot({ 'bach.yaml': [1, 2, 3] }))).toMatchObject({ files: { 'bach.yaml': [1, 2, 3] }, shots: ['a'] });
    expect(parseSnapshot(snapshot({ '../outside': [1, 2, 3] }))).toBeNull();
    expect(parseSnapshot(snapshot({ '/etc/passwd': [1, 2, 3] }))).toBeNull();
    expect(parseSnapshot(snapshot({ 'bach.yaml': [1, 2] }))).toBeNull();
    expect(parseSnapshot(snapshot({ 'bach.yaml': null }))).toBeNull();
    expect(parseSnapshot(snapshot({}, ['\u001b[2Jcleared']))).toBeNull();
  });

  it('hashes.json: keeps the well-formed records, drops the rest', () => {
    const text = JSON.stringify({
      format: 1,
      files: {
        'a.png': { sha256: SHA, size: 3, mtimeMs: 1.5, ino: 7 },
        'b.png': { sha256: 'short', size: 3, mtimeMs: 1, ino: 7 },
        '../c.png': { sha256: SHA, size: 3, mtimeMs: 1, ino: 7 },
        'd.png': null,
      },
    });
    expect(parseHashRecords(text)).toEqual([['a.png', { sha256: SHA, size: 3, mtimeMs: 1.5, ino: 7 }]]);
  });

  it('uploads.json: origins and URLs must be http(s), keys sha256', () => {
    const text = JSON.stringify({
      format: 1,
      origins: {
        'https://api.example': { [SHA]: 'https://cdn.example/a.png', [FP]: 'file:///etc/passwd', short: 'https://cdn.example/b.png' },
        'https://other.example': null,
        'not a url': { [SHA]: 'https://cdn.example/a.png' },
      },
    });
    expect(parseUploadOrigins(text)).toEqual({ 'https://api.example': { [SHA]: 'https://cdn.example/a.png' } });
  });

  it('cache records: every field checked, for this fingerprint', () => {
    const record = { cacheVersion: 1, fingerprint: FP, mode: 'text-to-video', request: { prompt: 'x', seed: 4 }, seed: 4, taskId: 't-1', size: 10, sha256: SHA };
    expect(parseCacheRecord(JSON.stringify(record), FP)).toEqual(record);
    expect(parseCacheRecord(JSON.stringify(record), SHA)).toBeNull();
    for (const [field, value] of [['mode', 'x'], ['request', null], ['seed', -1], ['seed', 5], ['taskId', ''], ['taskId', 'a\nb'], ['size', 0], ['sha256', 'x']] as const) {
      expect(parseCacheRecord(JSON.stringify({ ...record, [field]: value }), FP), `${field}: ${String(value)}`).toBeNull();
    }
  });

  it('manifest-cache.json: one position per shot of the value', () => {
    const entry = { format: 'bach-manifest-cache/1', key: FP, value: { version: 1, shots: [{}] }, shots: [[3, 5]] };
    expect(parseManifestCache(JSON.stringify(entry))).toEqual(entry);
    expect(parseManifestCache(JSON.stringify({ ...entry, shots: [] }))).toBeUndefined();
    expect(parseManifestCache(JSON.stringify({ ...entry, value: { shots: null } }))).toBeUndefined();
    expect(parseManifestCache(JSON.stringify({ ...entry, shots: [[0, 'x']] }))).toBeUndefined();
  });
});

describe('isRootRelativePath', () => {
  it('accepts paths that stay inside the project', () => {
    for (const good of ['bach.yaml', 'renders/a.mp4', 'a/b/c.png', './x.png', '..x/y', 'a/..b', 'x..', 'é/ü.png', 'a b/c d.png']) {
      expect(isRootRelativePath(good), good).toBe(true);
    }
  });

  it('refuses absolute paths, `..` segments, empty segments, backslashes, drive letters and control characters', () => {
    const bad = ['', '/etc/passwd', '..', '../x', 'a/../../x', 'a/..', 'a//b', 'a/', 'a\\b', '..\\x', 'C:x', 'c:/x', 'a\nb', 'a\u0000b', 'a\u007fb', 42, null];
    for (const value of bad) expect(isRootRelativePath(value), JSON.stringify(value)).toBe(false);
  });
});
