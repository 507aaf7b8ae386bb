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

  it('leaves anything else to be read as a path', () => {
    expect(() => rejectMistypedCommand('status', COMMANDS)).not.toThrow();
    expect(() => rejectMistypedCommand('plan.yaml', COMMANDS)).not.toThrow();
    expect(() => rejectMistypedCommand('films/plan', COMMANDS)).not.toThrow();
  });
});
