// The official `stytch` Node SDK through SSO logins (#30), the browser's part played with fetch:
// /v1/public/sso/start, answers queued through /_mock/sso/answers (and once the real page and
// ACS), sso.authenticate ending in member sessions or intermediate sessions the SDK then
// authenticates; JIT by sso_jit_provisioning, PKCE, replayed tokens, roles from IdP groups held
// only by sessions with the SSO factor, a deleted member, OIDC (its page, callback and
// organizations.members.oidcProviders), external connections, the frontend's sso.authenticate
// and sso.discoverConnections; and the failures.
import { createHash, randomBytes } from 'node:crypto'
import * as stytch from 'stytch'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { controlOf, failure, mockWithSdk, type RunningMock } from '../helpers/server.js'
import { MAPPING, standInSaml } from '../helpers/sso.js'
import { basicHeader, FIXTURE, ORIGIN } from '../helpers/world.js'

let mock: RunningMock
let control: ReturnType<typeof controlOf>
let b2b: stytch.B2BClient
const APP = 'http://localhost:3000'

const sdk = mockWithSdk((options) => new stytch.B2BClient(options))
beforeAll(() => {
  ;({ mock, client: b2b } = sdk)
  control = controlOf(mock)
})
beforeEach(async () => {
  mock.clock.reset()
  await control('DELETE', '/_mock/sso/answers')
})

