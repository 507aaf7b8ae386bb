import { takeServeFlags } from '../../../src/commands/serve-flags.js';
import { describe, expect, it } from 'vitest';
import { parseBuildFlags } from '../../../src/commands/build-flags.js';
import { describeCommands } from '../../../src/cli/completion.js';
import { createCompletionScript } from '../../../src/cli/completion-scripts.js';
import { parseEmulatorFlags } from '../../../src/emulator/parse-flags.js';

// The completion spec is read from the help texts; these checks tie it to the parsers. The bash
// script itself is run for real in test/e2e/first-hour.test.ts.

const spec = describeCommands();
const command = (name: string) => spec.commands.find((c) => c.name === name)!;

describe('completion spec', () => {
  it('lists the commands, with the hidden id lister last and unlisted in menus', () => {
    expect(spec.commands.map((c) => c.name)).toEqual(['build', 'plan', 'validate', 'watch', 'review', 'cut', 'pull', 'push', 'show', 'clean', 'doctor', 'emulator', 'init', 'completion', '__complete-ids']);
  });

  it('offers only options the parsers accept, each with its value', () => {
    for (const name of ['build', 'watch'] as const) {
      for (const flag of command(name).flags.filter((f) => f.name !== '--help')) {
        const args = flag.valueName === undefined ? [flag.name] : [flag.name, flag.value?.kind === 'choices' ? flag.value.choices[0]! : '1'];
        // watch's --serve/--port are taken out before the build flags are parsed (commands/serve-flags.ts).
        const withServe = flag.name === '--port' ? ['--serve', ...args] : args;
        expect(() => parseBuildFlags(takeServeFlags(withServe).args, name), `${name} ${flag.name}`).not.toThrow();
      }
    }
    for (const flag of command('emulator').flags.filter((f) => f.name !== '--help')) {
      const args = flag.valueName === undefined ? [flag.name] : [flag.name, flag.name === '--config' ? 'x.json' : flag.name === '--host' ? '127.0.0.1' : flag.name === '--plan-resolutions' ? '720p' : flag.name === '--sensitive-word' ? 'w' : flag.name === '--fault-seed' ? 's' : '0'];
      expect(() => parseEmulatorFlags(args), `emulator ${flag.name}`).not.toThrow();
    }
  });

  it('knows every build option, shot ids for --only/--force, and the reporters of each command', () => {
    expect(command('build').flags.map((f) => f.name)).toEqual([
      '--concurrency', '--only', '--force', '--dry-run', '--yes', '--max-seconds', '--retries', '--allow-rerender', '--poll-interval',
      '--reporter', '--base-url', '--emulator', '--wait', '--remote', '--no-remote', '--remote-read-only', '--require-remote', '--watch', '--debounce', '--help',
    ]);
    expect(command('build').flags.find((f) => f.name === '--only')).toMatchObject({ value: { kind: 'ids' }, repeatable: true });
    expect(command('plan').flags.find((f) => f.name === '--reporter')?.value).toEqual({ kind: 'choices', choices: ['auto', 'plain', 'json', 'github'] });
    expect(command('validate').flags.map((f) => f.name)).toEqual(['--json', '--reporter', '--help']);
    expect(command('emulator').flags.find((f) => f.name === '--fault-drop-after-create')).toMatchObject({ valueName: 'P' });
    expect(command('emulator').flags.find((f) => f.name === '--config')?.value).toEqual({ kind: 'files' });
    expect(command('completion').positional).toBe('shells');
    expect(command('init').positional).toBe('folders');
  });
});

describe('zsh and fish scripts (checked as text: neither shell is installed on the build machine)', () => {
  const zsh = createCompletionScript('zsh', spec);
  const fish = createCompletionScript('fish', spec);

  it('zsh: a #compdef file that also works when sourced, one _arguments arm per command', () => {
    expect(zsh.startsWith('#compdef bach-render\n')).toBe(true);
    expect(zsh).toContain('compdef _bach_render bach-render');
    for (const c of spec.commands) expect(zsh).toContain(`    (${c.name})\n      _arguments \\\n`);
    expect(zsh).toContain("'*--only[Build only these shots]:ID\\[,ID...\\]:_bach_render_ids'");
    expect(zsh).toContain("'--reporter[auto | plain | json | github\\: github adds GitHub Actions annotations…]:KIND:(auto plain json github)'");
    expect(zsh).toContain("'1:shell:(bash zsh fish)'");
    // Every single-quoted word is closed: an odd count of unescaped quotes would be a syntax error.
    expect(zsh.replace(/'\\''/g, '').split("'").length % 2).toBe(1);
  });

  it('fish: commands, options per command (the default command before any command word), ids', () => {
    expect(fish).toContain("complete -c bach-render -n __fish_use_subcommand -a init -d 'Start a project: a starter bach.yaml, .env.example and .gitignore entries'");
    expect(fish).toContain("complete -c bach-render -n 'not __fish_seen_subcommand_from plan validate watch review cut pull push show clean doctor emulator init completion __complete-ids' -l only -x -a '(bach-render __complete-ids 2>/dev/null)' -d 'Build only these shots'");
    expect(fish).toContain("complete -c bach-render -n '__fish_seen_subcommand_from plan' -l reporter -x -a 'auto plain json github'");
    expect(fish).toContain("complete -c bach-render -n '__fish_seen_subcommand_from completion' -x -a 'bash zsh fish'");
    expect(fish).not.toContain('-a __complete-ids');
    expect(fish).toContain("complete -c bach-render -n '__fish_seen_subcommand_from pull' -l remote -x -d 'The team cache: s3://bucket/prefix, a folder or file:// URL (env…'");
    expect(fish).toContain("complete -c bach-render -n '__fish_seen_subcommand_from push' -l remote-read-only -d 'Never write to the team cache (env BACH_REMOTE_READ_ONLY=1; the…'");
    for (const line of fish.trim().split('\n')) {
      if (line.startsWith('#')) continue;
      expect(line.startsWith('complete -c bach-render ')).toBe(true);
      expect(line.replace(/\\./g, '').split("'").length % 2).toBe(1);
    }
  });
});
