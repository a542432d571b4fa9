import { decodeJwt, decodeProtectedHeader } from 'jose'
import { beforeEach, describe, expect, it } from 'vitest'
import { FIXTURE, testWorld, type TestWorld } from '../helpers/world.js'

let t: TestWorld
beforeEach(async () => {
  t = await testWorld()
  t.clock.freeze()
})

const authenticate = (body: unknown) => t.call('POST', '/v1/sessions/authenticate', { body })

describe('POST /v1/sessions/authenticate', () => {
  it('authenticates the fixture session by session_token and returns session, token, JWT and user', async () => {
    const res = await authenticate({ session_token: FIXTURE.adaToken })
    expect(res.status).toBe(200)
    expect(res.body.status_code).toBe(200)
    expect(res.body.session_token).toBe(FIXTURE.adaToken)
    expect(res.body.session.session_id).toBe(FIXTURE.adaSessionId)
    expect(res.body.user.user_id).toBe(FIXTURE.adaUserId)
    expect(res.body.user.emails[0].email).toBe('ada@example.com')
  })

  it('mints an RS256 JWT with the registered claims, the session claim and custom claims at the top level', async () => {
    const res = await authenticate({ session_token: FIXTURE.adaToken })
    const jwt = res.body.session_jwt
    const header = decodeProtectedHeader(jwt)
    expect(header).toEqual({ alg: 'RS256', kid: t.world.keys.ring.active.kid, typ: 'JWT' })
    const claims = decodeJwt(jwt)
    const now = t.clock.nowSeconds()
    expect(claims).toMatchObject({
      aud: [t.config.projectId],
      iss: `stytch.com/${t.config.projectId}`,
      sub: FIXTURE.adaUserId,
      iat: now,
      nbf: now,
      exp: now + 300,
      plan: 'pro',
    })
    expect(claims['https://stytch.com/session']).toEqual({
      id: FIXTURE.adaSessionId,
      started_at: res.body.session.started_at,
      last_accessed_at: res.body.session.last_accessed_at,
      expires_at: res.body.session.expires_at,
      attributes: res.body.session.attributes,
      authentication_factors: res.body.session.authentication_factors,
      roles: ['stytch_user'],
    })
    expect(Object.keys(claims)).toEqual([...Object.keys(claims)].sort())
  })

  it('authenticates by session_jwt, including an expired JWT of a live session, and mints a fresh one', async () => {
    const first = await authenticate({ session_token: FIXTURE.adaToken })
    t.clock.advance(301)
    const res = await authenticate({ session_jwt: first.body.session_jwt })
    expect(res.status).toBe(200)
    expect(res.body.session_token).toBe(FIXTURE.adaToken)
    expect(res.body.session_jwt).not.toBe(first.body.session_jwt)
    expect(decodeJwt(res.body.session_jwt).iat).toBe(t.clock.nowSeconds())
  })

  it('updates last_accessed_at and extends expires_at only when session_duration_minutes is given', async () => {
    const before = await authenticate({ session_token: FIXTURE.adaToken })
    t.clock.advance(60)
    const touched = await authenticate({ session_token: FIXTURE.adaToken })
    expect(touched.body.session.expires_at).toBe(before.body.session.expires_at)
    expect(Date.parse(touched.body.session.last_accessed_at)).toBe(t.clock.nowSeconds() * 1000)
    const extended = await authenticate({
      session_token: FIXTURE.adaToken,
      session_duration_minutes: 30,
    })
    expect(Date.parse(extended.body.session.expires_at)).toBe((t.clock.nowSeconds() + 1800) * 1000)
  })

  it('answers 404 session_not_found once the session has expired', async () => {
    await authenticate({ session_token: FIXTURE.adaToken, session_duration_minutes: 5 })
    t.clock.advance(5 * 60)
    const res = await authenticate({ session_token: FIXTURE.adaToken })
    expect(res.status).toBe(404)
    expect(res.body.error_type).toBe('session_not_found')
  })

  it('merges session_custom_claims: new keys added, nested objects merged, null deletes', async () => {
    await authenticate({
      session_token: FIXTURE.adaToken,
      session_custom_claims: { org: { a: 1, b: 2 }, k: 'v' },
    })
    const res = await authenticate({
      session_token: FIXTURE.adaToken,
      session_custom_claims: { org: { b: null, c: 3 }, plan: null },
    })
    expect(res.body.session.custom_claims).toEqual({ org: { a: 1, c: 3 }, k: 'v' })
    const claims = decodeJwt(res.body.session_jwt)
    expect(claims.org).toEqual({ a: 1, c: 3 })
    expect(claims.plan).toBeUndefined()
  })

  it.each([
    [{ iss: 'x' }, 'reserved_claims_in_custom_claims'],
    [{ jti: 'x' }, 'reserved_claims_in_custom_claims'],
    [{ 'https://stytch.com/session': {} }, 'stytch_claims_in_custom_claims'],
    [{ big: 'x'.repeat(5000) }, 'custom_claims_too_large'],
  ])(
    'rejects custom claims %j with 400 %s and leaves the session unchanged',
    async (claims, type) => {
      const res = await authenticate({
        session_token: FIXTURE.adaToken,
        session_custom_claims: claims,
      })
      expect(res.status).toBe(400)
      expect(res.body.error_type).toBe(type)
      const after = await authenticate({ session_token: FIXTURE.adaToken })
      expect(after.body.session.custom_claims).toEqual({ plan: 'pro' })
    },
  )

  it.each([
    [{}, 400, 'no_session_arguments'],
    [{ session_token: FIXTURE.adaToken, session_jwt: 'a.b.c' }, 400, 'too_many_session_arguments'],
    [{ session_token: 'INVALID' }, 400, 'invalid_session_token'],
    [{ session_token: FIXTURE.sandboxNotFoundToken }, 404, 'session_not_found'],
    [
      { session_token: FIXTURE.adaToken, session_duration_minutes: 4 },
      400,
      'invalid_session_duration_minutes',
    ],
    [
      { session_token: FIXTURE.adaToken, session_duration_minutes: 527041 },
      400,
      'invalid_session_duration_minutes',
    ],
    [{ session_token: FIXTURE.adaToken, session_duration_minutes: '30' }, 400, 'invalid_argument'],
    [{ session_token: FIXTURE.adaToken, session_duration_minutes: 30.5 }, 400, 'invalid_argument'],
    [{ session_token: 42 }, 400, 'invalid_argument'],
    [{ session_token: FIXTURE.adaToken, session_custom_claims: [1] }, 400, 'invalid_argument'],
    [{ session_jwt: 'not-a-jwt' }, 400, 'unable_to_parse_session_jwt'],
    [
      {
        session_token: FIXTURE.adaToken,
        authorization_check: { resource_id: 'documents', action: 'delete' },
      },
      403,
      'consumer_session_authorization_error',
    ],
    [
      { session_token: FIXTURE.adaToken, authorization_check: { resource_id: 'documents' } },
      400,
      'invalid_argument',
    ],
  ])('answers %j with %i %s', async (body, status, type) => {
    const res = await authenticate(body)
    expect(res.status).toBe(status)
    expect(res.body).toMatchObject({ status_code: status, error_type: type })
    expect(res.body.error_url).toBe(`https://stytch.com/docs/api/errors/${status}#${type}`)
  })

  it('answers unparseable JSON and non-object bodies with 400 bad_request', async () => {
    for (const raw of ['{"session_token":', '[1,2]', 'null', '"str"', 'not json']) {
      const res = await t.call('POST', '/v1/sessions/authenticate', {
        raw,
        headers: { 'content-type': 'application/json' },
      })
      expect(res.status, raw).toBe(400)
      expect(res.body.error_type, raw).toBe('bad_request')
    }
  })

  it('answers authorization_check from the session roles and the fixtures RBAC policy with a verdict', async () => {
    const res = await authenticate({
      session_token: FIXTURE.adaToken,
      authorization_check: { resource_id: 'documents', action: 'read' },
    })
    expect(res.status).toBe(200)
    expect(res.body.verdict).toEqual({ authorized: true, granting_roles: ['stytch_user'] })
  })

  it('authenticates the Stytch sandbox session token as the test environment does', async () => {
    const res = await authenticate({ session_token: FIXTURE.sandboxToken })
    expect(res.status).toBe(200)
    expect(res.body.session.user_id).toBe(FIXTURE.sandboxUserId)
    expect(res.body.session.started_at).toBe('2021-08-28T00:41:58.935673Z')
  })
})

