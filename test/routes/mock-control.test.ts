import { decodeJwt, decodeProtectedHeader } from 'jose'
import { beforeEach, describe, expect, it } from 'vitest'
import { FIXTURE, testWorld, type TestWorld } from '../helpers/world.js'

let t: TestWorld
beforeEach(async () => {
  t = await testWorld()
})

const authenticate = (body: object) => t.call('POST', '/v1/sessions/authenticate', { body })
const jwks = async () =>
  (await t.call('GET', `/v1/sessions/jwks/${t.config.projectId}`, { auth: false })).body.keys as {
    kid: string
  }[]

describe('GET /_mock/health', () => {
  it('answers without credentials', async () => {
    const res = await t.call('GET', '/_mock/health', { auth: false })
    expect(res.status).toBe(200)
    expect(res.body.status).toBe('ok')
  })
})

describe('/_mock/clock', () => {
  it('moves virtual time: JWT iat and session expiry follow it', async () => {
    const created = await t.call('POST', '/_mock/sessions', {
      body: { email: 'clock@example.com', session_duration_minutes: 60 },
    })
    const moved = await t.call('POST', '/_mock/clock', {
      body: { advance_seconds: 3600 - 10, freeze: true },
    })
    expect(moved.body.offset_seconds).toBe(3590)
    const alive = await authenticate({ session_token: created.body.session_token })
    expect(decodeJwt(alive.body.session_jwt).iat).toBe(moved.body.now_unix)
    await t.call('POST', '/_mock/clock', { body: { advance_seconds: 10 } })
    expect(
      (await authenticate({ session_token: created.body.session_token })).body.error_type,
    ).toBe('session_not_found')
  })

  it('jumps to an instant (RFC 3339 or Unix seconds), freezes, and resets to real time', async () => {
    const at = await t.call('POST', '/_mock/clock', {
      body: { now: '2030-01-01T00:00:00Z', freeze: true },
    })
    expect(at.body).toMatchObject({
      now: '2030-01-01T00:00:00.000Z',
      now_unix: 1893456000,
      frozen: true,
    })
    const unix = await t.call('POST', '/_mock/clock', { body: { now: 1893456100, freeze: true } })
    expect(unix.body.now_unix).toBe(1893456100)
    expect((await t.call('GET', '/_mock/clock')).body.now_unix).toBe(1893456100)
    const reset = await t.call('POST', '/_mock/clock', { body: { reset: true } })
    expect(reset.body.offset_seconds).toBe(0)
    expect(reset.body.frozen).toBe(false)
  })

  it.each([
    [{}],
    [{ advance_seconds: 1, reset: true }],
    [{ now: 'tomorrow' }],
    [{ advance_seconds: '5' }],
    [{ advance_seconds: 1e308 }],
    [{ advance_seconds: -1e12 }],
    [{ now: -1e20 }],
    [{ now: '10000-01-01T00:00:00Z' }],
  ])('answers %j with 400 invalid_argument', async (body) => {
    const res = await t.call('POST', '/_mock/clock', { body })
    expect(res.status).toBe(400)
    expect(res.body.error_type).toBe('invalid_argument')
    // The clock did not move, and the API still answers.
    expect((await t.call('GET', '/_mock/clock')).body.offset_seconds).toBe(0)
    expect(
      (
        await t.call('POST', '/v1/sessions/authenticate', {
          body: { session_token: FIXTURE.adaToken },
        })
      ).status,
    ).toBe(200)
  })
})

describe('/_mock/keys', () => {
  it('rotates: the new key signs, the old stays in the JWKS so earlier JWTs still authenticate, until retired', async () => {
    const before = await authenticate({ session_token: FIXTURE.adaToken })
    const oldKid = decodeProtectedHeader(before.body.session_jwt).kid
    const rotated = await t.call('POST', '/_mock/keys/rotate')
    expect(rotated.body.keys.map((k: { state: string }) => k.state)).toEqual(['previous', 'active'])
    expect((await jwks()).map((k) => k.kid)).toEqual(
      rotated.body.keys.map((k: { kid: string }) => k.kid),
    )
    const after = await authenticate({ session_jwt: before.body.session_jwt })
    expect(after.status).toBe(200)
    expect(decodeProtectedHeader(after.body.session_jwt).kid).not.toBe(oldKid)

    const retired = await t.call('POST', '/_mock/keys/retire')
    expect(retired.body.keys).toHaveLength(1)
    expect((await jwks()).map((k) => k.kid)).not.toContain(oldKid)
    const stale = await authenticate({ session_jwt: before.body.session_jwt })
    expect(stale.status).toBe(400)
    expect(stale.body.error_type).toBe('unable_to_parse_session_jwt')
    expect((await authenticate({ session_jwt: after.body.session_jwt })).status).toBe(200)
  })
})

