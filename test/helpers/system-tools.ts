import { spawnSync } from 'node:child_process';

// Tests that need a program from the system (ffmpeg, a Python with Debian's modules). The team rule:
// in CI (`CI` set) such a test must run, so a missing program fails it with the package to install;
// on a developer machine it is skipped with a message naming the Debian package.
//
//   const ffmpeg = requireSystemTools('the decoder cross-checks', [FFMPEG, FFPROBE]);
//   describe.skipIf(ffmpeg.skip)('…', () => { beforeAll(ffmpeg.assertAvailable); … });

export interface SystemTool {
  /** What to run to see that the tool works; exit code 0 means available. */
  command: string;
  args: readonly string[];
  /** The Debian package that provides it. */
  aptPackage: string;
}

export interface SystemToolCheck {
  /** True only outside CI when something is missing. */
  skip: boolean;
  missing: readonly SystemTool[];
  /** Throws (naming `apt-get install …`) when something is missing; for beforeAll in CI. */
  assertAvailable(): void;
}

export const FFMPEG: SystemTool = { command: 'ffmpeg', args: ['-version'], aptPackage: 'ffmpeg' };
export const FFPROBE: SystemTool = { command: 'ffprobe', args: ['-version'], aptPackage: 'ffmpeg' };

export function requireSystemTools(purpose: string, tools: readonly SystemTool[]): SystemToolCheck {
  const missing = tools.filter((tool) => !isAvailable(tool));
  const install = `apt-get install ${[...new Set(missing.map((tool) => tool.aptPackage))].join(' ')}`;
  const message = `${purpose} need ${missing.map((tool) => tool.command).join(' and ')} (${install})`;
  const skip = missing.length > 0 && !process.env.CI;
  if (skip) process.stderr.write(`skipped: ${message}\n`);
  return {
    skip,
    missing,
    assertAvailable() {
      if (missing.length > 0) throw new Error(`${message}; CI must install it (see .ci/run)`);
    },
  };
}

function isAvailable(tool: SystemTool): boolean {
  return spawnSync(tool.command, [...tool.args], { stdio: 'ignore', timeout: 20_000 }).status === 0;
}
