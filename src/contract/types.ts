// The API's vocabulary as types: the three modes, the enumerations, and what a create request is
// made from. The manifest's resolved shot (manifest/types.ts) extends RequestSource, so the request
// builder and the fingerprint (this floor) never need the manifest floor above them.

export type Mode = 'text-to-video' | 'image-to-video' | 'multi-image-to-video';
export type Resolution = '720p' | '1080p';
export type AspectRatio = '16:9' | '9:16' | '1:1';
export type SubjectType = 'character' | 'object';

/**
 * A local file as written in the manifest. `path` is relative to the manifest's folder,
 * normalised to POSIX separators without `./` (so `./a//b.png` and `a/b.png` are the same file).
 */
export interface FileRef {
  kind: 'file';
  path: string;
}
export interface UrlRef {
  kind: 'url';
  url: string;
}
export type ImageRef = FileRef | UrlRef;
export type PromptRef = { kind: 'text'; text: string } | FileRef;

/** The subject fields a multi-image-to-video request carries. */
export interface SubjectSource {
  /** Sent as `subject_name`. */
  name: string;
  type: SubjectType;
  description?: string;
  images: ImageRef[];
}

/** Everything a create request is built from: a shot with every default applied. */
export interface RequestSource {
  /** For messages only (never sent). */
  id: string;
  mode: Mode;
  model: string;
  prompt?: PromptRef;
  negativePrompt?: string;
  audioPrompt?: string;
  generateAudio: boolean;
  enhancePrompt: boolean;
  cfgScale: number;
  resolution: Resolution;
  aspectRatio: AspectRatio;
  duration: number;
  fps: number;
  /** image-to-video only. */
  enableModeration?: boolean;
  /** image-to-video: the source image. */
  image?: ImageRef;
  /** multi-image-to-video: the reference images, in order. */
  images?: ImageRef[];
  /** multi-image-to-video: the subject whose images become one nested URL array (sent first). */
  subject?: SubjectSource;
}
