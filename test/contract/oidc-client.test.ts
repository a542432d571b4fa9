// An off-the-shelf OpenID Connect client (panva's openid-client, not written here) against the
// mock as Stytch's Connected Apps provider (#29): discovery, dynamic client registration (RFC
// 7591, as an MCP client registers), the authorization-code flow with PKCE (the consent given
// through the backend SDK's idp.oauth.authorize, as an app's authorization page does), a refresh,
// and userinfo; then the SDK reads the token.
import * as client from 'openid-client'
import * as stytch from 'stytch'
import { beforeAll, describe, expect, it } from 'vitest'
import { controlOf, mockWithSdk } from '../helpers/server.js'
import { FIXTURE } from '../helpers/world.js'

const sdk = mockWithSdk((options) => new stytch.Client(options))
const REDIRECT = 'http://localhost:6274/oauth/callback'
const AUTHORIZE_PAGE = 'http://localhost:5173/oauth/authorize'

beforeAll(async () => {
  const control = controlOf(sdk.mock)
  expect(
    (await control('PUT', '/_mock/connected_apps/settings', { dynamic_client_registration: true }))
      .status,
  ).toBe(200)
  expect(
    (
      await control('PUT', '/_mock/connected_apps/authorization_url', {
        authorization_url: AUTHORIZE_PAGE,
      })
    ).status,
  ).toBe(200)
})

/** What the app's authorization page does with the request the client sent it to. */
async function consent(authorizationUrl: URL): Promise<URL> {
  expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(AUTHORIZE_PAGE)
  const q = authorizationUrl.searchParams
  const answer = await sdk.client.idp.oauth.authorize({
    consent_granted: true,
    client_id: q.get('client_id')!,
    redirect_uri: q.get('redirect_uri')!,
    response_type: q.get('response_type')!,
    scopes: q.get('scope')!.split(' '),
    state: q.get('state')!,
    nonce: q.get('nonce')!,
    code_challenge: q.get('code_challenge')!,
    user_id: FIXTURE.adaUserId,
  })
  return new URL(answer.redirect_uri)
}

describe('openid-client against the mock', () => {
  it('discovery, registration, code flow with PKCE, refresh and userinfo', async () => {
    const issuer = new URL(sdk.mock.url)
    // Discovery over plain HTTP on loopback (the mock's test origin).
    const found = await client.discovery(issuer, 'placeholder', undefined, undefined, {
      execute: [client.allowInsecureRequests],
    })
    const metadata = found.serverMetadata()
    expect(metadata.issuer).toBe(sdk.mock.url)
    expect(metadata.code_challenge_methods_supported).toContain('S256')

    // Dynamic client registration: a public client, as MCP clients register.
    const registered = await client.dynamicClientRegistration(
      issuer,
      {
        client_name: 'openid-client test',
        redirect_uris: [REDIRECT],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      client.None(),
      { execute: [client.allowInsecureRequests] },
    )
    const clientId = registered.clientMetadata().client_id
    expect(clientId).toMatch(/^connected-app-test-/)

    const verifier = client.randomPKCECodeVerifier()
    const state = client.randomState()
    const nonce = client.randomNonce()
    const authorizationUrl = client.buildAuthorizationUrl(registered, {
      redirect_uri: REDIRECT,
      scope: 'openid email profile offline_access',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    })
    const callback = await consent(authorizationUrl)
    expect(callback.origin + callback.pathname).toBe(REDIRECT)
    expect(callback.searchParams.get('state')).toBe(state)

    const tokens = await client.authorizationCodeGrant(registered, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    })
    const claims = tokens.claims()!
    expect(claims.sub).toBe(FIXTURE.adaUserId)
    expect(claims.aud).toEqual([clientId])
    expect(tokens.refresh_token).toBeTruthy()

    const info = await client.fetchUserInfo(registered, tokens.access_token, claims.sub)
    expect(info.sub).toBe(FIXTURE.adaUserId)
    expect(info.email_verified).toBe(true)

    // A public client's refresh token rotates.
    const refreshed = await client.refreshTokenGrant(registered, tokens.refresh_token!)
    expect(refreshed.refresh_token).toBeTruthy()
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token)
    expect(refreshed.claims()!.sub).toBe(FIXTURE.adaUserId)

    // The app's backend reads the token with the Stytch SDK, locally and over the network.
    const local = await sdk.client.idp.introspectTokenLocal(refreshed.access_token, {
      current_date: new Date(sdk.mock.clock.nowMs()),
    })
    expect(local).toMatchObject({ subject: FIXTURE.adaUserId, issuer: sdk.mock.url })
    const network = await sdk.client.idp.introspectTokenNetwork({
      token: refreshed.access_token,
      client_id: clientId,
    })
    expect(network.scope).toBe('openid email profile offline_access')

    // Revoked (RFC 7009 through the client library): the refresh token is gone.
    await client.tokenRevocation(registered, refreshed.refresh_token!)
    await expect(
      client.refreshTokenGrant(registered, refreshed.refresh_token!),
    ).rejects.toMatchObject({ error: 'invalid_grant' })
  })
})
