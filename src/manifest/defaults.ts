import { FPS_VALUES, MODEL_NAMES, MODES } from '../contract/capabilities.js';
import type { AspectRatio, Mode, Resolution, SubjectType } from './types.js';

// The built-in defaults, applied after `defaults:` and a shot's own values. The schema states the
// same values as `default` for editors; test/unit/manifest/schema-defaults.test.ts keeps the two equal.

export const BUILT_IN_DEFAULTS = {
  output: 'renders',
  cut: false,
  model: MODEL_NAMES[0] as string,
  resolution: '1080p' as Resolution,
  aspect_ratio: '16:9' as AspectRatio,
  fps: FPS_VALUES[0] as number,
  negative_prompt: '',
  audio_prompt: '',
  generate_audio: false,
  enhance_prompt: true,
  cfg_scale: 5.0,
  enable_moderation: false,
  subject_type: 'character' as SubjectType,
  subject_description: '',
} as const;

/** A shot that sets no duration lasts as long as its mode allows (text-to-video 6, others 5). */
export function defaultDuration(mode: Mode): number {
  return Math.max(...MODES[mode].durations);
}