describe('/_mock/faults', () => {
  it('fails the next matching call with a Stytch error, then serves normally', async () => {
    const added = await t.call('POST', '/_mock/faults', {
      body: { method: 'POST', path: '/v1/sessions/authenticate', status: 429 },
    })
    expect(added.body.fault).toMatchObject({
      status: 429,
      error_type: 'too_many_requests',
      remaining: 1,
    })
    const failed = await authenticate({ session_token: FIXTURE.adaToken })
    expect(failed.status).toBe(429)
    expect(failed.body.error_type).toBe('too_many_requests')
    expect((await authenticate({ session_token: FIXTURE.adaToken })).status).toBe(200)
    expect((await t.call('GET', '/_mock/faults')).body.faults).toEqual([])
  })

  it('matches path prefixes and methods, repeats with times: -1 until cleared, and derives the status from error_type', async () => {
    await t.call('POST', '/_mock/faults', {
      body: { path: '/v1/sessions/jwks/*', error_type: 'internal_server_error', times: -1 },
    })
    for (let i = 0; i < 3; i++) {
      const res = await t.call('GET', `/v1/sessions/jwks/${t.config.projectId}`, { auth: false })
      expect(res.status).toBe(500)
    }
    await t.call('POST', '/_mock/faults', {
      body: { method: 'GET', path: '/v1/sessions/authenticate', status: 503 },
    })
    expect((await authenticate({ session_token: FIXTURE.adaToken })).status).toBe(200)
    await t.call('DELETE', '/_mock/faults')
    expect(
      (await t.call('GET', `/v1/sessions/jwks/${t.config.projectId}`, { auth: false })).status,
    ).toBe(200)
  })

  it('stalls a call by delay_ms before answering it normally', async () => {
    await t.call('POST', '/_mock/faults', {
      body: { path: '/v1/sessions/authenticate', delay_ms: 150 },
    })
    const started = Date.now()
    const res = await authenticate({ session_token: FIXTURE.adaToken })
    expect(res.status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
  })

  it.each([
    [{ status: 429 }],
    [{ path: 'v1', status: 429 }],
    [{ path: '/v1/*' }],
    [{ path: '/v1/*', status: 200 }],
    [{ path: '/v1/*', error_type: 'nope' }],
    [{ path: '/v1/*', status: 500, times: 0 }],
  ])('rejects %j with 400 invalid_argument', async (body) => {
    const res = await t.call('POST', '/_mock/faults', { body })
    expect(res.status).toBe(400)
    expect(res.body.error_type).toBe('invalid_argument')
  })
})

describe('/_mock/requests', () => {
  it('journals API calls with status, error_type, times and the session and user', async () => {
    await authenticate({ session_token: FIXTURE.adaToken })
    await authenticate({ session_token: FIXTURE.sandboxNotFoundToken })
    await t.call('GET', `/v1/sessions/jwks/${t.config.projectId}`, { auth: false })
    await t.call('GET', '/_mock/clock')
    const all = (await t.call('GET', '/_mock/requests')).body.requests
    expect(all.map((r: { path: string }) => r.path)).toEqual([
      '/v1/sessions/authenticate',
      '/v1/sessions/authenticate',
      `/v1/sessions/jwks/${t.config.projectId}`,
    ])
    expect(all[0]).toMatchObject({
      method: 'POST',
      status: 200,
      error_type: null,
      session_id: FIXTURE.adaSessionId,
      user_id: FIXTURE.adaUserId,
    })
    expect(all[1]).toMatchObject({ status: 404, error_type: 'session_not_found', session_id: null })
    const jwksOnly = (await t.call('GET', '/_mock/requests?path=/v1/sessions/jwks/*')).body.requests
    expect(jwksOnly).toHaveLength(1)
    expect((await t.call('GET', '/_mock/requests?limit=1')).body.requests[0].path).toMatch(/jwks/)
    await t.call('DELETE', '/_mock/requests')
    expect((await t.call('GET', '/_mock/requests')).body.requests).toEqual([])
  })

  it('records virtual time beside wall time', async () => {
    await t.call('POST', '/_mock/clock', { body: { advance_seconds: 86400 } })
    await authenticate({ session_token: FIXTURE.adaToken })
    const [entry] = (await t.call('GET', '/_mock/requests')).body.requests
    expect(Date.parse(entry.virtual_time) - Date.parse(entry.wall_time)).toBeGreaterThan(86399_000)
  })

  it('rejects a bad limit', async () => {
    expect((await t.call('GET', '/_mock/requests?limit=0')).body.error_type).toBe(
      'invalid_argument',
    )
  })
})

describe('/_mock/reset and /_mock/snapshots', () => {
  const state = async () => ({
    ada: (await t.call('GET', `/v1/sessions?user_id=${FIXTURE.adaUserId}`)).body.sessions,
    grace: (
      await t.call(
        'GET',
        `/v1/b2b/sessions?organization_id=acme&member_id=${FIXTURE.acme.member_id}`,
      )
    ).body.member_sessions,
    keys: await jwks(),
  })

  it('reset returns to the fixture state: revoked fixtures back, created sessions, faults, rotated keys and clock gone', async () => {
    const created = await t.call('POST', '/_mock/sessions', {
      body: { user_id: FIXTURE.adaUserId },
    })
    await t.call('POST', '/v1/sessions/revoke', { body: { session_token: FIXTURE.adaToken } })
    await t.call('POST', '/v1/b2b/sessions/revoke', { body: { member_id: FIXTURE.acme.member_id } })
    await t.call('POST', '/_mock/keys/rotate')
    await t.call('POST', '/_mock/clock', { body: { advance_seconds: 999 } })
    await t.call('POST', '/_mock/faults', { body: { path: '/v1/*', status: 500, times: -1 } })
    expect((await t.call('POST', '/_mock/reset')).status).toBe(200)
    expect((await t.call('GET', '/_mock/requests')).body.requests).toEqual([])
    expect((await t.call('GET', '/_mock/clock')).body.offset_seconds).toBe(0)
    expect((await t.call('GET', '/_mock/faults')).body.faults).toEqual([])
    expect((await t.call('GET', '/_mock/keys')).body.keys).toHaveLength(1)
    expect((await authenticate({ session_token: FIXTURE.adaToken })).status).toBe(200)
    expect((await authenticate({ session_token: created.body.session_token })).status).toBe(404)
    expect(
      (
        await t.call('POST', '/v1/b2b/sessions/authenticate', {
          body: { session_token: FIXTURE.graceToken },
        })
      ).status,
    ).toBe(200)
  })

  it('restores a snapshot to exactly the saved state, keys and clock included', async () => {
    await t.call('POST', '/_mock/sessions', { body: { user_id: FIXTURE.adaUserId } })
    await t.call('POST', '/_mock/keys/rotate')
    await t.call('POST', '/_mock/clock', { body: { now: '2031-05-05T00:00:00Z', freeze: true } })
    const saved = await state()
    const { snapshot_id } = (await t.call('POST', '/_mock/snapshots')).body
    expect(snapshot_id).toMatch(/^snapshot-/)

    await t.call('POST', '/v1/sessions/revoke', { body: { session_token: FIXTURE.adaToken } })
    await t.call('POST', '/_mock/b2b/sessions', {
      body: { organization_slug: 'acme', member_id: FIXTURE.acme.member_id },
    })
    await t.call('POST', '/_mock/keys/retire')
    await t.call('POST', '/_mock/clock', { body: { reset: true } })
    expect(await state()).not.toEqual(saved)

    expect((await t.call('POST', `/_mock/snapshots/${snapshot_id}/restore`)).status).toBe(200)
    expect(await state()).toEqual(saved)
    expect((await t.call('GET', '/_mock/clock')).body.now).toBe('2031-05-05T00:00:00.000Z')
  })

  it('answers an unknown snapshot with 404 snapshot_not_found', async () => {
    const res = await t.call('POST', '/_mock/snapshots/snapshot-nope/restore')
    expect(res.status).toBe(404)
    expect(res.body.error_type).toBe('snapshot_not_found')
  })
})
