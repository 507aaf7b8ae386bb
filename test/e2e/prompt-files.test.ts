import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useEmulator, type TestEmulator } from '../helpers/emulator.js';
import { testdir } from '../helpers/testdir.js';

// A branch could point `prompt_file` at `.env` (or at any file holding a key): its text went to the
// API as the prompt. Refused before anything is sent, and the key is never printed.

const story = (promptFile: string) => `version: 1\nshots:\n  - { id: leak, mode: text-to-video, prompt_file: ${promptFile}, seed: 1 }\n`;

function dotEnv(emulator: TestEmulator): string {
  return `BACH_ACCESS_KEY=${emulator.accessKey}\nBACH_SECRET_KEY=${emulator.secretKey}\n`;
}

describe('prompt files and keys', () => {
  it.each([
    ['.env', (root: string) => root],
    ['a link to .env', (root: string) => (mkdirSync(join(root, 'prompts')), symlinkSync('../.env', join(root, 'prompts/p.md')), root)],
  ])('prompt_file naming %s is refused by validate and build; nothing is sent', async (name, prepare) => {
    const emulator = await useEmulator({ processingMs: 10 });
    const root = prepare(await testdir({ 'bach.yaml': story(name === '.env' ? '.env' : 'prompts/p.md'), '.env': dotEnv(emulator) }));
    const env = { BACH_BASE_URL: emulator.url };
    for (const args of [['validate'], ['--reporter', 'plain']]) {
      const result = await runCli(args, { cwd: root, env });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/error\[hidden-prompt-file\]: shots\[0\]\.prompt_file: ".+" (is|leads \(through a symbolic link\) to "\.env",) a hidden file/);
      expect(result.stdout + result.stderr).not.toContain(emulator.secretKey);
    }
    expect(emulator.stats().submissions.total).toBe(0);
  });

  it('a prompt file holding the configured secret key is refused, naming the variable only', async () => {
    const emulator = await useEmulator({ processingMs: 10 });
    const root = await testdir({ 'bach.yaml': story('notes.md'), 'notes.md': `A quiet lake. ${emulator.secretKey}\n` });
    const env = { BACH_BASE_URL: emulator.url, BACH_ACCESS_KEY: emulator.accessKey, BACH_SECRET_KEY: emulator.secretKey };
    for (const args of [['validate'], ['plan'], ['--reporter', 'plain']]) {
      const result = await runCli(args, { cwd: root, env });
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toContain('error[secret-in-prompt]: shots[0].prompt_file: the text of "notes.md" contains the value of BACH_SECRET_KEY');
      expect(result.stdout + result.stderr).not.toContain(emulator.secretKey);
    }
    expect(emulator.stats().submissions.total).toBe(0);
  });
});
