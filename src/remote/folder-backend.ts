import { randomBytes } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { copyFile, link, lstat, mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Clock } from '../util/clock.js';
import type { CallOptions, DownloadTarget, FileBody, ListPage, ObjectInfo, RemoteBackend } from './backend.js';
import { createIdleWatchdog } from './idle-watchdog.js';
import { RemoteError, type RemoteErrorKind } from './remote-error.js';
import { LocalWriteError, ObjectTooLargeError, streamToFile } from './stream-to-file.js';

// A team cache in a plain folder — typically a network share (NFS, SMB) mounted on every machine.
// Writes are "write once": the bytes go to a temp file in the target's folder, are flushed, and are
// then hard-linked to their name. link() fails if the name exists, atomically, also over NFS (the
// classic NFS lock-file technique; a reply lost on the wire is caught by the temp file's link count).
// Where the share has no hard links (some SMB servers), an exclusive copy (COPYFILE_EXCL) stands in:
// still only one writer wins, but a reader may see a file before it is complete — which a pull refuses
// by its hash, so nothing unverified is placed either way.
//
// The folder itself must exist (we never create it: a typo would make a new, empty cache). Inside it
// we only create plain folders under v1/ and refuse symbolic links there, so a checked-in link cannot
// lead a write outside the folder. File system calls cannot be cancelled; each is raced against a
// timeout so a hung share fails the call (and the caller stops using the remote) instead of the build.

export interface FolderBackendOptions {
  root: string;
  clock: Clock;
  /** Longest wait for one file system call, or between two chunks of a copy. */
  timeoutMs: number;
}

/** The share cannot take hard links: fall back to an exclusive copy. */
const NO_LINK_CODES = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);
const UNREACHABLE_CODES = new Set(['EIO', 'ESTALE', 'ENOTCONN', 'EHOSTDOWN', 'EHOSTUNREACH', 'ETIMEDOUT', 'ENETDOWN', 'ENETUNREACH', 'ECONNRESET']);

