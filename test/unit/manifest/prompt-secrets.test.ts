import { describe, expect, it } from 'vitest';
import { errorCodes, load, manifestWith, SHOTS } from './helpers.js';

// A prompt file is sent to the API as text. `prompt_file: .env` (or `.git/config`, any dotfile) used
// to validate and send its content — keys included. Prompt files are refused when any segment of
// their path begins with a dot (as written or as reached through a symbolic link), and no text the
// manifest sends may contain a configured key (passed in by the shell; only its name is shown).

const promptFile = (path: string) => manifestWith({}, [{ id: 'shot', mode: 'text-to-video', prompt_file: path }]);
const SECRET = { name: 'BACH_SECRET_KEY', value: 'sk-live-4f9a8b7c6d5e' };
const ACCESS = { name: 'BACH_ACCESS_KEY', value: 'ak-0123456789' };

describe('prompt files that are dotfiles', () => {
  it.each(['.env', '.git/config', '.bach/hashes.json', 'prompts/.draft.md', '.prompts/opening.md', 'a/.git/HEAD'])('%s is refused', (path) => {
    const result = load(promptFile(path));
    expect(errorCodes(result)).toEqual(['hidden-prompt-file']);
    if (!result.ok) expect(result.diagnostics[0]!.message).toContain(`"${path}" is a hidden file or inside a hidden folder`);
  });

  it('a link whose target is a dotfile is refused, naming both', () => {
    const result = load(promptFile('prompts/opening.md'), { facts: { 'prompts/opening.md': { realPath: '.env' } } });
    expect(errorCodes(result)).toEqual(['hidden-prompt-file']);
    if (!result.ok) expect(result.diagnostics[0]!.message).toContain('"prompts/opening.md" leads (through a symbolic link) to ".env"');
  });

  it.each(['prompts/opening.md', 'prompt.md', 'a.b/c.md'])('%s is fine', (path) => {
    expect(errorCodes(load(promptFile(path)))).toEqual([]);
  });
});

describe('texts that hold a configured key', () => {
  it('a prompt file holding the secret key is refused, naming the variable and never the value', () => {
    const result = load(promptFile('notes.md'), { facts: { 'notes.md': { promptText: { ok: true, text: `keys: ${SECRET.value}` } } }, secrets: [SECRET, ACCESS] });
    expect(errorCodes(result)).toEqual(['secret-in-prompt']);
    if (result.ok) return;
    expect(result.diagnostics[0]!.message).toBe('shots[0].prompt_file: the text of "notes.md" contains the value of BACH_SECRET_KEY; bach-render never sends a key to the API');
    expect(JSON.stringify(result.diagnostics)).not.toContain(SECRET.value);
  });

  it('inline texts are checked too: prompts, negative and audio prompts, defaults and subjects', () => {
    const manifest = manifestWith(
      { defaults: { negative_prompt: `no ${ACCESS.value}` }, subjects: { hero: { images: ['a.png'], description: ACCESS.value } } },
      [{ ...SHOTS.t2v, prompt: `A sunset ${SECRET.value}` }, { ...SHOTS.multi, id: 'b', subject: 'hero', audio_prompt: SECRET.value }],
    );
    const result = load(manifest, { secrets: [SECRET, ACCESS] });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.diagnostics.filter((d) => d.code === 'secret-in-prompt').map((d) => d.message.split(':')[0])).toEqual([
      'defaults.negative_prompt',
      'subjects.hero.description',
      'shots[0].prompt',
      'shots[1].audio_prompt',
    ]);
    expect(JSON.stringify(result.diagnostics)).not.toMatch(new RegExp(`${SECRET.value}|${ACCESS.value}`));
  });

  it('keys shorter than 8 characters are not looked for (they would match ordinary words); no keys, no check', () => {
    const manifest = manifestWith({}, [{ ...SHOTS.t2v, prompt: 'A sunset over the ocean' }]);
    expect(errorCodes(load(manifest, { secrets: [{ name: 'BACH_SECRET_KEY', value: 'sunset' }] }))).toEqual([]);
    expect(errorCodes(load(manifest))).toEqual([]);
  });
});
