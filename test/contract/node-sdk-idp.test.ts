// Issue #29: Connected Apps' authorize step through the official `stytch` Node SDK and the
// frontend SDK's routes: idp.oauth.authorizeStart / authorize (consumer and B2B), consent
// remembered per subject and client, the code in the redirect URL (one use, ten minutes),
// PKCE required of public clients, the scopes a project knows, the connected-app lists and
// revokes of users, members and organizations (with Stytch's RBAC), and what deleting a user,
// member, organization or client does to a grant. Every response is also checked against
// openapi.yaml (helpers/server.ts).
import { createHash, randomBytes } from 'node:crypto'
import * as stytch from 'stytch'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { GrantSubject } from '../../server/products/idp/types.js'
import { controlOf, failure, mockWithSdk, sdkCallOf, type RunningMock } from '../helpers/server.js'
import { FIXTURE, ORIGIN } from '../helpers/world.js'

let mock: RunningMock
let control: ReturnType<typeof controlOf>
let client: stytch.Client
let b2b: stytch.B2BClient

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
  await control('POST', '/_mock/reset')
})

const CALLBACK = 'https://app.example.com/oauth/callback'
const LOGOUT = 'https://app.example.com/signed-out'
const ACME = FIXTURE.acme

async function newClient(
  client_type: 'first_party' | 'first_party_public' | 'third_party' | 'third_party_public',
  extra: Partial<stytch.ConnectedAppsClientsCreateRequest> = {},
) {
  const { connected_app } = await client.connectedApp.clients.create({
    client_type,
    client_name: `App ${client_type}`,
    client_description: 'An app under test',
    redirect_urls: [CALLBACK],
    post_logout_redirect_urls: [LOGOUT],
    ...extra,
  })
  return connected_app.client_id
}

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

const start = (client_id: string, extra: Loose = {}) =>
  client.idp.oauth.authorizeStart({
    client_id,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scopes: ['openid', 'email'],
    user_id: FIXTURE.adaUserId,
    ...extra,
  } as stytch.IDPOAuthAuthorizeStartRequest)

const submit = (client_id: string, extra: Loose = {}) =>
  client.idp.oauth.authorize({
    client_id,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scopes: ['openid', 'email'],
    user_id: FIXTURE.adaUserId,
    consent_granted: true,
    state: 'st-1',
    code_challenge: pkce().challenge,
    ...extra,
  } as stytch.IDPOAuthAuthorizeRequest)

/** Fields to set or (undefined) to drop, as a test varies a request. */
type Loose = Record<string, unknown>

const take = (code: string) => mock.world.idp.takeCode(code)

/** A frontend SDK call of the B2B client, with a member session. */
const b2bSdk = (method: string, path: string, session: string | null, body?: object) =>
  sdkCallOf(mock, method, path, session, body, ORIGIN, mock.config.b2bPublicToken)

