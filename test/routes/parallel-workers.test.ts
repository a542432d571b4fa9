// Test control that parallel workers can share: faults scoped to one subject, sessions aged
// without moving the clock, and two concurrent "workers" on one mock through the official SDKs.
import * as stytch from 'stytch'
import { beforeEach, describe, expect, it } from 'vitest'
import { mockWithSdk } from '../helpers/server.js'
import { basicHeader, FIXTURE, testWorld, type TestWorld } from '../helpers/world.js'

let t: TestWorld
beforeEach(async () => {
  t = await testWorld()
})

const seed = async (body: Record<string, unknown>) =>
  (await t.call('POST', '/_mock/sessions', { body })).body
const authenticate = (body: Record<string, unknown>) =>
  t.call('POST', '/v1/sessions/authenticate', { body })

describe('faults scoped to a subject', () => {
  it('hit only calls about that user, whether they carry its token, its JWT or its user_id', async () => {
    const mine = await seed({ email: 'worker-a@example.com' })
    const theirs = await seed({ email: 'worker-b@example.com' })
    const added = await t.call('POST', '/_mock/faults', {
      body: {
        path: '/v1/*',
        status: 429,
        times: -1,
        match: { user_id: mine.user.user_id },
      },
    })
    expect(added.body.fault.match).toEqual({ user_id: mine.user.user_id })
    for (const body of [{ session_token: mine.session_token }, { session_jwt: mine.session_jwt }]) {
      expect((await authenticate(body)).status).toBe(429)
    }
    expect((await t.call('GET', `/v1/sessions?user_id=${mine.user.user_id}`)).status).toBe(429)
    expect((await authenticate({ session_token: theirs.session_token })).status).toBe(200)
    expect((await authenticate({ session_token: FIXTURE.adaToken })).status).toBe(200)
    expect((await t.call('GET', `/v1/sessions?user_id=${theirs.user.user_id}`)).status).toBe(200)
  })

  it('match the frontend SDK by its Basic-auth token, and B2B calls by member or organization', async () => {
    const mine = await seed({ email: 'sdk-a@example.com' })
    await t.call('POST', '/_mock/faults', {
      body: {
        path: '/sdk/v1/*',
        status: 503,
        times: -1,
        match: { session_id: mine.session.session_id },
      },
    })
    const sdk = (token: string) =>
      t.call('POST', '/sdk/v1/sessions/authenticate', {
        auth: basicHeader(t.config.publicToken, token),
        headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' },
        body: {},
      })
    expect((await sdk(mine.session_token)).status).toBe(503)
    expect((await sdk(FIXTURE.adaToken)).status).toBe(200)

    await t.call('POST', '/_mock/faults', {
      body: {
        path: '/v1/b2b/sessions/authenticate',
        error_type: 'unauthorized_credentials',
        times: -1,
        match: { organization_id: FIXTURE.globex.organization_id },
      },
    })
    const inGlobex = (
      await t.call('POST', '/_mock/b2b/sessions', {
        body: { organization_slug: 'globex', email_address: 'grace@example.com' },
      })
    ).body
    const b2b = (session_token: string) =>
      t.call('POST', '/v1/b2b/sessions/authenticate', { body: { session_token } })
    expect((await b2b(inGlobex.session_token)).status).toBe(401)
    expect((await b2b(FIXTURE.graceToken)).status).toBe(200)
  })

  it('match the reads by the ids in their path, and HttpOnly calls by the session cookie', async () => {
    await t.call('POST', '/_mock/faults', {
      body: { path: '/v1/*', status: 429, times: -1, match: { user_id: FIXTURE.adaUserId } },
    })
    await t.call('POST', '/_mock/faults', {
      body: { path: '/v1/*', status: 503, times: -1, match: { member_id: FIXTURE.acme.member_id } },
    })
    expect((await t.call('GET', `/v1/users/${FIXTURE.adaUserId}`)).status).toBe(429)
    expect((await t.call('GET', '/v1/users/ada-external-1')).status).toBe(429)
    expect((await t.call('GET', `/v1/users/${FIXTURE.sandboxUserId}`)).status).toBe(200)
    const member = `/v1/b2b/organizations/acme/member?email_address=grace@example.com`
    expect((await t.call('GET', member)).status).toBe(503)
    expect((await t.call('GET', `/v1/b2b/organizations/acme`)).status).toBe(200)
    await t.call('POST', '/_mock/faults', {
      body: { path: '/sdk/v1/*', status: 503, times: -1, match: { user_id: FIXTURE.adaUserId } },
    })
    const cookie = (token: string) =>
      t.call('GET', '/sdk/v1/users/me', {
        auth: basicHeader(t.config.publicToken, t.config.publicToken),
        headers: { origin: 'http://localhost:3000', cookie: `stytch_session=${token}` },
      })
    expect((await cookie(FIXTURE.adaToken)).status).toBe(503)
    expect((await cookie(FIXTURE.sandboxToken)).status).toBe(200)
  })

  it('never tell a caller without credentials whose token it holds', async () => {
    await t.call('POST', '/_mock/faults', {
      body: { path: '/v1/*', status: 429, times: -1, match: { user_id: FIXTURE.adaUserId } },
    })
    for (const auth of [
      false as const,
      'Basic ' + Buffer.from('project-test-x:wrong').toString('base64'),
    ]) {
      const res = await t.call('POST', '/v1/sessions/authenticate', {
        auth,
        body: { session_token: FIXTURE.adaToken },
      })
      expect(res.status).toBe(401)
    }
  })

  it('one fault can be removed by its id, leaving the others', async () => {
    const add = async (user_id: string) =>
      (
        await t.call('POST', '/_mock/faults', {
          body: { path: '/v1/*', status: 429, times: -1, match: { user_id } },
        })
      ).body.fault.fault_id
    const mine = await add(FIXTURE.adaUserId)
    await add(FIXTURE.sandboxUserId)
    expect((await t.call('DELETE', `/_mock/faults/${mine}`)).status).toBe(200)
    expect((await t.call('DELETE', `/_mock/faults/${mine}`)).status).toBe(404)
    const left = (await t.call('GET', '/_mock/faults')).body.faults
    expect(left.map((f: any) => f.match.user_id)).toEqual([FIXTURE.sandboxUserId])
    expect((await authenticate({ session_token: FIXTURE.adaToken })).status).toBe(200)
  })

  it('refuse a match that names nothing the mock can resolve', async () => {
    for (const match of [{}, { email: 'a@example.com' }, { user_id: 7 }]) {
      const res = await t.call('POST', '/_mock/faults', {
        body: { path: '/v1/*', status: 429, match },
      })
      expect(res.status).toBe(400)
      expect(res.body.error_message).toContain('session_id, user_id, member_id, organization_id')
    }
  })
})

