// Sudden death: SIGKILL the server at random points of a mixed write load on a file database,
// restart it, and check that every write acknowledged with a 200 survived.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'stytch-mock-crash-'))
const env = {
  STYTCH_MOCK_DB: join(dir, 'mock.db'),
  STYTCH_MOCK_DATA_DIR: join(dir, 'data'),
  PORT: '0',
  HTTPS_PORT: '0',
  LOG_LEVEL: 'error',
}
const auth =
  'Basic ' +
  Buffer.from(
    'project-test-11111111-1111-4111-8111-111111111111:secret-test-stytch-mock-local-only-00000000000=',
  ).toString('base64')

async function start(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const url = await new Promise<string>((done, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) done(m[1]!)
    })
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
    child.once('exit', (code) => fail(new Error(`exited ${code}: ${out}`)))
  })
  return { child, url }
}

const call = async (url: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: res.status, body: (await res.json()) as any }
}

interface Acked {
  created: Map<string, string> // token -> session_id
  revoked: Set<string> // tokens
  /** Revokes sent but never answered: the server may or may not have applied them. */
  maybeRevoked: Set<string>
  expiresAt: Map<string, number> // token -> latest acknowledged expires_at (ms)
}

describe('crash safety with a file database', () => {
  it('keeps every acknowledged create, extend and revoke, the signing keys and the CA across SIGKILLs (5 rounds)', async () => {
    const acked: Acked = {
      created: new Map(),
      revoked: new Set(),
      maybeRevoked: new Set(),
      expiresAt: new Map(),
    }
    let kids: string[] = []
    let ca = ''
    let writes = 0
    for (let round = 0; round < 5; round++) {
      const { child, url } = await start()
      if (round === 0) {
        await call(url, 'POST', '/_mock/keys/rotate')
        ca = readFileSync(join(env.STYTCH_MOCK_DATA_DIR, 'ca.pem'), 'utf8')
      }
      const keys = (await call(url, 'GET', '/_mock/keys')).body.keys.map(
        (k: { kid: string }) => k.kid,
      )
      if (round === 0) kids = keys
      expect(keys).toEqual(kids)
      expect(readFileSync(join(env.STYTCH_MOCK_DATA_DIR, 'ca.pem'), 'utf8')).toBe(ca)

      // Everything acknowledged before earlier kills is still there.
      for (const [token] of acked.created) {
        const res = await call(url, 'POST', '/v1/sessions/authenticate', { session_token: token })
        if (acked.revoked.has(token)) expect(res.status, `revoked ${token}`).toBe(404)
        else if (acked.maybeRevoked.has(token)) expect([200, 404]).toContain(res.status)
        else {
          expect(res.status, `created ${token}`).toBe(200)
          expect(Date.parse(res.body.session.expires_at)).toBeGreaterThanOrEqual(
            acked.expiresAt.get(token)!,
          )
        }
      }

      // A mixed write load, killed at a random moment.
      const deadline = Date.now() + 150 + Math.random() * 450
      let killed = false
      const killer = new Promise<void>((done) =>
        setTimeout(() => {
          killed = true
          child.kill('SIGKILL')
          done()
        }, deadline - Date.now()),
      )
      const worker = async () => {
        while (!killed) {
          const live = [...acked.created.keys()].filter(
            (t) => !acked.revoked.has(t) && !acked.maybeRevoked.has(t),
          )
          const pick = live[Math.floor(Math.random() * live.length)]
          const roll = Math.random()
          try {
            if (roll < 0.5 || !pick) {
              const res = await call(url, 'POST', '/_mock/sessions', {
                email: `crash-${round}@example.com`,
                session_duration_minutes: 60,
              })
              if (res.status === 200) {
                acked.created.set(res.body.session_token, res.body.session.session_id)
                acked.expiresAt.set(res.body.session_token, Date.parse(res.body.session.expires_at))
                writes++
              }
            } else if (roll < 0.8) {
              const res = await call(url, 'POST', '/v1/sessions/authenticate', {
                session_token: pick,
                session_duration_minutes: 120,
              })
              if (res.status === 200) {
                acked.expiresAt.set(
                  pick,
                  Math.max(acked.expiresAt.get(pick)!, Date.parse(res.body.session.expires_at)),
                )
                writes++
              }
            } else {
              acked.maybeRevoked.add(pick)
              const res = await call(url, 'POST', '/v1/sessions/revoke', { session_token: pick })
              if (res.status === 200) {
                acked.maybeRevoked.delete(pick)
                acked.revoked.add(pick)
                writes++
              }
            }
          } catch {
            // The connection died with the server: that write was never acknowledged.
          }
        }
      }
      await Promise.all([killer, ...Array.from({ length: 8 }, worker)])
      await new Promise((done) =>
        child.exitCode !== null || child.signalCode !== null
          ? done(null)
          : child.once('exit', done),
      )

      const db = new Database(env.STYTCH_MOCK_DB)
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      db.close()
    }
    console.info(
      `crash safety: 5 SIGKILLs, ${writes} acknowledged writes (${acked.created.size} creates, ${acked.revoked.size} revokes) checked`,
    )
    expect(writes).toBeGreaterThan(100)
    expect(acked.revoked.size).toBeGreaterThan(0)
  }, 120_000)
})
