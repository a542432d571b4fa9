import { defineConfig } from 'vitest/config'

// The browser suite (npm run test:e2e): needs Chromium at /usr/bin/chromium (or CHROMIUM_PATH).
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
})
