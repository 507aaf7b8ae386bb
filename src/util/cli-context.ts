// What a command gets from the process, passed in so commands never reach for `process` themselves
// (tests run commands in-process with their own streams, env and signals).

export interface Output {
  write(text: string): void;
  /** True when the stream is an interactive terminal (colour and animation allowed). */
  readonly isTTY: boolean;
  readonly columns?: number | undefined;
  /** A terminal's height: the live view fits its block in it. */
  readonly rows?: number | undefined;
}

/** The person at the keyboard: lines typed at a question (the build's "Render? yes/no", watch's keys). */
export interface Input {
  /** True when stdin is an interactive terminal: only then may a command ask anything. */
  readonly isTTY: boolean;
  /** The next line typed (without its newline); null at end of input or once `signal` aborts. */
  readLine(signal: AbortSignal): Promise<string | null>;
}

export interface CliContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: Output;
  stderr: Output;
  /** Absent where no person can answer (tests, embedding): such a command never asks. */
  stdin?: Input;
  /**
   * Aborted on the first Ctrl-C (SIGINT) or SIGTERM: stop starting new work, make sure everything
   * already paid for is recorded, then return 130. A second Ctrl-C is handled by the CLI (exit at once).
   */
  interrupt: AbortSignal;
}

export type CommandRun = (args: string[], context: CliContext) => Promise<number>;
