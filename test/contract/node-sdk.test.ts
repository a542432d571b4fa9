// The official `stytch` Node SDK against the mock on a loopback port: if this passes, the SDK
// cannot tell the mock from Stytch for these calls.
import * as stytch from 'stytch'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { startMock, type RunningMock } from '../helpers/server.js'
import { FIXTURE } from '../helpers/world.js'

let mock: RunningMock
let client: stytch.Client

beforeAll(async () => {
  mock = await startMock()
  // `env` accepts an http base URL (with a console warning); custom_base_url must be https.
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  client = new stytch.Client({
    project_id: mock.config.projectId,
    secret: mock.config.secret,
    env: `${mock.url}/`,
  })
})
afterAll(async () => {
  vi.restoreAllMocks()
  await mock.close()
})
beforeEach(() => {
  mock.clock.reset()
  mock.seen.length = 0
})

const newSession = async () => {
  // Each test gets its own session so that revokes do not leak between tests.
  const { session_token } = await mock.world.consumer.create({
    user_id: FIXTURE.adaUserId,
    duration_minutes: 60,
    authentication_factors: [
      {
        type: 'magic_link',
        delivery_method: 'email',
        email_factor: { email_id: 'email-test-1', email_address: 'ada@example.com' },
      },
    ],
  })
  return session_token
}