const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}`
const emailOf = (name: string, domain = 'acme.example') => `${unique(name)}@${domain}`

async function organization(settings: Record<string, unknown> = {}) {
  const slug = unique('sso-org')
  const { organization } = await b2b.organizations.create({
    organization_name: slug,
    organization_slug: slug,
    ...settings,
  })
  return organization
}

/** An active SAML connection of the stand-in identity provider (its metadata URL): its id. */
const samlConnection = async (organizationId: string, extra: Record<string, unknown> = {}) =>
  (await standInSaml(b2b, mock.url, organizationId, extra)).connection_id

/** What the browser does on "Continue with SSO": the start URL, not following redirects. */
async function start(query: Record<string, string>, publicToken = mock.config.b2bPublicToken) {
  const url = new URL(`${mock.url}/v1/public/sso/start`)
  if (publicToken) url.searchParams.set('public_token', publicToken)
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v)
  const res = await fetch(url, { redirect: 'manual' })
  const text = await res.text()
  return {
    status: res.status,
    location: res.headers.get('location'),
    error: res.status >= 400 ? (JSON.parse(text).error_type as string) : undefined,
  }
}

/** A queued answer, then the start: the token the app receives. */
async function login(connectionId: string, answer: Record<string, unknown>, query = {}) {
  expect((await control('POST', '/_mock/sso/answers', answer)).status).toBe(200)
  const started = await start({
    connection_id: connectionId,
    login_redirect_url: `${APP}/login`,
    signup_redirect_url: `${APP}/signup`,
    ...query,
  })
  expect(started.status, started.error).toBe(302)
  const url = new URL(started.location!)
  expect(url.searchParams.get('stytch_token_type')).toBe('sso')
  return { url, token: url.searchParams.get('token')! }
}

/** A frontend SDK call with the B2B public token (and a session, if any). */
async function sdkCall(method: string, path: string, body?: object, session?: string) {
  const token = mock.config.b2bPublicToken
  const res = await fetch(`${mock.url}/sdk/v1${path}`, {
    method,
    headers: {
      origin: ORIGIN,
      'content-type': 'application/json',
      authorization: basicHeader(token, session ?? token),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  const json = (await res.json()) as Record<string, any>
  return { status: res.status, data: json.data, error: json.error_type as string | undefined }
}

describe('sso.authenticate, answers queued', () => {
  it('a new identity: signup URL, a JIT member with the mapped name, registration and factor', async () => {
    const org = await organization()
    const id = await samlConnection(org.organization_id)
    const email = emailOf('ada')
    const first = await login(id, { email, first_name: 'Ada', last_name: 'Lovelace' })
    expect(first.url.pathname).toBe('/signup')
    const res = await b2b.sso.authenticate({ sso_token: first.token, session_duration_minutes: 30 })
    expect(res).toMatchObject({
      organization_id: org.organization_id,
      member_authenticated: true,
      reset_session: false,
      intermediate_session_token: '',
    })
    expect(res.member).toMatchObject({
      email_address: email,
      name: 'Ada Lovelace',
      status: 'active',
      email_address_verified: true,
    })
    const registration = res.member.sso_registrations[0]!
    expect(registration).toEqual({
      connection_id: id,
      external_id: email,
      registration_id: expect.stringMatching(/^saml-member-registration-test-/),
      sso_attributes: { firstName: ['Ada'], lastName: ['Lovelace'] },
    })
    expect(res.member_session!.authentication_factors).toEqual([
      expect.objectContaining({
        type: 'sso',
        delivery_method: 'sso_saml',
        saml_sso_factor: { id: registration.registration_id, provider_id: id, external_id: email },
      }),
    ])
    const session = await b2b.sessions.authenticate({ session_token: res.session_token })
    expect(session.member.member_id).toBe(res.member_id)

    // Again: the login URL, the same member and registration.
    const again = await login(id, { email })
    expect(again.url.pathname).toBe('/login')
    const second = await b2b.sso.authenticate({ sso_token: again.token })
    expect(second.member_id).toBe(res.member_id)
    expect(second.member.sso_registrations).toHaveLength(1)
    expect(second.member.sso_registrations[0]!.registration_id).toBe(registration.registration_id)
  })

  it('the real page and ACS, with fetch: a picked member logs in through SAML', async () => {
    const org = await organization()
    const id = await samlConnection(org.organization_id)
    const email = emailOf('grace')
    await b2b.organizations.members.create({
      organization_id: org.organization_id,
      email_address: email,
      name: 'Grace Hopper',
    })
    const started = await start({ connection_id: id, login_redirect_url: `${APP}/login` })
    const page = await fetch(started.location!)
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/)
    const html = await page.text()
    expect(html).toContain(`value="${email}"`)
    const hidden = Object.fromEntries(
      [
        ...html.matchAll(
          /<input type="hidden" name="(SAMLRequest|RelayState|protocol)" value="([^"]*)"/g,
        ),
      ].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]),
    )
    const answered = await fetch(`${mock.url}/v1/public/sso/idp/${id}/answer`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...hidden, pick: email }).toString(),
    })
    expect(answered.headers.get('content-security-policy')).toMatch(/script-src 'sha256-/)
    const post = await answered.text()
    const fields = Object.fromEntries(
      [...post.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [
        m[1]!,
        m[2]!.replace(/&amp;/g, '&'),
      ]),
    )
    const acs = await fetch(`${mock.url}/v1/b2b/sso/callback/${id}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    })
    expect(acs.status).toBe(302)
    const url = new URL(acs.headers.get('location')!)
    expect(url.pathname).toBe('/login')
    const res = await b2b.sso.authenticate({ sso_token: url.searchParams.get('token')! })
    expect(res.member).toMatchObject({ email_address: email, name: 'Grace Hopper' })
  })

  it('an MFA organization: an intermediate session with mfa_required, completed by a passcode', async () => {
    const org = await organization({ mfa_policy: 'REQUIRED_FOR_ALL' })
    const id = await samlConnection(org.organization_id)
    const { token } = await login(id, { email: emailOf('grace') })
    const res = await b2b.sso.authenticate({ sso_token: token })
    expect(res.member_authenticated).toBe(false)
    expect(res.session_token).toBe('')
    expect(res.member_session).toBeNull()
    expect(res.intermediate_session_token).toMatch(/^[A-Za-z0-9_-]{44}$/)
    expect(res.mfa_required).toMatchObject({ member_options: null })
    expect(res.reset_session).toBe(false)
  })

  it('JIT by sso_jit_provisioning: NOT_ALLOWED and RESTRICTED refuse (token kept), members still log in', async () => {
    const org = await organization()
    const id = await samlConnection(org.organization_id)
    const other = await samlConnection(org.organization_id)
    await b2b.organizations.update({
      organization_id: org.organization_id,
      sso_jit_provisioning: 'NOT_ALLOWED',
      email_invites: 'ALL_ALLOWED',
    })
    const stranger = emailOf('stranger')
    const { token } = await login(id, { email: stranger })
    expect(await failure(b2b.sso.authenticate({ sso_token: token }))).toEqual({
      status: 400,
      type: 'invalid_connection_for_jit_provisioning',
    })
    // An existing member needs no JIT.
    const member = emailOf('member')
    await b2b.organizations.members.create({
      organization_id: org.organization_id,
      email_address: member,
    })
    const known = await login(id, { email: member })
    expect((await b2b.sso.authenticate({ sso_token: known.token })).member.email_address).toBe(
      member,
    )

    // RESTRICTED to the other connection: still refused through this one; then allowed.
    await b2b.organizations.update({
      organization_id: org.organization_id,
      sso_jit_provisioning: 'RESTRICTED',
      sso_jit_provisioning_allowed_connections: [other],
    })
    expect(await failure(b2b.sso.authenticate({ sso_token: token }))).toMatchObject({
      type: 'invalid_connection_for_jit_provisioning',
    })
    await b2b.organizations.update({
      organization_id: org.organization_id,
      sso_jit_provisioning_allowed_connections: [other, id],
    })
    // The token refused twice was never spent.
    const res = await b2b.sso.authenticate({ sso_token: token })
    expect(res.member.email_address).toBe(stranger)
  })

  it('PKCE: the verifier is needed and must match; a used or expired token is gone', async () => {
    const org = await organization()
    const id = await samlConnection(org.organization_id)
    const verifier = randomBytes(32).toString('base64url')
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    const { token } = await login(
      id,
      { email: emailOf('pkce') },
      { pkce_code_challenge: challenge },
    )
    expect(await failure(b2b.sso.authenticate({ sso_token: token }))).toEqual({
      status: 400,
      type: 'pkce_expected_code_verifier',
    })
    expect(
      await failure(b2b.sso.authenticate({ sso_token: token, pkce_code_verifier: 'wrong' })),
    ).toMatchObject({ type: 'pkce_mismatch' })
    await b2b.sso.authenticate({ sso_token: token, pkce_code_verifier: verifier })
    // Replayed.
    expect(
      await failure(b2b.sso.authenticate({ sso_token: token, pkce_code_verifier: verifier })),
    ).toEqual({ status: 404, type: 'sso_token_not_found' })
    // Expired (10 minutes).
    const late = await login(id, { email: emailOf('late') })
    await control('POST', '/_mock/clock', { advance_seconds: 601 })
    expect(await failure(b2b.sso.authenticate({ sso_token: late.token }))).toEqual({
      status: 404,
      type: 'sso_token_not_found',
    })
    expect(await failure(b2b.sso.authenticate({ sso_token: 'no-such-token' }))).toMatchObject({
      type: 'sso_token_not_found',
    })
  })

  it("roles from IdP groups: on the member, in the session only with the connection's factor", async () => {
    const org = await organization()
    const id = await samlConnection(org.organization_id, {
      saml_group_implicit_role_assignments: [{ role_id: 'stytch_admin', group: 'admins' }],
    })
    const email = emailOf('admin')
    const { token } = await login(id, { email, groups: ['admins', 'staff'] })
    const res = await b2b.sso.authenticate({ sso_token: token })
    expect(res.member.roles).toContainEqual({
      role_id: 'stytch_admin',
      sources: [{ type: 'sso_connection_group', details: { connection_id: id, group: 'admins' } }],
    })
    expect(res.member_session!.roles).toContain('stytch_admin')
    const check = {
      organization_id: org.organization_id,
      resource_id: 'documents',
      action: 'write',
    }
    await b2b.sessions.authenticate({
      session_token: res.session_token,
      authorization_check: check,
    })
    // Another session of the member, without the SSO factor: no SSO-granted role.
    const seeded = await control('POST', '/_mock/b2b/sessions', {
      organization_id: org.organization_id,
      member_id: res.member_id,
    })
    expect(seeded.status, JSON.stringify(seeded.body)).toBe(200)
    const plain = seeded.body.session_token as string
    const plainSession = await b2b.sessions.authenticate({ session_token: plain })
    expect(plainSession.member_session.roles).not.toContain('stytch_admin')
    expect(
      await failure(
        b2b.sessions.authenticate({ session_token: plain, authorization_check: check }),
      ),
    ).toMatchObject({ status: 403, type: 'session_authorization_error' })
    // The same login without the group: the role goes from member and session.
    const later = await login(id, { email, groups: ['staff'] })
    const next = await b2b.sso.authenticate({ sso_token: later.token })
    expect(next.member.roles.map((r) => r.role_id)).not.toContain('stytch_admin')
    expect(next.member_session!.roles).not.toContain('stytch_admin')
  })

  it('a deleted member: its sessions end and its identity logs in no one until reactivated', async () => {
    const org = await organization()
    const id = await samlConnection(org.organization_id)
    const email = emailOf('leaver')
    const res = await b2b.sso.authenticate({ sso_token: (await login(id, { email })).token })
    await b2b.organizations.members.delete({
      organization_id: org.organization_id,
      member_id: res.member_id,
    })
    expect(
      await failure(b2b.sessions.authenticate({ session_token: res.session_token })),
    ).toMatchObject({ status: 404 })
    const { token } = await login(id, { email })
    expect(await failure(b2b.sso.authenticate({ sso_token: token }))).toEqual({
      status: 404,
      type: 'member_not_found',
    })
    await b2b.organizations.members.reactivate({
      organization_id: org.organization_id,
      member_id: res.member_id,
    })
    expect((await b2b.sso.authenticate({ sso_token: token })).member_id).toBe(res.member_id)
  })

  it('a live session of the member gets the factor; the trusted_metadata mapping; a new email', async () => {
    const org = await organization()
    const id = await samlConnection(org.organization_id, {
      attribute_mapping: { ...MAPPING, idp_user_id: 'uid', department: 'dept' },
    })
    const email = emailOf('ada')
    const first = await b2b.sso.authenticate({
      sso_token: (await login(id, { email, external_id: 'u-1', attributes: { dept: 'R&D' } }))
        .token,
    })
    expect(first.member.trusted_metadata).toEqual({ department: 'R&D' })
    expect(first.member.sso_registrations[0]!.external_id).toBe('u-1')
    // The same person (external id) with a new email: the member's email changes.
    const moved = emailOf('ada.new')
    const second = await b2b.sso.authenticate({
      sso_token: (await login(id, { email: moved, external_id: 'u-1' })).token,
      session_token: first.session_token,
    })
    expect(second.member_id).toBe(first.member_id)
    expect(second.member.email_address).toBe(moved)
    expect(second.member.retired_email_addresses).toContainEqual(
      expect.objectContaining({ email_address: email }),
    )
    expect(second.member_session!.member_session_id).toBe(first.member_session!.member_session_id)
  })

  it('queued answers: by connection, listed and cleared; a denial is access_denied', async () => {
    const org = await organization()
    const id = await samlConnection(org.organization_id)
    await control('POST', '/_mock/sso/answers', {
      connection_id: id,
      email: 'a@acme.example',
      groups: ['x'],
    })
    await control('POST', '/_mock/sso/answers', { deny: true })
    const listed = (await control('GET', '/_mock/sso/answers')).body.answers
    expect(listed).toEqual([
      expect.objectContaining({
        connection_id: id,
        email: 'a@acme.example',
        groups: ['x'],
        deny: false,
      }),
      expect.objectContaining({ connection_id: null, email: null, deny: true }),
    ])
    expect(
      (
        await control('POST', '/_mock/sso/answers', {
          connection_id: 'saml-connection-test-00000000-0000-4000-8000-000000000000',
          email: 'a@b.co',
        })
      ).body.error_type,
    ).toBe('sso_connection_not_found')
    expect((await control('POST', '/_mock/sso/answers', {})).status).toBe(400)
    expect((await control('POST', '/_mock/sso/answers', { email: 'nope' })).body.error_type).toBe(
      'invalid_email',
    )
    const took = await start({ connection_id: id })
    expect(new URL(took.location!).searchParams.get('token')).toBeTruthy()
    const denied = await start({ connection_id: id, login_redirect_url: `${APP}/login` })
    expect(new URL(denied.location!).searchParams.get('error')).toBe('access_denied')
    await control('POST', '/_mock/sso/answers', { email: 'b@acme.example' })
    expect((await control('DELETE', '/_mock/sso/answers')).body.answers).toEqual([])
    expect((await control('GET', '/_mock/sso/answers')).body.answers).toEqual([])
  })
})

