import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// Every file bach-render writes goes through here: the bytes go to a temp file in the same folder,
// are flushed (fsync), and the temp file is renamed over the target. A reader (or a process started
// after a kill -9) sees either the old file or the new one, never a half-written one. Temp files
// are named `.<name>.<random>.tmp` so a leftover from a killed process is recognisable and harmless.

export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
}

export function isTempFileName(name: string): boolean {
  return /^\..+\.[0-9a-f]{12}\.tmp$/.test(name);
}

export interface AtomicWriteOptions {
  /** Flush file and folder to the disk (survives power loss, not only a killed process). Default true. */
  fsync?: boolean;
}

export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const durable = options.fsync ?? true;
  const temp = tempPathFor(target);
  const handle = await open(temp, 'w', 0o644);
  try {
    await handle.writeFile(data);
    if (durable) await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  if (durable) await fsyncFolder(dirname(target));
}

/** The synchronous twin, for the few writes that must finish before the event loop turns (journal). */
export function writeFileAtomicSync(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const durable = options.fsync ?? true;
  const temp = tempPathFor(target);
  const fd = openSync(temp, 'w', 0o644);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    if (durable) fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  if (durable) fsyncFolderSync(dirname(target));
}

/** Moves a finished temp file into place (same folder), then flushes the folder entry. */
export async function commitTempFile(temp: string, target: string, options: AtomicWriteOptions = {}): Promise<void> {
  await rename(temp, target);
  if (options.fsync ?? true) await fsyncFolder(dirname(target));
}

async function fsyncFolder(folder: string): Promise<void> {
  // Some platforms (Windows, some network file systems) cannot open a folder for fsync; the rename
  // is still atomic there, so a failure here is not an error.
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}

function fsyncFolderSync(folder: string): void {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* best effort */
  }
}
