import type { ApiEvent } from '../api/types.js';
import type { Plan } from '../plan/types.js';
import type { RenderEvent } from '../render/events.js';
import type { WatchEvent } from './watch-events.js';

// A reporter renders what a build does. The executor emits events; the command hands them, the plan
// and its own messages to one reporter, chosen by `chooseReporter`. Reporters never see secrets
// because no event carries one.

export type ReporterEvent = RenderEvent | ApiEvent;

export interface Reporter {
  /** The plan, before anything is submitted (states what it will cost). */
  plan(plan: Plan, manifestLabel: string): void;
  event(event: ReporterEvent): void;
  /** A message of the command's own (errors, refusals, watch-mode status). */
  message(level: 'info' | 'warn' | 'error', text: string): void;
  /** Watch mode's own events (which files, what changed, run start, idle); optional for other commands. */
  watch?(event: WatchEvent): void;
  /** Flush and stop any animation. */
  close(): Promise<void>;
}

export type ReporterKind = 'tty' | 'plain' | 'json';

/**
 * auto → tty on an interactive terminal outside CI that is wide enough for rows (a terminal that
 * reports no width would get every row wrapped a character per line), plain otherwise; json only
 * when asked.
 */
export function chooseReporter(flag: 'auto' | 'plain' | 'json', env: { isTTY: boolean; ci: boolean; dumb: boolean; columns?: number | undefined }): ReporterKind {
  if (flag === 'json') return 'json';
  if (flag === 'plain') return 'plain';
  return env.isTTY && !env.ci && !env.dumb && (env.columns ?? 0) >= 40 ? 'tty' : 'plain';
}

export function isCI(env: Readonly<Record<string, string | undefined>>): boolean {
  const ci = env.CI;
  return (ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false') || env.GITHUB_ACTIONS === 'true';
}
