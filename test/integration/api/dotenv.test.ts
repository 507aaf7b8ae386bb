import { describe, expect, it } from 'vitest';
import { readProjectEnv } from '../../../src/api/dotenv.js';
import { testdir } from '../../helpers/testdir.js';

describe('readProjectEnv', () => {
  it('puts .env under the real environment, which wins', async () => {
    const dir = await testdir({ '.env': 'BACH_ACCESS_KEY=from-file\nBACH_SECRET_KEY=file-secret\n' });
    const env = await readProjectEnv(dir, { BACH_ACCESS_KEY: 'from-env', OTHER: 'x' });
    expect(env).toMatchObject({ BACH_ACCESS_KEY: 'from-env', BACH_SECRET_KEY: 'file-secret', OTHER: 'x' });
  });

  it('is the environment itself when there is no .env', async () => {
    const dir = await testdir({});
    const env = { A: '1' };
    expect(await readProjectEnv(dir, env)).toBe(env);
  });
});
