import { ApiError } from '../api/errors.js';
import { describeApiError } from '../api/messages.js';
import { BachError } from '../errors.js';
import type { ShotFailure } from './run-report.js';
import { UploadFailure } from './upload-images.js';
import { ChangedDuringBuildError } from './wire-body.js';

// A shot's worker threw instead of returning its outcome. What the project, the disk or the API did
// is said in one line (a file that changed, a full disk, an API error); anything else is a bug in
// bach-render: it is labelled internal and keeps its stack, so it can be reported and found.

export function describeWorkerError(shotId: string, error: unknown): ShotFailure {
  const prefix = `shot ${shotId}: `;
  if (error instanceof ApiError) return { id: shotId, message: describeApiError(error, { shotId }) };
  if (error instanceof BachError || error instanceof UploadFailure || error instanceof ChangedDuringBuildError || isSystemError(error)) {
    return { id: shotId, message: `${prefix}${error.message}` };
  }
  const text = error instanceof Error ? error.message : String(error);
  return {
    id: shotId,
    message: `${prefix}internal error (a bug in bach-render; please report it with its stack): ${text}`,
    internal: true,
    ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
  };
}

/** Node's errors from the file system and the OS carry a string code (ENOSPC, EACCES, ENOENT…). */
function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}
