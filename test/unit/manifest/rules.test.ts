import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/contract/capabilities.js';
import type { FileFacts } from '../../../src/manifest/file-facts.js';
import { errorCodes, load, manifestWith, messages, SHOTS, withField, type Fields } from './helpers.js';

// The rules the schema cannot express: across fields, and about local files (judged from facts the
// shell gathers; here they are made up in memory).

const image = (path: string) => manifestWith({}, [withField(SHOTS.i2v!, 'image', path)]);
const promptFile = (path = 'prompts/a.md') => manifestWith({}, [{ id: 'a', mode: 'text-to-video', prompt_file: path }]);
const text = (length: number) => 'x'.repeat(length);

interface Case {
  name: string;
  manifest: Fields;
  facts?: Record<string, Partial<FileFacts>>;
  output?: { exists: boolean; isDirectory: boolean; insideRoot: boolean };
  expect: 'ok' | string;
}

const cases: Case[] = [
  // references: URL or local path
  { name: 'https URL', manifest: image('https://example.com/a.png'), expect: 'ok' },
  { name: 'http URL', manifest: image('http://example.com/a.png'), expect: 'ok' },
  { name: 'HTTPS URL in capitals', manifest: image('HTTPS://example.com/a.png'), expect: 'ok' },
  { name: 'ftp URL', manifest: image('ftp://example.com/a.png'), expect: 'url-scheme' },
  { name: 'file URL', manifest: image('file:///tmp/a.png'), expect: 'url-scheme' },
  { name: 'data URI', manifest: image('data:image/png;base64,iVBORw0KGgo='), expect: 'url-scheme' },
  { name: 'https without a host', manifest: image('https://'), expect: 'invalid-url' },
  { name: 'absolute POSIX path', manifest: image('/tmp/a.png'), expect: 'absolute-path' },
  { name: 'absolute Windows path', manifest: image('C:\\frames\\a.png'), expect: 'absolute-path' },
  { name: 'UNC path', manifest: image('\\\\server\\a.png'), expect: 'absolute-path' },
  { name: 'relative path with ./', manifest: image('./frames/a.png'), expect: 'ok' },
  { name: 'path escaping the folder', manifest: image('../a.png'), expect: 'outside-root' },
  { name: 'path escaping after normalising', manifest: image('frames/../../a.png'), expect: 'outside-root' },
  { name: 'path staying inside after normalising', manifest: image('frames/../a.png'), expect: 'ok' },
  { name: 'the folder itself', manifest: image('.'), expect: 'not-a-file' },
  // local files, judged from their facts
  { name: 'missing file', manifest: image('frames/a.png'), facts: { 'frames/a.png': { exists: false } }, expect: 'file-missing' },
  { name: 'a folder', manifest: image('frames/a.png'), facts: { 'frames/a.png': { isFile: false } }, expect: 'not-a-file' },
  { name: 'symlink out of the folder', manifest: image('frames/a.png'), facts: { 'frames/a.png': { insideRoot: false } }, expect: 'outside-root' },
  { name: 'unreadable file', manifest: image('frames/a.png'), facts: { 'frames/a.png': { unreadable: 'EACCES' } }, expect: 'file-unreadable' },
  { name: 'image of exactly 10 MiB', manifest: image('frames/a.png'), facts: { 'frames/a.png': { size: LIMITS.uploadImageBytes } }, expect: 'ok' },
  { name: 'image of 10 MiB + 1 byte', manifest: image('frames/a.png'), facts: { 'frames/a.png': { size: LIMITS.uploadImageBytes + 1 } }, expect: 'file-too-large' },
  { name: 'not an image by content', manifest: image('frames/a.png'), facts: { 'frames/a.png': { imageFormat: undefined } }, expect: 'not-an-image' },
  { name: 'a jpeg named .png', manifest: image('frames/a.png'), facts: { 'frames/a.png': { imageFormat: 'jpeg' } }, expect: 'ok' },
  { name: 'subject image missing', manifest: manifestWith({ subjects: { hero: { images: ['refs/a.png'] } } }, [{ ...SHOTS.multi, subject: 'hero' }]), facts: { 'refs/a.png': { exists: false } }, expect: 'file-missing' },
  { name: 'multi image not an image', manifest: manifestWith({}, [SHOTS.multi!]), facts: { 'frames/a.png': { imageFormat: undefined } }, expect: 'not-an-image' },
  // prompt files: the effective prompt's length counts
  { name: 'prompt file of 10000 characters', manifest: promptFile(), facts: { 'prompts/a.md': { promptText: { ok: true, text: text(10_000) } } }, expect: 'ok' },
  { name: 'prompt file of 10001 characters', manifest: promptFile(), facts: { 'prompts/a.md': { promptText: { ok: true, text: text(10_001) } } }, expect: 'length' },
  { name: 'empty prompt file', manifest: promptFile(), facts: { 'prompts/a.md': { promptText: { ok: true, text: '' } } }, expect: 'length' },
  { name: 'prompt file not UTF-8', manifest: promptFile(), facts: { 'prompts/a.md': { promptText: { ok: false, reason: 'not-utf8' } } }, expect: 'prompt-not-text' },
  { name: 'prompt file missing', manifest: promptFile(), facts: { 'prompts/a.md': { exists: false } }, expect: 'file-missing' },
  { name: 'prompt file is not judged as an image', manifest: promptFile(), facts: { 'prompts/a.md': { imageFormat: undefined } }, expect: 'ok' },
  { name: 'prompt file outside', manifest: promptFile('../p.md'), expect: 'outside-root' },
  // ids and subjects
  { name: 'duplicate ids', manifest: manifestWith({}, [SHOTS.t2v!, SHOTS.i2v!]), expect: 'duplicate-id' },
  { name: 'distinct ids', manifest: manifestWith({}, [SHOTS.t2v!, { ...SHOTS.i2v, id: 'other' }]), expect: 'ok' },
  { name: 'undefined subject', manifest: manifestWith({}, [{ ...SHOTS.multi, subject: 'hero' }]), expect: 'unknown-subject' },
  { name: 'subject named like an Object method', manifest: manifestWith({}, [{ ...SHOTS.multi, subject: 'toString' }]), expect: 'unknown-subject' },
  // output
  { name: 'output renders', manifest: manifestWith({ output: 'renders' }), expect: 'ok' },
  { name: 'output nested', manifest: manifestWith({ output: './out/videos/' }), expect: 'ok' },
  { name: 'output the folder itself', manifest: manifestWith({ output: '.' }), expect: 'ok' },
  { name: 'output ../renders', manifest: manifestWith({ output: '../renders' }), expect: 'output-outside-root' },
  { name: 'output absolute', manifest: manifestWith({ output: '/tmp/renders' }), expect: 'output-outside-root' },
  { name: 'output a URL', manifest: manifestWith({ output: 'https://example.com/x' }), expect: 'output-outside-root' },
  { name: 'output a symlink out', manifest: manifestWith({ output: 'renders' }), output: { exists: true, isDirectory: true, insideRoot: false }, expect: 'output-outside-root' },
  { name: 'output is a file', manifest: manifestWith({ output: 'renders' }), output: { exists: true, isDirectory: false, insideRoot: true }, expect: 'output-not-a-folder' },
];

