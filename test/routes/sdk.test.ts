import { beforeEach, describe, expect, it } from 'vitest'
import { basicHeader, FIXTURE, ORIGIN, testWorld, type TestWorld } from '../helpers/world.js'

let t: TestWorld
beforeEach(async () => {
  t = await testWorld()
})

const basic = basicHeader
const consumer = (token?: string) => basic(t.config.publicToken, token ?? t.config.publicToken)
const b2b = (token?: string) => basic(t.config.b2bPublicToken, token ?? t.config.b2bPublicToken)
const sdk = (
  path: string,
  auth: string | false,
  options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
) =>
  t.call('POST', `/sdk/v1${path}`, {
    auth,
    headers: { origin: ORIGIN, 'content-type': 'application/json', ...options.headers },
    ...options,
  })

describe('GET /sdk/v1/projects/bootstrap/{public_token}', () => {
  it.each([
    ['consumer', () => t.config.publicToken, 'CONSUMER'],
    ['B2B', () => t.config.b2bPublicToken, 'B2B'],
  ])(
    'answers the %s public token with its vertical, wrapped in data',
    async (_, token, vertical) => {
      const res = await t.call('GET', `/sdk/v1/projects/bootstrap/${token()}`, {
        auth: consumer(),
        headers: { origin: ORIGIN },
      })
      expect(res.status).toBe(200)
      expect(res.body.data).toMatchObject({
        vertical,
        captcha_settings: { enabled: false },
        password_config: null,
        status_code: 200,
      })
      // The fixtures' policy, a `*` resource spelled out as the resources it names; a B2B
      // project's also holds Stytch's built-in resources, which its default roles grant.
      const policy = res.body.data.rbac_policy as {
        resources: { resource_id: string; actions: string[] }[]
        roles: { role_id: string; permissions: { resource_id: string; actions: string[] }[] }[]
      }
      const builtins = [
        'stytch.organization',
        'stytch.member',
        'stytch.sso',
        'stytch.scim',
        'stytch.self',
      ]
      expect(policy.resources.map((r) => r.resource_id)).toEqual(
        vertical === 'B2B' ? [...builtins, 'documents'] : ['documents'],
      )
      expect(policy.resources.at(-1)).toEqual({
        resource_id: 'documents',
        description: '',
        actions: ['read'],
      })
      const admin = policy.roles.find((r) => r.role_id === 'stytch_admin')!
      expect(admin.permissions).toEqual([
        ...(vertical === 'B2B' ? builtins.map((id) => ({ resource_id: id, actions: ['*'] })) : []),
        { resource_id: 'documents', actions: ['*'] },
      ])
      const member = policy.roles.find((r) => r.role_id === 'stytch_member')!
      expect(member.permissions).toEqual([
        ...(vertical === 'B2B' ? [{ resource_id: 'stytch.self', actions: ['*'] }] : []),
        { resource_id: 'documents', actions: ['read'] },
      ])
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
      expect(res.headers.get('access-control-allow-credentials')).toBe('true')
    },
  )

  it('PKCE and organization creation follow their settings', async () => {
    const bootstrap = async () =>
      (
        await t.call('GET', `/sdk/v1/projects/bootstrap/${t.config.b2bPublicToken}`, {
          auth: false,
          headers: { origin: ORIGIN },
        })
      ).body.data
    expect(await bootstrap()).toMatchObject({
      pkce_required_for_oauth: false,
      pkce_required_for_email_magic_links: false,
      create_organization_enabled: false,
    })
    t = await testWorld({ STYTCH_MOCK_PKCE: 'true', STYTCH_MOCK_CREATE_ORGANIZATIONS: 'true' })
    expect(await bootstrap()).toMatchObject({
      pkce_required_for_oauth: true,
      pkce_required_for_email_magic_links: true,
      create_organization_enabled: true,
    })
  })

  it('answers an unknown public token with 401 unauthorized_credentials, CORS headers included', async () => {
    const res = await t.call('GET', '/sdk/v1/projects/bootstrap/public-token-test-nope', {
      auth: false,
      headers: { origin: ORIGIN },
    })
    expect(res.status).toBe(401)
    expect(res.body.error_type).toBe('unauthorized_credentials')
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
  })
})