describe('POST /v1/sessions/revoke', () => {
  it.each(['session_id', 'session_token', 'session_jwt'] as const)(
    'revokes by %s, after which every token of the session fails at once',
    async (by) => {
      const auth = await authenticate({ session_token: FIXTURE.adaToken })
      const value = {
        session_id: FIXTURE.adaSessionId,
        session_token: FIXTURE.adaToken,
        session_jwt: auth.body.session_jwt,
      }[by]
      const res = await t.call('POST', '/v1/sessions/revoke', { body: { [by]: value } })
      expect(res.status).toBe(200)
      expect(res.body.status_code).toBe(200)
      for (const body of [
        { session_token: FIXTURE.adaToken },
        { session_jwt: auth.body.session_jwt },
      ]) {
        const after = await authenticate(body)
        expect(after.status).toBe(404)
        expect(after.body.error_type).toBe('session_not_found')
      }
      const again = await t.call('POST', '/v1/sessions/revoke', {
        body: { session_id: FIXTURE.adaSessionId },
      })
      expect(again.body.error_type).toBe('session_not_found')
    },
  )

  it.each([
    [{}, 'no_session_revoke_arguments'],
    [
      { session_id: FIXTURE.adaSessionId, session_token: FIXTURE.adaToken },
      'too_many_session_revoke_arguments',
    ],
    [{ session_id: 'nope' }, 'invalid_session_id'],
    [{ session_token: 'short' }, 'invalid_session_token'],
  ])('answers %j with 400 %s', async (body, type) => {
    const res = await t.call('POST', '/v1/sessions/revoke', { body })
    expect(res.status).toBe(400)
    expect(res.body.error_type).toBe(type)
  })
})

