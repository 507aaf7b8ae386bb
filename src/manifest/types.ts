// The resolved manifest: what every later stage (plan, render, watch) consumes.
// `ManifestInput` (what the user writes) is generated from schemas/bach.schema.json into
// input-types.generated.ts; this file is the decided form, with every default applied.

import type { RequestSource, SubjectSource } from '../contract/types.js';

// The API's vocabulary lives on the contract floor; the manifest speaks it.
export type { AspectRatio, FileRef, ImageRef, Mode, PromptRef, Resolution, SubjectType, UrlRef } from '../contract/types.js';

/** A 1-based position in the manifest text. */
export interface SourcePos {
  line: number;
  col: number;
}

export interface Subject extends SubjectSource {
  /** The key under `subjects:` (what a shot's `subject:` names). `name` is the key unless given. */
  key: string;
}

export interface Shot extends RequestSource {
  /** 0-based position in the storyboard. */
  index: number;
  /** Left out in the manifest: the planner resolves it (lockfile, else derived from the request). */
  seed?: number;
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
  /** The film's name (`<output>/<name>.mp4`): `name:`, else derived from the folder's name (film-name.ts). */
  name: string;
  /** Output folder relative to root, POSIX, normalised (default `renders`). */
  output: string;
  /** `cut: true`: every build that leaves every shot up to date also assembles the film. */
  cut: boolean;
  /**
   * The team cache named by `remote:`, as written (a path in it is relative to root) with where it was
   * written; BACH_REMOTE and --remote override it (src/remote/remote-settings.ts checks and resolves it).
   */
  remote?: { url: string; pos: SourcePos };
  /** In storyboard order. */
  shots: Shot[];
}
