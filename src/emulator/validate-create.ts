import { ASPECT_RATIOS, FPS_VALUES, LIMITS, MODEL_NAMES, MODES, RESOLUTIONS } from '../contract/capabilities.js';
import type { Mode } from '../contract/types.js';
import { isPlainObject } from './config.js';

// Parameter validation of the three create endpoints (400/1000). The answer carries the message of
// the FIRST rule that fails, in the order of bach-api.md Part 1 "Parameter messages, in check order";
// multi-image rules come after the general ones. Each row below is one rule; read top to bottom.
//
// Decided here (documented in docs/emulator.md):
// - `null` is the same as a missing field. A field of the wrong JSON type fails that field's own
//   rule (e.g. `"duration": "6"` → the duration message, `"negative_prompt": 5` → its length
//   message): the API has no type messages, and a client bug should not pass silently.
// - A required text that is empty or only whitespace is missing.
// - Lengths count Unicode code points (as the manifest's JSON Schema does).
// - Multi-image rules are checked rule by rule over all elements ("the first failing rule in the
//   documented order"), so `["", null]` reports the null at index 1 before the empty string at 0.
// - Rule 11 (valid http/https URL) checks every non-empty string URL of a multi-image request; the
//   shape problems (null, empty, wrong type, too many) are left to the multi-image rules.
// - Two emulator-only rules come after every documented one, for fields the contract limits but
//   gives no message for: `fps` must be 24, `cfg_scale` must be a number from 1.0 to 15.0.

export type Endpoint = 'text2video' | 'image2video' | 'multi2video';
export type CreateBody = Record<string, unknown>;
type Rule = (body: CreateBody, endpoint: Endpoint) => string | null;

export const ENDPOINTS: readonly Endpoint[] = ['text2video', 'image2video', 'multi2video'];

export function modeOfEndpoint(endpoint: Endpoint): Mode {
  const entry = Object.entries(MODES).find(([, capability]) => capability.endpoint === endpoint);
  return entry![0] as Mode;
}

const GENERAL_RULES: readonly Rule[] = [
  /* 1 */ (b) => (isOneOf(b.model_name, MODEL_NAMES) ? null : 'Model name is required.'),
  /* 2 */ (b, e) => (!capabilityOf(e).promptRequired || isFilledText(b.prompt) ? null : e === 'multi2video' ? 'Name is required.' : 'Prompt is required.'),
  /* 3 */ (b) => (fitsText(b.prompt, LIMITS.promptChars) ? null : `The prompt length must not exceed ${LIMITS.promptChars} characters.`),
  /* 4 */ (b) => (fitsText(b.negative_prompt, LIMITS.negativePromptChars) ? null : `The negative prompt length must not exceed ${LIMITS.negativePromptChars} characters.`),
  /* 5 */ (b) => (fitsText(b.audio_prompt, LIMITS.audioPromptChars) ? null : `The audio prompt length must not exceed ${LIMITS.audioPromptChars} characters.`),
  /* 6 */ (b, e) => (isOneOf(b.duration, capabilityOf(e).durations) ? null : durationMessage(e)),
  /* 7 */ (b) => (isOneOf(b.resolution, RESOLUTIONS) ? null : 'Resolution must be 720p or 1080p.'),
  /* 8 */ (b) => (isAbsent(b.aspect_ratio) || isOneOf(b.aspect_ratio, ASPECT_RATIOS) ? null : 'Aspect ratio must be 16:9, 9:16, or 1:1.'),
  /* 9 */ (b) => (isAbsent(b.seed) || isIntegerIn(b.seed, LIMITS.seedMin, LIMITS.seedMax) ? null : `Seed must be between ${LIMITS.seedMin} and ${LIMITS.seedMax}.`),
  /* 10 */ (b) => (fitsText(b.callback_url, LIMITS.callbackUrlChars) ? null : `The callback url length must not exceed ${LIMITS.callbackUrlChars} characters.`),
  /* 11 */ (b, e) => (imageUrlsOf(b, e).every(isHttpUrl) ? null : 'Image URL must be a valid HTTP or HTTPS URL'),
];

