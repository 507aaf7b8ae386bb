import type { PlanTotals, ShotPlan } from '../plan/types.js';

// What the executor tells the world. Reporters (listr2, plain, NDJSON) render these and nothing
// else; the executor never prints. No event ever carries a token, a key or a signed URL.

export type ShotStatus =
  | 'waiting'      // queued behind the concurrency limit
  | 'uploading'    // waiting for its images to be uploaded
  | 'submitting'   // create request on the wire
  | 'pending'      // TASK_PENDING
  | 'processing'   // TASK_PROCESSING
  | 'downloading'
  | 'restoring';   // copying from .bach/cache

export interface ShotFailure {
  id: string;
  message: string;
  taskId?: string;
  /** Paid for, but no video: e.g. a result URL that expired before download. */
  paidButLost?: boolean;
}

export interface RunReport {
  /** New renders that finished (paid in this or an earlier, interrupted run). */
  rendered: string[];
  restored: string[];
  unchanged: number;
  skipped: number;
  removed: string[];
  failed: ShotFailure[];
  /** Shots whose create request had an unknown outcome at least once: they may have been billed twice. */
  inDoubt: string[];
  /** Shots never submitted because the run stopped early (credits, auth, Ctrl-C). */
  notSubmitted: string[];
  /** Why submitting stopped for every remaining shot (insufficient credits, rejected keys), if it did. */
  stopReason: string | null;
  /** Results of earlier submissions collected into the cache only (their shot has changed since). */
  collected: number;
  secondsGenerated: number;
  interrupted: boolean;
  wallMs: number;
}

export type RenderEvent =
  | { type: 'run:plan'; totals: PlanTotals; shots: Pick<ShotPlan, 'kind' | 'source' | 'seconds' | 'reasons'> & { id: string }[] }
  | { type: 'upload:start'; images: number; batches: number; bytes: number }
  | { type: 'upload:batch'; index: number; batches: number; images: number; bytes: number; failed: number }
  | { type: 'shot:status'; id: string; status: ShotStatus; taskId?: string; attempt?: number }
  | { type: 'shot:done'; id: string; how: 'rendered' | 'restored'; output: string; taskId?: string; seconds: number }
  | { type: 'shot:failed'; id: string; message: string; taskId?: string; willRetry: boolean }
  | { type: 'shot:collected'; id: string; taskId: string; note: string }
  | { type: 'notice'; level: 'info' | 'warn'; message: string }
  | { type: 'run:interrupted'; waitingFor: number }
  | { type: 'run:summary'; report: RunReport };

export type Emit = (event: RenderEvent) => void;