describe('manifest rules', () => {
  it.each(cases)('$name → $expect', ({ manifest, facts, output, expect: expected }) => {
    const codes = errorCodes(load(manifest, { facts: facts ?? {}, ...(output ? { output } : {}) }));
    expect(codes).toEqual(expected === 'ok' ? [] : [expected]);
  });

  it('reports rules and schema problems together, each once', () => {
    const result = load(
      manifestWith({}, [
        { id: 'a', mode: 'text-to-video', promt: 'typo' },
        { id: 'a', mode: 'image-to-video', image: 'missing.png' },
      ]),
      { facts: { 'missing.png': { exists: false } } },
    );
    expect(messages(result)).toEqual([
      '3:5 required: shots[0].prompt: missing; a text-to-video shot needs "prompt" or "prompt_file"',
      '5:5 unknown-field: shots[0].promt: unknown field; did you mean "prompt"?',
      '6:9 duplicate-id: shots[1].id: "a" is already the id of shots[0] (line 3); ids must be unique',
      '8:12 file-missing: shots[1].image: file "missing.png" does not exist',
    ]);
  });

  it('says where an inherited duration comes from, at the shot', () => {
    const result = load('version: 1\ndefaults:\n  duration: 5\nshots:\n  - id: a\n    mode: text-to-video\n    prompt: x\n');
    expect(messages(result)).toEqual([
      '5:5 enum: shots[0].duration: text-to-video needs duration 6, got 5 (inherited from defaults.duration on line 3)',
    ]);
  });

  it('warns about a subject no shot uses, and still loads', () => {
    const result = load(manifestWith({ subjects: { hero: { images: ['a.png'] } } }));
    expect(result.ok).toBe(true);
    expect(result.ok && result.warnings.map((w) => `${w.severity} ${w.code}: ${w.message}`)).toEqual([
      'warning unused-subject: subjects.hero: no shot uses this subject',
    ]);
  });

  it('reports each reference to a missing file where it is written', () => {
    const result = load(manifestWith({}, [{ ...SHOTS.multi, images: ['x.png', './x.png', 'x.png'] }]), { facts: { 'x.png': { exists: false } } });
    expect(messages(result)).toEqual([
      '7:9 file-missing: shots[0].images[0]: file "x.png" does not exist',
      '8:9 file-missing: shots[0].images[1]: file "x.png" does not exist',
      '9:9 file-missing: shots[0].images[2]: file "x.png" does not exist',
    ]);
  });
});
