import { defineConfig } from 'vitest/config';

// Unit tests (`*.test.ts`) and repository tests (`*.db.test.ts`, run on PGlite and, when
// DATABASE_URL is set, on the PostgreSQL server too). Browser tests live in e2e/ with their own config.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
