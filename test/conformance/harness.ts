// Shared by the per-language conformance suites: a mock with HTTPS on a temporary CA, and the
// language's program run against it, one JSON line per check.
import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { loadConfig } from '../../server/config.js'
import { listen, type Listening } from '../../server/listen.js'
import { packageRoot } from '../../server/paths.js'

export const run = promisify(execFile)
export const cacheDir = join(packageRoot(), 'node_modules/.cache/stytch-mock')

export interface CheckResult {
  check: string
  ok: boolean
  detail: string
  trace?: string
}

export async function startHttpsMock(): Promise<Listening & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stytch-mock-conformance-'))
  const mock = await listen(
    loadConfig({ PORT: '0', HTTPS_PORT: '0', STYTCH_MOCK_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
  )
  return Object.assign(mock, { dataDir })
}

/** What the program needs to find the mock (its own trust settings come on top). */
export const mockEnv = (mock: Listening) => ({
  PATH: process.env.PATH ?? '',
  STYTCH_PROJECT_ID: mock.config.projectId,
  STYTCH_SECRET: mock.config.secret,
  STYTCH_MOCK_URL: mock.url,
  STYTCH_MOCK_HTTPS_URL: mock.httpsUrl!,
})

/** Runs a conformance program; its exit code is ignored, its JSON lines are the results. */
export async function runChecks(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<Map<string, CheckResult>> {
  const out = await run(command, args, { env, timeout: 180_000 }).catch(
    (err: { stdout?: string; stderr?: string }) => {
      if (!err.stdout) throw new Error(`${command} did not run: ${err.stderr}`)
      return { stdout: err.stdout }
    },
  )
  const results = new Map<string, CheckResult>()
  for (const line of out.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))) {
    const r = JSON.parse(line) as CheckResult
    results.set(r.check, r)
  }
  return results
}

/** One test per expected check, and one that no check went missing or unlisted. */
export function itPasses(checks: string[], results: () => Map<string, CheckResult>): void {
  it.each(checks)('%s', (name) => {
    const r = results().get(name)
    expect(r, `no result for "${name}"`).toBeDefined()
    expect(r!.ok, `${r!.detail}\n${r!.trace ?? ''}`).toBe(true)
  })
  it('ran exactly the checks listed here', () => {
    expect([...results().keys()]).toEqual(checks)
  })
}
