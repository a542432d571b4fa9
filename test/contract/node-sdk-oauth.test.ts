// The official `stytch` Node SDK through OAuth (#18), the browser's part played with fetch: the
// public start routes, the local consent page (pick, type, deny), answers queued through
// /_mock/oauth/answers, and oauth.authenticate / b2b oauth.authenticate / oauth.discovery
// .authenticate ending in ordinary sessions the SDK then authenticates; and their failures.
import { createHash } from 'node:crypto'
import * as stytch from 'stytch'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildMember } from '../../server/platform/sessions/organizations.js'
import { controlOf, failure, mockWithSdk, type RunningMock, startMock } from '../helpers/server.js'
import { FIXTURE } from '../helpers/world.js'

let mock: RunningMock
let control: ReturnType<typeof controlOf>
let client: stytch.Client
let b2b: stytch.B2BClient
const APP = 'http://localhost:3000'

const sdk = mockWithSdk((options) => ({
  consumer: new stytch.Client(options),
  b2b: new stytch.B2BClient(options),
}))
beforeAll(() => {
  ;({ mock } = sdk)
  ;({ consumer: client, b2b } = sdk.client)
  control = controlOf(mock)
})
beforeEach(async () => {
  mock.clock.reset()
  await control('DELETE', '/_mock/oauth/answers')
})

const unique = (name: string, domain = 'example.com') =>
  `${name}-${Math.random().toString(36).slice(2, 10)}@${domain}`

/** What the browser does on "Continue with Google": the start URL, not following redirects. */
async function start(path: string, query: Record<string, string>) {
  const url = new URL(mock.url + path)
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v)
  const res = await fetch(url, { redirect: 'manual' })
  return { status: res.status, location: res.headers.get('location'), res }
}
const consumerStart = (query: Record<string, string> = {}, provider = 'google') =>
  start(`/v1/public/oauth/${provider}/start`, { public_token: mock.config.publicToken, ...query })

/** The consent page's hidden request id and its listed accounts. */
async function consentPage(res: Response) {
  expect(res.headers.get('content-type')).toMatch(/^text\/html/)
  expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/)
  const html = await res.text()
  const request = /name="request" value="([^"]+)"/.exec(html)?.[1]
  expect(request).toBeDefined()
  const accounts = [...html.matchAll(/name="email" value="([^"]+)"/g)].map((m) => m[1])
  return { html, request: request!, accounts }
}

/** Submits the page's form as the browser would. */
async function answer(fields: Record<string, string>) {
  const res = await fetch(`${mock.url}/v1/public/oauth/consent`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  })
  return { status: res.status, location: res.headers.get('location'), res }
}

const tokenOf = (location: string | null) => {
  const url = new URL(location!)
  return {
    url,
    type: url.searchParams.get('stytch_token_type'),
    token: url.searchParams.get('token')!,
  }
}

