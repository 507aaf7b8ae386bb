import type { EmulatorProcess } from './emulator.js';
import { runCli } from './process.js';

// Brings a fixture project to "fully rendered": builds it against a fast emulator, then checks
// with `plan --detailed-exitcode` that nothing is left to do, so a measured no-op really is one.

export async function renderFully(root: string, emulator: EmulatorProcess, options: { concurrency?: number } = {}): Promise<number> {
  await emulator.prepare({ processingMs: 0, concurrencyPerKey: 1000 });
  const started = performance.now();
  await runCli(['build', '--reporter', 'plain', '--concurrency', String(options.concurrency ?? 32), '--poll-interval', '0.01'], {
    cwd: root,
    env: emulator.cliEnv(),
    timeoutMs: 900_000,
  });
  const ms = performance.now() - started;
  await expectNoChanges(root, emulator);
  return ms;
}

/** `plan --detailed-exitcode` must say 0 (no changes); 2 throws with the plan, so a bad fixture is visible. */
export async function expectNoChanges(root: string, emulator: EmulatorProcess): Promise<void> {
  const result = await runCli(['plan', '--detailed-exitcode'], { cwd: root, env: emulator.cliEnv(), expectCodes: [0, 2] });
  if (result.code === 2) throw new Error(`fixture ${root} is not fully rendered:\n${result.stdout.slice(0, 3000)}`);
}
