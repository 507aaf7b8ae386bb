import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDotEnv } from '../../../src/project/dotenv.js';
import { testdir } from '../../helpers/testdir.js';

describe('readDotEnv', () => {
  it('reads the .env of a folder, naming where it was read', async () => {
    const dir = await testdir({ '.env': 'BACH_ACCESS_KEY=from-file\nBACH_SECRET_KEY=file-secret\n' });
    expect(await readDotEnv(dir)).toEqual({ file: join(dir, '.env'), values: { BACH_ACCESS_KEY: 'from-file', BACH_SECRET_KEY: 'file-secret' } });
  });

  it('is null when there is no .env', async () => {
    expect(await readDotEnv(await testdir({}))).toBeNull();
  });
});
