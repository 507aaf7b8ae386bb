import { LIMITS, MODES } from '../contract/capabilities.js';
import type { FileFacts, ImageFormat, OutputFacts } from './file-facts.js';
import type { FileReference } from './file-refs.js';
import { BUILT_IN_DEFAULTS } from './defaults.js';
import { classifyReference } from './file-refs.js';
import { asRecord, asString, looseShots, looseSubjects } from './loose.js';
import type { ManifestProblem } from './diagnostics.js';
import type { Mode } from './types.js';
import { formatInstancePath, type Locate, type PathSegment } from './source-span.js';
import { describeChoices, suggestClosest } from './suggest.js';

// Stage 3 (pure): what the schema cannot say — rules across fields, values inherited from
// `defaults:`, and the facts the shell gathered about local files. Each rule is a small function
// that reports problems; every rule runs, so all problems are reported at once. The rules run even
// when the schema found problems (so a typo does not hide a missing file): they read the manifest
// loosely and skip values of the wrong shape, which the schema has reported already.

/**
 * A key bach-render is configured with (BACH_ACCESS_KEY, BACH_SECRET_KEY), passed in by the shell,
 * which reads the environment: no text the manifest sends may contain one. Only `name` is ever shown.
 */
export interface GuardedSecret {
  name: string;
  value: string;
}

export interface RuleContext {
  /** The parsed manifest, valid or not. */
  manifest: unknown;
  references: readonly FileReference[];
  facts: (path: string) => FileFacts;
  outputFacts: OutputFacts;
  locate: Locate;
  /** Keys no prompt may contain (empty when the shell passed none). */
  secrets: readonly GuardedSecret[];
  report: (problem: ManifestProblem & { severity?: 'error' | 'warning' }) => void;
}

type Rule = (context: RuleContext) => void;

export const RULES: readonly Rule[] = [
  checkUniqueIds,
  checkSubjectsDefined,
  checkSubjectsUsed,
  checkSubjectNames,
  checkEffectiveDurations,
  checkReferences,
  checkSecrets,
  checkOutput,
  checkFilmName,
];

export function checkRules(
  context: Omit<RuleContext, 'report' | 'secrets'> & { secrets?: readonly GuardedSecret[] },
): Array<ManifestProblem & { severity: 'error' | 'warning' }> {
  const problems: Array<ManifestProblem & { severity: 'error' | 'warning' }> = [];
  const report: RuleContext['report'] = (problem) => problems.push({ ...problem, severity: problem.severity ?? 'error' });
  for (const rule of RULES) rule({ ...context, secrets: context.secrets ?? [], report });
  return problems;
}

function checkUniqueIds({ manifest, locate, report }: RuleContext): void {
  const first = new Map<string, number>();
  looseShots(manifest).forEach((shot, index) => {
    const id = asString(shot.id);
    if (id === undefined) return;
    const earlier = first.get(id);
    if (earlier === undefined) {
      first.set(id, index);
      return;
    }
    const line = locate(['shots', earlier, 'id']).line;
    report({
      code: 'duplicate-id',
      path: ['shots', index, 'id'],
      at: 'value',
      message: `shots[${index}].id: "${id}" is already the id of shots[${earlier}] (line ${line}); ids must be unique`,
    });
  });
}

