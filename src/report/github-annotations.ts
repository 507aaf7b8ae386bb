import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../errors.js';
import { formatPlanSummary } from '../plan/format-plan.js';
import type { Plan, ShotPlan } from '../plan/types.js';
import { createPalette } from '../util/palette.js';

// `--reporter github` for `validate` and `plan`: GitHub Actions workflow commands
// (`::error file=…,line=…,col=…::message`), which the runner turns into annotations on the files of
// the commit or pull request. Pure: the command prints them (on stdout, after its usual output —
// the runner hides command lines from the log, so the log still reads as it does elsewhere).
//
// What becomes an annotation:
//   - every manifest diagnostic: `error` or `warning` at its line and column;
//   - plan: one `notice` with the plan's summary line (what the build would do and cost), first;
//     then one per shot that changes, at the line where the shot starts: a `notice` naming the action,
//     the reasons, the seed and the seconds it renders — or a `warning` when the shot will be paid for
//     again without having changed (its output is gone and the cache does not hold it, or its
//     paid-for result expired); a `notice` on the manifest (no line: the shot is gone) per removed shot.
// GitHub shows at most 10 annotations of each kind per step: past 9 of a kind, the 10th says how many
// more there are (the step's log has them all).

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  title?: string;
  file?: string;
  line?: number;
  col?: number;
  endLine?: number;
  endColumn?: number;
}

/** GitHub's per-step display limit for each kind. */
export const ANNOTATIONS_PER_KIND = 10;

/** How a file path from a message is named for GitHub (relative to the repository's root). */
export type FileNamer = (file: string) => string;

/**
 * GitHub resolves `file=` against the repository's checkout (GITHUB_WORKSPACE); messages name files
 * relative to the current folder. Outside Actions, or for a file outside the checkout, the name is
 * kept as it is.
 */
export function createFileNamer(cwd: string, env: Readonly<Record<string, string | undefined>>): FileNamer {
  const workspace = env.GITHUB_WORKSPACE;
  return (file) => {
    if (!workspace) return file.split(sep).join('/');
    const inWorkspace = relative(workspace, resolve(cwd, file));
    return inWorkspace.startsWith('..') || isAbsolute(inWorkspace) ? file.split(sep).join('/') : inWorkspace.split(sep).join('/');
  };
}

export function createDiagnosticAnnotations(diagnostics: readonly Diagnostic[], fileFor: FileNamer): Annotation[] {
  return diagnostics.map((d) => ({
    level: d.severity === 'error' ? 'error' : 'warning',
    title: `bach-render ${d.code}`,
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
    file: fileFor(d.file),
    ...(d.line !== undefined ? { line: d.line, col: d.col ?? 1 } : {}),
    ...(d.line !== undefined && d.endLine === d.line && d.endCol !== undefined ? { endLine: d.endLine, endColumn: d.endCol } : {}),
  }));
}

export function createPlanAnnotations(plan: Plan, manifestFile: string, fileFor: FileNamer): Annotation[] {
  const file = fileFor(manifestFile);
  const out: Annotation[] = [{ level: 'notice', title: 'bach-render plan', message: formatPlanSummary(plan, createPalette(false)), file }];
  for (const shot of plan.shots) {
    if (shot.kind === 'unchanged' || shot.kind === 'skipped') continue;
    out.push({
      level: paysWithoutChange(shot) ? 'warning' : 'notice',
      title: `bach-render plan: ${ACTION[shot.kind]} ${shot.shot.id}`,
      message: describeShot(shot),
      file,
      line: shot.shot.pos.line,
      col: shot.shot.pos.col,
    });
  }
  for (const removed of plan.removed) {
    out.push({
      level: 'notice',
      title: `bach-render plan: removed ${removed.id}`,
      message: `${removed.id} was removed from the manifest (${removed.previous.output.path} is left in place)`,
      file,
    });
  }
  return out;
}

/** The workflow commands, at most ANNOTATIONS_PER_KIND of each kind, one per line. */
export function formatAnnotations(annotations: readonly Annotation[]): string {
  const counts = new Map<AnnotationLevel, number>();
  for (const a of annotations) counts.set(a.level, (counts.get(a.level) ?? 0) + 1);
  const shown = new Map<AnnotationLevel, number>();
  const lines: string[] = [];
  for (const a of annotations) {
    const n = (shown.get(a.level) ?? 0) + 1;
    shown.set(a.level, n);
    const total = counts.get(a.level)!;
    if (total > ANNOTATIONS_PER_KIND && n === ANNOTATIONS_PER_KIND) {
      const more = total - ANNOTATIONS_PER_KIND + 1;
      lines.push(formatCommand({ level: a.level, title: 'bach-render', message: `${more} more ${a.level}s are not shown as annotations (GitHub shows ${ANNOTATIONS_PER_KIND} per step); the step's log lists them all` }));
    }
    if (total > ANNOTATIONS_PER_KIND && n >= ANNOTATIONS_PER_KIND) continue;
    lines.push(formatCommand(a));
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** One workflow command, escaped as the runner expects (actions/toolkit `issueCommand`). */
export function formatCommand(a: Annotation): string {
  const properties: [string, string | number | undefined][] = [
    ['file', a.file],
    ['line', a.line],
    ['col', a.col],
    ['endLine', a.endLine],
    ['endColumn', a.endColumn],
    ['title', a.title],
  ];
  const shown = properties.filter(([, value]) => value !== undefined).map(([key, value]) => `${key}=${escapeProperty(String(value))}`);
  return `::${a.level}${shown.length > 0 ? ` ${shown.join(',')}` : ''}::${escapeData(a.message)}`;
}

const ACTION: Record<ShotPlan['kind'], string> = {
  create: 'new',
  update: 'changed',
  restore: 'restore',
  'render-again': 'render again',
  unchanged: 'unchanged',
  skipped: 'skipped',
};

function needsConsent(shot: ShotPlan): boolean {
  return shot.source === 'render' && shot.needsRerenderConsent === true;
}

function paysWithoutChange(shot: ShotPlan): boolean {
  if (needsConsent(shot)) return true;
  return shot.kind === 'render-again' && shot.source === 'render' && shot.reasons.every((r) => r.kind !== 'forced');
}

function describeShot(shot: ShotPlan): string {
  const parts = [shot.reasons.map((r) => r.text).join(', ')];
  if (shot.reasons.every((r) => r.field !== 'seed')) parts.push(`seed ${shot.seed}`);
  if (shot.source === 'cache') parts.push('from the cache, no cost');
  else if (shot.source === 'in-flight') parts.push(`resumes task ${shot.inFlightTaskId} (already paid for)`);
  else if (shot.seconds > 0) parts.push(`renders ${shot.seconds} s of video (costs credits)`);
  if (needsConsent(shot)) parts.push('its paid-for result expired: rendering it again needs --allow-rerender');
  return parts.filter(Boolean).join('; ');
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