describe('/v1/public/sso/start', () => {
  it('names the connection, or the organization (its default); bad starts are Stytch errors', async () => {
    const org = await organization()
    const id = await samlConnection(org.organization_id)
    // By organization: its only active connection.
    const byOrg = await start({ organization_id: org.organization_slug as string })
    expect(byOrg.status).toBe(302)
    expect(byOrg.location).toContain(`/v1/public/sso/idp/${id}/saml?SAMLRequest=`)
    expect(await start({ connection_id: id }, '')).toMatchObject({
      status: 401,
      error: 'unauthorized_credentials',
    })
    expect(await start({ connection_id: id }, mock.config.publicToken)).toMatchObject({
      status: 400,
      error: 'invalid_b2b_endpoint',
    })
    expect(await start({})).toMatchObject({ status: 400, error: 'missing_sso_connection_locator' })
    expect(await start({ connection_id: id, organization_id: org.organization_id })).toMatchObject({
      status: 400,
      error: 'too_many_sso_connection_locators',
    })
    expect(
      await start({ connection_id: 'saml-connection-test-00000000-0000-4000-8000-000000000000' }),
    ).toMatchObject({ status: 404, error: 'sso_connection_not_found' })
    expect(await start({ connection_id: id, login_redirect_url: 'ftp://x' })).toMatchObject({
      status: 400,
      error: 'invalid_login_sso_url',
    })
    expect(await start({ connection_id: id, signup_redirect_url: 'nope' })).toMatchObject({
      status: 400,
      error: 'invalid_signup_sso_url',
    })
    // A pending connection; an organization without (or with several and no default) connections.
    const { connection: pending } = await b2b.sso.saml.createConnection({
      organization_id: org.organization_id,
    })
    expect(await start({ connection_id: pending!.connection_id })).toMatchObject({
      status: 400,
      error: 'requires_active_sso_connection',
    })
    const bare = await organization()
    expect(await start({ organization_id: bare.organization_id })).toMatchObject({
      status: 400,
      error: 'no_sso_connection_exists_for_organization',
    })
    await samlConnection(org.organization_id)
    await b2b.organizations.update({
      organization_id: org.organization_id,
      sso_default_connection_id: id,
    })
    expect((await start({ organization_id: org.organization_id })).location).toContain(
      `/v1/public/sso/idp/${id}/saml`,
    )
  })
})

