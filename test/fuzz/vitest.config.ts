import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// npm run test:fuzz: Schemathesis against the running mock (schemathesis.fuzz.ts). Its own config
// and file suffix keep it out of the unit suite (which takes test/**/*.test.ts); it needs python3
// with venv and PyPI on first run, and about 10 minutes (its time budget: schemathesis.fuzz.ts).
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/fuzz/**/*.fuzz.ts'],
    testTimeout: 60_000,
    hookTimeout: 900_000,
  },
})