describe('GET /v1/sessions', () => {
  it('lists the active sessions of a user, by user_id or external_id', async () => {
    const byId = await t.call('GET', `/v1/sessions?user_id=${FIXTURE.adaUserId}`)
    expect(byId.status).toBe(200)
    expect(byId.body.sessions.map((s: { session_id: string }) => s.session_id)).toEqual([
      FIXTURE.adaSessionId,
    ])
    const byExternal = await t.call('GET', '/v1/sessions?user_id=ada-external-1')
    expect(byExternal.body.sessions).toHaveLength(1)
  })

  it('leaves out revoked and expired sessions', async () => {
    await t.call('POST', '/v1/sessions/revoke', { body: { session_token: FIXTURE.adaToken } })
    const res = await t.call('GET', `/v1/sessions?user_id=${FIXTURE.adaUserId}`)
    expect(res.body.sessions).toEqual([])
  })

  it('answers a missing user_id with 400 and an unknown user with 404 user_not_found', async () => {
    expect((await t.call('GET', '/v1/sessions')).body.error_type).toBe('invalid_user_id')
    const unknown = await t.call(
      'GET',
      '/v1/sessions?user_id=user-test-00000000-0000-4000-8000-000000000000',
    )
    expect(unknown.status).toBe(404)
    expect(unknown.body.error_type).toBe('user_not_found')
  })
})

describe('authentication and unknown routes', () => {
  it.each([
    [false, 401, 'unauthorized_credentials'],
    [
      'Basic ' + Buffer.from('project-test-x:wrong').toString('base64'),
      401,
      'unauthorized_credentials',
    ],
    ['Bearer abc', 400, 'invalid_authorization_header'],
    ['Basic !!!', 400, 'invalid_authorization_header'],
  ] as const)('answers Authorization %s with %i %s', async (auth, status, type) => {
    const res = await t.call('POST', '/v1/sessions/authenticate', {
      auth,
      body: { session_token: FIXTURE.adaToken },
    })
    expect(res.status).toBe(status)
    expect(res.body.error_type).toBe(type)
  })

  it('rejects the right project id with a wrong secret', async () => {
    const auth =
      'Basic ' + Buffer.from(`${t.config.projectId}:${t.config.secret}x`).toString('base64')
    const res = await t.call('GET', `/v1/sessions?user_id=${FIXTURE.adaUserId}`, { auth })
    expect(res.status).toBe(401)
  })

  it.each([
    ['GET', '/v1/users'],
    ['POST', '/v1/sessions/nope'],
    ['DELETE', '/v1/sessions/authenticate'],
    ['GET', '/'],
  ])('answers %s %s with a Stytch-shaped 404 route_not_found', async (method, path) => {
    const res = await t.call(method, path)
    expect(res.status).toBe(404)
    expect(res.body.error_type).toBe('route_not_found')
  })

  it('answers a body over 1 MiB with 413 in the envelope', async () => {
    const raw = JSON.stringify({ session_token: FIXTURE.adaToken, pad: 'x'.repeat(1024 * 1024) })
    const res = await t.call('POST', '/v1/sessions/authenticate', {
      raw,
      headers: { 'content-type': 'application/json' },
    })
    expect(res.status).toBe(413)
    expect(res.body.error_type).toBe('request_too_large')
  })
})
