// What the team cache needs from a store, and all it needs: the S3 backend and the folder backend
// implement it, and everything above (lookup, pull, push, claims, the capability check) is written
// once against it. Keys are relative to the remote (see keys.ts). Every method throws RemoteError;
// "not there" is a value (null / 'exists'), not an error.

export interface ObjectInfo {
  size: number;
}

/** A video to write: read from a local file, whose sha256 the caller has computed. */
export interface FileBody {
  path: string;
  size: number;
  sha256: string;
}

export interface DownloadTarget {
  /** The file to stream into (created or truncated). */
  path: string;
  /** Stop and fail once more bytes than this arrive (the expected size, when known). */
  maxBytes?: number;
}

export interface ListPage {
  /** Keys (relative to the remote) after `startAfter`, in the server's (byte) order. */
  keys: string[];
  /** More keys follow the last one. */
  truncated: boolean;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
}

export interface RemoteBackend {
  readonly kind: 's3' | 'folder';
  /** How messages name the remote. */
  readonly display: string;
  /** Keys per LIST page this store answers (S3: 1,000; a folder: all of them at once). */
  readonly listPageSize: number;
  /**
   * The time every machine sharing this remote agrees on, in ms since the epoch: for S3 our clock
   * corrected by the server's `Date` header, for a folder our clock. Claims are stamped and judged in it.
   */
  now(): number;
  /** Requests sent so far (for the bench and `plan --json`). */
  requestCount(): number;
  head(key: string, options?: CallOptions): Promise<ObjectInfo | null>;
  /** A small object, whole; refused (corrupt) when larger than maxBytes. */
  readSmall(key: string, maxBytes: number, options?: CallOptions): Promise<Buffer | null>;
  /** Streams an object into a local file, hashing on the way; memory does not grow with its size. */
  download(key: string, target: DownloadTarget, options?: CallOptions): Promise<{ sha256: string; size: number } | null>;
  /**
   * Creates the object only if no object has that key (S3: one PUT with `If-None-Match: *`; a folder:
   * a hard link, which fails if the name exists). 'exists' when it was already there — possibly
   * because an earlier attempt of this same call succeeded (callers that care read it back).
   */
  createSmall(key: string, bytes: Uint8Array, options?: CallOptions): Promise<'created' | 'exists'>;
  /** createSmall for a video, streamed from disk; the store checks the content against `body.sha256`. */
  createFromFile(key: string, body: FileBody, options?: CallOptions): Promise<'created' | 'exists'>;
  /** Removes an object; one that is not there is no error. */
  remove(key: string, options?: CallOptions): Promise<void>;
  /** Keys under `prefix` (which ends with '/') after `startAfter`, at most `maxKeys`. */
  list(prefix: string, startAfter: string | undefined, maxKeys: number, options?: CallOptions): Promise<ListPage>;
  close(): Promise<void>;
}