describe('consumer authorize start', () => {
  it('shows the user, the client and the scopes; a third-party client needs consent', async () => {
    const id = await newClient('third_party', { logo_url: 'https://app.example.com/logo.png' })
    const res = await start(id, { scopes: ['openid', 'email', 'profile', 'openid'] })
    expect(res.user_id).toBe(FIXTURE.adaUserId)
    expect(res.user.user_id).toBe(FIXTURE.adaUserId)
    expect(res.client).toEqual({
      client_id: id,
      client_name: 'App third_party',
      client_description: 'An app under test',
      client_type: 'third_party',
      logo_url: 'https://app.example.com/logo.png',
    })
    expect(res.consent_required).toBe(true)
    expect(res.scope_results.map((s) => [s.scope, s.is_grantable])).toEqual([
      ['openid', true],
      ['email', true],
      ['profile', true],
    ])
  })

  it('a first-party client skips consent, but asks for offline_access unless it bypasses it', async () => {
    const first = await newClient('first_party')
    expect((await start(first)).consent_required).toBe(false)
    expect((await start(first, { scopes: ['openid', 'offline_access'] })).consent_required).toBe(
      true,
    )
    const bypass = await newClient('first_party', { bypass_consent_for_offline_access: true })
    expect((await start(bypass, { scopes: ['openid', 'offline_access'] })).consent_required).toBe(
      false,
    )
    expect((await start(first, { prompt: 'consent' })).consent_required).toBe(true)
  })

  it('a session token or JWT names the user instead of user_id', async () => {
    const id = await newClient('third_party')
    const { session_jwt } = await client.sessions.authenticate({ session_token: FIXTURE.adaToken })
    const byToken = await start(id, { user_id: undefined, session_token: FIXTURE.adaToken })
    const byJwt = await start(id, { user_id: undefined, session_jwt })
    expect(byToken.user_id).toBe(FIXTURE.adaUserId)
    expect(byJwt.user_id).toBe(FIXTURE.adaUserId)
  })

  it('refuses what is not exactly registered, and bad requests', async () => {
    const id = await newClient('third_party')
    expect(await failure(start('connected-app-test-nope'))).toMatchObject({
      status: 404,
      type: 'connected_app_not_found',
    })
    for (const redirect_uri of [
      `${CALLBACK}/`,
      `${CALLBACK}?x=1`,
      'https://evil.example.com/oauth/callback',
      CALLBACK.toUpperCase(),
    ])
      expect((await failure(start(id, { redirect_uri }))).type).toBe(
        'connected_app_supplied_redirect_url_not_found_in_client',
      )
    expect((await failure(start(id, { response_type: 'token' }))).type).toBe(
      'oauth_invalid_request',
    )
    // Omitted, it is code, as Stytch's UI bundle says the server takes it.
    expect((await start(id, { response_type: undefined })).client.client_id).toBe(id)
    expect((await failure(start(id, { prompt: 'select_account' }))).type).toBe(
      'oauth_invalid_request',
    )
    expect((await failure(start(id, { scopes: ['openid', 'admin:everything'] }))).type).toBe(
      'oauth_invalid_scope_requested',
    )
    // full_access only for a client allowed it.
    expect((await failure(start(id, { scopes: ['full_access'] }))).type).toBe(
      'oauth_invalid_scope_requested',
    )
    const full = await newClient('first_party', { full_access_allowed: true })
    expect((await start(full, { scopes: ['full_access'] })).scope_results[0]!.is_grantable).toBe(
      true,
    )
    expect((await failure(start(id, { session_token: FIXTURE.adaToken }))).type).toBe(
      'invalid_argument',
    )
    expect((await failure(start(id, { user_id: undefined }))).type).toBe('invalid_argument')
    expect((await failure(start(id, { user_id: 'user-test-nobody' }))).type).toBe('user_not_found')
    expect(
      await failure(start(id, { user_id: undefined, session_token: FIXTURE.sandboxNotFoundToken })),
    ).toMatchObject({ status: 404, type: 'session_not_found' })
  })
})

