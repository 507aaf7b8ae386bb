// The resolved manifest: what every later stage (plan, render, watch) consumes.
// `ManifestInput` (what the user writes) is generated from schemas/bach.schema.json into
// input-types.generated.ts; this file is the decided form, with every default applied.

export type Mode = 'text-to-video' | 'image-to-video' | 'multi-image-to-video';
export type Resolution = '720p' | '1080p';
export type AspectRatio = '16:9' | '9:16' | '1:1';
export type SubjectType = 'character' | 'object';

/** A 1-based position in the manifest text. */
export interface SourcePos {
  line: number;
  col: number;
}

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

export interface Subject {
  /** The key under `subjects:` (what a shot's `subject:` names). */
  key: string;
  /** Sent as `subject_name`; the key unless `name` is given. */
  name: string;
  type: SubjectType;
  description?: string;
  images: ImageRef[];
}

export interface Shot {
  id: string;
  /** 0-based position in the storyboard. */
  index: number;
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
  /** Left out in the manifest: the planner resolves it (lockfile, else derived from the request). */
  seed?: number;
  /** image-to-video only. */
  enableModeration?: boolean;
  /** image-to-video: the source image. */
  image?: ImageRef;
  /** multi-image-to-video: the reference images, in order. */
  images?: ImageRef[];
  /** multi-image-to-video: the subject whose images become one nested URL array (sent first). */
  subject?: Subject;
  /** Where the shot starts in the manifest, for messages that name it. */
  pos: SourcePos;
}

export interface Manifest {
  /** Absolute path of the manifest file. */
  file: string;
  /** Absolute path of the folder holding it; every relative path resolves against it. */
  root: string;
  version: 1;
  /** Output folder relative to root, POSIX, normalised (default `renders`). */
  output: string;
  /**
   * The team cache named by `remote:`, as written (a path in it is relative to root) with where it was
   * written; BACH_REMOTE and --remote override it (src/remote/remote-settings.ts checks and resolves it).
   */
  remote?: { url: string; pos: SourcePos };
  /** In storyboard order. */
  shots: Shot[];
}
