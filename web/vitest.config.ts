import react from '@vitejs/plugin-react';
import { defineProject } from 'vitest/config';

// Component tests: React in jsdom. Run from the root (`npm test`) as the `web` project.
export default defineProject({
  plugins: [react()],
  test: {
    name: 'web',
    environment: 'jsdom',
    include: ['src/**/*.test.tsx', 'src/**/*.test.ts'],
    setupFiles: ['./src/test-setup.ts'],
    globalSetup: ['./src/testing/global-setup.ts'],
    testTimeout: 20_000,
  },
});
