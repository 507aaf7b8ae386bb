// Few error classes, each with a code. User mistakes in the manifest are data (Diagnostic), not
// exceptions; these classes are for everything else. The CLI prints a BachError's message (and hint)
// without a stack; anything else is a bug and is printed with its stack.

export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Short kebab-case code, printed as `error[code]`. */
  code: string;
  /** Starts with the field path and says what was expected. */
  message: string;
  /** The file the position refers to (as given by the user, or absolute). */
  file: string;
  /** 1-based; absent when the problem has no position (e.g. the file cannot be read). */
  line?: number;
  col?: number;
  /** Optional end of the span, for the code frame underline. */
  endLine?: number;
  endCol?: number;
  hint?: string;
  /** Only on the diagnostic that closes a capped list: how many problems were found but not listed. */
  omitted?: number;
}

/** A problem the user can fix; printed as `error: message` plus the hint, never with a stack. */
export class BachError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BachError';
    this.code = code;
    this.hint = options.hint;
  }
}

/** A wrong command line: printed with a pointer to `--help`. */
export class UsageError extends BachError {
  constructor(message: string, options: { hint?: string } = {}) {
    super('usage', message, { hint: options.hint ?? 'Run `bach-render --help` for usage.' });
    this.name = 'UsageError';
  }
}

/** The problem has already been reported; exit with this code without printing more. */
export class ExitError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ExitError';
    this.exitCode = exitCode;
  }
}
