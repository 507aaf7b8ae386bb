import { describe, expect, it } from 'vitest';
import { rejectMistypedCommand } from '../../../src/cli/suggest-command.js';
import { UsageError } from '../../../src/errors.js';

const COMMANDS = ['build', 'plan', 'validate', 'watch', 'emulator', 'init', 'completion'];

describe('rejectMistypedCommand', () => {
  it('calls a word close to a command an unknown command, with the suggestion', () => {
    expect(() => rejectMistypedCommand('biuld', COMMANDS)).toThrow(UsageError);
    expect(() => rejectMistypedCommand('biuld', COMMANDS)).toThrow('unknown command "biuld" (did you mean "build"?)');
    expect(() => rejectMistypedCommand('complet', COMMANDS)).toThrow(/did you mean "completion"/);
  });

  it('calls a name close to no command an unknown command too, without a suggestion', () => {
    expect(() => rejectMistypedCommand('status', COMMANDS)).toThrow(/^unknown command "status", and no file or folder of that name here$/);
  });

  it('leaves anything that looks like a path to be read as a path', () => {
    expect(() => rejectMistypedCommand('plan.yaml', COMMANDS)).not.toThrow();
    expect(() => rejectMistypedCommand('films/plan', COMMANDS)).not.toThrow();
  });
});
