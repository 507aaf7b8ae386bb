import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomicSync } from '../util/atomic-write.js';
import { isShotId } from './shapes.js';

// Shots that may have been billed twice, kept in `.bach/in-doubt.json` until a build's summary has
// shown them. A build killed after the fact but before its summary would otherwise take the warning
// with it; the next summary repeats it instead. Written synchronously, like the journal.

export class InDoubtLog {
  constructor(private readonly file: string) {}

  read(): string[] {
    try {
      const ids = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      // Shot ids only: they are printed in the summary, so a damaged or planted entry must not be.
      return Array.isArray(ids) ? ids.filter(isShotId) : [];
    } catch {
      return [];
    }
  }

  add(shotId: string): void {
    const ids = this.read();
    if (ids.includes(shotId)) return;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileAtomicSync(this.file, `${JSON.stringify([...ids, shotId].sort())}\n`);
  }

  /** The summary showed them. */
  clear(): void {
    rmSync(this.file, { force: true });
  }
}
