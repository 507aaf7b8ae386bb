import { describe, expect, it } from 'vitest';
import { decodePromptText, detectImageFormat } from '../../../src/manifest/file-facts.js';
import { classifyReference } from '../../../src/manifest/file-refs.js';

const bytes = (...values: number[]) => new Uint8Array(values);
const ascii = (text: string) => new TextEncoder().encode(text);
const bmp = (headerSize: number) => {
  const head = new Uint8Array(30);
  head.set(ascii('BM'));
  head[14] = headerSize;
  return head;
};

describe('detectImageFormat', () => {
  it.each([
    ['jpeg', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10)],
    ['png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0)],
    ['gif', ascii('GIF89a....')],
    ['gif', ascii('GIF87a....')],
    ['webp', ascii('RIFF\0\0\0\0WEBPVP8 ')],
    ['tiff', bytes(0x49, 0x49, 0x2a, 0x00, 8)],
    ['tiff', bytes(0x4d, 0x4d, 0x00, 0x2a, 0)],
    ['bmp', bmp(40)],
    ['ico', bytes(0, 0, 1, 0, 1, 0, 16, 16)],
    ['svg', ascii('<svg xmlns="http://www.w3.org/2000/svg"></svg>')],
    ['svg', ascii('\uFEFF<?xml version="1.0"?>\n<!-- a comment -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<svg>')],
  ])('%s', (format, head) => {
    expect(detectImageFormat(head)).toBe(format);
  });

  it.each([
    ['text', ascii('hello')],
    ['empty', new Uint8Array(0)],
    ['BM text', ascii('BMW is a car, not a bitmap')],
    ['RIFF without WEBP', ascii('RIFF\0\0\0\0WAVEfmt ')],
    ['cursor', bytes(0, 0, 2, 0, 1, 0)],
    ['ico with no images', bytes(0, 0, 1, 0, 0, 0)],
    ['html', ascii('<!doctype html><html><svg></svg>')],
    ['truncated png', bytes(0x89, 0x50, 0x4e)],
  ])('not an image: %s', (_name, head) => {
    expect(detectImageFormat(head)).toBeUndefined();
  });
});

describe('decodePromptText', () => {
  it('drops a byte-order mark and surrounding whitespace', () => {
    expect(decodePromptText(bytes(0xef, 0xbb, 0xbf, ...ascii('  A prompt\n\n')))).toEqual({ ok: true, text: 'A prompt' });
  });
  it('keeps non-ASCII text', () => {
    expect(decodePromptText(new TextEncoder().encode('Ein Fluß 🎬\n'))).toEqual({ ok: true, text: 'Ein Fluß 🎬' });
  });
  it('refuses bytes that are not UTF-8', () => {
    expect(decodePromptText(bytes(0x41, 0xff, 0xfe))).toEqual({ ok: false, reason: 'not-utf8' });
  });
});

describe('classifyReference', () => {
  it.each([
    ['frames/a.png', { kind: 'file', path: 'frames/a.png' }],
    ['./frames//a.png', { kind: 'file', path: 'frames/a.png' }],
    ['frames\\a.png', { kind: 'file', path: 'frames/a.png' }],
    ['frames/./x/../a.png', { kind: 'file', path: 'frames/a.png' }],
    ['frames/', { kind: 'file', path: 'frames' }],
    ['./hero:front.png', { kind: 'file', path: 'hero:front.png' }],
    ['https://example.com/a.png?x=1', { kind: 'url', url: 'https://example.com/a.png?x=1' }],
  ])('%s', (raw, expected) => {
    expect(classifyReference(raw)).toEqual(expected);
  });

  it.each([
    ['hero:front.png', 'url-scheme'],
    ['mailto:a@b.c', 'url-scheme'],
    ['/abs/a.png', 'absolute-path'],
    ['c:/a.png', 'absolute-path'],
    ['../a.png', 'outside-root'],
    ['..', 'outside-root'],
    ['./', 'not-a-file'],
    ['http://', 'invalid-url'],
  ])('%s is refused (%s)', (raw, code) => {
    expect(classifyReference(raw)).toMatchObject({ kind: 'invalid', code });
  });
});