function checkSubjectsDefined({ manifest, report }: RuleContext): void {
  const subjects = asRecord(asRecord(manifest)?.subjects) ?? {};
  const keys = Object.keys(subjects);
  looseShots(manifest).forEach((shot, index) => {
    const subject = asString(shot.subject);
    if (shot.mode !== 'multi-image-to-video' || subject === undefined || subject === '') return;
    if (Object.hasOwn(subjects, subject)) return;
    const suggestion = suggestClosest(subject, keys);
    report({
      code: 'unknown-subject',
      path: ['shots', index, 'subject'],
      at: 'value',
      message: `shots[${index}].subject: no subject "${subject}" under subjects:${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
      hint: keys.length > 0 ? `Defined subjects: ${keys.join(', ')}.` : 'Define it under `subjects:` at the top level.',
    });
  });
}

function checkSubjectsUsed({ manifest, report }: RuleContext): void {
  const used = new Set(looseShots(manifest).map((shot) => (shot.mode === 'multi-image-to-video' ? asString(shot.subject) : undefined)));
  for (const key of Object.keys(asRecord(asRecord(manifest)?.subjects) ?? {})) {
    if (used.has(key)) continue;
    report({ severity: 'warning', code: 'unused-subject', path: ['subjects', key], at: 'key', message: `subjects.${key}: no shot uses this subject` });
  }
}

function checkSubjectNames({ manifest, report }: RuleContext): void {
  for (const [key, subject] of looseSubjects(manifest)) {
    if (subject.name !== undefined) continue; // the schema checks a written name
    if (key.length > LIMITS.subjectNameChars) {
      report({
        code: 'length',
        path: ['subjects', key],
        at: 'key',
        message: `subjects.${key}: the subject's name defaults to its key, which has ${key.length} characters; the API takes at most ${LIMITS.subjectNameChars}`,
        hint: 'Set `name:` or use a shorter key.',
      });
    }
  }
}

function checkEffectiveDurations({ manifest, locate, report }: RuleContext): void {
  const inherited = asRecord(asRecord(manifest)?.defaults)?.duration;
  // A default no mode allows is the schema's to report, once, at defaults.duration.
  if (typeof inherited !== 'number' || !Object.values(MODES).some((mode) => mode.durations.includes(inherited))) return;
  const line = locate(['defaults', 'duration']).line;
  looseShots(manifest).forEach((shot, index) => {
    if (shot.duration !== undefined) return; // the schema checks a shot's own duration
    const mode = asString(shot.mode);
    if (mode === undefined || !Object.hasOwn(MODES, mode)) return;
    const allowed = MODES[mode as Mode].durations;
    if (allowed.includes(inherited)) return;
    const need = allowed.length === 1 ? `duration ${allowed[0]}` : `a duration of ${describeChoices(allowed)} seconds`;
    report({
      code: 'enum',
      path: ['shots', index],
      at: 'value',
      message: `shots[${index}].duration: ${mode} needs ${need}, got ${inherited} (inherited from defaults.duration on line ${line})`,
      hint: `Set \`duration\` on this shot, or change defaults.duration.`,
    });
  });
}

function checkReferences({ references, facts, report }: RuleContext): void {
  for (const { path, raw, use, ref } of references) {
    const name = formatInstancePath(path);
    if (ref.kind === 'url') continue;
    if (ref.kind === 'invalid') {
      report({ code: ref.code, path, at: 'value', message: `${name}: "${raw}" ${ref.reason}` });
      continue;
    }
    const fact = facts(ref.path);
    const problem = judgeFile(ref.path, use, fact);
    if (problem) report({ path, at: 'value', code: problem.code, message: `${name}: ${problem.message}`, ...(problem.hint ? { hint: problem.hint } : {}) });
  }
}

