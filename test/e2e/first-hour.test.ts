import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMp4 } from '../../src/video/index.js';
import { CLI, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

// A new user's first hour, with the built CLI: init, a first build against the embedded emulator,
// a manifest found from a subfolder, mistyped commands and ids, machine-readable validation,
// GitHub annotations, and shell completion run in a real bash.

const cli = (args: string[], cwd: string, env: Record<string, string | undefined> = {}) => runCli(args, { cwd, env });

describe('bach-render init', () => {
  it('starts a project that validates and renders with --emulator as it is', async () => {
    const root = await testdir();
    const init = await cli(['init', 'film'], root);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('Created film/bach.yaml (one shot to start from) and film/.env.example; added renders/, .bach/, .env to film/.gitignore.');
    expect(init.stdout).toContain('  cd film\n  npx bach-render --emulator');
    const film = join(root, 'film');
    expect(readFileSync(join(film, 'bach.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\/node_modules\/bach-render\/schemas\/bach\.schema\.json\n/);
    expect(readFileSync(join(film, '.env.example'), 'utf8')).toMatch(/^BACH_ACCESS_KEY=$/m);
    expect(readFileSync(join(film, '.gitignore'), 'utf8')).toBe('# bach-render: rendered videos, working state, and keys\nrenders/\n.bach/\n.env\n');

    expect((await cli(['validate'], film)).stdout).toBe('bach.yaml: valid — 1 shot, 0 local images, 6 seconds of video\n');
    const build = await cli(['--emulator', '--reporter', 'plain'], film);
    expect(build.code).toBe(0);
    expect(parseMp4(readFileSync(join(film, 'renders/opening.mp4'))).durationSeconds).toBeCloseTo(6, 1);
    expect((await cli(['--emulator'], film)).stdout).toContain('No changes: 1 shot up to date.');
  });

  it('overwrites nothing: an existing bach.yaml or .env.example stops it, named, before any write', async () => {
    const root = await testdir({ 'bach.yaml': 'mine\n', '.gitignore': 'node_modules\n' });
    const refused = await cli(['init'], root);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error: bach.yaml already exists; init overwrites nothing, so nothing was written');
    expect(readFileSync(join(root, 'bach.yaml'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(root, '.env.example'))).toBe(false);
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toBe('node_modules\n');

    const other = await testdir({ '.env.example': 'OTHER=\n' });
    const second = await cli(['init'], other);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('error: .env.example already exists');
    expect(existsSync(join(other, 'bach.yaml'))).toBe(false);
  });

  it('adds to an existing .gitignore only the lines it lacks', async () => {
    const root = await testdir({ '.gitignore': 'node_modules/\n/renders\n' });
    const init = await cli(['init'], root);
    expect(init.stdout).toContain('added .bach/, .env to .gitignore');
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toBe('node_modules/\n/renders\n\n# bach-render: rendered videos, working state, and keys\n.bach/\n.env\n');
  });
});

describe('finding the manifest and reading what was typed', () => {
  it('finds bach.yaml in a parent folder for every command', async () => {
    const root = await testdir({ 'frames/deep/x.txt': '' });
    await cli(['init'], root);
    const deep = join(root, 'frames/deep');
    expect((await cli(['validate'], deep)).stdout).toBe('../../bach.yaml: valid — 1 shot, 0 local images, 6 seconds of video\n');
    const plan = await cli(['plan'], deep);
    expect(plan.stdout).toContain('+ opening');
    const build = await cli(['--emulator', '--reporter', 'plain'], deep);
    expect(build.code).toBe(0);
    expect(existsSync(join(root, 'renders/opening.mp4'))).toBe(true);
    // The no-op fast path stats the same file the full path loaded.
    expect((await cli(['--emulator'], deep)).stdout).toBe('../../bach.yaml\n= 1 unchanged: opening\n\nNo changes: 1 shot up to date.\n');
  });

  it('says an unknown command is one, suggests the nearest, and still reads a folder as a path', async () => {
    const root = await testdir();
    await cli(['init', 'film'], root);
    const typo = await cli(['biuld'], root);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/^error: unknown command "biuld" \(did you mean "build"\?\), and no file or folder of that name here\n  Commands: build, plan, validate, watch, review, cut, pull, push, show, clean, doctor, emulator, /);
    expect((await cli(['valdate'], root)).stderr).toContain('did you mean "validate"?');
    // A name close to no command is an unknown command too; a path-like word is still a path.
    expect((await cli(['status'], root)).stderr).toContain('unknown command "status", and no file or folder of that name here');
    expect((await cli(['shots/status'], root)).stderr).toContain(`no manifest at ${join(root, 'shots', 'status')}`);
    // A word that is an existing path is a path, even when it looks like a command's typo.
    mkdirSync(join(root, 'plna'));
    expect((await cli(['plna', '--emulator'], root)).stderr).toContain(`no manifest at ${join(root, 'plna', 'bach.yaml')}`);
    expect((await cli(['film', '--dry-run', '--emulator'], root)).stdout).toContain('+ opening');
  });

  it('suggests the shot meant by --only from a prefix', async () => {
    const root = await testdir();
    await cli(['init'], root);
    const plan = await cli(['plan', '--only', 'open'], root);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('error: --only open: no shot with this id in the manifest (did you mean "opening"?)');
  });
});

describe('validate and plan for machines', () => {
  it('validate --json: a stable object, exit 1 when invalid', async () => {
    const root = await testdir({ 'bach.yaml': 'version: 1\nshots:\n  - id: a\n    mode: text-to-video\n    promt: hi\n' });
    const result = await cli(['validate', '--json'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json)).toEqual(['validateVersion', 'manifest', 'valid', 'errors', 'warnings', 'diagnostics', 'summary']);
    expect(json).toMatchObject({ validateVersion: 1, manifest: 'bach.yaml', valid: false, errors: 2, warnings: 0, summary: null });
    expect(json.diagnostics[1]).toEqual({
      severity: 'error',
      code: 'unknown-field',
      message: 'shots[0].promt: unknown field; did you mean "prompt"?',
      file: 'bach.yaml',
      line: 5,
      col: 5,
      endLine: 5,
      endCol: 10,
      hint: expect.stringContaining('Known fields here'),
    });
    await cli(['init', 'ok'], root);
    const valid = JSON.parse((await cli(['validate', 'ok', '--json'], root)).stdout);
    expect(valid).toMatchObject({ valid: true, errors: 0, diagnostics: [], summary: { shots: 1, localImages: 0, seconds: 6 } });
  });

  it('validate --reporter github: the text, then one ::error per problem at its line', async () => {
    const root = await testdir({ 'bach.yaml': 'version: 1\nshots:\n  - id: a\n    mode: text-to-video\n    prompt: "A sunset\n' });
    const result = await cli(['validate', '--reporter', 'github'], root, { GITHUB_WORKSPACE: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bach.yaml:5:13: error[yaml-syntax]: unclosed quote');
    expect(result.stdout).toMatch(/^::error file=bach\.yaml,line=5,col=13,endLine=5,endColumn=14,title=bach-render yaml-syntax::unclosed quote: the " that starts this value is never closed%0AClose the quote/);
  });

  it('plan --reporter github: the plan, then a summary notice and a notice at each changed shot', async () => {
    const root = await testdir();
    await cli(['init'], root);
    expect((await cli(['--emulator'], root)).code).toBe(0);
    const manifest = join(root, 'bach.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('waves breaking on the rocks', 'waves crashing on the rocks'));
    const result = await cli(['plan', '--reporter', 'github', '--detailed-exitcode'], root);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^~ opening {3}prompt "…waves breaking on…" → "…waves crashing on…" {2}seed \d+ {2}6 s\n/);
    expect(result.stdout).toContain('\n::notice file=bach.yaml,title=bach-render plan::Plan: 1 to render (6 s of video).\n');
    expect(result.stdout).toMatch(/\n::notice file=bach\.yaml,line=17,col=5,title=bach-render plan%3A changed opening::prompt "…waves breaking on…" → "…waves crashing on…"; seed \d+; renders 6 s of video \(costs credits\)\n$/);
    const json = JSON.parse((await cli(['plan', '--json'], root)).stdout);
    expect(json.shots[0].reasons[0]).toMatchObject({ field: 'prompt', from: expect.stringContaining('waves breaking'), to: expect.stringContaining('waves crashing') });
  });

  it.skipIf(!hasGit() && !process.env.CI)('warns in validate, plan and build when git tracks .env (never on the no-op path)', async () => {
    const root = await testdir();
    await cli(['init'], root);
    await writeFile(join(root, '.env'), 'BACH_ACCESS_KEY=x\n');
    execFileSync('git', ['init', '-q'], { cwd: root });
    expect((await cli(['validate'], root)).stderr).toBe('');
    execFileSync('git', ['add', '-f', '.env'], { cwd: root });
    const warning = '.env: warning[env-tracked]: .env is tracked by git: the keys in it are in the repository and its history';
    expect((await cli(['validate'], root)).stderr).toContain(warning);
    expect((await cli(['plan'], root)).stderr).toContain(warning);
    const build = await cli(['--emulator', '--reporter', 'plain'], root);
    expect(build.stderr + build.stdout).toContain('.env is tracked by git');
    // The next build plans in full (and warns again); the one after answers from the snapshot, silently.
    expect((await cli(['--emulator', '--reporter', 'plain'], root)).stderr).toContain('.env is tracked by git');
    const noop = await cli(['--emulator'], root);
    expect(noop.stdout).toContain('No changes');
    expect(noop.stderr).toBe('');
  });
});

describe('shell completion', () => {
  it('bash: registers for bach-render and completes commands, options, values and shot ids', async () => {
    const root = await testdir({ 'bin/x': '' });
    await cli(['init'], root);
    // `bach-render` on PATH, as a user has it: the completion calls it for shot ids.
    const bin = join(root, 'bin/bach-render');
    await writeFile(bin, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    await chmod(bin, 0o755);
    const script = (await cli(['completion', 'bash'], root)).stdout;
    await writeFile(join(root, 'completion.bash'), script);
    const complete = (words: string[]) => {
      const line = words.map((w) => `'${w}'`).join(' ');
      return execFileSync(
        'bash',
        ['--norc', '--noprofile', '-c', `source completion.bash; COMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _bach_render; printf '%s\\n' "\${COMPREPLY[@]}"`],
        { cwd: root, env: { ...process.env, PATH: `${join(root, 'bin')}:${process.env.PATH}` }, encoding: 'utf8' },
      )
        .split('\n')
        .filter(Boolean);
    };
    expect(execFileSync('bash', ['--norc', '--noprofile', '-c', 'source completion.bash; complete -p bach-render'], { cwd: root, encoding: 'utf8' })).toBe(
      'complete -F _bach_render bach-render\n',
    );
    expect(complete(['bach-render', 'bu'])).toEqual(['build']);
    // The first word may be a command or a manifest's path.
    expect(complete(['bach-render', 'c'])).toEqual(['cut', 'clean', 'completion', 'completion.bash']);
    expect(complete(['bach-render', 'plan', '--re'])).toEqual(['--reporter']);
    expect(complete(['bach-render', 'plan', '--reporter', ''])).toEqual(['auto', 'plain', 'json', 'github']);
    expect(complete(['bach-render', '--max'])).toEqual(['--max-seconds']);
    expect(complete(['bach-render', '--concurrency', ''])).toEqual([]);
    expect(complete(['bach-render', '--only', 'op'])).toEqual(['opening']);
    expect(complete(['bach-render', 'plan', '--force', ''])).toEqual(['opening']);
    expect(complete(['bach-render', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    expect(complete(['bach-render', 'validate', 'bach'])).toEqual(['bach.yaml']);
  });

  it('zsh and fish: scripts that their shells accept, when installed', async () => {
    const root = await testdir();
    for (const shell of ['zsh', 'fish'] as const) {
      const result = await cli(['completion', shell], root);
      expect(result.code).toBe(0);
      if (!hasShell(shell)) continue; // checked as text in test/unit/cli/completion.test.ts
      await writeFile(join(root, `completion.${shell}`), result.stdout);
      expect(() => execFileSync(shell, ['-n', `completion.${shell}`], { cwd: root, stdio: 'pipe' })).not.toThrow();
    }
    expect((await cli(['completion', 'tcsh'], root)).stderr).toContain('error: completion: no completion for "tcsh"; bash, zsh or fish');
  });
});

function hasGit(): boolean {
  return hasShell('git');
}

function hasShell(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
