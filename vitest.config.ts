import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'gateway',
          include: ['test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Database suites share real servers; files run in parallel workers but
          // each suite uses its own database/schema name, so they do not collide.
          pool: 'forks',
        },
      },
      // The admin console's component tests (React in jsdom).
      'web/vitest.config.ts',
    ],
  },
});