function judgeFile(path: string, use: 'image' | 'prompt', fact: FileFacts): { code: string; message: string; hint?: string } | undefined {
  if (!fact.exists) return { code: 'file-missing', message: `file "${path}" does not exist${fact.similar ? `; did you mean "${fact.similar}"?` : ''}` };
  if (!fact.isFile) return { code: 'not-a-file', message: `"${path}" is not a regular file` };
  if (!fact.insideRoot) {
    return { code: 'outside-root', message: `"${path}" resolves (through a symbolic link) outside the manifest's folder`, hint: 'Copy the file into the project instead of linking to it.' };
  }
  if (fact.unreadable !== undefined) return { code: 'file-unreadable', message: `cannot read "${path}" (${fact.unreadable})` };
  if (fact.size > LIMITS.uploadImageBytes) {
    return { code: 'file-too-large', message: `"${path}" is ${formatMB(fact.size)}; the limit is ${formatMB(LIMITS.uploadImageBytes)}` };
  }
  if (use === 'image') {
    if (fact.imageFormat === undefined) {
      return { code: 'not-an-image', message: `"${path}" is not an image (its content is not jpg, png, gif, bmp, webp, svg, ico or tiff)` };
    }
    if (fact.imageProblem !== undefined) {
      return {
        code: 'image-damaged',
        message: `"${path}" starts like a ${FORMAT_NAMES[fact.imageFormat]} image, but ${fact.imageProblem}`,
        hint: 'Export or save the image again; a file cut short by a copy or a download looks like this.',
      };
    }
    return undefined;
  }
  const hidden = [path, fact.realPath].find((name) => name !== undefined && isHiddenPath(name));
  if (hidden !== undefined) {
    return {
      code: 'hidden-prompt-file',
      message: `"${path}" ${hidden === path ? 'is' : `leads (through a symbolic link) to "${hidden}",`} a hidden file or inside a hidden folder; it is not sent as a prompt`,
      hint: 'Files and folders whose names begin with a dot (.env, .git/, .bach/) hold configuration and keys. Keep prompts in ordinary files, e.g. prompts/opening.md.',
    };
  }
  const text = fact.promptText;
  if (!text || !text.ok) return { code: 'prompt-not-text', message: `"${path}" is not UTF-8 text` };
  if (text.text.length === 0) return { code: 'length', message: `prompt file "${path}" is empty` };
  if (text.text.length > LIMITS.promptChars) {
    return {
      code: 'length',
      message: `the prompt in "${path}" has ${text.text.length} characters; at most ${LIMITS.promptChars}`,
      hint: 'Characters are counted as UTF-16 code units, as the API counts them (an emoji counts 2).',
    };
  }
  return undefined;
}

/**
 * Decided: a prompt file is refused when any segment of its path (as written, or as reached through a
 * symbolic link) begins with a dot. That covers `.env`, `.git/config`, `.bach/…` and every other
 * dotfile; a prompt has no reason to live in one, and sending one sends whatever keys it holds.
 */
function isHiddenPath(path: string): boolean {
  return path.split('/').some((segment) => segment.startsWith('.') && segment !== '.' && segment !== '..');
}

/**
 * No text the manifest sends may contain a configured key: not a prompt file's text (a file that
 * happens to hold the key, or a prompt_file pointed at one by a hostile branch), nor an inline
 * prompt or description. Decided: the check is a plain substring test of each key's value (keys are
 * long random strings); a key shorter than MIN_GUARDED_KEY_CHARS is not checked, since it would match
 * ordinary words. The message names the variable, never the value.
 */
function checkSecrets({ manifest, references, facts, secrets, report }: RuleContext): void {
  const guarded = secrets.filter((secret) => secret.value.length >= MIN_GUARDED_KEY_CHARS);
  if (guarded.length === 0) return;
  const holder = (text: unknown) => (typeof text === 'string' ? guarded.find((secret) => text.includes(secret.value))?.name : undefined);
  const refuse = (path: PathSegment[], what: string, name: string) =>
    report({
      code: 'secret-in-prompt',
      path,
      at: 'value',
      message: `${formatInstancePath(path)}: ${what} contains the value of ${name}; bach-render never sends a key to the API`,
      hint: 'Remove the key from the text (and rotate it if it was ever committed or shared).',
    });
  for (const { path, use, ref } of references) {
    if (use !== 'prompt' || ref.kind !== 'file') continue;
    const text = facts(ref.path).promptText;
    const name = text?.ok ? holder(text.text) : undefined;
    if (name) refuse(path, `the text of "${ref.path}"`, name);
  }
  const check = (path: PathSegment[], value: unknown) => {
    const name = holder(value);
    if (name) refuse(path, 'the text', name);
  };
  const defaults = asRecord(asRecord(manifest)?.defaults);
  for (const field of ['negative_prompt', 'audio_prompt']) check(['defaults', field], defaults?.[field]);
  for (const [key, subject] of looseSubjects(manifest)) for (const field of ['name', 'description']) check(['subjects', key, field], subject[field]);
  looseShots(manifest).forEach((shot, index) => {
    for (const field of ['prompt', 'negative_prompt', 'audio_prompt']) check(['shots', index, field], shot[field]);
  });
}

