// Generated storyboards for the fault, crash and bench runs: n text-to-video shots at 720p with
// fixed seeds, so every shot has a stable fingerprint across runs.

export function textStoryboard(count: number, options: { prefix?: string; resolution?: '720p' | '1080p' } = {}): string {
  const shots = Array.from(
    { length: count },
    (_, i) => `  - { id: ${options.prefix ?? 'shot'}-${String(i).padStart(3, '0')}, mode: text-to-video, prompt: "Scene number ${i}", seed: ${i} }`,
  );
  return `version: 1\ndefaults: { resolution: ${options.resolution ?? '720p'} }\nshots:\n${shots.join('\n')}\n`;
}

/** Every fingerprint the emulator saw, with how many tasks it created and how many of them failed. */
export function submissionsByFingerprint(tasks: readonly { fingerprint: string; status: string }[]): Map<string, { created: number; failed: number }> {
  const counts = new Map<string, { created: number; failed: number }>();
  for (const task of tasks) {
    const entry = counts.get(task.fingerprint) ?? { created: 0, failed: 0 };
    entry.created += 1;
    if (task.status === 'TASK_FAILED') entry.failed += 1;
    counts.set(task.fingerprint, entry);
  }
  return counts;
}
