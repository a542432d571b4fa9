// The test that would have caught better-sqlite3 12 aborting on Node 24.19+: a real mock process
// (the CLI entry point) whose prepared statements and databases are created, dropped and collected
// under forced GC, while the test drives a reset / snapshot / restore loop, then leaves it idle,
// then stops it with SIGTERM. Any native abort shows as a signal or a non-zero exit code.
// The in-process API gets the same treatment, ending in a natural exit. CI runs this on every
// supported Node (see .ci/run).
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it, onTestFinished } from 'vitest'
import { FIXTURE } from '../helpers/world.js'

const basic =
  'Basic ' +
  Buffer.from(
    'project-test-11111111-1111-4111-8111-111111111111:secret-test-stytch-mock-local-only-00000000000=',
  ).toString('base64')

/** Node flags: forced GC available, TypeScript sources, and the statement churn preloaded. */
const CHURN = ['--expose-gc', '--import', 'tsx', '--import', './test/runtime/statement-churn.mjs']

function output(child: ChildProcess): { stdout: () => string; stderr: () => string } {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  return { stdout: () => stdout, stderr: () => stderr }
}

async function call(url: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  })
  const json = await res.json()
  expect(res.status, JSON.stringify(json)).toBe(200)
  return json
}

describe('native runtime lifecycle (forced GC, idle, exit)', () => {
  it('the CLI survives statement churn under GC, a reset/snapshot loop and idle time, and SIGTERM exits 0', async () => {
    const dbDir = mkdtempSync(join(tmpdir(), 'stytch-mock-gc-'))
    onTestFinished(() => rmSync(dbDir, { recursive: true, force: true }))
    const child = spawn(process.execPath, [...CHURN, 'server/main.ts'], {
      env: {
        ...process.env,
        PORT: '0',
        HTTPS_PORT: 'off',
        LOG_LEVEL: 'error',
        // A file database: WAL, checkpoints and the snapshot tables, as a persistent user has.
        STYTCH_MOCK_DB: join(dbDir, 'mock.db'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out = output(child)
    const exited = once(child, 'exit')
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', () => {
        const m = /listening on (http:\/\/\S+)/.exec(out.stdout())
        if (m) resolve(m[1]!)
      })
      child.on('exit', (code, signal) =>
        reject(new Error(`exited ${code ?? signal}\n${out.stderr()}`)),
      )
    })

    for (let round = 0; round < 15; round++) {
      for (let i = 0; i < 10; i++)
        await call(url, '/_mock/sessions', { email: `gc-${round}-${i}@example.com` })
      const { snapshot_id } = await call(url, '/_mock/snapshots')
      await call(url, '/_mock/reset')
      await call(url, `/_mock/snapshots/${snapshot_id}/restore`)
      await call(url, '/v1/sessions/authenticate', { session_token: FIXTURE.adaToken })
      await call(url, '/_mock/keys/rotate')
    }
    // Idle: the churn preload keeps collecting while nothing else happens.
    await sleep(2_000)
    expect(child.exitCode, out.stderr()).toBeNull()
    await call(url, '/v1/sessions/authenticate', { session_token: FIXTURE.adaToken })

    child.kill('SIGTERM')
    const [code, signal] = await exited
    expect({ code, signal, stderr: out.stderr() }).toEqual({ code: 0, signal: null, stderr: '' })
  }, 60_000)

  it('startStytchMock() started and closed many times, under forced GC, then a natural exit 0', async () => {
    const program = `
      import { startStytchMock } from './server/index.ts'
      for (let i = 0; i < 12; i++) {
        const mock = await startStytchMock()
        for (let j = 0; j < 5; j++) await mock.createSession({ email: 'gc' + j + '@example.com' })
        await mock.restore(await mock.snapshot())
        await mock.reset()
        await mock.close()
        globalThis.gc()
      }
      await new Promise((resolve) => setTimeout(resolve, 1000))
      globalThis.gc()
    `
    const child = spawn(process.execPath, [...CHURN, '--input-type=module', '-e', program], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out = output(child)
    const [code, signal] = await once(child, 'exit')
    expect({ code, signal, stderr: out.stderr() }).toEqual({ code: 0, signal: null, stderr: '' })
  }, 60_000)
})
