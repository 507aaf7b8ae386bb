import type { ImageRef, Mode, PromptRef, RequestSource } from './types.js';
import { MODES } from './capabilities.js';

// The create request of a shot, field by field (bach-api.md Part 1, "Generation endpoints").
// One builder serves two purposes, so they cannot drift apart:
//   - the fingerprint: local files are mapped to `{ sha256 }` placeholders (content, not path or URL);
//   - the request actually sent: local files are mapped to the CDN URLs they were uploaded to.
//
// Decided: every field with an API default is sent explicitly (enhance_prompt, generate_audio,
// cfg_scale, aspect_ratio, fps), so a change of the server's defaults cannot change a render behind
// the user's back; empty optional texts (negative_prompt, audio_prompt) are left out; callback_url is
// never sent (bach-render polls). The subject's nested URL array is the first element of image_url.

export type FilePlaceholder = { sha256: string };
export type RequestValue = string | number | boolean | FilePlaceholder | RequestValue[];
export type RequestBody = Record<string, RequestValue>;

export interface CreateRequest<TBody = RequestBody> {
  mode: Mode;
  /** Path under the base URL, e.g. `/videos/text2video`. */
  path: string;
  body: TBody;
}

export interface RequestInputs<TImage, TPrompt> {
  seed: number;
  image: (ref: ImageRef) => TImage;
  prompt: (ref: PromptRef) => TPrompt;
}

export function createPath(mode: Mode): string {
  return `/videos/${MODES[mode].endpoint}`;
}

export function queryPath(mode: Mode, taskId: string): string {
  return `${createPath(mode)}/${encodeURIComponent(taskId)}`;
}

export function buildCreateRequest<TImage extends RequestValue, TPrompt extends RequestValue>(
  shot: RequestSource,
  inputs: RequestInputs<TImage, TPrompt>,
): CreateRequest {
  const body: RequestBody = {
    model_name: shot.model,
    resolution: shot.resolution,
    aspect_ratio: shot.aspectRatio,
    duration: shot.duration,
    fps: shot.fps,
    seed: inputs.seed,
    generate_audio: shot.generateAudio,
    enhance_prompt: shot.enhancePrompt,
    cfg_scale: shot.cfgScale,
  };
  if (shot.prompt) body.prompt = inputs.prompt(shot.prompt);
  if (shot.negativePrompt) body.negative_prompt = shot.negativePrompt;
  if (shot.audioPrompt) body.audio_prompt = shot.audioPrompt;

  if (shot.mode === 'image-to-video') {
    if (!shot.image) throw new Error(`shot ${shot.id}: image-to-video without an image (the loader should have refused it)`);
    body.image_url = inputs.image(shot.image);
    if (shot.enableModeration !== undefined) body.enable_moderation = shot.enableModeration;
  }
  if (shot.mode === 'multi-image-to-video') {
    const elements: RequestValue[] = [];
    if (shot.subject) {
      elements.push(shot.subject.images.map(inputs.image));
      body.subject_name = shot.subject.name;
      if (shot.subject.description) body.subject_desc = shot.subject.description;
      body.subject_type = shot.subject.type;
    }
    for (const ref of shot.images ?? []) elements.push(inputs.image(ref));
    body.image_url = elements;
  }
  return { mode: shot.mode, path: createPath(shot.mode), body };
}