describe('OIDC connections', () => {
  async function oidcConnection(organizationId: string) {
    const { connection } = await b2b.sso.oidc.createConnection({
      organization_id: organizationId,
      display_name: 'Acme OIDC',
    })
    const id = connection!.connection_id
    const issuer = `${mock.url}/no-such-issuer`
    const { connection: active } = await b2b.sso.oidc.updateConnection({
      organization_id: organizationId,
      connection_id: id,
      issuer,
      client_id: 'client-1',
      client_secret: 'secret-1',
      authorization_url: `${issuer}/authorize`,
      token_url: `${issuer}/token`,
      userinfo_url: `${issuer}/userinfo`,
      jwks_url: `${issuer}/jwks`,
      custom_scopes: 'groups',
    })
    expect(active!.status).toBe('active')
    return id
  }

  it('the stand-in page and callback; the oidc factor; oidcProviders answers the tokens', async () => {
    mock.clock.freeze()
    const org = await organization()
    const id = await oidcConnection(org.organization_id)
    const email = emailOf('oidc')
    const started = await start({
      connection_id: id,
      login_redirect_url: `${APP}/login`,
      signup_redirect_url: `${APP}/signup`,
      provider_login_hint: email,
    })
    const pageUrl = new URL(started.location!)
    expect(pageUrl.pathname).toBe(`/v1/public/sso/idp/${id}/oidc`)
    expect(pageUrl.searchParams.get('scope')).toBe('openid email profile groups')
    expect(pageUrl.searchParams.get('login_hint')).toBe(email)
    const html = await (await fetch(pageUrl)).text()
    expect(html).toContain(`value="${email}"`)
    const state = pageUrl.searchParams.get('state')!
    const answered = await fetch(`${mock.url}/v1/public/sso/idp/${id}/answer`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ protocol: 'oidc', state, email, first_name: 'Olive' }).toString(),
    })
    expect(answered.status).toBe(303)
    const callback = new URL(answered.headers.get('location')!)
    expect(callback.pathname).toBe(`/v1/b2b/sso/callback/${id}`)
    const back = await fetch(callback, { redirect: 'manual' })
    expect(back.status).toBe(302)
    const app = new URL(back.headers.get('location')!)
    expect(app.pathname).toBe('/signup')
    // The code was used: the callback again is refused, on a page.
    const replay = await fetch(callback, { redirect: 'manual' })
    expect(replay.status).toBe(400)
    expect(await replay.text()).toContain('unsolicited_oidc_response')

    expect(
      await failure(
        b2b.organizations.members.oidcProviders({
          organization_id: org.organization_id,
          member_id: FIXTURE.acme.member_id,
        }),
      ),
    ).toMatchObject({ status: 404 })
    const res = await b2b.sso.authenticate({ sso_token: app.searchParams.get('token')! })
    expect(res.member).toMatchObject({ email_address: email, name: 'Olive' })
    const registration = res.member.sso_registrations[0]!
    expect(registration.registration_id).toMatch(/^oidc-member-registration-test-/)
    expect(res.member_session!.authentication_factors[0]).toMatchObject({
      type: 'sso',
      delivery_method: 'sso_oidc',
      oidc_sso_factor: {
        id: registration.registration_id,
        provider_id: id,
        external_id: registration.external_id,
      },
    })
    const providers = await b2b.organizations.members.oidcProviders({
      organization_id: org.organization_id,
      member_id: res.member_id,
      include_refresh_token: true,
    })
    expect(providers.registrations).toEqual([
      expect.objectContaining({
        connection_id: id,
        provider_subject: registration.external_id,
        access_token_expires_in: 3600,
        scopes: ['openid', 'email', 'profile', 'groups'],
        refresh_token: expect.stringMatching(/^mock-oidc-refresh-/),
      }),
    ])
  })

  it('a denial and a missing state at the callback', async () => {
    const org = await organization()
    const id = await oidcConnection(org.organization_id)
    await control('POST', '/_mock/sso/answers', { deny: true })
    const denied = await start({ connection_id: id, login_redirect_url: `${APP}/login` })
    expect(new URL(denied.location!).searchParams.get('error')).toBe('access_denied')
    const bare = await fetch(`${mock.url}/v1/b2b/sso/callback/${id}?code=x`, { redirect: 'manual' })
    expect(bare.status).toBe(400)
    expect(await bare.text()).toContain('missing_oidc_state_param')
  })
})