describe('sessions aged without moving the clock', () => {
  // Frozen: the assertions compare times in whole seconds with the mock's own.
  beforeEach(() => t.clock.freeze())

  it('seeded already expired, or expiring in N seconds (below the 5-minute minimum)', async () => {
    const expired = await seed({ email: 'old@example.com', expires_in_seconds: 0 })
    expect((await authenticate({ session_token: expired.session_token })).body.error_type).toBe(
      'session_not_found',
    )
    // Its JWT expired with it, so local verification refuses it too.
    const claims = JSON.parse(
      Buffer.from(expired.session_jwt.split('.')[1], 'base64url').toString(),
    )
    expect(claims.exp).toBeLessThanOrEqual(t.clock.nowSeconds())
    const short = await seed({ email: 'short@example.com', expires_in_seconds: 30 })
    expect(short.session.expires_at).toBe(
      new Date((t.clock.nowSeconds() + 30) * 1000).toISOString().replace('.000Z', 'Z'),
    )
    expect((await authenticate({ session_token: short.session_token })).status).toBe(200)
    t.clock.advance(31)
    expect((await authenticate({ session_token: short.session_token })).status).toBe(404)
    expect((await authenticate({ session_token: FIXTURE.adaToken })).status).toBe(200)
  })

  it('with a JWT minted N seconds ago: its exp has passed, and the API renews it', async () => {
    const aged = await seed({ email: 'jwt@example.com', jwt_age_seconds: 400 })
    const payload = JSON.parse(Buffer.from(aged.session_jwt.split('.')[1], 'base64url').toString())
    expect(payload.iat).toBe(t.clock.nowSeconds() - 400)
    expect(payload.exp).toBe(payload.iat + 300)
    const renewed = await authenticate({ session_jwt: aged.session_jwt })
    expect(renewed.status).toBe(200)
    expect(renewed.body.session_jwt).not.toBe(aged.session_jwt)
  })

  it('POST /_mock/sessions/{session_id}/expire ends one session now, of either kind', async () => {
    const mine = await seed({ email: 'expire@example.com' })
    expect((await t.call('POST', `/_mock/sessions/${mine.session.session_id}/expire`)).status).toBe(
      200,
    )
    expect((await authenticate({ session_token: mine.session_token })).status).toBe(404)
    expect((await authenticate({ session_jwt: mine.session_jwt })).status).toBe(404)
    expect((await t.call('POST', `/_mock/sessions/${FIXTURE.graceSessionId}/expire`)).status).toBe(
      200,
    )
    const grace = await t.call('POST', '/v1/b2b/sessions/authenticate', {
      body: { session_token: FIXTURE.graceToken },
    })
    expect(grace.status).toBe(404)
    expect((await authenticate({ session_token: FIXTURE.adaToken })).status).toBe(200)
    const again = await t.call('POST', `/_mock/sessions/${mine.session.session_id}/expire`)
    expect(again.body.error_type).toBe('session_not_found')
    // No later clock revives it, not even real time again after the clock had run ahead.
    await t.call('POST', '/_mock/clock', { body: { advance_seconds: -86400 } })
    expect((await authenticate({ session_token: mine.session_token })).status).toBe(404)
  })

  it('refuses expires_in_seconds with session_duration_minutes, and a negative jwt_age_seconds', async () => {
    for (const body of [
      { email: 'x@example.com', expires_in_seconds: 30, session_duration_minutes: 60 },
      { email: 'x@example.com', jwt_age_seconds: -1 },
    ]) {
      const res = await t.call('POST', '/_mock/sessions', { body })
      expect(res.status).toBe(400)
    }
  })
})