describe('consumer OAuth', () => {
  it('the consent page: a new account typed, a user with the Google factor, provider values', async () => {
    const email = unique('new.person')
    const started = await consumerStart({
      login_redirect_url: `${APP}/login`,
      signup_redirect_url: `${APP}/signup`,
      custom_scopes: 'https://www.googleapis.com/auth/calendar.readonly',
    })
    expect(started.status).toBe(200)
    const page = await consentPage(started.res)
    expect(page.html).toContain('Sign in with Google')
    // Fixture users are there to pick.
    expect(page.accounts).toContain('ada@example.com')
    const answered = await answer({ request: page.request, email, name: 'New Person' })
    expect(answered.status).toBe(303)
    const { url, type, token } = tokenOf(answered.location)
    // A new user: the signup URL.
    expect(`${url.origin}${url.pathname}`).toBe(`${APP}/signup`)
    expect(type).toBe('oauth')
    expect(token).toMatch(/^[A-Za-z0-9_-]{44}$/)

    const res = await client.oauth.authenticate({ token, session_duration_minutes: 60 })
    expect(res.provider_type).toBe('Google')
    expect(res.provider_subject).toMatch(/^\d{21}$/)
    expect(res.user.emails).toEqual([expect.objectContaining({ email, verified: true })])
    expect(res.user.name).toMatchObject({ first_name: 'New', last_name: 'Person' })
    expect(res.user.providers).toEqual([
      {
        provider_type: 'Google',
        provider_subject: res.provider_subject,
        profile_picture_url: '',
        locale: 'en',
        oauth_user_registration_id: res.oauth_user_registration_id,
      },
    ])
    expect(res.user_session!.authentication_factors).toEqual([
      expect.objectContaining({
        type: 'oauth',
        delivery_method: 'oauth_google',
        google_oauth_factor: {
          id: res.oauth_user_registration_id,
          provider_subject: res.provider_subject,
          email_id: res.user.emails[0]!.email_id,
        },
      }),
    ])
    expect(res.provider_values.scopes).toEqual([
      'openid',
      'email',
      'profile',
      'https://www.googleapis.com/auth/calendar.readonly',
    ])
    expect(res.provider_values.access_token).toMatch(/^mock-google-access-/)
    const idClaims = JSON.parse(
      Buffer.from(res.provider_values.id_token.split('.')[1]!, 'base64url').toString(),
    )
    expect(idClaims).toMatchObject({ sub: res.provider_subject, email, name: 'New Person' })
    // An ordinary session of the mock.
    const session = await client.sessions.authenticate({ session_token: res.session_token })
    expect(session.user.user_id).toBe(res.user_id)
    // Single use.
    expect(await failure(client.oauth.authenticate({ token }))).toEqual({
      status: 404,
      type: 'oauth_token_not_found',
    })
  })

  it('picking an existing user logs in as them, by the login URL, the same subject every time', async () => {
    const pick = async () => {
      const page = await consentPage(
        (await consumerStart({ login_redirect_url: `${APP}/login` })).res,
      )
      const answered = await answer({ request: page.request, email: 'ada@example.com' })
      expect(tokenOf(answered.location).url.pathname).toBe('/login')
      return client.oauth.authenticate({
        token: tokenOf(answered.location).token,
        session_duration_minutes: 30,
      })
    }
    const first = await pick()
    expect(first.user_id).toBe(FIXTURE.adaUserId)
    const second = await pick()
    expect(second.provider_subject).toBe(first.provider_subject)
    expect(second.oauth_user_registration_id).toBe(first.oauth_user_registration_id)
    expect(second.provider_values.access_token).toBe(first.provider_values.access_token)
    expect(second.user.providers).toHaveLength(1)
  })

  it('with a live session the factor is added to it; without a duration no session', async () => {
    await control('POST', '/_mock/oauth/answers', { email: 'ada@example.com' })
    const one = await client.oauth.authenticate({
      token: tokenOf((await consumerStart()).location).token,
      session_duration_minutes: 30,
    })
    await control('POST', '/_mock/oauth/answers', { email: 'ada@example.com', provider: 'github' })
    const started = await consumerStart({}, 'github')
    expect(started.status).toBe(302)
    const two = await client.oauth.authenticate({
      token: tokenOf(started.location).token,
      session_token: one.session_token,
    })
    expect(two.user_session!.session_id).toBe(one.user_session!.session_id)
    expect(two.user_session!.authentication_factors.map((f) => f.delivery_method)).toEqual([
      'oauth_google',
      'oauth_github',
    ])
    await control('POST', '/_mock/oauth/answers', { email: 'ada@example.com' })
    const none = await client.oauth.authenticate({
      token: tokenOf((await consumerStart()).location).token,
    })
    expect(none.session_token).toBe('')
    expect(none.user_session).toBeUndefined()
  })

  it('queued answers: taken in order, by provider, listed and cleared; deny redirects with access_denied', async () => {
    await control('POST', '/_mock/oauth/answers', { provider: 'github', email: 'gh@example.com' })
    await control('POST', '/_mock/oauth/answers', { deny: true })
    expect((await control('GET', '/_mock/oauth/answers')).body.answers).toEqual([
      { provider: 'github', email: 'gh@example.com', name: null, deny: false },
      { provider: null, email: null, name: null, deny: true },
    ])
    // Google takes the second (any provider), a denial.
    const denied = await consumerStart({ login_redirect_url: `${APP}/login` })
    expect(denied.status).toBe(302)
    const url = new URL(denied.location!)
    expect(url.searchParams.get('error')).toBe('access_denied')
    expect(url.searchParams.has('token')).toBe(false)
    expect((await control('DELETE', '/_mock/oauth/answers')).status).toBe(200)
    expect((await control('GET', '/_mock/oauth/answers')).body.answers).toEqual([])
    // Nothing queued: the page again.
    expect((await consumerStart({}, 'github')).status).toBe(200)
    // Denied on the page too.
    const page = await consentPage((await consumerStart()).res)
    const byPage = await answer({ request: page.request, deny: 'true' })
    expect(new URL(byPage.location!).searchParams.get('error')).toBe('access_denied')
    // Answered once.
    const again = await answer({ request: page.request, email: 'ada@example.com' })
    expect(again.status).toBe(404)
  })

  it('PKCE: a start with code_challenge needs the verifier', async () => {
    const verifier = 'v'.repeat(64)
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    const mint = async () => {
      await control('POST', '/_mock/oauth/answers', { email: 'ada@example.com' })
      return tokenOf((await consumerStart({ code_challenge: challenge })).location).token
    }
    expect(await failure(client.oauth.authenticate({ token: await mint() }))).toMatchObject({
      type: 'pkce_expected_code_verifier',
    })
    expect(
      await failure(client.oauth.authenticate({ token: await mint(), code_verifier: 'wrong' })),
    ).toMatchObject({ type: 'pkce_mismatch' })
    const ok = await client.oauth.authenticate({ token: await mint(), code_verifier: verifier })
    expect(ok.user_id).toBe(FIXTURE.adaUserId)
  })

  it('expired tokens, bad starts and bad answers are Stytch errors', async () => {
    await control('POST', '/_mock/oauth/answers', { email: 'ada@example.com' })
    const token = tokenOf((await consumerStart()).location).token
    mock.clock.advance(11 * 60)
    expect(await failure(client.oauth.authenticate({ token }))).toMatchObject({
      status: 404,
      type: 'oauth_token_not_found',
    })
    const bad = async (path: string, query: Record<string, string>, type: string) => {
      const res = await start(path, query)
      expect(res.status, path).toBeGreaterThanOrEqual(400)
      expect(((await res.res.json()) as { error_type: string }).error_type).toBe(type)
    }
    await bad('/v1/public/oauth/google/start', {}, 'unauthorized_credentials')
    await bad(
      '/v1/public/oauth/google/start',
      { public_token: mock.config.b2bPublicToken },
      'invalid_consumer_endpoint',
    )
    await bad(
      '/v1/public/oauth/hubspot/start',
      { public_token: mock.config.publicToken },
      'route_not_found',
    )
    await bad(
      '/v1/public/oauth/google/start',
      { public_token: mock.config.publicToken, login_redirect_url: 'javascript:alert(1)' },
      'invalid_argument',
    )
    await bad(
      '/v1/b2b/public/oauth/google/start',
      { public_token: mock.config.b2bPublicToken },
      'invalid_argument',
    )
    await bad(
      '/v1/b2b/public/oauth/google/start',
      { public_token: mock.config.b2bPublicToken, slug: 'no-such-org' },
      'organization_not_found',
    )
    // A typed address that is not one: the page again, with the error, still answerable.
    const page = await consentPage((await consumerStart()).res)
    const typo = await answer({ request: page.request, email: 'not-an-email' })
    expect(typo.status).toBe(400)
    expect(await typo.res.text()).toContain('Email format is invalid.')
    expect((await answer({ request: page.request, email: 'ada@example.com' })).status).toBe(303)
    expect((await control('POST', '/_mock/oauth/answers', {})).body.error_type).toBe(
      'invalid_argument',
    )
    expect(
      (
        await control('POST', '/_mock/oauth/answers', {
          email: 'a@example.com',
          provider: 'myspace',
        })
      ).body.error_type,
    ).toBe('invalid_argument')
    expect(await failure(client.oauth.authenticate({ token: 'x'.repeat(44) }))).toMatchObject({
      type: 'oauth_token_not_found',
    })
  })
})

