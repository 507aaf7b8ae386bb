import type { AspectRatio, Mode, Resolution } from './types.js';

// The API's numbers, in one table (bach-api.md Part 1, "Enumerations"; the seed wins over the public
// pages). The manifest schema encodes the same limits for editors; test/unit/manifest/schema-capabilities.test.ts
// fails if the two drift. The emulator enforces them from here too: they are the contract's data.

export interface ModeCapability {
  /** Path segment under /videos/. */
  endpoint: 'text2video' | 'image2video' | 'multi2video';
  durations: readonly number[];
  promptRequired: boolean;
}

export const MODES: Readonly<Record<Mode, ModeCapability>> = {
  'text-to-video': { endpoint: 'text2video', durations: [6], promptRequired: true },
  'image-to-video': { endpoint: 'image2video', durations: [1, 2, 3, 4, 5], promptRequired: false },
  'multi-image-to-video': { endpoint: 'multi2video', durations: [1, 2, 3, 4, 5], promptRequired: true },
};

export const MODEL_NAMES = ['bach-1.0-preview'] as const;
export const RESOLUTIONS: readonly Resolution[] = ['720p', '1080p'];
export const ASPECT_RATIOS: readonly AspectRatio[] = ['16:9', '9:16', '1:1'];
export const FPS_VALUES = [24] as const;

export const LIMITS = {
  promptChars: 10_000,
  negativePromptChars: 10_000,
  audioPromptChars: 200,
  callbackUrlChars: 500,
  seedMin: 0,
  seedMax: 10_000_000,
  cfgScaleMin: 1.0,
  cfgScaleMax: 15.0,
  /** Elements of a multi-image request's image_url; the subject's nested array counts as one. */
  multiImageElements: 9,
  subjectImages: 4,
  subjectNameChars: 50,
  subjectDescChars: 500,
  uploadBatchImages: 300,
  uploadImageBytes: 10 * 1024 * 1024,
} as const;

export const UPLOAD_FORMATS = ['jpg', 'jpeg', 'png', 'gif', 'bmp', 'webp', 'svg', 'ico', 'tiff', 'tif'] as const;

/** Output frame size [decided: the short side is the resolution]. */
export function frameSize(resolution: Resolution, aspectRatio: AspectRatio): { width: number; height: number } {
  const short = resolution === '720p' ? 720 : 1080;
  const long = resolution === '720p' ? 1280 : 1920;
  if (aspectRatio === '16:9') return { width: long, height: short };
  if (aspectRatio === '9:16') return { width: short, height: long };
  return { width: short, height: short };
}

/**
 * What the API assumes for a field a request leaves out (bach-api.md Part 1; the docs' fps default of
 * 30 is left out: 24 is the only value the seed accepts, and it is always sent).
 */
export const API_DEFAULTS = {
  aspect_ratio: '16:9',
  generate_audio: false,
  enhance_prompt: true,
  cfg_scale: 5.0,
  negative_prompt: '',
  audio_prompt: '',
  enable_moderation: false,
  subject_type: 'character',
  subject_desc: '',
} as const;

export const DEFAULT_BASE_URL = 'https://api-gen-na.bach.art/api/vdr';
