import { describe, expect, it } from 'vitest';
import { errorCodes, load, manifestWith } from './helpers.js';

// Where the videos go. `output: .git/hooks` was accepted (a file there runs as a program); the default
// folder was never checked at all, so a `renders` link leading out of the project was written through.

describe('the output folder', () => {
  it.each(['.git/hooks', '.git', '.GIT/hooks', 'sub/.git/objects', '.bach', '.bach/cache', './.git/../.git/info'])('%s is refused (inside .git/ or .bach/)', (output) => {
    const result = load(manifestWith({ output }));
    expect(errorCodes(result)).toEqual(['output-reserved']);
    if (!result.ok) expect(result.diagnostics[0]!.message).toMatch(/^output: ".+" is inside \.git\/ or \.bach\/; videos are never written there$/);
  });

  it('a folder that leads into .git/ through a link is refused, naming where it leads', () => {
    const result = load(manifestWith({ output: 'videos' }), { output: { exists: true, isDirectory: true, realPath: '.git/hooks' } });
    expect(errorCodes(result)).toEqual(['output-reserved']);
    if (!result.ok) expect(result.diagnostics[0]!.message).toContain('output: "videos" leads (through a symbolic link) to ".git/hooks", inside .git/ or .bach/');
  });

  it.each(['renders', '.github/videos', 'git/hooks', 'a.git', '.'])('%s is fine', (output) => {
    expect(errorCodes(load(manifestWith({ output })))).toEqual([]);
  });

  it('the default folder is checked like a written one: a link out of the project, or a file in its place', () => {
    const outside = load(manifestWith(), { output: { exists: true, isDirectory: true, insideRoot: false } });
    expect(errorCodes(outside)).toEqual(['output-outside-root']);
    if (!outside.ok) expect(outside.diagnostics[0]!.message).toBe('output: "renders" (the default) is not a folder inside the manifest\'s folder (a symbolic link leads elsewhere)');
    expect(errorCodes(load(manifestWith(), { output: { exists: true, isDirectory: false } }))).toEqual(['output-not-a-folder']);
  });

  it('a folder that does not exist yet is judged by what it would be created under', () => {
    expect(errorCodes(load(manifestWith({ output: 'out/videos' }), { output: { exists: false, insideRoot: false } }))).toEqual(['output-outside-root']);
  });
});
