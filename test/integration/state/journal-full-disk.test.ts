import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, TaskNotRecordedError } from '../../../src/state/journal.js';
import { writeFileAtomicSync } from '../../../src/util/atomic-write.js';
import { testdir } from '../../helpers/testdir.js';

// A full disk the moment the API accepts a create (issue 16, item 2): the atomic write of the
// `accepted` record needs a new file and fails with ENOSPC. The task is billed; its id must survive —
// written in place over the `sending` record, which was written with room for it — or be said.

const FP = 'c'.repeat(64);
const NEW = { shotId: 'opening', fingerprint: FP, mode: 'text-to-video' as const, request: { prompt: 'A harbour at dawn — “quoted”', seed: 4 }, seed: 4 };

function enospc(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, open '${path}'`), { code: 'ENOSPC', path });
}

describe('the accepted record on a full disk', () => {
  it('is written in place over the sending record, without a new block: the next build resumes the task', async () => {
    const dir = join(await testdir(), 'journal');
    let full = false;
    const journal = new Journal(dir, {
      writeAtomic: (path, text) => {
        if (full) throw enospc(`${path}.tmp`);
        writeFileAtomicSync(path, text);
      },
    });
    const sending = journal.recordSending(journal.recordSubmitting(NEW));
    const file = join(dir, `${sending.key}.json`);
    const size = statSync(file).size;
    full = true;
    const taskId = '550e8400-e29b-41d4-a716-446655440000';
    expect(journal.recordAccepted(sending, taskId, false)).toMatchObject({ state: 'accepted', taskId });
    expect(statSync(file).size).toBe(size);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ state: 'accepted', taskId, fingerprint: FP });
    // A later reader (the next build) sees the paid task, through the shape check.
    expect(new Journal(dir).list().entries).toEqual([expect.objectContaining({ state: 'accepted', taskId, key: sending.key })]);
  });

  it('when even that fails, the error names the task id (never a bare ENOSPC)', async () => {
    const dir = join(await testdir(), 'journal');
    let full = false;
    const journal = new Journal(dir, {
      writeAtomic: (path, text) => {
        if (full) throw enospc(path);
        writeFileAtomicSync(path, text);
      },
      writeInPlace: (path) => {
        throw enospc(path);
      },
    });
    const sending = journal.recordSending(journal.recordSubmitting(NEW));
    full = true;
    const error = (() => {
      try {
        journal.recordAccepted(sending, 'task-1', false);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(TaskNotRecordedError);
    expect(String((error as Error).message)).toMatch(/^task task-1 was accepted \(billed\) but could not be recorded in .* \(ENOSPC\)$/);
    // The record still says `sending`: the next build reports the shot as possibly billed, never as plainly new.
    expect(new Journal(dir).list().entries).toEqual([expect.objectContaining({ state: 'sending' })]);
  });

  it('other errors are not taken for a full disk', async () => {
    const dir = join(await testdir(), 'journal');
    let broken = false;
    const journal = new Journal(dir, {
      writeAtomic: (path, text) => {
        if (broken) throw Object.assign(new Error('EIO'), { code: 'EIO' });
        writeFileAtomicSync(path, text);
      },
    });
    const sending = journal.recordSending(journal.recordSubmitting(NEW));
    broken = true;
    expect(() => journal.recordAccepted(sending, 'task-2', false)).toThrow('EIO');
  });
});
