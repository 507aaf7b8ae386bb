import { BUILT_IN_DEFAULTS, defaultDuration } from './defaults.js';
import { defaultFilmName } from './film-name.js';
import { classifyReference, normalizeLocalPath } from './file-refs.js';
import type { DefaultsInput, ManifestInput, ShotInput, SubjectInput } from './input-types.generated.js';
import type { Locate } from './source-span.js';
import type { ImageRef, Manifest, PromptRef, Shot, Subject } from './types.js';

// Stage 4 (pure): a valid ManifestInput → the resolved Manifest, every default decided:
// the shot's own value, else `defaults:`, else the built-in default. Only called after the rules
// passed, so every reference here is known to be a URL or a good local file.

export interface ResolveOptions {
  /** Absolute path of the manifest file. */
  file: string;
  /** Absolute path of its folder. */
  root: string;
  locate: Locate;
}

export function resolveManifest(input: ManifestInput, options: ResolveOptions): Manifest {
  const defaults = input.defaults ?? {};
  const subjects = new Map<string, Subject>();
  for (const [key, subject] of Object.entries(input.subjects ?? {})) subjects.set(key, resolveSubject(key, subject));
  const manifest: Manifest = {
    file: options.file,
    root: options.root,
    version: 1,
    name: input.name ?? defaultFilmName(options.root, input.shots.map((shot) => shot.id)),
    output: input.output === undefined ? BUILT_IN_DEFAULTS.output : normalizeLocalPath(input.output),
    cut: input.cut ?? BUILT_IN_DEFAULTS.cut,
    shots: input.shots.map((shot, index) => resolveShot(shot, index, defaults, subjects, options.locate)),
  };
  if (input.remote !== undefined) {
    const span = options.locate(['remote']);
    manifest.remote = { url: input.remote, pos: { line: span.line, col: span.col } };
  }
  return manifest;
}

function resolveShot(shot: ShotInput, index: number, defaults: DefaultsInput, subjects: Map<string, Subject>, locate: Locate): Shot {
  const pick = <K extends keyof DefaultsInput & keyof ShotInput>(key: K, fallback: NonNullable<DefaultsInput[K]>) =>
    (shot[key] ?? defaults[key] ?? fallback) as NonNullable<DefaultsInput[K]>;
  const span = locate(['shots', index]);
  const resolved: Shot = {
    id: shot.id,
    index,
    mode: shot.mode,
    model: pick('model', BUILT_IN_DEFAULTS.model as 'bach-1.0-preview'),
    generateAudio: pick('generate_audio', BUILT_IN_DEFAULTS.generate_audio),
    enhancePrompt: pick('enhance_prompt', BUILT_IN_DEFAULTS.enhance_prompt),
    cfgScale: pick('cfg_scale', BUILT_IN_DEFAULTS.cfg_scale),
    resolution: pick('resolution', BUILT_IN_DEFAULTS.resolution),
    aspectRatio: pick('aspect_ratio', BUILT_IN_DEFAULTS.aspect_ratio),
    duration: shot.duration ?? defaults.duration ?? defaultDuration(shot.mode),
    fps: pick('fps', BUILT_IN_DEFAULTS.fps as 24),
    pos: { line: span.line, col: span.col },
  };
  const prompt = resolvePrompt(shot);
  if (prompt) resolved.prompt = prompt;
  const negativePrompt = pick('negative_prompt', BUILT_IN_DEFAULTS.negative_prompt);
  if (negativePrompt !== '') resolved.negativePrompt = negativePrompt;
  const audioPrompt = pick('audio_prompt', BUILT_IN_DEFAULTS.audio_prompt);
  if (audioPrompt !== '') resolved.audioPrompt = audioPrompt;
  if (shot.seed !== undefined) resolved.seed = shot.seed;
  if (shot.mode === 'image-to-video') {
    resolved.image = resolveImage(shot.image);
    resolved.enableModeration = shot.enable_moderation ?? defaults.enable_moderation ?? BUILT_IN_DEFAULTS.enable_moderation;
  }
  if (shot.mode === 'multi-image-to-video') {
    resolved.images = (shot.images ?? []).map(resolveImage);
    if (shot.subject !== undefined) resolved.subject = subjects.get(shot.subject)!;
  }
  return resolved;
}

function resolvePrompt(shot: ShotInput): PromptRef | undefined {
  if (shot.prompt !== undefined) return { kind: 'text', text: shot.prompt };
  if (shot.prompt_file !== undefined) return { kind: 'file', path: normalizeLocalPath(shot.prompt_file) };
  return undefined;
}

function resolveSubject(key: string, subject: SubjectInput): Subject {
  const resolved: Subject = {
    key,
    name: subject.name ?? key,
    type: subject.type ?? BUILT_IN_DEFAULTS.subject_type,
    images: subject.images.map(resolveImage),
  };
  const description = subject.description ?? BUILT_IN_DEFAULTS.subject_description;
  if (description !== '') resolved.description = description;
  return resolved;
}

function resolveImage(raw: string): ImageRef {
  const ref = classifyReference(raw);
  if (ref.kind === 'url') return { kind: 'url', url: ref.url };
  if (ref.kind === 'file') return { kind: 'file', path: ref.path };
  throw new Error(`resolveImage: "${raw}" was not refused by the rules (${ref.code})`);
}
