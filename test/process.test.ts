// Stopping what a user started stops the server and frees both ports within 2 s: `npm start`
// killed as `npm start & ... kill $!` does it (npm forwards the signal to the server, which the
// start script execs), the CLI itself, and docs/ci.md's recipe without Docker run as written. (The container:
// test/image.) `npm start` builds only when a source changed.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { get } from 'node:https'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { fencedBlocks } from './helpers/docs.js'
import { accepts, freePort, waitFor } from './helpers/ports.js'

const run = promisify(execFile)
const dataDir = mkdtempSync(join(tmpdir(), 'stytch-mock-process-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

const mockEnv = (ports: { http: number; https: number }) => ({
  ...process.env,
  PORT: String(ports.http),
  HTTPS_PORT: String(ports.https),
  STYTCH_MOCK_DATA_DIR: dataDir,
  LOG_LEVEL: 'error',
})

function output(child: ChildProcess): () => string {
  let text = ''
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()))
  return () => text
}

/** The status of /_mock/health over TLS, trusting only the mock's local CA. */
const httpsHealth = (port: number) =>
  new Promise<number>((resolve, reject) =>
    get(
      `https://localhost:${port}/_mock/health`,
      { ca: readFileSync(join(dataDir, 'ca.pem')) },
      (res) => resolve(res.resume().statusCode!),
    ).on('error', reject),
  )

/**
 * Starts a command with fresh ports, waits until both listen and answer (HTTPS over TLS with the
 * local CA: the bundled command loads node:https lazily, and a wrong import would serve plain
 * HTTP there), then SIGTERMs the started process.
 */
async function startAndStop(command: string, args: string[]): Promise<{ out: string }> {
  const ports = { http: await freePort(), https: await freePort() }
  const child = spawn(command, args, { env: mockEnv(ports), stdio: ['ignore', 'pipe', 'pipe'] })
  const out = output(child)
  const exited = once(child, 'exit')
  await waitFor(
    `${command} ${args.join(' ')} listening\n${out()}`,
    async () => (await accepts(ports.http)) && (await accepts(ports.https)),
    60_000,
  )
  expect((await fetch(`http://127.0.0.1:${ports.http}/_mock/health`)).status).toBe(200)
  expect(await httpsHealth(ports.https)).toBe(200)
  child.kill('SIGTERM')
  const freed = await waitFor(
    'both ports free',
    async () => !(await accepts(ports.http)) && !(await accepts(ports.https)),
    2_000,
  )
  expect(freed).toBeLessThan(2_000)
  await exited
  return { out: out() }
}

describe('stopping what a user started', () => {
  it('npm start, killed with SIGTERM, stops the server and frees both ports within 2 s; it builds only what changed', async () => {
    // A source newer than the last build: this start builds.
    const now = new Date()
    utimesSync('server/main.ts', now, now)
    expect((await startAndStop('npm', ['start'])).out).toContain('tsc -p tsconfig.build.json')
    // Nothing changed since: this one does not.
    expect((await startAndStop('npm', ['start'])).out).not.toContain('tsc -p tsconfig.build.json')
  }, 120_000)

  it('the CLI (what npx stytch-mock runs), killed with SIGTERM, frees both ports within 2 s', async () => {
    await run('npm', ['start', '--', '--version']) // built, and the start script passes flags on
    await startAndStop(process.execPath, ['dist/server/main.js'])
  }, 60_000)

  it("docs/ci.md's recipe without Docker starts it, runs the tests against it, and stops it", async () => {
    const recipe = fencedBlocks(readFileSync('docs/ci.md', 'utf8')).find((b) =>
      b.code.startsWith('npm start &\n'),
    )?.code
    expect(recipe, 'the docs/ci.md recipe that starts with `npm start &`').toBeDefined()
    // Free ports instead of 9010 and 9443 (a developer's own mock may hold those), and its
    // "your tests" line becomes a real check against the running mock.
    const ports = { http: await freePort(), https: await freePort() }
    const script = recipe!
      .replace(
        /^\(cd \.\.\/your-app.*$/m,
        `curl -sf -u 'project-test-11111111-1111-4111-8111-111111111111:secret-test-stytch-mock-local-only-00000000000=' http://127.0.0.1:9010/v1/sessions/authenticate -H 'Content-Type: application/json' -d '{"session_token":"stytch-mock-fixture-session-token-ada-000001"}' | grep -q user-test-0f8e6de5`,
      )
      .replaceAll('127.0.0.1:9010', `127.0.0.1:${ports.http}`)
    expect(script).not.toContain('your-app')
    await run('bash', ['-euo', 'pipefail', '-c', script], { env: mockEnv(ports), timeout: 60_000 })
    const freed = await waitFor(
      'both ports free after the recipe',
      async () => !(await accepts(ports.http)) && !(await accepts(ports.https)),
      2_000,
    )
    expect(freed).toBeLessThan(2_000)
  }, 90_000)
})
