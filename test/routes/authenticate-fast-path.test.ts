// A consumer authenticate by session token or JWT alone, answered before the router
// (server/platform/http/before-router.ts) from the answer the last such call made in the same
// second, must answer exactly as the routes would now: the same status, headers and bytes
// (request id aside), the same journal entry and log line; and never an answer that a write since
// has made stale (a revoke, an expiry, a user's update, a key rotation, a reset, a snapshot), nor
// one of another second. The calls are made on a real port: only there does the adapter hand the
// app the Node request the fast path reads.
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app.js'
import { Clock } from '../../server/clock.js'
import { loadConfig, type Config } from '../../server/config.js'
import { createLogger } from '../../server/log.js'
import { openDatabase, uncounted, writeCount } from '../../server/platform/db.js'
import { createWorld, type World } from '../../server/world.js'
import { basicHeader } from '../helpers/world.js'
import { wireCall, type WireAnswer as Answer } from '../helpers/wire.js'

let world: World
let config: Config
let lines: string[]
let server: ReturnType<typeof serve>
let port: number
let auth: string
/** How many calls the routes answered: the rest were answered before the router. */
let routedCalls: number

beforeEach(async () => {
  config = loadConfig({ LOG_LEVEL: 'silent', HTTPS_PORT: 'off' })
  const clock = new Clock()
  clock.freeze()
  world = await createWorld(config, clock)
  lines = []
  const app = createApp(world, { logger: createLogger('info', (line) => lines.push(line)) })
  const answer = world.consumer.authenticateJson.bind(world.consumer)
  routedCalls = 0
  world.consumer.authenticateJson = (input) => {
    routedCalls++
    return answer(input)
  }
  server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s))
  })
  port = (server.address() as AddressInfo).port
  auth = basicHeader(config.projectId, config.secret)
})

afterEach(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    ;(server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.()
  })
  world.close()
})

const ids = /request-id-test-[0-9a-f-]+/g

/** A call on the real port, as the project's backend makes it. */
const wire = (
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = { authorization: auth, 'content-type': 'application/json' },
) => wireCall(port, method, path, headers, body)

const authenticate = (body: object | string, headers?: Record<string, string>) =>
  wire(
    'POST',
    '/v1/sessions/authenticate',
    typeof body === 'string' ? body : JSON.stringify(body),
    headers,
  )

async function newSession(email = 'ada@example.com') {
  const res = await wire(
    'POST',
    '/_mock/sessions',
    JSON.stringify({ email, session_duration_minutes: 60 }),
  )
  expect(res.status).toBe(200)
  const body = JSON.parse(res.body) as {
    session_token: string
    session_jwt: string
    session: { session_id: string; user_id: string }
  }
  return { ...body, session_id: body.session.session_id, user_id: body.session.user_id }
}

/** The call's answer, journal entry and log line. */
async function observed(call: () => Promise<Answer>) {
  lines.length = 0
  const answer = await call()
  const [entry] = world.journal.list({ limit: 1 })
  const { duration_ms: _d, virtual_time: _v, wall_time: _w, ...journal } = entry ?? {}
  return {
    answer: { ...answer, body: answer.body.replace(ids, 'ID') },
    journal,
    log: lines.map((l) => l.replace(ids, 'ID').replace(/"duration_ms":[\d.]+/, '')),
  }
}