describe('CORS', () => {
  it('answers preflights with 204, reflecting the origin and allowing the SDK headers', async () => {
    const res = await t.app.request('/sdk/v1/sessions/authenticate', {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers':
          'authorization,content-type,x-sdk-client,x-sdk-parent-host',
      },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(res.headers.get('access-control-allow-credentials')).toBe('true')
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'x-sdk-parent-host',
    )
    expect(res.headers.get('access-control-allow-methods')).toContain('POST')
  })

  it('puts no CORS headers on the backend API or the control API', async () => {
    for (const path of ['/v1/sessions/authenticate', '/_mock/sessions']) {
      const res = await t.call('POST', path, { body: {}, headers: { origin: ORIGIN } })
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull()
    }
  })

  it('refuses origins outside STYTCH_MOCK_ALLOWED_ORIGINS with a readable 403 bad_domain_for_stytch_sdk', async () => {
    t = await testWorld({
      STYTCH_MOCK_ALLOWED_ORIGINS: 'http://localhost:3000,https://app.example.com',
    })
    const allowed = await sdk('/sessions/authenticate', consumer(FIXTURE.adaToken), { body: {} })
    expect(allowed.status).toBe(200)
    const refused = await sdk('/sessions/authenticate', consumer(FIXTURE.adaToken), {
      body: {},
      headers: { origin: 'http://evil.example' },
    })
    expect(refused.status).toBe(403)
    expect(refused.body.error_type).toBe('bad_domain_for_stytch_sdk')
    expect(refused.headers.get('access-control-allow-origin')).toBe('http://evil.example')
  })
})

describe('POST /sdk/v1/sessions/authenticate and revoke', () => {
  it('authenticates the session in the Basic password, wrapped in data, extending with a duration', async () => {
    const res = await sdk('/sessions/authenticate', consumer(FIXTURE.adaToken), {
      body: { session_duration_minutes: 30 },
    })
    expect(res.status).toBe(200)
    expect(res.body.data).toMatchObject({
      status_code: 200,
      user_id: FIXTURE.adaUserId,
      session_token: FIXTURE.adaToken,
    })
    expect(res.body.data.session.session_id).toBe(FIXTURE.adaSessionId)
    expect(res.body.data.session_jwt).toMatch(/^eyJ/)
  })

  it('falls back to the stytch_session cookie when the password is the public token', async () => {
    const res = await sdk('/sessions/authenticate', consumer(), {
      raw: '',
      headers: { cookie: `stytch_session=${FIXTURE.adaToken}` },
    })
    expect(res.status).toBe(200)
    expect(res.body.data.user_id).toBe(FIXTURE.adaUserId)
  })

  it.each([
    ['no session at all', () => consumer(), 401, 'unauthorized_credentials'],
    [
      'an unknown public token',
      () => basic('public-token-test-nope', FIXTURE.adaToken),
      401,
      'unauthorized_credentials',
    ],
    ['no Authorization header', () => false as const, 401, 'unauthorized_credentials'],
    ['the B2B public token', () => b2b(FIXTURE.adaToken), 400, 'invalid_consumer_endpoint'],
    [
      'an unknown session token',
      () => consumer(FIXTURE.sandboxNotFoundToken),
      404,
      'session_not_found',
    ],
  ])('answers %s with %i %s as top-level JSON', async (_, auth, status, type) => {
    const res = await sdk('/sessions/authenticate', auth(), { body: {} })
    expect(res.status).toBe(status)
    expect(res.body.error_type).toBe(type)
    expect(res.body.data).toBeUndefined()
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
  })

  it('revokes the caller’s session with an empty body; the backend then answers session_not_found', async () => {
    const res = await sdk('/sessions/revoke', consumer(FIXTURE.adaToken), { raw: '' })
    expect(res.status).toBe(200)
    expect(res.body.data).toMatchObject({ status_code: 200 })
    const backend = await t.call('POST', '/v1/sessions/authenticate', {
      body: { session_token: FIXTURE.adaToken },
    })
    expect(backend.body.error_type).toBe('session_not_found')
  })

  it('sees a revoke made through the backend API', async () => {
    await t.call('POST', '/v1/sessions/revoke', { body: { session_token: FIXTURE.adaToken } })
    const res = await sdk('/sessions/authenticate', consumer(FIXTURE.adaToken), { body: {} })
    expect(res.body.error_type).toBe('session_not_found')
  })

  it('accepts telemetry events without credentials', async () => {
    const res = await sdk('/events', false, {
      body: [{ telemetry: {}, event: { event_name: 'sdk_instance_instantiated' } }],
    })
    expect(res.status).toBe(200)
  })
})