describe('consumer authorize submit', () => {
  it('a denied consent answers access_denied in the redirect URL, with the state, and no code', async () => {
    const id = await newClient('third_party')
    const res = await submit(id, { consent_granted: false, state: 'abc' })
    const url = new URL(res.redirect_uri)
    expect(url.origin + url.pathname).toBe(CALLBACK)
    expect(url.searchParams.get('error')).toBe('access_denied')
    expect(url.searchParams.get('state')).toBe('abc')
    expect(url.searchParams.has('code')).toBe(false)
    expect(res.authorization_code).toBeUndefined()
    expect(
      (await client.users.connectedApps({ user_id: FIXTURE.adaUserId })).connected_apps,
    ).toEqual([])
  })

  it('a granted consent gives a one-use code for the grant, and is remembered', async () => {
    const id = await newClient('third_party')
    const { challenge } = pkce()
    const res = await submit(id, {
      scopes: ['openid', 'email', 'offline_access'],
      state: 'xyz',
      nonce: 'n-1',
      code_challenge: challenge,
      resources: ['https://api.example.com'],
    })
    const url = new URL(res.redirect_uri)
    expect(url.searchParams.get('code')).toBe(res.authorization_code)
    expect(url.searchParams.get('state')).toBe('xyz')
    const grant = take(res.authorization_code!)
    expect(grant).toMatchObject({
      client_id: id,
      subject: { kind: 'consumer', user_id: FIXTURE.adaUserId },
      scopes: ['openid', 'email', 'offline_access'],
      redirect_uri: CALLBACK,
      code_challenge: challenge,
      nonce: 'n-1',
      resources: ['https://api.example.com'],
      session_id: null,
    })
    expect(take(res.authorization_code!)).toBeNull()
    expect(take('made-up-code')).toBeNull()
    // Remembered: the same scopes need no consent again; more scopes do.
    expect((await start(id)).consent_required).toBe(false)
    expect((await start(id, { scopes: ['openid', 'phone'] })).consent_required).toBe(true)
    // Without a new consent, a remembered one still yields a code.
    expect((await submit(id, { consent_granted: false })).authorization_code).toBeDefined()
  })

  it('a code lives ten minutes on the mock clock', async () => {
    const id = await newClient('first_party')
    const a = await submit(id, { consent_granted: false })
    const b = await submit(id, { consent_granted: false })
    mock.clock.advance(599)
    expect(take(a.authorization_code!)).not.toBeNull()
    mock.clock.advance(2)
    expect(take(b.authorization_code!)).toBeNull()
  })

  it('a session links the code to it (session_id and auth_time)', async () => {
    const id = await newClient('first_party')
    const res = await submit(id, {
      user_id: undefined,
      session_token: FIXTURE.adaToken,
      consent_granted: false,
    })
    expect(take(res.authorization_code!)).toMatchObject({ session_id: FIXTURE.adaSessionId })
  })

  it('a public client must send a PKCE challenge; prompt=none never asks', async () => {
    const id = await newClient('third_party_public')
    const res = await submit(id, { code_challenge: undefined, state: 's' })
    const url = new URL(res.redirect_uri)
    expect(url.searchParams.get('error')).toBe('invalid_request')
    expect(url.searchParams.get('state')).toBe('s')
    expect(res.authorization_code).toBeUndefined()
    expect((await failure(submit(id, { code_challenge: 'short' }))).status).toBe(400)
    const none = await submit(id, { consent_granted: false, prompt: 'none' })
    expect(new URL(none.redirect_uri).searchParams.get('error')).toBe('consent_required')
  })

  it('keeps a query string the redirect URL already has', async () => {
    const registered = `${CALLBACK}?tenant=7`
    const id = await newClient('first_party', { redirect_urls: [registered] })
    const res = await submit(id, { redirect_uri: registered, consent_granted: false })
    const url = new URL(res.redirect_uri)
    expect(url.searchParams.get('tenant')).toBe('7')
    expect(url.searchParams.get('code')).toBe(res.authorization_code)
  })
})

