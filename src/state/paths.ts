import { join } from 'node:path';

// `.bach/` beside the manifest: bach-render's working state. Everything in it is a cache or a record
// that a later run can do without, except the journal of accepted tasks (paid for, not yet collected);
// deleting `.bach/` is safe in the sense that nothing is corrupted — but a journal deleted while tasks
// are in flight means their results cannot be collected any more. Ignored by git.

export interface StatePaths {
  dir: string;
  hashes: string;
  uploads: string;
  journal: string;
  cache: string;
  processLock: string;
  inDoubt: string;
}

export function statePaths(root: string): StatePaths {
  const dir = join(root, '.bach');
  return {
    dir,
    hashes: join(dir, 'hashes.json'),
    uploads: join(dir, 'uploads.json'),
    journal: join(dir, 'journal'),
    cache: join(dir, 'cache'),
    processLock: join(dir, 'lock'),
    inDoubt: join(dir, 'in-doubt.json'),
  };
}