const MULTI_IMAGE_RULES: readonly Rule[] = [
  (b) => (Array.isArray(b.image_url) ? null : 'Image URL is required.'),
  (b) => (list(b).length > 0 ? null : 'Image URL cannot be empty.'),
  (b) => (list(b).length <= LIMITS.multiImageElements ? null : `Image URL list cannot exceed ${LIMITS.multiImageElements} elements.`),
  eachElement((el, n) => (el === null ? `Image URL list element at index ${n} cannot be null.` : null)),
  eachElement((el, n) => (typeof el === 'string' && !isFilledText(el) ? `Image URL at index ${n} cannot be empty.` : null)),
  eachElement((el, n) => (Array.isArray(el) && el.length === 0 ? `URL array at index ${n} cannot be empty.` : null)),
  eachElement((el, n) => (Array.isArray(el) && el.length > LIMITS.subjectImages ? `URL array at index ${n} cannot exceed ${LIMITS.subjectImages} URLs.` : null)),
  eachNested((url, n, m) => (typeof url !== 'string' ? `URL array at index ${n} contains non-string element at position ${m}.` : null)),
  eachNested((url, n, m) => (typeof url === 'string' && !isFilledText(url) ? `URL in array at index ${n}, position ${m} cannot be empty.` : null)),
  eachElement((el, n) => (el !== null && typeof el !== 'string' && !Array.isArray(el) ? `Image URL list element at index ${n} must be either a string URL or a URL array.` : null)),
  (b) => (!hasSubject(b) || isFilledText(b.subject_name) ? null : 'Subject name is required.'),
  (b) => (!hasSubject(b) || fitsText(b.subject_name, LIMITS.subjectNameChars) ? null : `The name length must not exceed ${LIMITS.subjectNameChars} characters.`),
  (b) => (!hasSubject(b) || fitsText(b.subject_desc, LIMITS.subjectDescChars) ? null : `The desc length must not exceed ${LIMITS.subjectDescChars} characters.`),
  (b) => (!hasSubject(b) || isAbsent(b.subject_type) || isOneOf(b.subject_type, SUBJECT_TYPES) ? null : "Subject type must be either 'character' or 'object'"),
];

/** Emulator-only: the contract limits these fields but gives no message (see the note above). */
const EMULATOR_RULES: readonly Rule[] = [
  (b) => (isAbsent(b.fps) || isOneOf(b.fps, FPS_VALUES) ? null : `Fps must be ${FPS_VALUES.join(' or ')}.`),
  (b) => (isAbsent(b.cfg_scale) || isNumberIn(b.cfg_scale, LIMITS.cfgScaleMin, LIMITS.cfgScaleMax) ? null : 'Cfg scale must be between 1.0 and 15.0.'),
];

const SUBJECT_TYPES = ['character', 'object'] as const;

/** The message of the first failing rule, or null when the body is valid. */
export function validateCreateBody(body: CreateBody, endpoint: Endpoint): string | null {
  const rules = [...GENERAL_RULES, ...(endpoint === 'multi2video' ? MULTI_IMAGE_RULES : []), ...EMULATOR_RULES];
  for (const rule of rules) {
    const message = rule(body, endpoint);
    if (message !== null) return message;
  }
  return null;
}

/** The image URLs of a valid body, in order (a subject's nested URLs included). */
export function listImageUrls(body: CreateBody, endpoint: Endpoint): string[] {
  return imageUrlsOf(body, endpoint).filter((url): url is string => typeof url === 'string');
}

/** Valid http(s) URL: parses, has a host, no surrounding whitespace. */
export function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value !== value.trim()) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

function capabilityOf(endpoint: Endpoint) {
  return MODES[modeOfEndpoint(endpoint)];
}

function durationMessage(endpoint: Endpoint): string {
  const durations = capabilityOf(endpoint).durations;
  return durations.length === 1
    ? `Duration must be ${durations[0]} seconds.`
    : `Duration must be between ${Math.min(...durations)} and ${Math.max(...durations)} seconds.`;
}

function imageUrlsOf(body: CreateBody, endpoint: Endpoint): unknown[] {
  if (endpoint === 'image2video') return [body.image_url];
  if (endpoint !== 'multi2video' || !Array.isArray(body.image_url)) return [];
  const urls: unknown[] = [];
  for (const element of body.image_url as unknown[]) {
    for (const url of Array.isArray(element) ? element : [element]) {
      if (typeof url === 'string' && isFilledText(url)) urls.push(url);
    }
  }
  return urls;
}

function list(body: CreateBody): unknown[] {
  return body.image_url as unknown[];
}

function eachElement(check: (element: unknown, n: number) => string | null): Rule {
  return (body) => {
    for (const [n, element] of list(body).entries()) {
      const message = check(element, n);
      if (message !== null) return message;
    }
    return null;
  };
}

function eachNested(check: (url: unknown, n: number, m: number) => string | null): Rule {
  return eachElement((element, n) => {
    if (!Array.isArray(element)) return null;
    for (const [m, url] of element.entries()) {
      const message = check(url, n, m);
      if (message !== null) return message;
    }
    return null;
  });
}

function hasSubject(body: CreateBody): boolean {
  return list(body).some(Array.isArray);
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

function isFilledText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Absent, or a string of at most `max` code points. */
function fitsText(value: unknown, max: number): boolean {
  return isAbsent(value) || (typeof value === 'string' && codePointLength(value) <= max);
}

function isOneOf<T>(value: unknown, allowed: readonly T[]): boolean {
  return allowed.includes(value as T);
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isNumberIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

export function isCreateBody(value: unknown): value is CreateBody {
  return isPlainObject(value);
}