describe('a plain authenticate answered before the router', () => {
  it('answers as the routes do, by token and by JWT: bytes, headers, journal and log line', async () => {
    const s = await newSession()
    for (const body of [{ session_token: s.session_token }, { session_jwt: s.session_jwt }]) {
      await authenticate(body) // the routes answer, and make the answer ready
      const before = routedCalls
      const fast = await observed(() => authenticate(body))
      expect(routedCalls, 'answered before the router').toBe(before)
      // A fault on another route: while any fault is set, every call goes through the routes.
      const other = world.faults.add({ path: '/v1/users/nobody', status: 500, times: -1 })
      const routed = await observed(() => authenticate(body))
      world.faults.remove(other.fault_id)
      expect(routedCalls).toBe(before + 1)
      expect(fast).toEqual(routed)
      expect(fast.answer.status).toBe(200)
      expect(fast.journal).toMatchObject({ session_id: expect.any(String), user_id: s.user_id })
    }
  })

  it('gives each call its own request id', async () => {
    const s = await newSession()
    const bodies = [] as string[]
    for (let i = 0; i < 3; i++)
      bodies.push((await authenticate({ session_token: s.session_token })).body)
    const requestIds = bodies.map((b) => JSON.parse(b).request_id as string)
    expect(new Set(requestIds).size).toBe(3)
    expect(new Set(bodies.map((b) => b.replace(ids, 'ID'))).size).toBe(1)
  })

  it('leaves every other call to the routes: other fields, credentials, bodies and paths', async () => {
    const s = await newSession()
    const token = s.session_token
    await authenticate({ session_token: token })
    const routedBy = async (body: string, headers?: Record<string, string>) => {
      const before = routedCalls
      const res = await authenticate(body, headers)
      return { status: res.status, routed: routedCalls > before || res.status !== 200 }
    }
    const variants: [string, Record<string, string>?][] = [
      [JSON.stringify({ session_token: token, session_duration_minutes: 30 })],
      [JSON.stringify({ session_token: token, session_custom_claims: { a: 1 } })],
      [JSON.stringify({ session_token: token, session_jwt: s.session_jwt })],
      [JSON.stringify({ session_token: token, session_jwt: null })],
      [JSON.stringify({ session_token: 'x'.repeat(44) })],
      [JSON.stringify({ session_token: 1 })],
      [`[${JSON.stringify({ session_token: token })}]`],
      ['{"session_token":'],
      [JSON.stringify({ session_token: token }), { authorization: basicHeader('a', 'b') }],
      [JSON.stringify({ session_token: token }), { 'content-type': 'application/json' }],
    ]
    for (const [body, headers] of variants) {
      const { routed } = await routedBy(body, headers && { ...headers })
      expect(routed, body).toBe(true)
    }
    // A query string, or a chunked body: the routes too.
    const before = routedCalls
    expect(
      (
        await wire(
          'POST',
          `/v1/sessions/authenticate?x=1`,
          JSON.stringify({ session_token: token }),
        )
      ).status,
    ).toBe(200)
    expect(routedCalls).toBe(before + 1)
  })

  it('keeps a token and a JWT apart: the same text in the other field is refused as the routes refuse it', async () => {
    const s = await newSession()
    for (const [made, swapped] of [
      [{ session_jwt: s.session_jwt }, { session_token: s.session_jwt }],
      [{ session_token: s.session_token }, { session_jwt: s.session_token }],
    ]) {
      expect((await authenticate(made!)).status).toBe(200)
      const other = world.faults.add({ path: '/v1/users/nobody', status: 500, times: -1 })
      const routed = await observed(() => authenticate(swapped!))
      world.faults.remove(other.fault_id)
      expect((await authenticate(made!)).status).toBe(200)
      const fast = await observed(() => authenticate(swapped!))
      expect(fast.answer.status, JSON.stringify(swapped)).toBeGreaterThanOrEqual(400)
      expect(fast).toEqual(routed)
    }
  })

  it('answers what a write since has changed: a longer session, a renamed user, a rotated key', async () => {
    const s = await newSession()
    const read = async () =>
      JSON.parse((await authenticate({ session_token: s.session_token })).body) as {
        session: { expires_at: string }
        user: { name: { first_name: string } }
        session_jwt: string
      }
    const first = await read()
    // Longer: the routes extend it (a write), and the plain call after shows the new expiry.
    const extended = await authenticate({
      session_token: s.session_token,
      session_duration_minutes: 600,
    })
    expect((await read()).session.expires_at).toBe(JSON.parse(extended.body).session.expires_at)
    expect((await read()).session.expires_at).not.toBe(first.session.expires_at)
    // Renamed.
    const renamed = await wire(
      'PUT',
      `/v1/users/${s.user_id}`,
      JSON.stringify({ name: { first_name: 'Grace' } }),
    )
    expect(renamed.status).toBe(200)
    expect((await read()).user.name.first_name).toBe('Grace')
    // A new signing key: the JWT is signed by it.
    await world.keys.rotate()
    const kid = JSON.parse(
      Buffer.from((await read()).session_jwt.split('.')[0]!, 'base64url').toString(),
    ).kid
    expect(kid).toBe(world.keys.ring.active.kid)
  })

  it('never answers for a session gone since: revoked, expired, its user deleted, reset', async () => {
    const ends: [string, (s: Awaited<ReturnType<typeof newSession>>) => Promise<unknown>][] = [
      [
        'revoked',
        (s) =>
          wire('POST', '/v1/sessions/revoke', JSON.stringify({ session_token: s.session_token })),
      ],
      [
        'expired',
        (s) => wire('POST', `/_mock/sessions/${s.session_id}/expire`, '', { authorization: auth }),
      ],
      ['user deleted', (s) => wire('DELETE', `/v1/users/${s.user_id}`)],
      ['reset', () => wire('POST', '/_mock/reset')],
    ]
    for (const [name, end] of ends) {
      const s = await newSession(`${name.replace(' ', '-')}@example.com`)
      for (const body of [{ session_token: s.session_token }, { session_jwt: s.session_jwt }]) {
        expect((await authenticate(body)).status).toBe(200)
        expect((await authenticate(body)).status).toBe(200)
      }
      const ended = (await end(s)) as Answer
      expect(ended.status, `${name}: ${ended.body}`).toBe(200)
      for (const body of [{ session_token: s.session_token }, { session_jwt: s.session_jwt }]) {
        const res = await authenticate(body)
        expect(res.status, name).toBe(404)
        expect(JSON.parse(res.body).error_type).toBe('session_not_found')
      }
    }
  })

  it('answers a new second anew: the access is recorded, the JWT is new', async () => {
    const s = await newSession()
    const read = async () => {
      const { request_id: _id, ...answer } = JSON.parse(
        (await authenticate({ session_token: s.session_token })).body,
      ) as { request_id: string; session: { last_accessed_at: string }; session_jwt: string }
      return answer
    }
    const a = await read()
    expect(await read()).toEqual(a)
    const before = routedCalls
    world.clock.advance(1)
    const b = await read()
    expect(routedCalls).toBe(before + 1)
    expect(b.session.last_accessed_at).not.toBe(a.session.last_accessed_at)
    expect(b.session_jwt).not.toBe(a.session_jwt)
  })

  it('counts the access of a new second as no write, and every other write', async () => {
    const s = await newSession()
    await authenticate({ session_token: s.session_token })
    const writes = writeCount(world.db)
    world.clock.advance(1)
    expect((await authenticate({ session_token: s.session_token })).status).toBe(200)
    expect(writeCount(world.db)).toBe(writes)
    await authenticate({ session_token: s.session_token, session_duration_minutes: 60 })
    expect(writeCount(world.db)).toBe(writes + 1)
  })

  it('keeps faults: a fault set on the route answers, once', async () => {
    const s = await newSession()
    await authenticate({ session_token: s.session_token })
    world.faults.add({ path: '/v1/sessions/authenticate', status: 503, times: 1 })
    const res = await authenticate({ session_token: s.session_token })
    expect(res.status).toBe(503)
    expect(JSON.parse(res.body).error_type).toBe('service_unavailable')
    expect((await authenticate({ session_token: s.session_token })).status).toBe(200)
  })

  it('gives calls that arrive together the same answer', async () => {
    const s = await newSession()
    const before = routedCalls
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => authenticate({ session_token: s.session_token })),
    )
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200))
    expect(new Set(answers.map((a) => a.body.replace(ids, 'ID'))).size).toBe(1)
    expect(routedCalls - before).toBeGreaterThanOrEqual(1)
  })
})

describe("the database's write count", () => {
  it('counts every statement that can write, exec and pragma; not reads, not uncounted ones', () => {
    const db = openDatabase(':memory:', ['CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT) STRICT;'])
    const count = () => writeCount(db)
    const start = count()
    db.prepare("INSERT INTO t VALUES ('a', '1')").run()
    expect(count()).toBe(start + 1)
    db.prepare('SELECT * FROM t').all()
    db.prepare('SELECT v FROM t WHERE k = ?').get('a')
    expect(count()).toBe(start + 1)
    db.prepare("UPDATE t SET v = '2' RETURNING v").get()
    expect(count()).toBe(start + 2)
    db.exec("DELETE FROM t WHERE k = 'none'")
    db.pragma('user_version = 3')
    expect(count()).toBe(start + 4)
    db.transaction(() => db.prepare("INSERT INTO t VALUES ('b', '1')").run())()
    expect(count()).toBe(start + 5)
    uncounted(db.prepare("UPDATE t SET v = '3' WHERE k = 'b'")).run()
    expect(count()).toBe(start + 5)
    expect(db.prepare("SELECT v FROM t WHERE k = 'b'").get()).toEqual({ v: '3' })
  })
})
