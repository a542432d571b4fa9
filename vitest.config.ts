import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [
      'test/browser/**',
      'test/image/**',
      'test/conformance/**',
      'test/package/**',
      'test/release/**',
      'node_modules/**',
    ],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})