describe('external connections', () => {
  it("log in through the source connection's identity provider, into their own organization", async () => {
    const source = await organization()
    const sourceId = await samlConnection(source.organization_id, {
      saml_group_implicit_role_assignments: [{ role_id: 'stytch_admin', group: 'admins' }],
    })
    const partner = await organization()
    const { connection } = await b2b.sso.external.createConnection({
      organization_id: partner.organization_id,
      external_organization_id: source.organization_id,
      external_connection_id: sourceId,
      display_name: 'Via Acme',
      group_implicit_role_assignments: [{ role_id: 'stytch_admin', group: 'admins' }],
    })
    const externalId = connection!.connection_id
    const started = await start({ connection_id: externalId })
    expect(started.location).toContain(`/v1/public/sso/idp/${sourceId}/saml`)
    const { token } = await login(externalId, { email: emailOf('partner'), groups: ['admins'] })
    const res = await b2b.sso.authenticate({ sso_token: token })
    expect(res.organization_id).toBe(partner.organization_id)
    expect(res.member.sso_registrations[0]!.connection_id).toBe(externalId)
    expect(res.member_session!.authentication_factors[0]).toMatchObject({
      saml_sso_factor: { provider_id: externalId },
    })
    expect(res.member_session!.roles).toContain('stytch_admin')
  })
})

