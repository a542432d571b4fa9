// docs/coverage.md and server/platform/stytch-api.json are generated from the installed SDKs and
// the mock's routes (scripts/coverage.ts): this fails when either is out of date.
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { generate, staleFiles, type Generated } from '../scripts/coverage.js'

describe('the SDK coverage table', () => {
  let generated: Generated
  beforeAll(async () => {
    generated = await generate()
  }, 30_000)

  it('is enumerated without disagreement between the static and the dynamic views', () => {
    expect(generated.problems).toEqual([])
  })

  it('counts a plausible SDK surface', () => {
    const { backend, frontend, byClient } = generated.totals
    if (generated.versions.stytch.startsWith('14.2.')) {
      expect(byClient.Client?.methods).toBe(89)
      expect(byClient.B2BClient?.methods).toBe(123)
      expect(backend.methods).toBe(212)
      expect(backend.endpoints).toBe(186)
    } else {
      expect(backend.methods).toBeGreaterThan(150)
    }
    if (generated.versions.vanillaJs.startsWith('6.3.')) {
      expect(byClient.StytchClient?.methods).toBe(47)
      expect(byClient.StytchClient?.endpoints).toBe(55)
      expect(byClient.StytchB2BClient?.methods).toBe(90)
      expect(byClient.StytchB2BClient?.endpoints).toBe(90)
      expect(frontend.methods).toBe(137)
    } else {
      expect(frontend.methods).toBeGreaterThan(100)
    }
    expect(backend.served).toBeGreaterThan(0)
    expect(frontend.served).toBeGreaterThan(0)
  })

  it('has its headline in the README', () => {
    const { backend, frontend } = generated.totals
    expect(readFileSync('README.md', 'utf8').replace(/\s+/g, ' ')).toContain(
      `**Coverage: ${backend.served} of the ${backend.methods} backend methods of the \`stytch\` Node SDK, ${frontend.served} of the ${frontend.methods} methods of \`@stytch/vanilla-js\`.**`,
    )
  })

  it('is up to date on disk', () => {
    for (const file of staleFiles(generated)) {
      const fresh = generated.files.find((f) => f.path === file)!.text.split('\n')
      const disk = readFileSync(file, 'utf8').split('\n')
      const at = fresh.findIndex((line, i) => line !== disk[i])
      expect.fail(
        `${file} is stale: run npx tsx scripts/coverage.ts (line ${at + 1}: ${JSON.stringify(disk[at])}, now ${JSON.stringify(fresh[at])})`,
      )
    }
  })
})