describe("a user's connected apps", () => {
  it('lists what the user authorized; a revoke ends the grant, its codes and its consent', async () => {
    const id = await newClient('third_party')
    const revoked: [string, GrantSubject][] = []
    mock.world.idp.onGrantRevoked((clientId, subject) => revoked.push([clientId, subject]))
    const pending = await submit(id, { scopes: ['openid', 'profile'] })
    const list = await client.users.connectedApps({ user_id: FIXTURE.adaUserId })
    expect(list.connected_apps).toEqual([
      {
        connected_app_id: id,
        name: 'App third_party',
        description: 'An app under test',
        client_type: 'third_party',
        scopes_granted: 'openid profile',
      },
    ])
    // Another user revoking it changes nothing of Ada's.
    const { user_id: other } = await client.users.create({ email: 'other@example.com' })
    await client.users.revoke({ user_id: other, connected_app_id: id })
    expect(revoked).toEqual([])
    await client.users.revoke({ user_id: FIXTURE.adaUserId, connected_app_id: id })
    expect(revoked).toEqual([[id, { kind: 'consumer', user_id: FIXTURE.adaUserId }]])
    expect(take(pending.authorization_code!)).toBeNull()
    expect(
      (await client.users.connectedApps({ user_id: FIXTURE.adaUserId })).connected_apps,
    ).toEqual([])
    expect((await start(id, { scopes: ['openid', 'profile'] })).consent_required).toBe(true)
    expect(
      (await failure(client.users.revoke({ user_id: FIXTURE.adaUserId, connected_app_id: 'nope' })))
        .type,
    ).toBe('connected_app_not_found')
    expect((await failure(client.users.connectedApps({ user_id: 'user-test-nobody' }))).type).toBe(
      'user_not_found',
    )
  })

  it('a deleted user or a deleted client takes its grants along', async () => {
    const revoked: [string, GrantSubject][] = []
    mock.world.idp.onGrantRevoked((clientId, subject) => revoked.push([clientId, subject]))
    const id = await newClient('first_party')
    const { user_id } = await client.users.create({ email: 'gone@example.com' })
    const code = (await submit(id, { user_id, consent_granted: false })).authorization_code!
    await client.users.delete({ user_id })
    expect(revoked).toEqual([[id, { kind: 'consumer', user_id }]])
    expect(take(code)).toBeNull()

    await submit(id, { consent_granted: false })
    await client.connectedApp.clients.delete({ client_id: id })
    expect(revoked.at(-1)).toEqual([id, { kind: 'consumer', user_id: FIXTURE.adaUserId }])
    expect(
      (await client.users.connectedApps({ user_id: FIXTURE.adaUserId })).connected_apps,
    ).toEqual([])
  })

  it('survives a snapshot and restore', async () => {
    const id = await newClient('third_party')
    await submit(id)
    const snap = await control('POST', '/_mock/snapshots')
    await client.users.revoke({ user_id: FIXTURE.adaUserId, connected_app_id: id })
    expect((await start(id)).consent_required).toBe(true)
    await control('POST', `/_mock/snapshots/${snap.body.snapshot_id}/restore`)
    expect((await start(id)).consent_required).toBe(false)
  })
})

/** A new acme member (stytch_member only) with a live session. */
async function plainMember(email_address: string, organization_id = ACME.organization_id) {
  const { body } = await control('POST', '/_mock/b2b/sessions', {
    organization_id,
    email_address,
  })
  return { member_id: body.member.member_id as string, token: body.session_token as string }
}