describe('B2B OAuth', () => {
  const b2bStart = (query: Record<string, string>, provider = 'google') =>
    start(`/v1/b2b/public/oauth/${provider}/start`, {
      public_token: mock.config.b2bPublicToken,
      ...query,
    })

  it("an organization's member picked on the page: a member session with the OAuth factor", async () => {
    // The provider token's remaining lifetime is read below: a clock that does not tick keeps it
    // at the full hour (beforeEach resets the clock).
    mock.clock.freeze()
    const started = await b2bStart({ slug: 'acme', login_redirect_url: `${APP}/b2b` })
    const page = await consentPage(started.res)
    expect(page.html).toContain('Acme Corp')
    expect(page.accounts).toEqual(['grace@example.com'])
    const { type, token } = tokenOf(
      (await answer({ request: page.request, email: 'grace@example.com' })).location,
    )
    expect(type).toBe('oauth')
    const res = await b2b.oauth.authenticate({ oauth_token: token, session_duration_minutes: 60 })
    expect(res.member_authenticated).toBe(true)
    expect(res.organization.organization_slug).toBe('acme')
    expect(res.provider_type).toBe('Google')
    expect(res.member.oauth_registrations).toEqual([
      expect.objectContaining({ provider_type: 'Google', provider_subject: res.provider_subject }),
    ])
    expect(res.member_session!.authentication_factors[0]).toMatchObject({
      type: 'oauth',
      delivery_method: 'oauth_google',
      google_oauth_factor: expect.objectContaining({ provider_subject: res.provider_subject }),
    })
    const session = await b2b.sessions.authenticate({ session_token: res.session_token })
    expect(session.member.email_address).toBe('grace@example.com')
    // The login's provider tokens, as organizations.members.oauthProviders answers them.
    const google = await b2b.organizations.members.oauthProviders.google({
      organization_id: res.organization_id,
      member_id: res.member_id,
      include_refresh_token: true,
    })
    expect(google).toMatchObject({
      provider_type: 'Google',
      provider_subject: res.provider_subject,
      access_token: res.provider_values!.access_token,
      refresh_token: res.provider_values!.refresh_token,
      id_token: res.provider_values!.id_token,
      access_token_expires_in: 3600,
    })
    expect(
      await failure(
        b2b.organizations.members.oauthProviders.github({
          organization_id: res.organization_id,
          member_id: res.member_id,
        }),
      ),
    ).toEqual({ status: 404, type: 'member_oauth_token_not_found' })
  })

  it('an MFA organization answers an intermediate session; outside JIT the token is kept', async () => {
    await control('POST', '/_mock/oauth/answers', { email: 'grace@example.com' })
    const mfa = tokenOf(
      (await b2bStart({ organization_id: FIXTURE.initech.organization_id })).location,
    )
    const res = await b2b.oauth.authenticate({
      oauth_token: mfa.token,
      session_duration_minutes: 60,
    })
    expect(res.member_authenticated).toBe(false)
    expect(res.intermediate_session_token).toMatch(/^[A-Za-z0-9_-]{44}$/)
    expect(res.mfa_required).not.toBeNull()

    const stranger = unique('stranger', 'elsewhere.example')
    await control('POST', '/_mock/oauth/answers', { email: stranger })
    const { token } = tokenOf((await b2bStart({ slug: 'acme' })).location)
    expect(await failure(b2b.oauth.authenticate({ oauth_token: token }))).toMatchObject({
      status: 403,
      type: 'email_jit_provisioning_not_allowed',
    })
  })

  it('discovery: the organizations of the email, then exchange into one', async () => {
    await control('POST', '/_mock/oauth/answers', {
      email: 'grace@example.com',
    })
    const started = await start('/v1/b2b/public/oauth/google/discovery/start', {
      public_token: mock.config.b2bPublicToken,
      discovery_redirect_url: `${APP}/discover`,
    })
    const { url, type, token } = tokenOf(started.location)
    expect(url.pathname).toBe('/discover')
    expect(type).toBe('discovery_oauth')
    // Not an organization login's token.
    expect(await failure(b2b.oauth.authenticate({ oauth_token: token }))).toMatchObject({
      type: 'oauth_token_not_found',
    })
    const found = await b2b.oauth.discovery.authenticate({ discovery_oauth_token: token })
    expect(found.email_address).toBe('grace@example.com')
    expect(found.full_name).toBe('Grace Hopper')
    expect(found.provider_type).toBe('Google')
    expect(found.provider_tenant_id).toBe('example.com')
    expect(
      found.discovered_organizations.map((d) => d.organization!.organization_slug).sort(),
    ).toEqual(['acme', 'globex', 'initech'])
    const entered = await b2b.discovery.intermediateSessions.exchange({
      intermediate_session_token: found.intermediate_session_token,
      organization_id: FIXTURE.globex.organization_id,
      session_duration_minutes: 30,
    })
    // The member now has the provider, and the factor names that registration.
    const [registration] = entered.member.oauth_registrations
    expect(registration).toMatchObject({
      provider_type: 'Google',
      provider_subject: expect.stringMatching(/^\d{21}$/),
    })
    expect(entered.member_session!.authentication_factors[0]).toMatchObject({
      type: 'oauth',
      delivery_method: 'oauth_google',
      google_oauth_factor: {
        id: registration!.member_oauth_registration_id,
        provider_subject: registration!.provider_subject,
        email_id: expect.stringMatching(/^member-email-test-/),
      },
    })
    // Again: the same registration, not a second one.
    await control('POST', '/_mock/oauth/answers', { email: 'grace@example.com' })
    const again = await b2b.oauth.discovery.authenticate({
      discovery_oauth_token: tokenOf(
        (
          await start('/v1/b2b/public/oauth/google/discovery/start', {
            public_token: mock.config.b2bPublicToken,
          })
        ).location,
      ).token,
    })
    const second = await b2b.discovery.intermediateSessions.exchange({
      intermediate_session_token: again.intermediate_session_token,
      organization_id: FIXTURE.globex.organization_id,
      session_duration_minutes: 30,
    })
    expect(second.member.oauth_registrations).toEqual([registration])
  })

  it('personal addresses have no tenant; a member named like JSON is just a name', async () => {
    await control('POST', '/_mock/oauth/answers', { email: unique('someone', 'gmail.com') })
    const personal = await b2b.oauth.discovery.authenticate({
      discovery_oauth_token: tokenOf(
        (
          await start('/v1/b2b/public/oauth/google/discovery/start', {
            public_token: mock.config.b2bPublicToken,
          })
        ).location,
      ).token,
    })
    expect(personal.provider_tenant_id).toBe('')
    expect(personal.provider_tenant_ids).toEqual([])
    // A member's name is whatever the app set: the page and the token still work.
    const email = unique('curly', 'example.com')
    mock.world.orgs.insertMember(
      buildMember(
        { organization_id: FIXTURE.acme.organization_id, email_address: email, name: '{Admin' },
        mock.clock.nowSeconds(),
      ),
    )
    const started = await start('/v1/b2b/public/oauth/google/start', {
      public_token: mock.config.b2bPublicToken,
      slug: 'acme',
    })
    expect(started.status).toBe(200)
    const page = await consentPage(started.res)
    expect(page.html).toContain('{Admin')
    const { token } = tokenOf((await answer({ request: page.request, email })).location)
    expect((await b2b.oauth.authenticate({ oauth_token: token })).member.email_address).toBe(email)
  })
})

describe('OAuth with STYTCH_MOCK_ALLOWED_ORIGINS', () => {
  it('redirect URLs must be on an allowed origin', async () => {
    const strict = await startMock({ STYTCH_MOCK_ALLOWED_ORIGINS: APP })
    try {
      const go = (redirect: string) =>
        fetch(
          `${strict.url}/v1/public/oauth/google/start?${new URLSearchParams({
            public_token: strict.config.publicToken,
            login_redirect_url: redirect,
            signup_redirect_url: `${APP}/signup`,
          })}`,
          { redirect: 'manual' },
        )
      expect((await go(`${APP}/login`)).status).toBe(200)
      const refused = await go('https://elsewhere.example/steal')
      expect(refused.status).toBe(400)
      expect(((await refused.json()) as { error_message: string }).error_message).toMatch(
        /not on an allowed origin/,
      )
    } finally {
      await strict.close()
    }
  })
})
