import type { Plan } from '../plan/types.js';
import type { ReporterEvent } from './reporter.js';

// The live terminal view's model (pure; issue 15, item 4): the executor's events folded into counts
// and the shots at work, and drawn as lines that fit any terminal — a header with done / rendering /
// queued / failed, the seconds generated and to go, and the time left (from the pace seen so far),
// then the active shots, cut to the rows there are ("… and N more"). Words are the state's own:
// queued (waiting for a slot), uploading, submitting, rendering (pending or processing on the
// server), downloading, restoring. Nothing unfinished is ever drawn as done.

export type ActiveWord = 'queued' | 'uploading' | 'submitting' | 'rendering' | 'downloading' | 'restoring' | 'retrying';

export interface ProgressState {
  /** Shots this run works on (restores and renders), and the seconds its renders generate. */
  total: number;
  secondsTotal: number;
  done: number;
  failed: number;
  secondsDone: number;
  /** Shots at work now, in the order they started, with their word and when it began. */
  active: Map<string, { word: ActiveWord; sinceMs: number; taskId?: string | undefined }>;
  /** Seconds of each shot to render (what "to go" counts down). */
  seconds: Map<string, number>;
  startedMs: number | null;
}

export function createProgressState(plan: Plan): ProgressState {
  const work = plan.shots.filter((s) => s.source !== null && !(s.source === 'render' && s.heldInDoubt));
  return {
    total: work.length,
    secondsTotal: plan.totals.secondsToGenerate,
    done: 0,
    failed: 0,
    secondsDone: 0,
    active: new Map(),
    seconds: new Map(work.map((s) => [s.shot.id, s.seconds])),
    startedMs: null,
  };
}

const WORDS: Record<string, ActiveWord> = {
  queued: 'queued',
  uploading: 'uploading',
  submitting: 'submitting',
  pending: 'rendering',
  processing: 'rendering',
  downloading: 'downloading',
  restoring: 'restoring',
};

/** Folds one event in (mutates and returns the state: the view keeps one). */
export function applyProgressEvent(state: ProgressState, event: ReporterEvent, nowMs: number): ProgressState {
  if (state.startedMs === null && event.type.startsWith('shot:')) state.startedMs = nowMs;
  switch (event.type) {
    case 'shot:status': {
      const word = WORDS[event.status];
      if (!word) break;
      const current = state.active.get(event.id);
      if (current?.word !== word) state.active.set(event.id, { word, sinceMs: nowMs, taskId: event.taskId ?? current?.taskId });
      break;
    }
    case 'shot:failed':
      if (event.willRetry) state.active.set(event.id, { word: 'retrying', sinceMs: nowMs, taskId: event.taskId });
      else {
        state.active.delete(event.id);
        state.failed += 1;
      }
      break;
    case 'shot:done':
      state.active.delete(event.id);
      state.done += 1;
      if (event.how === 'rendered') state.secondsDone += state.seconds.get(event.id) ?? event.seconds;
      break;
    case 'shot:collected':
      state.active.delete(event.id);
      state.done += 1;
      break;
  }
  return state;
}

export interface DrawOptions {
  nowMs: number;
  columns: number;
  rows: number;
  /** Colours, or identity functions. */
  dim(text: string): string;
  bold(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
}

/** The block under the log: a header and the active shots, never more lines than `rows - 1`. */
export function drawProgress(state: ProgressState, options: DrawOptions): string[] {
  const atWork = state.active.size - countWord(state, 'queued');
  // Not done, not failed, not at work: waiting (for a slot, or not reached yet).
  const queued = Math.max(0, state.total - state.done - state.failed - atWork);
  const parts = [
    options.bold(`${state.done}/${state.total} done`),
    `${atWork} rendering`,
    `${queued} queued`,
    state.failed > 0 ? options.red(`${state.failed} failed`) : '',
    `${state.secondsDone} s generated, ${Math.max(0, state.secondsTotal - state.secondsDone)} s to go`,
    timeLeft(state, options.nowMs),
  ].filter(Boolean);
  const lines = [fit(parts.join(' · '), options.columns)];
  const room = Math.max(1, options.rows - 2);
  const active = [...state.active.entries()].filter(([, shot]) => shot.word !== 'queued');
  const shown = active.length > room ? active.slice(0, room - 1) : active;
  const width = Math.min(28, Math.max(8, ...shown.map(([id]) => id.length)));
  for (const [id, shot] of shown) {
    const elapsed = Math.max(0, Math.round((options.nowMs - shot.sinceMs) / 1000));
    const task = shot.taskId && shot.word === 'rendering' ? options.dim(` task ${shot.taskId.slice(0, 8)}`) : '';
    lines.push(fit(`  ${options.cyan('•')} ${id.padEnd(width)}  ${shot.word} ${options.dim(`${elapsed} s`)}${task}`, options.columns));
  }
  if (shown.length < active.length) lines.push(options.dim(`  … and ${active.length - shown.length} more`));
  return lines;
}

function countWord(state: ProgressState, word: ActiveWord): number {
  let n = 0;
  for (const shot of state.active.values()) if (shot.word === word) n += 1;
  return n;
}

/** From the pace so far: the shots left at the rate shots have finished. Nothing until one has. */
function timeLeft(state: ProgressState, nowMs: number): string {
  const finished = state.done + state.failed;
  const left = state.total - finished;
  if (left <= 0 || finished === 0 || state.startedMs === null) return '';
  const perShot = (nowMs - state.startedMs) / finished;
  return `about ${formatDuration((perShot * left) / 1000)} left`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s < 3600 ? `${m} min ${String(s % 60).padStart(2, '0')} s` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Cut to the terminal's width (escape sequences do not count). */
function fit(line: string, columns: number): string {
  // eslint-disable-next-line no-control-regex
  const visible = line.replace(/\u001b\[[0-9;]*m/g, '');
  if (visible.length <= columns - 1) return line;
  return `${visible.slice(0, Math.max(1, columns - 2))}…`;
}