describe('B2B', () => {
  const bStart = (client_id: string, extra: Loose = {}) =>
    b2b.idp.oauth.authorizeStart({
      client_id,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scopes: ['openid', 'email'],
      session_token: FIXTURE.graceToken,
      ...extra,
    } as stytch.B2BIDPOAuthAuthorizeStartRequest)
  const bSubmit = (client_id: string, extra: Loose = {}) =>
    b2b.idp.oauth.authorize({
      client_id,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scopes: ['openid', 'email'],
      session_token: FIXTURE.graceToken,
      consent_granted: true,
      ...extra,
    } as stytch.B2BIDPOAuthAuthorizeRequest)

  it('a member authorizes by session, or by organization_id and member_id', async () => {
    const id = await newClient('third_party')
    const res = await bStart(id)
    expect(res.member_id).toBe(ACME.member_id)
    expect(res.member.member_id).toBe(ACME.member_id)
    expect(res.organization.organization_id).toBe(ACME.organization_id)
    expect(res.consent_required).toBe(true)
    const byId = await bStart(id, {
      session_token: undefined,
      organization_id: ACME.organization_id,
      member_id: ACME.member_id,
    })
    expect(byId.member_id).toBe(ACME.member_id)
    // A member of one organization named with another: not found.
    expect(
      (
        await failure(
          bStart(id, {
            session_token: undefined,
            organization_id: FIXTURE.globex.organization_id,
            member_id: ACME.member_id,
          }),
        )
      ).type,
    ).toBe('member_not_found')
    expect(
      (await failure(bStart(id, { session_token: undefined, member_id: ACME.member_id }))).type,
    ).toBe('invalid_argument')
    const code = (await bSubmit(id)).authorization_code!
    expect(take(code)).toMatchObject({
      subject: { kind: 'b2b', member_id: ACME.member_id, organization_id: ACME.organization_id },
      session_id: FIXTURE.graceSessionId,
    })
  })

  it("lists and revokes an organization's and a member's apps, held to tenancy and RBAC", async () => {
    const id = await newClient('third_party')
    await bSubmit(id, { scopes: ['openid', 'profile'] })
    const orgApps = await b2b.organizations.connectedApps({
      organization_id: ACME.organization_id,
    })
    expect(orgApps.connected_apps.map((a) => a.connected_app_id)).toEqual([id])
    const one = await b2b.organizations.getConnectedApp({
      organization_id: ACME.organization_id,
      connected_app_id: id,
    })
    expect(one.active_members).toEqual([
      { member_id: ACME.member_id, granted_scopes: ['openid', 'profile'] },
    ])
    expect(
      (await b2b.organizations.connectedApps({ organization_id: FIXTURE.globex.organization_id }))
        .connected_apps,
    ).toEqual([])
    // Grace's acme session may not read globex's.
    expect(
      (
        await failure(
          b2b.organizations.connectedApps(
            { organization_id: FIXTURE.globex.organization_id },
            { authorization: { session_token: FIXTURE.graceToken } },
          ),
        )
      ).type,
    ).toBe('session_authorization_tenancy_error')
    const mine = await b2b.organizations.members.getConnectedApps({
      organization_id: ACME.organization_id,
      member_id: ACME.member_id,
    })
    expect(mine.connected_apps[0]).toMatchObject({
      connected_app_id: id,
      scopes_granted: 'openid profile',
    })
    // Bob (stytch_member) may act on his own grants, not on another member's.
    const bob = await plainMember('bob@acme.example.com')
    const member = { member_id: bob.member_id }
    await bSubmit(id, { session_token: bob.token })
    const outsider = await plainMember('eve@globex.example.com', FIXTURE.globex.organization_id)
    expect(
      (
        await failure(
          b2b.organizations.members.connectedApps.revoke(
            {
              organization_id: ACME.organization_id,
              member_id: ACME.member_id,
              connected_app_id: id,
            },
            { authorization: { session_token: bob.token } },
          ),
        )
      ).type,
    ).toBe('session_authorization_error')
    await b2b.organizations.members.connectedApps.revoke(
      { organization_id: ACME.organization_id, member_id: bob.member_id, connected_app_id: id },
      { authorization: { session_token: bob.token } },
    )
    await bSubmit(id, { session_token: bob.token })
    expect(
      (
        await failure(
          b2b.organizations.members.connectedApps.revoke(
            {
              organization_id: ACME.organization_id,
              member_id: member.member_id,
              connected_app_id: id,
            },
            { authorization: { session_token: outsider.token } },
          ),
        )
      ).type,
    ).toBe('session_authorization_tenancy_error')
    // Grace, an admin of acme, may revoke any acme member's.
    await b2b.organizations.members.connectedApps.revoke(
      { organization_id: ACME.organization_id, member_id: ACME.member_id, connected_app_id: id },
      { authorization: { session_token: FIXTURE.graceToken } },
    )
    const after = await b2b.organizations.getConnectedApp({
      organization_id: ACME.organization_id,
      connected_app_id: id,
    })
    expect(after.active_members.map((m) => m.member_id)).toEqual([member.member_id])
  })

  it('a deleted member or organization takes its grants along', async () => {
    const revoked: [string, GrantSubject][] = []
    mock.world.idp.onGrantRevoked((clientId, subject) => revoked.push([clientId, subject]))
    const id = await newClient('first_party')
    const { member } = await b2b.organizations.members.create({
      organization_id: ACME.organization_id,
      email_address: 'leaving@acme.example.com',
    })
    await bSubmit(id, {
      session_token: undefined,
      organization_id: ACME.organization_id,
      member_id: member.member_id,
      consent_granted: false,
    })
    await b2b.organizations.members.delete({
      organization_id: ACME.organization_id,
      member_id: member.member_id,
    })
    expect(revoked).toEqual([
      [id, { kind: 'b2b', member_id: member.member_id, organization_id: ACME.organization_id }],
    ])
    await bSubmit(id, { consent_granted: false })
    await b2b.organizations.delete({ organization_id: ACME.organization_id })
    expect(revoked.at(-1)).toEqual([
      id,
      { kind: 'b2b', member_id: ACME.member_id, organization_id: ACME.organization_id },
    ])
  })
})