describe('stytch.Client sessions against the mock', () => {
  it('authenticate by session_token returns the session, token, a JWT and the user', async () => {
    const res = await client.sessions.authenticate({ session_token: FIXTURE.adaToken })
    expect(res.status_code).toBe(200)
    expect(res.session.session_id).toBe(FIXTURE.adaSessionId)
    expect(res.session_token).toBe(FIXTURE.adaToken)
    expect(res.user.user_id).toBe(FIXTURE.adaUserId)
    expect(mock.seen[0]).toMatchObject({
      method: 'POST',
      path: '/v1/sessions/authenticate',
      status: 200,
    })
    expect(mock.seen[0]!.userAgent).toMatch(/^Stytch Node v14\./)
  })

  it('authenticate by session_jwt', async () => {
    const token = await newSession()
    const { session_jwt } = await client.sessions.authenticate({ session_token: token })
    const res = await client.sessions.authenticate({ session_jwt })
    expect(res.session_token).toBe(token)
  })

  it('authenticateJwt verifies locally against the bare JWKS fetch, then makes no API call', async () => {
    const { session_jwt, session } = await client.sessions.authenticate({
      session_token: await newSession(),
    })
    mock.seen.length = 0
    const first = await client.sessions.authenticateJwt({ session_jwt })
    const second = await client.sessions.authenticateJwt({ session_jwt })
    expect(first.session.session_id).toBe(session.session_id)
    expect(second.session.user_id).toBe(FIXTURE.adaUserId)
    // At most one JWKS fetch (the SDK caches it), with jose's user agent and no credentials.
    expect(mock.seen.every((r) => r.path === `/v1/sessions/jwks/${mock.config.projectId}`)).toBe(
      true,
    )
    expect(mock.seen.length).toBeLessThanOrEqual(1)
    for (const r of mock.seen) {
      expect(r.authorization).toBeNull()
      expect(r.status).toBe(200)
    }
  })

  it('authenticateJwtLocal returns the session from the claims, custom claims round-tripping', async () => {
    const token = await newSession()
    const { session_jwt } = await client.sessions.authenticate({
      session_token: token,
      session_custom_claims: { tenant: { id: 't-1' }, tier: 'gold' },
    })
    const local = await client.sessions.authenticateJwtLocal({ session_jwt })
    expect(local.user_id).toBe(FIXTURE.adaUserId)
    expect(local.custom_claims).toEqual({ tenant: { id: 't-1' }, tier: 'gold' })
    expect(local.roles).toEqual(['stytch_user'])
    expect(local.authentication_factors[0]!.type).toBe('magic_link')
  })

  it('authenticateJwt falls back to the API once the JWT is past its 5 minutes, and gets a fresh JWT', async () => {
    const { session_jwt } = await client.sessions.authenticate({
      session_token: await newSession(),
    })
    mock.clock.advance(301)
    mock.clock.freeze() // so the fresh JWT is not minted a second after current_date
    const current_date = new Date(mock.clock.nowMs())
    await expect(
      client.sessions.authenticateJwtLocal({ session_jwt, current_date }),
    ).rejects.toMatchObject({
      code: 'jwt_invalid',
    })
    mock.seen.length = 0
    // authenticateJwt hands its params to authenticateJwtLocal, current_date included (not in its types).
    const params = { session_jwt, current_date } as { session_jwt: string }
    const res = (await client.sessions.authenticateJwt(params)) as { session_jwt: string }
    expect(mock.seen.map((r) => `${r.method} ${r.path} ${r.status}`)).toContain(
      'POST /v1/sessions/authenticate 200',
    )
    expect(res.session_jwt).not.toBe(session_jwt)
    const fresh = await client.sessions.authenticateJwtLocal({
      session_jwt: res.session_jwt,
      current_date,
    })
    expect(fresh.user_id).toBe(FIXTURE.adaUserId)
  })

  it('revoke: the API then answers session_not_found by token and by JWT, as StytchError', async () => {
    const token = await newSession()
    const { session_jwt, session } = await client.sessions.authenticate({ session_token: token })
    const revoked = await client.sessions.revoke({ session_id: session.session_id })
    expect(revoked.status_code).toBe(200)
    for (const call of [
      () => client.sessions.authenticate({ session_token: token }),
      () => client.sessions.authenticate({ session_jwt }),
    ]) {
      const err = await call().catch((e: unknown) => e)
      expect(err).toBeInstanceOf(stytch.StytchError)
      expect(err).toMatchObject({ status_code: 404, error_type: 'session_not_found' })
    }
  })

  it('get lists the user’s active sessions', async () => {
    const token = await newSession()
    const res = await client.sessions.get({ user_id: FIXTURE.adaUserId })
    const ids = res.sessions.map((s) => s.session_id)
    const { session } = await client.sessions.authenticate({ session_token: token })
    expect(ids).toContain(session.session_id)
    expect(ids).toContain(FIXTURE.adaSessionId)
  })

  it('getJWKS returns the signing keys', async () => {
    const res = await client.sessions.getJWKS({ project_id: mock.config.projectId })
    expect(res.keys.map((k) => k.kid)).toEqual([mock.world.keys.ring.active.kid])
    expect(mock.seen[0]!.authorization).toMatch(/^Basic /)
  })

  it.each([
    [{ session_token: 'INVALID' }, 400, 'invalid_session_token'],
    [{ session_token: FIXTURE.sandboxNotFoundToken }, 404, 'session_not_found'],
    [
      { session_token: FIXTURE.adaToken, session_duration_minutes: 1 },
      400,
      'invalid_session_duration_minutes',
    ],
  ])('surfaces %j as StytchError %i %s', async (params, status, type) => {
    const err = await client.sessions.authenticate(params).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(stytch.StytchError)
    expect(err).toMatchObject({ status_code: status, error_type: type })
  })

  it('wrong credentials surface as StytchError unauthorized_credentials', async () => {
    const wrong = new stytch.Client({
      project_id: mock.config.projectId,
      secret: 'secret-test-wrong',
      env: `${mock.url}/`,
    })
    const err = await wrong.sessions
      .authenticate({ session_token: FIXTURE.adaToken })
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ status_code: 401, error_type: 'unauthorized_credentials' })
  })
})

describe('users.get next to a session (the Node SDK)', () => {
  it('returns the user the session carries, and StytchError user_not_found for an unknown id', async () => {
    const auth = await client.sessions.authenticate({ session_token: FIXTURE.adaToken })
    const user = await client.users.get({ user_id: auth.session.user_id })
    expect(user.user_id).toBe(FIXTURE.adaUserId)
    expect(user.emails).toEqual(auth.user.emails)
    expect(user.status_code).toBe(200)
    const err = await client.users
      .get({ user_id: 'user-test-00000000-0000-4000-8000-00000000dead' })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(stytch.StytchError)
    expect(err).toMatchObject({ status_code: 404, error_type: 'user_not_found' })
  })
})
