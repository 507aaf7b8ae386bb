import type { RunReport } from './run-report.js';

// What the executor tells the world while it works. Reporters (the live view, plain, NDJSON) render these
// and nothing else; the executor never prints. No event ever carries a token, a key or a signed URL.
// The run's result is not built from these: workers return outcomes that executePlan folds into the
// RunReport (run-report.ts), sent last as `run:summary`.

export type { RunReport, ShotFailure } from './run-report.js';

export type ShotStatus =
  | 'uploading'    // waiting for its images to be uploaded
  | 'queued'       // ready, waiting for a slot (--concurrency)
  | 'submitting'   // create request on the wire
  | 'pending'      // TASK_PENDING
  | 'processing'   // TASK_PROCESSING
  | 'downloading'
  | 'restoring';   // copying from .bach/cache

export type RenderEvent =
  | { type: 'upload:start'; images: number; batches: number; bytes: number }
  | { type: 'upload:batch'; index: number; batches: number; images: number; bytes: number; failed: number }
  | { type: 'shot:status'; id: string; status: ShotStatus; taskId?: string; attempt?: number }
  /** The API accepted a create request: `seconds` of video are paid for from here (the budget's meter). */
  | { type: 'shot:submitted'; id: string; taskId: string; seconds: number }
  | { type: 'shot:done'; id: string; how: 'rendered' | 'restored'; output: string; taskId?: string; seconds: number }
  | { type: 'shot:failed'; id: string; message: string; taskId?: string; willRetry: boolean; internal?: true }
  | { type: 'shot:collected'; id: string; taskId: string; note: string }
  | { type: 'notice'; level: 'info' | 'warn'; message: string }
  | { type: 'run:interrupted' }
  | { type: 'run:summary'; report: RunReport };

export type Emit = (event: RenderEvent) => void;