describe('the frontend SDK routes', () => {
  it('a logged-in user starts, consents and lists, revokes; no session is 401', async () => {
    const id = await newClient('third_party')
    const body = {
      client_id: id,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scopes: ['openid', 'email'],
    }
    expect((await sdkCallOf(mock, 'POST', '/idp/oauth/authorize/start', null, body)).status).toBe(
      401,
    )
    const started = await sdkCallOf(
      mock,
      'POST',
      '/idp/oauth/authorize/start',
      FIXTURE.adaToken,
      body,
    )
    expect(started.status).toBe(200)
    expect(started.data).toMatchObject({ user_id: FIXTURE.adaUserId, consent_required: true })
    const submitted = await sdkCallOf(
      mock,
      'POST',
      '/idp/oauth/authorize/submit',
      FIXTURE.adaToken,
      {
        ...body,
        consent_granted: true,
        state: 'from-ui',
        resources: ['https://api.example.com'],
      },
    )
    expect(new URL(submitted.data.redirect_uri).searchParams.get('state')).toBe('from-ui')
    expect(take(submitted.data.authorization_code)).toMatchObject({
      session_id: FIXTURE.adaSessionId,
      resources: ['https://api.example.com'],
    })
    const list = await sdkCallOf(mock, 'GET', '/users/connected_apps', FIXTURE.adaToken)
    expect(
      list.data.connected_apps.map((a: { connected_app_id: string }) => a.connected_app_id),
    ).toEqual([id])
    const gone = await sdkCallOf(
      mock,
      'POST',
      `/users/connected_apps/${id}/revoke`,
      FIXTURE.adaToken,
    )
    expect(gone.status).toBe(200)
    expect(
      (await sdkCallOf(mock, 'GET', '/users/connected_apps', FIXTURE.adaToken)).data.connected_apps,
    ).toEqual([])
    // The consumer route refuses the B2B public token, and the other way round.
    expect(
      (await b2bSdk('POST', '/idp/oauth/authorize/start', FIXTURE.graceToken, body)).error,
    ).toBe('invalid_consumer_endpoint')
  })

  it('a member starts and submits; self and member lists follow RBAC', async () => {
    const id = await newClient('third_party')
    const body = {
      client_id: id,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scopes: ['openid'],
    }
    const started = await b2bSdk('POST', '/idp/b2b/oauth/authorize/start', FIXTURE.graceToken, body)
    expect(started.data).toMatchObject({ member_id: ACME.member_id, consent_required: true })
    const submitted = await b2bSdk('POST', '/idp/b2b/oauth/authorize/submit', FIXTURE.graceToken, {
      ...body,
      consent_granted: true,
    })
    expect(submitted.data.authorization_code).toBeDefined()
    const self = await b2bSdk(
      'GET',
      '/b2b/organizations/members/connected_apps',
      FIXTURE.graceToken,
    )
    expect(self.data.connected_apps[0].connected_app_id).toBe(id)
    const org = await b2bSdk('GET', '/b2b/organizations/connected_apps', FIXTURE.graceToken)
    expect(org.data.connected_apps[0].connected_app_id).toBe(id)
    const byId = await b2bSdk(
      'GET',
      `/b2b/organizations/members/${ACME.member_id}/connected_apps`,
      FIXTURE.graceToken,
    )
    expect(byId.data.connected_apps[0].connected_app_id).toBe(id)
    // Carol (stytch_member) may list her own, not Grace's.
    const carol = await plainMember('carol@acme.example.com')
    const own = await b2bSdk(
      'GET',
      `/b2b/organizations/members/${carol.member_id}/connected_apps`,
      carol.token,
    )
    expect(own.data.connected_apps).toEqual([])
    const other = await b2bSdk(
      'GET',
      `/b2b/organizations/members/${ACME.member_id}/connected_apps`,
      carol.token,
    )
    expect(other.error).toBe('session_authorization_error')
    expect(
      (await b2bSdk('GET', `/b2b/organizations/connected_apps/${id}`, carol.token)).error,
    ).toBe('session_authorization_error')
    const foreign = await b2bSdk(
      'GET',
      `/b2b/organizations/members/${FIXTURE.globex.member_id}/connected_apps`,
      FIXTURE.graceToken,
    )
    expect(foreign.error).toBe('member_not_found')
    const revoked = await b2bSdk(
      'POST',
      `/b2b/organizations/members/connected_apps/${id}/revoke`,
      FIXTURE.graceToken,
    )
    expect(revoked.status).toBe(200)
    expect(
      (await b2bSdk('GET', '/b2b/organizations/members/connected_apps', FIXTURE.graceToken)).data
        .connected_apps,
    ).toEqual([])
  })

  it('the logout preflight checks the post-logout URL and asks unless the ID token names the caller', async () => {
    const id = await newClient('third_party')
    const ok = await sdkCallOf(mock, 'POST', '/oauth/logout/start', null, {
      client_id: id,
      post_logout_redirect_uri: LOGOUT,
      state: 'bye',
    })
    expect(ok.data).toMatchObject({ consent_required: true })
    expect(new URL(ok.data.redirect_uri).searchParams.get('state')).toBe('bye')
    const bad = await sdkCallOf(mock, 'POST', '/oauth/logout/start', null, {
      client_id: id,
      post_logout_redirect_uri: 'https://evil.example.com/',
    })
    expect(bad.error).toBe('oauth_invalid_request')
    const unknown = await sdkCallOf(mock, 'POST', '/oauth/logout/start', null, {
      client_id: 'nope',
      post_logout_redirect_uri: LOGOUT,
    })
    expect(unknown.error).toBe('connected_app_not_found')
    // A token signed with the project's key for this client, naming Ada.
    const hint = await signIdToken(id, FIXTURE.adaUserId)
    const mine = await sdkCallOf(mock, 'POST', '/oauth/logout/start', FIXTURE.adaToken, {
      client_id: id,
      post_logout_redirect_uri: LOGOUT,
      id_token_hint: hint,
    })
    expect(mine.data.consent_required).toBe(false)
    const forged = await sdkCallOf(mock, 'POST', '/oauth/logout/start', FIXTURE.adaToken, {
      client_id: id,
      post_logout_redirect_uri: LOGOUT,
      id_token_hint: hint.slice(0, -4) + 'AAAA',
    })
    expect(forged.data.consent_required).toBe(true)
    const b2bLogout = await b2bSdk('POST', '/b2b/oauth/logout/start', null, {
      client_id: id,
      post_logout_redirect_uri: LOGOUT,
    })
    expect(b2bLogout.data.consent_required).toBe(true)
  })
})