describe('the frontend SDK', () => {
  it('sso.authenticate through /sdk/v1, and discoverConnections by membership or JIT domain', async () => {
    const org = await organization({ email_allowed_domains: ['discover.example'] })
    const id = await samlConnection(org.organization_id)
    const { token } = await login(id, { email: 'someone@discover.example' })
    const res = await sdkCall('POST', '/b2b/sso/authenticate', {
      sso_token: token,
      session_duration_minutes: 60,
    })
    expect(res.status, res.error).toBe(200)
    expect(res.data).toMatchObject({ member_authenticated: true, reset_session: false })

    const byMember = await sdkCall(
      'GET',
      `/b2b/sso/discovery/connections?email_address=${encodeURIComponent('someone@discover.example')}`,
    )
    expect(byMember.data.connections).toEqual([
      { connection_id: id, display_name: 'Acme SAML', identity_provider: 'generic' },
    ])
    const byDomain = await sdkCall(
      'GET',
      '/b2b/sso/discovery/connections?email_address=new.person%40discover.example',
    )
    expect(
      byDomain.data.connections.map((c: { connection_id: string }) => c.connection_id),
    ).toEqual([id])
    const none = await sdkCall(
      'GET',
      '/b2b/sso/discovery/connections?email_address=x%40nowhere.example',
    )
    expect(none.data.connections).toEqual([])
    const bad = await sdkCall('GET', '/b2b/sso/discovery/connections?email_address=nope')
    expect(bad).toMatchObject({ status: 400, error: 'invalid_email' })
  })
})
