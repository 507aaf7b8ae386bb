import { describe, expect, it } from 'vitest';
import { takeServeFlags } from '../../../src/commands/serve-flags.js';

describe('takeServeFlags', () => {
  it('takes --serve and --port out of the arguments', () => {
    expect(takeServeFlags(['examples', '--serve', '--port', '4173', '--emulator'])).toEqual({ args: ['examples', '--emulator'], serve: { port: 4173 } });
    expect(takeServeFlags(['--serve', '--port=9000'])).toEqual({ args: [], serve: { port: 9000 } });
    expect(takeServeFlags(['--serve'])).toEqual({ args: [], serve: { port: undefined } });
    expect(takeServeFlags(['--only', 'a'])).toEqual({ args: ['--only', 'a'], serve: null });
  });

  it('refuses a port without --serve, or one that is no port', () => {
    expect(() => takeServeFlags(['--port', '80'])).toThrow('--port goes with --serve');
    expect(() => takeServeFlags(['--serve', '--port', '0'])).toThrow('--port');
    expect(() => takeServeFlags(['--serve', '--port'])).toThrow('--port needs a number');
  });
});