/** An ID token as the token endpoint would sign it: the JWKS's active key, aud the client. */
async function signIdToken(clientId: string, sub: string): Promise<string> {
  const { SignJWT } = await import('jose')
  const key = mock.world.keys.ring.active
  return new SignJWT({ sub, aud: clientId })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .setIssuedAt()
    .sign(key.privateKey)
}

describe("an organization's Connected Apps policy", () => {
  const bSubmit = (client_id: string, extra: Loose = {}) =>
    b2b.idp.oauth.authorize({
      client_id,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scopes: ['openid'],
      session_token: FIXTURE.graceToken,
      consent_granted: true,
      ...extra,
    } as stytch.B2BIDPOAuthAuthorizeRequest)
  const bStart = (client_id: string) =>
    b2b.idp.oauth.authorizeStart({
      client_id,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scopes: ['openid'],
      session_token: FIXTURE.graceToken,
    })
  const policy = (extra: Partial<stytch.B2BOrganizationsUpdateRequest>) =>
    b2b.organizations.update({ organization_id: ACME.organization_id, ...extra })

  it('a member may authorize only the clients its organization allows', async () => {
    const third = await newClient('third_party')
    const first = await newClient('first_party')
    const allowed = await newClient('third_party')
    // A code issued while allowed is not spent once the organization says no.
    const early = (await bSubmit(third)).authorization_code!
    await policy({
      third_party_connected_apps_allowed_type: 'RESTRICTED',
      allowed_third_party_connected_apps: [allowed],
      first_party_connected_apps_allowed_type: 'NOT_ALLOWED',
    })
    for (const id of [third, first]) {
      expect((await failure(bStart(id))).type).toBe('connected_app_not_allowed_by_organization')
      expect((await failure(bSubmit(id))).type).toBe('connected_app_not_allowed_by_organization')
    }
    expect(take(early)).toBeNull()
    expect((await bStart(allowed)).consent_required).toBe(true)
    expect(take((await bSubmit(allowed)).authorization_code!)).not.toBeNull()
    // By organization_id and member_id as well; another organization's policy is its own.
    expect(
      (
        await failure(
          b2b.idp.oauth.authorizeStart({
            client_id: third,
            redirect_uri: CALLBACK,
            response_type: 'code',
            scopes: ['openid'],
            organization_id: ACME.organization_id,
            member_id: ACME.member_id,
          }),
        )
      ).type,
    ).toBe('connected_app_not_allowed_by_organization')
    await policy({ first_party_connected_apps_allowed_type: 'ALL_ALLOWED' })
    expect((await bStart(first)).client.client_id).toBe(first)
  })

  it('a grant the policy no longer allows is revoked when the policy changes', async () => {
    const kept = await newClient('third_party')
    const dropped = await newClient('third_party')
    await policy({ third_party_connected_apps_allowed_type: 'ALL_ALLOWED' })
    for (const id of [kept, dropped]) await bSubmit(id)
    const apps = async () =>
      (
        await b2b.organizations.members.getConnectedApps({
          organization_id: ACME.organization_id,
          member_id: ACME.member_id,
        })
      ).connected_apps.map((a) => a.connected_app_id)
    expect(await apps()).toEqual(expect.arrayContaining([kept, dropped]))
    const revoked: string[] = []
    mock.world.idp.onGrantRevoked((clientId) => revoked.push(clientId))
    await policy({
      third_party_connected_apps_allowed_type: 'RESTRICTED',
      allowed_third_party_connected_apps: [kept],
    })
    expect(await apps()).toContain(kept)
    expect(await apps()).not.toContain(dropped)
    expect(revoked).toContain(dropped)
    expect(revoked).not.toContain(kept)
    await policy({ third_party_connected_apps_allowed_type: 'ALL_ALLOWED' })
  })
})