describe('two parallel workers on one mock, through the official Node SDK', () => {
  const sdk = mockWithSdk((options) => new stytch.Client(options))

  const control = async (path: string, body?: unknown) => {
    const res = await fetch(sdk.mock.url + path, {
      method: 'POST',
      headers: {
        authorization:
          'Basic ' +
          Buffer.from(`${sdk.mock.config.projectId}:${sdk.mock.config.secret}`).toString('base64'),
        'content-type': 'application/json',
      },
      body: JSON.stringify(body ?? {}),
    })
    expect(res.status).toBe(200)
    return (await res.json()) as any
  }

  it('one injects scoped faults and ages its sessions, the other logs in: no interference', async () => {
    const outcomes = {
      a: { expected: 0, unexpected: [] as string[] },
      b: { ok: 0, failed: [] as string[] },
    }
    // Worker A: its own user. One of its sessions meets a fault scoped to it; the others are
    // seeded expired, expired on demand, or with an aged JWT, and must behave so.
    const workerA = async () => {
      const faulted = await control('/_mock/sessions', { email: 'worker-a@example.com' })
      await control('/_mock/faults', {
        path: '/v1/sessions/authenticate',
        status: 429,
        times: -1,
        match: { session_id: faulted.session.session_id },
      })
      const outcome = (promise: Promise<unknown>) =>
        promise.then(
          () => 'authenticated',
          (e: any) => e.error_type ?? String(e),
        )
      for (let i = 0; i < 60; i++) {
        let got: string
        let want: string
        if (i % 4 === 0) {
          got = await outcome(
            sdk.client.sessions.authenticate({ session_token: faulted.session_token }),
          )
          want = 'too_many_requests'
        } else if (i % 4 === 1) {
          const s = await control('/_mock/sessions', {
            email: 'worker-a@example.com',
            expires_in_seconds: 0,
          })
          got = await outcome(sdk.client.sessions.authenticate({ session_token: s.session_token }))
          want = 'session_not_found'
        } else if (i % 4 === 2) {
          const s = await control('/_mock/sessions', { email: 'worker-a@example.com' })
          await control(`/_mock/sessions/${s.session.session_id}/expire`)
          got = await outcome(sdk.client.sessions.authenticate({ session_jwt: s.session_jwt }))
          want = 'session_not_found'
        } else {
          const s = await control('/_mock/sessions', {
            email: 'worker-a@example.com',
            jwt_age_seconds: 400,
          })
          const local = await outcome(
            sdk.client.sessions.authenticateJwtLocal({ session_jwt: s.session_jwt }),
          )
          const api = await outcome(
            sdk.client.sessions.authenticate({ session_jwt: s.session_jwt }),
          )
          got = `${local === 'authenticated' ? 'local' : 'not local'}, ${api}`
          want = 'not local, authenticated'
        }
        if (got === want) outcomes.a.expected++
        else outcomes.a.unexpected.push(`${i}: ${got}`)
      }
    }
    // Worker B: ordinary logins and authenticates, JWTs included, in parallel.
    const workerB = async () => {
      for (let i = 0; i < 60; i++) {
        const s = await control('/_mock/sessions', { email: `worker-b-${i % 5}@example.com` })
        for (const params of [
          { session_token: s.session_token },
          { session_jwt: s.session_jwt },
          { session_token: s.session_token, session_duration_minutes: 30 },
        ]) {
          const ok = await sdk.client.sessions.authenticate(params).then(
            (r) => r.user.user_id === s.user.user_id,
            (e: any) => (outcomes.b.failed.push(e.error_type), false),
          )
          if (ok) outcomes.b.ok++
        }
      }
    }
    await Promise.all([workerA(), workerB(), workerB()])
    expect(outcomes.a).toEqual({ expected: 60, unexpected: [] })
    expect(outcomes.b).toEqual({ ok: 360, failed: [] })
  }, 60_000)
})
