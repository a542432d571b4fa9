// /sdk/v1 OAuth authenticate as @stytch/vanilla-js sends it (bodies from its source, see
// openapi.yaml): `session` as the SDK reads it, a stale session or intermediate session sent
// along, and HttpOnly cookies; and the start routes' public token.
import { beforeEach, describe, expect, it } from 'vitest'
import { basicHeader, FIXTURE, ORIGIN, testWorld, type TestWorld } from '../helpers/world.js'

let t: TestWorld
beforeEach(async () => {
  t = await testWorld()
})

const consumer = (token?: string) =>
  basicHeader(t.config.publicToken, token ?? t.config.publicToken)
const b2b = (token?: string) =>
  basicHeader(t.config.b2bPublicToken, token ?? t.config.b2bPublicToken)
const sdk = (path: string, auth: string, body: unknown, headers: Record<string, string> = {}) =>
  t.call('POST', `/sdk/v1${path}`, { auth, body, headers: { origin: ORIGIN, ...headers } })

/** A token as the consent page would hand it over, for this start. */
async function token(path: string, query: Record<string, string>, email: string) {
  await t.call('POST', '/_mock/oauth/answers', { body: { email } })
  const started = await t.call('GET', `${path}?${new URLSearchParams(query)}`, { auth: false })
  expect(started.status).toBe(302)
  return new URL(started.headers.get('location')!).searchParams.get('token')!
}
const googleToken = (email = 'ada@example.com') =>
  token('/v1/public/oauth/google/start', { public_token: t.config.publicToken }, email)

describe('OAuth from the browser', () => {
  it('consumer: `session` as the SDK reads it; a stale session sent along is ignored', async () => {
    const auth = await sdk('/oauth/authenticate', consumer('x'.repeat(44)), {
      token: await googleToken(),
      session_duration_minutes: 30,
    })
    expect(auth.status, JSON.stringify(auth.body)).toBe(200)
    expect(auth.body.data.session.session_id).toMatch(/^session-test-/)
    expect(auth.body.data.user_session).toEqual(auth.body.data.session)
    expect(auth.body.data.user.user_id).toBe(FIXTURE.adaUserId)
    // The SDK's own session then gets the next factor.
    const again = await sdk('/oauth/authenticate', consumer(auth.body.data.session_token), {
      token: await token(
        '/v1/public/oauth/github/start',
        { public_token: t.config.publicToken },
        'ada@example.com',
      ),
      session_duration_minutes: 30,
    })
    expect(again.body.data.session.session_id).toBe(auth.body.data.session.session_id)
  })

  it('consumer, HttpOnly mode: the tokens only in cookies', async () => {
    t = await testWorld({ STYTCH_MOCK_HTTPONLY_COOKIES: 'true' })
    const auth = await sdk('/oauth/authenticate', consumer(), {
      token: await googleToken(),
      session_duration_minutes: 30,
    })
    expect(auth.body.data.session_token).toBe('')
    expect(auth.headers.get('set-cookie')).toMatch(/stytch_session=[A-Za-z0-9_-]{44};.*HttpOnly/)
  })

  it('B2B: an MFA organization hands over an intermediate session; discovery lists organizations', async () => {
    t = await testWorld({ STYTCH_MOCK_HTTPONLY_COOKIES: 'true' })
    const member = await sdk('/b2b/oauth/authenticate', b2b(), {
      oauth_token: await token(
        '/v1/b2b/public/oauth/google/start',
        { public_token: t.config.b2bPublicToken, slug: 'initech' },
        'grace@example.com',
      ),
      session_duration_minutes: 30,
    })
    expect(member.status, JSON.stringify(member.body)).toBe(200)
    expect(member.body.data.member_authenticated).toBe(false)
    expect(member.body.data.intermediate_session_token).toBe('')
    expect(member.headers.get('set-cookie')).toMatch(
      /stytch_intermediate_session_token=[A-Za-z0-9_-]{44}/,
    )
    const found = await sdk('/b2b/oauth/discovery/authenticate', b2b(), {
      discovery_oauth_token: await token(
        '/v1/b2b/public/oauth/microsoft/discovery/start',
        { public_token: t.config.b2bPublicToken },
        'grace@example.com',
      ),
    })
    expect(found.status, JSON.stringify(found.body)).toBe(200)
    expect(found.body.data).toMatchObject({
      email_address: 'grace@example.com',
      intermediate_session_token: '',
      provider_type: 'Microsoft',
    })
    expect(found.body.data.discovered_organizations).toHaveLength(3)
  })

  it('the wrong public token: for the start, and for authenticate', async () => {
    const start = await t.call(
      'GET',
      `/v1/b2b/public/oauth/google/discovery/start?public_token=${t.config.publicToken}`,
      { auth: false },
    )
    expect(start.body.error_type).toBe('invalid_b2b_endpoint')
    const auth = await sdk('/b2b/oauth/discovery/authenticate', consumer(), {
      discovery_oauth_token: 'x'.repeat(44),
    })
    expect(auth.body.error_type).toBe('invalid_b2b_endpoint')
    // A start needs no Basic auth, but the backend authenticate does.
    const backend = await t.call('POST', '/v1/oauth/authenticate', {
      auth: false,
      body: { token: 'x'.repeat(44) },
    })
    expect(backend.status).toBe(401)
  })
})
