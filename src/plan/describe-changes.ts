import { buildCreateRequest, type RequestBody, type RequestValue } from '../contract/create-request.js';
import type { LockEntry } from '../lock/types.js';
import type { Shot } from '../manifest/types.js';
import { canonicalJson } from '../util/canonical-json.js';
import { describeTextChange } from './text-change.js';
import type { Reason } from './types.js';

// Why a shot's fingerprint changed, in the user's words: `prompt "…waves crashing" → "…waves
// breaking"`, `duration 5 → 4`, `frames/hero.png changed`. The previous request comes from the
// lockfile; the current one from the same builder, run a third time with labels (file → its path) so
// the three trees line up exactly. Each field reason also carries `from` and `to`: the values as the
// API receives them (a local file as `{ sha256 }`, null when absent), whole, for `plan --json`.

const WIRE_TO_FIELD: Record<string, string> = {
  model_name: 'model',
  image_url: 'image',
  subject_name: 'subject name',
  subject_desc: 'subject description',
  subject_type: 'subject type',
};
const FIELD_ORDER = [
  'model_name', 'prompt', 'negative_prompt', 'audio_prompt', 'generate_audio', 'enhance_prompt', 'cfg_scale',
  'resolution', 'aspect_ratio', 'duration', 'fps', 'seed', 'enable_moderation', 'image_url',
  'subject_name', 'subject_desc', 'subject_type',
];
/** Fields whose values are words or numbers, shown bare; other text is quoted and shortened (text-change.ts). */
const SHOW_VALUES = new Set([
  'model_name', 'generate_audio', 'enhance_prompt', 'cfg_scale', 'resolution', 'aspect_ratio', 'duration', 'fps',
  'seed', 'enable_moderation', 'subject_type',
]);

export function describeChanges(previous: LockEntry, shot: Shot, request: RequestBody): Reason[] {
  if (previous.mode !== shot.mode) {
    return [{ kind: 'mode', field: 'mode', text: `mode ${previous.mode} → ${shot.mode}`, from: previous.mode, to: shot.mode }];
  }
  const labels = buildCreateRequest(shot, {
    seed: 0,
    image: (ref) => (ref.kind === 'file' ? ref.path : ref.url),
    prompt: (ref) => (ref.kind === 'file' ? ref.path : ''),
  }).body;
  const keys = new Set([...Object.keys(previous.request), ...Object.keys(request)]);
  const ordered = [...FIELD_ORDER.filter((key) => keys.has(key)), ...[...keys].filter((k) => !FIELD_ORDER.includes(k)).sort()];
  const reasons: Reason[] = [];
  for (const key of ordered) {
    const before = previous.request[key];
    const after = request[key];
    if (sameValue(before, after)) continue;
    reasons.push(...describeField(key, before, after, labels[key]).map((reason) => ({ from: before ?? null, to: after ?? null, ...reason })));
  }
  return dedupe(reasons);
}

function describeField(key: string, before: RequestValue | undefined, after: RequestValue | undefined, label: RequestValue | undefined): Reason[] {
  const field = WIRE_TO_FIELD[key] ?? key;
  if (isFile(after) && typeof label === 'string') {
    return [isFile(before) ? fileReason(label) : { kind: 'field', field, path: label, text: `${field} now from ${label}` }];
  }
  if (Array.isArray(before) && Array.isArray(after) && Array.isArray(label)) {
    if (before.length !== after.length) return [{ kind: 'field', field, text: `${field === 'image' ? 'images' : field}: ${before.length} → ${after.length}` }];
    const nested = before.flatMap((item, index) =>
      sameValue(item, after[index]) ? [] : describeField(key, item, after[index], label[index]).map((reason) => ({ from: item, to: after[index] ?? null, ...reason })),
    );
    if (nested.length > 0) return nested;
  }
  if (SHOW_VALUES.has(key) && isScalar(before) && isScalar(after)) {
    return [{ kind: 'field', field, text: `${field} ${show(before)} → ${show(after)}` }];
  }
  if (isFile(before) && typeof after === 'string') return [{ kind: 'field', field, text: `${field} now ${showScalar(key, after)}` }];
  if (typeof before === 'string' && typeof after === 'string') {
    const [from, to] = describeTextChange(before, after);
    return [{ kind: 'field', field, text: `${field} ${from} → ${to}` }];
  }
  if (before === undefined) return [{ kind: 'field', field, text: `${field} added${isScalar(after) ? `: ${showScalar(key, after)}` : ''}` }];
  if (after === undefined) return [{ kind: 'field', field, text: `${field} removed${isScalar(before) ? ` (was ${showScalar(key, before)})` : ''}` }];
  return [{ kind: 'field', field, text: `${field} changed` }];
}

function showScalar(key: string, value: string | number | boolean): string {
  return SHOW_VALUES.has(key) || typeof value !== 'string' ? show(value) : describeTextChange(value, value)[0];
}

function fileReason(path: string): Reason {
  return { kind: 'file', path, text: `${path} changed` };
}

function isFile(value: RequestValue | undefined): value is { sha256: string } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isScalar(value: RequestValue | undefined): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function show(value: string | number | boolean): string {
  return typeof value === 'string' ? value : String(value);
}

function sameValue(a: RequestValue | undefined, b: RequestValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return canonicalJson(a) === canonicalJson(b);
}

function dedupe(reasons: Reason[]): Reason[] {
  const seen = new Set<string>();
  return reasons.filter((reason) => (seen.has(reason.text) ? false : (seen.add(reason.text), true)));
}