describe('HttpOnly mode', () => {
  beforeEach(async () => {
    t = await testWorld({ STYTCH_MOCK_HTTPONLY_COOKIES: 'true' })
  })

  it('returns empty tokens and sets HttpOnly cookies that later calls use; revoke clears them', async () => {
    const res = await sdk('/sessions/authenticate', consumer(FIXTURE.adaToken), { body: {} })
    expect(res.body.data.session_token).toBe('')
    expect(res.body.data.session_jwt).toBe('')
    const cookies = res.headers.getSetCookie()
    expect(cookies.find((c) => c.startsWith(`stytch_session=${FIXTURE.adaToken}`))).toMatch(
      /HttpOnly/,
    )
    expect(cookies.find((c) => c.startsWith('stytch_session_jwt=eyJ'))).toMatch(/SameSite=Lax/)
    const jar = cookies.map((c) => c.split(';')[0]).join('; ')

    const again = await sdk('/sessions/authenticate', consumer(), {
      body: {},
      headers: { cookie: jar },
    })
    expect(again.body.data.user_id).toBe(FIXTURE.adaUserId)
    const revoked = await sdk('/sessions/revoke', consumer(), { raw: '', headers: { cookie: jar } })
    expect(
      revoked.headers
        .getSetCookie()
        .some((c) => c.startsWith('stytch_session=;') && /Max-Age=0/.test(c)),
    ).toBe(true)
    expect(
      (await sdk('/sessions/authenticate', consumer(), { body: {}, headers: { cookie: jar } })).body
        .error_type,
    ).toBe('session_not_found')
  })

  it('authenticates from the JWT cookie alone', async () => {
    const backend = await t.call('POST', '/v1/sessions/authenticate', {
      body: { session_token: FIXTURE.adaToken },
    })
    const res = await sdk('/sessions/authenticate', consumer(), {
      body: {},
      headers: { cookie: `stytch_session_jwt=${backend.body.session_jwt}` },
    })
    expect(res.status).toBe(200)
  })

  it('puts a B2B intermediate session token in an HttpOnly cookie', async () => {
    const res = await sdk('/b2b/sessions/exchange', b2b(FIXTURE.graceToken), {
      body: { organization_id: 'initech' },
    })
    expect(res.body.data).toMatchObject({
      member_authenticated: false,
      intermediate_session_token: '',
      session_token: '',
    })
    expect(
      res.headers.getSetCookie().find((c) => c.startsWith('stytch_intermediate_session_token=')),
    ).toMatch(/HttpOnly/)
  })
})

describe('B2B /sdk/v1/b2b/sessions', () => {
  it('authenticates, exchanges into another organization, and revokes', async () => {
    const auth = await sdk('/b2b/sessions/authenticate', b2b(FIXTURE.graceToken), {
      body: { session_duration_minutes: 30 },
    })
    expect(auth.body.data).toMatchObject({
      member_id: FIXTURE.acme.member_id,
      member_authenticated: true,
      intermediate_session_token: '',
      mfa_required: null,
      primary_required: null,
    })
    expect(auth.body.data.organization.organization_slug).toBe('acme')
    const ex = await sdk('/b2b/sessions/exchange', b2b(FIXTURE.graceToken), {
      body: {
        organization_id: FIXTURE.globex.organization_id,
        session_duration_minutes: 60,
        locale: 'en',
      },
    })
    expect(ex.body.data.member_session.organization_id).toBe(FIXTURE.globex.organization_id)
    const mfa = await sdk('/b2b/sessions/exchange', b2b(FIXTURE.graceToken), {
      body: { organization_id: 'initech' },
    })
    expect(mfa.body.data.member_authenticated).toBe(false)
    expect(mfa.body.data.intermediate_session_token).toHaveLength(44)
    const revoked = await sdk('/b2b/sessions/revoke', b2b(ex.body.data.session_token), { raw: '' })
    expect(revoked.status).toBe(200)
    const after = await t.call('POST', '/v1/b2b/sessions/authenticate', {
      body: { session_token: ex.body.data.session_token },
    })
    expect(after.body.error_type).toBe('session_not_found')
  })

  it('refuses the consumer public token with invalid_b2b_endpoint', async () => {
    const res = await sdk('/b2b/sessions/authenticate', consumer(FIXTURE.graceToken), { body: {} })
    expect(res.status).toBe(400)
    expect(res.body.error_type).toBe('invalid_b2b_endpoint')
  })
})
