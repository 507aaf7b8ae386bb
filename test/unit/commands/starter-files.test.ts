import { describe, expect, it } from 'vitest';
import { loadManifestFromText } from '../../../src/manifest/from-text.js';
import { mergeGitignore, STARTER_ENV_EXAMPLE, STARTER_MANIFEST } from '../../../src/commands/starter-files.js';
import { parseDotEnv } from '../../../src/project/dotenv.js';

describe('init: the starter files', () => {
  it('writes a manifest that validates as it is, with the schema modeline first', () => {
    expect(STARTER_MANIFEST.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/bach-render/schemas/bach.schema.json');
    const result = loadManifestFromText(STARTER_MANIFEST);
    expect(result.ok && result.warnings).toEqual([]);
    expect(result.ok && result.manifest.shots.map((s) => [s.id, s.mode])).toEqual([['opening', 'text-to-video']]);
  });

  it('names the keys in .env.example without giving values', () => {
    expect(parseDotEnv(STARTER_ENV_EXAMPLE)).toEqual({ BACH_ACCESS_KEY: '', BACH_SECRET_KEY: '' });
  });

  it('creates a .gitignore, or appends only the entries it lacks', () => {
    expect(mergeGitignore(undefined)).toEqual({
      text: '# bach-render: rendered videos, working state, and keys\nrenders/\n.bach/\n.env\n',
      added: ['renders/', '.bach/', '.env'],
    });
    expect(mergeGitignore('node_modules\n/renders\n.env')).toEqual({
      text: 'node_modules\n/renders\n.env\n\n# bach-render: rendered videos, working state, and keys\n.bach/\n',
      added: ['.bach/'],
    });
    const once = mergeGitignore('dist/\n').text;
    expect(mergeGitignore(once)).toEqual({ text: once, added: [] });
  });
});
