import { defineConfig } from 'vitest/config'

// The suites that need more than Node (npm run test:e2e): the browser suite needs Chromium at
// /usr/bin/chromium (or CHROMIUM_PATH); the image suite replays the Dockerfile (a production
// npm install that compiles better-sqlite3, about a minute).
export default defineConfig({
  test: {
    include: [
      'test/browser/**/*.test.ts',
      'test/image/**/*.test.ts',
      'test/conformance/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 400_000,
    fileParallelism: false,
  },
})
