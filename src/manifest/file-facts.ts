import type { FileUse } from './file-refs.js';

// What the shell (load.ts) finds out about each referenced local file, so that the rules stage can
// judge them without touching the disk. Also the two pure readers of file content the shell uses:
// image format by magic bytes, and prompt text decoding (shared with whoever sends the prompt, so
// the length checked is the length sent).

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'bmp' | 'webp' | 'svg' | 'ico' | 'tiff';

export type PromptText = { ok: true; text: string } | { ok: false; reason: 'not-utf8' | 'not-read' };

export interface FileFacts {
  exists: boolean;
  /** A regular file (after following symlinks), not a folder, socket or device. */
  isFile: boolean;
  /** Its real path (symlinks resolved) is inside the real path of the manifest's folder. */
  insideRoot: boolean;
  /**
   * The real path relative to the manifest's folder (POSIX), when inside it and reached through a
   * symbolic link — what the rules judge besides the name written (a link to `.env` is a dotfile).
   */
  realPath?: string | undefined;
  size: number;
  /** From the first bytes; undefined when they are not those of a supported image format. */
  imageFormat?: ImageFormat | undefined;
  /** The file starts like `imageFormat` but its header is damaged (what is wrong; see image-header.ts). */
  imageProblem?: string | undefined;
  /** For files used as `prompt_file`. */
  promptText?: PromptText | undefined;
  /** The file exists but could not be read (the error code, e.g. EACCES). */
  unreadable?: string | undefined;
  /** For a missing file: an existing root-relative path that looks like what was meant (a typo). */
  similar?: string | undefined;
}

export interface OutputFacts {
  exists: boolean;
  isDirectory: boolean;
  /** Its real path — or, when it does not exist yet, that of what it would be created under — is inside the root. */
  insideRoot: boolean;
  /** That real path relative to the root (POSIX), when inside it and not the path written. */
  realPath?: string | undefined;
}

/** Bytes read from the start of an image: enough for every signature, SVG's XML prolog included. */
export const IMAGE_HEAD_BYTES = 4096;

const SVG = /^\s*(<\?xml[^>]*>\s*)?((<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)\s*)*<svg[\s>]/i;
const BMP_HEADER_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);

export function detectImageFormat(head: Uint8Array): ImageFormat | undefined {
  const at = (offset: number, ...bytes: number[]) => bytes.every((byte, i) => head[offset + i] === byte);
  const ascii = (offset: number, text: string) => at(offset, ...Array.from(text, (c) => c.charCodeAt(0)));
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'webp';
  if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  // "BM" alone is too weak (any text may start so): the DIB header size must be a known one.
  if (ascii(0, 'BM') && head.length >= 18 && BMP_HEADER_SIZES.has(readUint32LE(head, 14))) return 'bmp';
  if (at(0, 0x00, 0x00, 0x01, 0x00) && head.length >= 6 && (head[4]! | (head[5]! << 8)) > 0) return 'ico';
  const text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(head);
  if (SVG.test(text)) return 'svg';
  return undefined;
}

/**
 * A prompt file's content as sent: UTF-8 (invalid bytes are an error, not replaced), without a
 * byte-order mark, trimmed of surrounding whitespace (the final newline every editor adds).
 */
export function decodePromptText(bytes: Uint8Array): PromptText {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).trim() };
  } catch {
    return { ok: false, reason: 'not-utf8' };
  }
}

/**
 * Facts for tests and in-memory loading: the file exists inside the root, is small, and is a PNG
 * (as an image) or holds a short prompt (as a prompt file). `overrides` change single facts.
 */
export function createFileFacts(path: string, uses: ReadonlySet<FileUse>, overrides: Partial<FileFacts> = {}): FileFacts {
  return {
    exists: true,
    isFile: true,
    insideRoot: true,
    size: 1024,
    imageFormat: 'png',
    ...(uses.has('prompt') ? { promptText: { ok: true, text: `Prompt from ${path}` } } : {}),
    ...overrides,
  };
}

function readUint32LE(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16)) + bytes[offset + 3]! * 0x1000000;
}
