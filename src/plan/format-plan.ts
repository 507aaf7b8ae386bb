import type { Palette } from '../util/palette.js';
import type { Plan, ShotPlan } from './types.js';

// The plan for people, Terraform-style: one line per shot that changes, with its reasons and cost.
//   + create   ~ update   < restore from cache   ! render again (costs credits)   - removed
//   # kept: an output altered by hand, left alone (nothing to pay; `--force ID` renders it again)
//   ? held in doubt: an earlier create got no answer and may be billed; not sent until `--force ID`
//   @ from the team cache: another machine of the team paid for it; fetched and verified, free
//   ^ from an earlier task: bach.lock names its task and the API still serves it; downloaded, free
// Unchanged shots are summarised on one `=` line (named when there are few) so that a 10,000-shot
// storyboard with one edit prints a handful of lines.

const SYMBOL: Record<ShotPlan['kind'], string> = {
  create: '+',
  update: '~',
  restore: '<',
  'render-again': '!',
  unchanged: '=',
  skipped: ' ',
};
const NAME_UNCHANGED_UP_TO = 8;

export function formatPlan(plan: Plan, palette: Palette): string {
  const changed = plan.shots.filter((s) => s.kind !== 'unchanged' && s.kind !== 'skipped');
  const width = Math.min(28, Math.max(8, ...changed.map((s) => s.shot.id.length), ...plan.removed.map((r) => r.id.length)));
  // (kept shots use the same column)
  const lines: string[] = [];
  for (const shot of changed) lines.push(formatShotLine(shot, width, palette));
  for (const removed of plan.removed) {
    lines.push(
      `${palette.red('-')} ${removed.id.padEnd(width)}  removed from the manifest ${palette.dim(`(${removed.previous.output.path} is left in place)`)}`,
    );
  }
  for (const path of plan.strayOutputs ?? []) {
    lines.push(`${palette.red('-')} ${path}  ${palette.dim('output of a shot no longer in the manifest (bach-render clean removes it)')}`);
  }
  const kept = plan.shots.filter((s) => s.source === null && s.kept === true);
  for (const shot of kept) lines.push(`${palette.yellow('#')} ${shot.shot.id.padEnd(width)}  ${shot.reasons.map((r) => r.text).join(', ')}`);
  const unchanged = plan.shots.filter((s) => s.kind === 'unchanged');
  if (!plan.changes && plan.totals.skipped === 0) return `${lines.length > 0 ? `${lines.join('\n')}\n` : ''}${formatNoChanges(unchanged.map((s) => s.shot.id), palette)}`;
  if (unchanged.length > 0) lines.push(formatUnchanged(unchanged.map((s) => s.shot.id), palette));
  lines.push('', formatPlanSummary(plan, palette));
  return `${lines.join('\n')}\n`;
}

/** The whole plan when nothing is to be done (also printed by the no-op fast path, state/up-to-date.ts). */
export function formatNoChanges(ids: readonly string[], palette: Palette): string {
  const lines = ids.length > 0 ? [formatUnchanged(ids, palette), ''] : [];
  lines.push(`No changes: ${ids.length} shot${ids.length === 1 ? '' : 's'} up to date.`);
  return `${lines.join('\n')}\n`;
}

function formatUnchanged(ids: readonly string[], palette: Palette): string {
  const names = ids.length <= NAME_UNCHANGED_UP_TO ? `: ${ids.join(', ')}` : '';
  return palette.dim(`= ${ids.length} unchanged${names}`);
}

function formatShotLine(plan: ShotPlan, width: number, palette: Palette): string {
  // ? held: an earlier create may have been billed; nothing is sent until `--force ID`.
  const held = plan.source === 'render' && plan.heldInDoubt === true;
  const symbol = held ? palette.yellow('?') : plan.source === 'team' ? palette.cyan('@') : plan.source === 'earlier-task' ? palette.cyan('^') : colourSymbol(plan.kind, palette);
  const reasons = plan.reasons.map((r) => r.text).join(', ');
  let note = '';
  if (plan.source === 'cache') note = palette.cyan(plan.kind === 'restore' ? ' (restore from cache)' : ' (from cache, no cost)');
  else if (plan.source === 'in-flight') note = palette.cyan(` (resuming task ${plan.inFlightTaskId}, already paid for)`);
  else if (plan.source === 'team') note = palette.cyan(' (from the team cache: free)');
  else if (plan.source === 'earlier-task') note = palette.cyan(` (from an earlier task: free, task ${plan.earlierTaskId})`);
  else if (plan.kind === 'render-again' && plan.reasons.every((r) => r.kind !== 'forced')) note = palette.magenta(' (not in cache: renders again)');
  const cost = plan.seconds > 0 ? `  ${palette.bold(`${plan.seconds} s`)}` : '';
  // The seed the render uses (a changed seed is already in the reasons): with the prompt, what makes a take.
  const seed = plan.reasons.some((r) => r.field === 'seed') ? '' : `  ${palette.dim(`seed ${plan.seed}`)}`;
  return `${symbol} ${plan.shot.id.padEnd(width)}  ${reasons}${note}${seed}${cost}`;
}

function colourSymbol(kind: ShotPlan['kind'], palette: Palette): string {
  const symbol = SYMBOL[kind];
  if (kind === 'create') return palette.green(symbol);
  if (kind === 'update') return palette.yellow(symbol);
  if (kind === 'restore') return palette.cyan(symbol);
  if (kind === 'render-again') return palette.magenta(symbol);
  return symbol;
}

/** One line: what a build would do and what it costs. */
export function formatPlanSummary(plan: Plan, palette: Palette): string {
  const t = plan.totals;
  if (!plan.changes) {
    const skipped = t.skipped > 0 ? ` (${t.skipped} not selected)` : '';
    return `No changes: ${t.unchanged} shot${t.unchanged === 1 ? '' : 's'} up to date${skipped}.`;
  }
  const toRender = plan.shots.filter((s) => s.source === 'render' && !s.heldInDoubt).length;
  const parts = [
    toRender > 0 ? `${toRender} to render (${palette.bold(`${t.secondsToGenerate} s of video`)})` : `nothing to render (${palette.bold('no cost')})`,
    t.fromCache > 0 ? `${t.fromCache} from cache` : '',
    t.fromTeam ? `${t.fromTeam} from the team cache` : '',
    t.fromEarlierTasks ? `${t.fromEarlierTasks} from earlier tasks` : '',
    t.inFlight > 0 ? `${t.inFlight} resumed` : '',
    t.unchanged > 0 ? `${t.unchanged} unchanged` : '',
    t.removed > 0 ? `${t.removed} removed` : '',
    t.skipped > 0 ? `${t.skipped} not selected` : '',
    t.heldInDoubt > 0 ? palette.yellow(`${t.heldInDoubt} held in doubt`) : '',
    t.secondsPossiblyBilled > 0 ? `${t.secondsPossiblyBilled} s possibly billed already` : '',
  ].filter(Boolean);
  const uploads = t.imagesToUpload > 0 ? `; ${t.imagesToUpload} image${t.imagesToUpload === 1 ? '' : 's'} to upload` : '';
  return `Plan: ${parts.join(', ')}${uploads}.`;
}
