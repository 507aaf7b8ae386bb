// Polls a condition a test cannot be told about (a file appearing, a counter of the emulator):
// every 10 ms until it holds, or fails after `timeoutMs` with what `describe` says of the state.

export async function waitUntil(condition: () => boolean, options: { timeoutMs?: number; describe?: () => string } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met in time${options.describe ? `; state:\n${options.describe()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
