import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'bench/test/**/*.test.ts'],
    // Gives the run a folder where the first radosgw test starts the server (once), and stops it at the end.
    globalSetup: ['test/helpers/radosgw-setup.ts'],
    // e2e tests spawn the built CLI and a real emulator on loopback; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Fault and crash tests start several processes each; two files at a time keeps a 2-core machine responsive.
    maxWorkers: 2,
  },
});