export function createFolderBackend(options: FolderBackendOptions): RemoteBackend {
  const { root, clock, timeoutMs } = options;
  const display = root;
  const checkedDirs = new Set<string>();
  let requests = 0;
  let rootChecked = false;

  const fail = (kind: RemoteErrorKind, detail: string, advice: string | undefined, key?: string, cause?: unknown, code?: string) =>
    new RemoteError({ kind, remote: display, detail, ...(advice ? { advice } : {}), ...(key ? { key } : {}), ...(cause ? { cause } : {}), ...(code ? { code } : {}) });

  const classify = (error: unknown, key: string | undefined, writing: boolean): RemoteError => {
    if (error instanceof RemoteError) return error;
    if (error instanceof LocalWriteError) return fail('local', error.message, 'check the disk space and permissions of the project folder', key, error);
    if (error instanceof ObjectTooLargeError) return fail('corrupt', error.message, 'remove the object; the next push writes it again', key, error);
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'ABORT_ERR') return fail('aborted', 'stopped', undefined, key, error);
    if (code === 'EACCES' || code === 'EPERM') {
      return writing
        ? fail('denied', 'no permission to write to the folder', 'use read-only mode (--remote-read-only), or grant write access to the share', key, error, code)
        : fail('denied', 'no permission to read the folder', 'grant read access to the share', key, error, code);
    }
    if (code === 'EROFS') return fail('denied', 'the share is mounted read-only', 'use read-only mode (--remote-read-only) or mount it read-write', key, error, code);
    if (code === 'ENOSPC' || code === 'EDQUOT') return fail('server', 'no space left on the share', 'free space on it', key, error, code);
    if (UNREACHABLE_CODES.has(code)) return fail('unreachable', `the share does not answer (${code})`, 'check that it is mounted and the network is up', key, error, code);
    return fail('server', `file system error: ${message}`, undefined, key, error, code);
  };

  /** A file system call that may hang (a dead mount): raced against the timeout. */
  const bounded = async <T>(key: string | undefined, work: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(fail('timeout', `the folder did not answer within ${Math.round(timeoutMs / 1000)} s`, 'check the network share (a hung mount?)', key)),
        timeoutMs,
      );
      timer.unref();
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  /**
   * Every operation: counted, its failure classified. Bounded as a whole, except a streamed copy
   * (`streaming`), whose length depends on the file: it bounds its own open and its idle time.
   */
  const run = async <T>(key: string | undefined, writing: boolean, work: () => Promise<T>, streaming = false): Promise<T> => {
    requests += 1;
    try {
      await bounded(key, checkRoot());
      return streaming ? await work() : await bounded(key, work());
    } catch (error) {
      throw classify(error, key, writing);
    }
  };

  async function checkRoot(): Promise<void> {
    if (rootChecked) return;
    let info;
    try {
      info = await stat(root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw fail('missing', 'the folder does not exist', 'create it, mount the share, or fix the remote path');
      }
      throw error;
    }
    if (!info.isDirectory()) throw fail('missing', 'is not a folder', 'fix the remote path');
    rootChecked = true;
  }

  /** Checks (and with `create`, makes) each folder of `dir` below the root; false when one is missing. */
  async function prepareDir(dir: string, create: boolean): Promise<boolean> {
    let current = '';
    for (const segment of dir.split('/').filter(Boolean)) {
      if (segment === '.' || segment === '..') throw new RangeError(`bad key folder ${dir}`);
      current = current === '' ? segment : `${current}/${segment}`;
      if (checkedDirs.has(current)) continue;
      const absolute = join(root, current);
      let info = await lstat(absolute).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      if (info === undefined) {
        if (!create) return false;
        await mkdir(absolute).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
        });
        info = await lstat(absolute);
      }
      if (info.isSymbolicLink() || !info.isDirectory()) {
        throw fail('corrupt', `${current} is not a plain folder`, 'a team cache folder holds plain folders only; remove the link', current);
      }
      checkedDirs.add(current);
    }
    return true;
  }

  const pathOf = (key: string) => join(root, key);

  /** Fills a temp file beside the target, then links it to its name; the steps that may hang are bounded. */
  async function createExclusive(key: string, fill: (temp: string) => Promise<void>): Promise<'created' | 'exists'> {
    await bounded(key, prepareDir(dirname(key), true));
    const target = pathOf(key);
    const temp = join(dirname(target), `.${key.split('/').pop()}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await fill(temp);
      return await bounded(key, linkExclusive(temp, target));
    } finally {
      await rm(temp, { force: true }).catch(() => {});
    }
  }

  /** A video onto the share: copied (and hashed on the way) into a temp file, then linked. */
  async function copyExclusive(key: string, body: FileBody, signal: AbortSignal | undefined): Promise<'created' | 'exists'> {
    if (await bounded(key, stat(pathOf(key)).then((info) => info.isFile(), () => false))) return 'exists';
    return createExclusive(key, async (temp) => {
      const watchdog = createIdleWatchdog(timeoutMs, () => fail('timeout', 'the share stopped taking data', 'check the network share', key));
      let copied: { sha256: string; size: number };
      try {
        copied = await streamToFile(createReadStream(body.path), { path: temp }, [watchdog], signal);
      } catch (error) {
        // Here the "download" target is the share and the source is the local file: swap the blame.
        if (error instanceof LocalWriteError) throw error.cause;
        if (error instanceof RemoteError) throw error;
        throw fail('local', `cannot read ${body.path}: ${(error as Error).message}`, undefined, key, error);
      }
      if (copied.sha256 !== body.sha256 || copied.size !== body.size) {
        throw fail('local', `${body.path} changed while it was copied`, 'push again', key);
      }
    });
  }

  return {
    kind: 'folder',
    display,
    listPageSize: Number.POSITIVE_INFINITY,
    now: () => clock.now(),
    requestCount: () => requests,

    head: (key) =>
      run(key, false, async (): Promise<ObjectInfo | null> => {
        const info = await stat(pathOf(key)).catch(ignoreMissing);
        return info?.isFile() ? { size: info.size } : null;
      }),

    readSmall: (key, maxBytes) =>
      run(key, false, async () => {
        const info = await stat(pathOf(key)).catch(ignoreMissing);
        if (!info?.isFile()) return null;
        if (info.size > maxBytes) throw fail('corrupt', `the object is ${info.size} bytes, more than the ${maxBytes} a record may have`, 'remove it', key);
        return await readFile(pathOf(key)).catch(ignoreMissing);
      }),

    download: (key, target: DownloadTarget, options?: CallOptions) =>
      run(
        key,
        false,
        async () => {
          const handle = await bounded(key, open(pathOf(key), 'r').catch(ignoreMissing));
          if (handle === null) return null;
          const source = handle.createReadStream();
          const watchdog = createIdleWatchdog(timeoutMs, () => fail('timeout', 'the share stopped sending data', 'check the network share', key));
          return await streamToFile(source, target, [watchdog], options?.signal);
        },
        true,
      ),

    createSmall: (key, bytes) =>
      run(key, true, () =>
        createExclusive(key, async (temp) => {
          const handle = await open(temp, 'wx', 0o644);
          try {
            await handle.writeFile(bytes);
            await handle.sync();
          } finally {
            await handle.close();
          }
        }),
      ),

    createFromFile: (key, body: FileBody, options?: CallOptions) =>
      run(key, true, () => copyExclusive(key, body, options?.signal), true),

    remove: (key) =>
      run(key, true, async () => {
        await rm(pathOf(key), { force: true });
      }),

    list: (prefix, startAfter, maxKeys) =>
      run(prefix, false, async (): Promise<ListPage> => {
        if (!prefix.endsWith('/')) throw new RangeError(`list: prefix ${prefix} must end with /`);
        if (!(await prepareDir(prefix, false))) return { keys: [], truncated: false };
        const names = await readdir(pathOf(prefix)).catch(ignoreMissing);
        const keys = (names ?? [])
          .filter((name) => !name.startsWith('.'))
          .map((name) => `${prefix}${name}`)
          .filter((key) => startAfter === undefined || key > startAfter)
          .sort(compareBytes);
        return { keys: keys.slice(0, maxKeys), truncated: keys.length > maxKeys };
      }),

    close: async () => {},
  };
}

/** Hard-links temp to target: 'exists' if target is there already. */
async function linkExclusive(temp: string, target: string): Promise<'created' | 'exists'> {
  try {
    await link(temp, target);
    return 'created';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return 'exists';
    if (NO_LINK_CODES.has(code)) {
      try {
        await copyFile(temp, target, constants.COPYFILE_EXCL);
        return 'created';
      } catch (copyError) {
        if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
        throw copyError;
      }
    }
    // Over NFS the server may have made the link and the reply been lost: then the temp file has two names.
    const links = await stat(temp).then((info) => info.nlink, () => 0);
    if (links === 2) return 'created';
    throw error;
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): null {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
  throw error;
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
