import { defineConfig } from 'vitest/config'

// The suites that need more than Node. npm run test:e2e: the browser suite (Chromium at
// /usr/bin/chromium or CHROMIUM_PATH), the official Python, Java and Rust SDKs, the packed package
// installed into a fresh project (all of them install from public registries), and the release
// workflow linted with actionlint (built with Go from the Go module proxy). npm run test:image:
// builds and runs the image with podman (root, podman, runc, mmdebstrap; about 3 minutes).
export default defineConfig({
  test: {
    include: [
      'test/browser/**/*.test.ts',
      'test/image/**/*.test.ts',
      'test/conformance/**/*.test.ts',
      'test/package/**/*.test.ts',
      'test/release/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 400_000,
    fileParallelism: false,
    // What a browser shows may lag on a busy machine (CI runs on two shared cores): expect.poll
    // waits up to 5 s instead of 1 before it calls a page wrong. A page that is right passes at once.
    expect: { poll: { timeout: 5_000 } },
  },
})
