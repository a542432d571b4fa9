// The real entry point, as `npm start` runs it: banner, README curl example, config errors, SIGTERM.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIXTURE } from './helpers/world.js'

const start = (env: Record<string, string>) =>
  spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      HTTPS_PORT: '0',
      STYTCH_MOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'stytch-mock-main-')),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })

describe('server/main.ts', () => {
  it('prints its URL and a fixture token, and the README curl example authenticates', async () => {
    const child = start({})
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const m = /listening on (http:\/\/\S+)/.exec(out)
        if (m) resolve(m[1]!)
      })
      child.on('exit', (code) => reject(new Error(`exited ${code}`)))
    })
    expect(out).toContain(FIXTURE.adaToken)
    expect(out).toContain("env: 'http://127.0.0.1:")
    const res = await fetch(`${url}/v1/sessions/authenticate`, {
      method: 'POST',
      headers: {
        authorization:
          'Basic ' +
          Buffer.from(
            'project-test-11111111-1111-4111-8111-111111111111:secret-test-stytch-mock-local-only-00000000000=',
          ).toString('base64'),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ session_token: FIXTURE.adaToken }),
    })
    expect(res.status).toBe(200)
    expect((await res.json()).user.user_id).toBe(FIXTURE.adaUserId)
    child.kill('SIGTERM')
    const [code] = await once(child, 'exit')
    expect(code).toBe(0)
  })

  it('refuses to start on a bad fixture file, naming the file and the JSON path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stytch-mock-main-'))
    const file = join(dir, 'broken.json')
    writeFileSync(file, JSON.stringify({ users: [{ user_id: 'nope' }] }))
    const child = start({ STYTCH_MOCK_FIXTURES: file })
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const [code] = await once(child, 'exit')
    expect(code).toBe(1)
    expect(err).toContain(`${file}: /users/0/user_id: must match pattern`)
  })

  it('exits 1 listing every configuration problem', async () => {
    const child = start({ PORT: 'x', STYTCH_PROJECT_ID: 'bad' })
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const [code] = await once(child, 'exit')
    expect(code).toBe(1)
    expect(err).toMatch(/PORT/)
    expect(err).toMatch(/STYTCH_PROJECT_ID/)
  })
})
