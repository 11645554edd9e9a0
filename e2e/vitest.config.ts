import { defineConfig } from 'vitest/config';

/** A Playwright action timed out while its first actionability check never came back. */
export const STALLED_FRAMES =
  /Timeout \d+ms exceeded\.[\s\S]*waiting for element to be visible, enabled and stable\s*$/;

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
    // Headless Chromium now and then stops producing frames: an action then waits for its element to
    // be « stable » (two animation frames) until the timeout, with no check ever reported. Only that
    // failure is retried, once (decision 0015); any other failure — an element not enabled, not
    // visible, not stable, a wrong text — fails at once.
    retry: { count: 1, condition: STALLED_FRAMES },
  },
});
