// How long a team-cache request may take, in its own module so that the facade can name the
// defaults without loading the S3 code.

export interface RemoteTimeouts {
  /** TCP/TLS connect. */
  connectMs: number;
  /** From the request sent (a body: fully sent) to the response headers; for a folder, one file system call. */
  headersMs: number;
  /** Longest pause between two chunks of a body, either way. */
  idleMs: number;
}

/** Decided: short, for an accelerator. A store that has not answered in 20 s is treated as gone for the run. */
export const DEFAULT_REMOTE_TIMEOUTS: RemoteTimeouts = { connectMs: 5_000, headersMs: 20_000, idleMs: 20_000 };
