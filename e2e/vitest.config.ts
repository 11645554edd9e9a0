import { defineConfig } from 'vitest/config';

// Browser tests: a real Chromium (Debian's /usr/bin/chromium) driven by playwright-core against the
// real platform, started once by the global setup on a fresh embedded database.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    // Pages wait on the real server: on a loaded 2-core machine a list can take seconds to load.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