/** Keys shorter than this are not looked for in prompts (they would match ordinary words). */
export const MIN_GUARDED_KEY_CHARS = 8;

const FORMAT_NAMES: Record<ImageFormat, string> = { jpeg: 'JPEG', png: 'PNG', gif: 'GIF', bmp: 'BMP', webp: 'WebP', svg: 'SVG', ico: 'ICO', tiff: 'TIFF' };

function checkOutput({ manifest, outputFacts, report }: RuleContext): void {
  const written = asRecord(manifest)?.output;
  if (written === '' || (written !== undefined && typeof written !== 'string')) return; // the schema's to report
  const output = written ?? BUILT_IN_DEFAULTS.output;
  const name = written === undefined ? `output: "${output}" (the default)` : `output: "${output}"`;
  const ref = classifyReference(output);
  const outside = ref.kind === 'url' || (ref.kind === 'invalid' && ref.code !== 'not-a-file') || (ref.kind === 'file' && !outputFacts.insideRoot);
  const reserved = ref.kind === 'file' ? [ref.path, outputFacts.realPath].find((path) => path !== undefined && isReservedFolder(path)) : undefined;
  if (outside) {
    report({
      code: 'output-outside-root',
      path: ['output'],
      at: 'value',
      message: `${name} is not a folder inside the manifest's folder${ref.kind === 'file' ? ' (a symbolic link leads elsewhere)' : ''}`,
      hint: 'bach-render writes only beside the manifest: use a relative folder such as `renders`.',
    });
  } else if (reserved !== undefined) {
    const via = ref.kind === 'file' && reserved === ref.path ? 'is' : `leads (through a symbolic link) to "${reserved}",`;
    report({
      code: 'output-reserved',
      path: ['output'],
      at: 'value',
      message: `${name} ${via} inside .git/ or .bach/; videos are never written there`,
      hint: '.git/ is git\'s own (a file in .git/hooks runs as a program) and .bach/ is bach-render\'s state: use a folder such as `renders`.',
    });
  } else if (ref.kind === 'file' && outputFacts.exists && !outputFacts.isDirectory) {
    report({ code: 'output-not-a-folder', path: ['output'], at: 'value', message: `${name} exists and is not a folder` });
  }
}

// The film is written to `<output>/<name>.mp4`, beside the shots' `<output>/<id>.mp4`: a name equal
// to an id (case-insensitively, for case-insensitive file systems) would overwrite that shot's video.
function checkFilmName({ manifest, report }: RuleContext): void {
  const name = asString(asRecord(manifest)?.name);
  if (name === undefined) return;
  const index = looseShots(manifest).findIndex((shot) => asString(shot.id)?.toLowerCase() === name.toLowerCase());
  if (index < 0) return;
  report({
    code: 'conflict',
    path: ['name'],
    at: 'value',
    message: `name: "${name}" is also the id of shots[${index}]; the film <output>/${name}.mp4 would overwrite that shot's video`,
    hint: 'Choose another name for the film, e.g. `name: ' + name + '-film`.',
  });
}

/**
 * Decided: any path segment `.git` or `.bach` (case-insensitively: the folder is the same on macOS and
 * Windows) makes the output folder reserved — a nested repository's `.git` as much as the project's.
 */
function isReservedFolder(path: string): boolean {
  return path.split('/').some((segment) => ['.git', '.bach'].includes(segment.toLowerCase()));
}

function formatMB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
