// Issue #29, "Proof": Stytch's pre-built IdentityProvider (mountIdentityProvider from the
// unmodified @stytch/vanilla-js bundles, consumer and B2B) on an app's authorize page, in
// Chromium, against the mock. A logged-in user (member) opens the page with a Connected App's
// authorization request; the component runs idp.oauthAuthorizeStart, shows the consent screen,
// the user clicks Allow (or Deny), and the browser lands on the client's redirect URL with a code
// and the state (or error=access_denied). The code is then exchanged by an off-the-shelf OpenID
// Connect client (openid-client: discovery, PKCE, authorizationCodeGrant, refreshTokenGrant) at
// the mock's token endpoint. The page may talk to its own origin and the mock only.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as oidc from 'openid-client'
import { describe, expect, it } from 'vitest'
import { packageRoot } from '../../server/paths.js'
import { controlOf } from '../helpers/server.js'
import { FIXTURE } from '../helpers/world.js'
import { startMock } from './harness.js'
import { browserSuite, serveApp } from './ui-harness.js'

type Mock = Awaited<ReturnType<typeof startMock>>

const bundle = (path: string) =>
  readFileSync(join(packageRoot(), 'node_modules/@stytch/vanilla-js/dist/iife', path), 'utf8')
const CONSUMER_UI = bundle('index.js')
const B2B_UI = bundle('b2b/index.js')

function authorizePage(mock: Mock, kind: 'consumer' | 'b2b') {
  const make =
    kind === 'consumer'
      ? `new stytch.StytchUIClient(${JSON.stringify(mock.config.publicToken)}, opts)`
      : `new stytch.StytchB2BUIClient(${JSON.stringify(mock.config.b2bPublicToken)}, opts)`
  return `<!doctype html><html><head><meta charset="utf-8"><title>Authorize</title>
<link rel="icon" href="data:,"><script src="/${kind}-ui.js"></script></head>
<body><div id="idp"></div>
<script>
window.uiEvents = []
window.uiErrors = []
const opts = { endpoints: { testAPIURL: ${JSON.stringify(mock.base)}, liveAPIURL: ${JSON.stringify(mock.base)} } }
const client = ${make}
const props = {
  client,
  callbacks: {
    onEvent: (e) => uiEvents.push(e.type),
    onError: (e) => uiErrors.push({ error_type: e.error_type, message: e.message }),
  },
}
// As the pre-built login pages do: mount, then hand the component its props.
stytch.mountIdentityProvider({ elementId: '#idp', ...props }).render(props)
</script></body></html>`
}

async function startApp(mock: Mock) {
  return serveApp(() => ({
    '/consumer-ui.js': ['text/javascript', CONSUMER_UI],
    '/b2b-ui.js': ['text/javascript', B2B_UI],
    '/authorize.html': ['text/html', authorizePage(mock, 'consumer')],
    '/b2b-authorize.html': ['text/html', authorizePage(mock, 'b2b')],
    '/callback': ['text/html', '<!doctype html><title>Callback</title><p>Back at the app.</p>'],
  }))
}

const ui = browserSuite({ artifacts: 'idp-ui', app: startApp, backend: 'consumer' })

/** A third-party client whose redirect URL is the app's callback page. */
async function partnerClient(client_type: 'third_party' | 'third_party_public' = 'third_party') {
  const { connected_app } = await ui.backend.connectedApp.clients.create({
    client_type,
    client_name: 'Partner Notes',
    client_description: 'Reads your notes.',
    redirect_urls: [`${ui.app.origin}/callback`],
  })
  return connected_app
}

/** Logged in (the cookie an app's backend leaves), then at the authorize page with the request. */
/** Offline but for the app and the mock, and every call to the mock answered. */
function expectClean() {
  expect(ui.seen.foreign).toEqual([])
  // The SDK's telemetry may still be in flight when the page leaves for the redirect URL.
  const answered = ui.seen.mock.filter((r) => !(r.path === '/sdk/v1/events' && r.failure))
  expect(answered.filter((r) => r.failure || (r.status ?? 0) >= 400)).toEqual([])
}

async function openAuthorize(path: string, token: string, params: Record<string, string>) {
  await ui.browser.context.addCookies([
    { name: 'stytch_session', value: token, domain: 'localhost', path: '/' },
  ])
  await ui.browser.page.goto(`${ui.app.origin}${path}?${new URLSearchParams(params)}`)
}

describe('the IdentityProvider component', () => {
  it('a logged-in user consents; the app gets a code that openid-client exchanges and refreshes', async () => {
    const app = await partnerClient()
    const verifier = oidc.randomPKCECodeVerifier()
    const challenge = await oidc.calculatePKCECodeChallenge(verifier)
    const state = oidc.randomState()
    const redirect_uri = `${ui.app.origin}/callback`
    await openAuthorize('/authorize.html', FIXTURE.adaToken, {
      client_id: app.client_id,
      redirect_uri,
      response_type: 'code',
      scope: 'openid email profile offline_access',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })
    const page = ui.browser.page
    await page.getByRole('button', { name: 'Allow' }).waitFor({ timeout: 15_000 })
    await expect(page.getByText('Partner Notes').first().isVisible()).resolves.toBe(true)
    await ui.shot('consent')
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/callback', { timeout: 15_000 }),
      page.getByRole('button', { name: 'Allow' }).click(),
    ])
    const landed = new URL(page.url())
    expect(landed.searchParams.get('state')).toBe(state)
    const code = landed.searchParams.get('code')
    expect(code).toBeTruthy()
    const grants = await ui.backend.users.connectedApps({ user_id: FIXTURE.adaUserId })
    expect(grants.connected_apps.map((a) => a.connected_app_id)).toContain(app.client_id)

    // The token endpoint (products/idp-tokens), driven by openid-client.
    const config = await oidc.discovery(
      new URL(ui.mock.url),
      app.client_id,
      app.client_secret!,
      oidc.ClientSecretPost(app.client_secret!),
      { execute: [oidc.allowInsecureRequests] },
    )
    const tokens = await oidc.authorizationCodeGrant(config, landed, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    })
    expect(tokens.access_token).toBeTruthy()
    expect(tokens.claims()?.sub).toBe(FIXTURE.adaUserId)
    expect(tokens.refresh_token).toBeTruthy()
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!)
    expect(refreshed.access_token).toBeTruthy()
    expect(refreshed.access_token).not.toBe(tokens.access_token)
    expectClean()
  })

  it('an MCP client: discovery, dynamic registration, the consent in the component, PKCE and a refresh', async () => {
    const control = controlOf(ui.mock)
    const authorizePage = `${ui.app.origin}/authorize.html`
    expect(
      (
        await control('PUT', '/_mock/connected_apps/settings', {
          dynamic_client_registration: true,
        })
      ).status,
    ).toBe(200)
    expect(
      (
        await control('PUT', '/_mock/connected_apps/authorization_url', {
          authorization_url: authorizePage,
        })
      ).status,
    ).toBe(200)
    const insecure = { execute: [oidc.allowInsecureRequests] }
    const redirect_uri = `${ui.app.origin}/callback`
    // What an MCP client does with nothing but the server's URL: discover, register, authorize.
    const registered = await oidc.dynamicClientRegistration(
      new URL(ui.mock.url),
      {
        client_name: 'MCP client under test',
        redirect_uris: [redirect_uri],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      oidc.None(),
      insecure,
    )
    const verifier = oidc.randomPKCECodeVerifier()
    const state = oidc.randomState()
    const url = oidc.buildAuthorizationUrl(registered, {
      redirect_uri,
      scope: 'openid email offline_access',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    })
    expect(url.origin + url.pathname).toBe(authorizePage)
    await ui.browser.context.addCookies([
      { name: 'stytch_session', value: FIXTURE.adaToken, domain: 'localhost', path: '/' },
    ])
    await ui.browser.page.goto(url.href)
    const page = ui.browser.page
    await page.getByRole('button', { name: 'Allow' }).waitFor({ timeout: 15_000 })
    await expect(page.getByText('MCP client under test').first().isVisible()).resolves.toBe(true)
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/callback', { timeout: 15_000 }),
      page.getByRole('button', { name: 'Allow' }).click(),
    ])
    const tokens = await oidc.authorizationCodeGrant(registered, new URL(page.url()), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    })
    expect(tokens.claims()?.sub).toBe(FIXTURE.adaUserId)
    expect(tokens.scope?.split(' ').sort()).toEqual(['email', 'offline_access', 'openid'])
    const refreshed = await oidc.refreshTokenGrant(registered, tokens.refresh_token!)
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token)
    const info = await oidc.fetchUserInfo(registered, refreshed.access_token, FIXTURE.adaUserId)
    expect(info.email).toBeTruthy()
    expectClean()
    await control('PUT', '/_mock/connected_apps/settings', { dynamic_client_registration: false })
  })

  it('a denied consent sends the browser back with error=access_denied', async () => {
    const app = await partnerClient('third_party_public')
    await openAuthorize('/authorize.html', FIXTURE.adaToken, {
      client_id: app.client_id,
      redirect_uri: `${ui.app.origin}/callback`,
      scope: 'openid email',
      state: 'deny-1',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
    })
    const page = ui.browser.page
    await page.getByRole('button', { name: 'Deny' }).waitFor({ timeout: 15_000 })
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/callback', { timeout: 15_000 }),
      page.getByRole('button', { name: 'Deny' }).click(),
    ])
    const landed = new URL(page.url())
    expect(landed.searchParams.get('error')).toBe('access_denied')
    expect(landed.searchParams.get('state')).toBe('deny-1')
    expect(landed.searchParams.has('code')).toBe(false)
    expectClean()
  })

  it('a member consents in the B2B component', async () => {
    const app = await partnerClient()
    await openAuthorize('/b2b-authorize.html', FIXTURE.graceToken, {
      client_id: app.client_id,
      redirect_uri: `${ui.app.origin}/callback`,
      scope: 'openid email',
      state: 'b2b-1',
    })
    const page = ui.browser.page
    await page.getByRole('button', { name: 'Allow' }).waitFor({ timeout: 15_000 })
    await ui.shot('b2b-consent')
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/callback', { timeout: 15_000 }),
      page.getByRole('button', { name: 'Allow' }).click(),
    ])
    const landed = new URL(page.url())
    expect(landed.searchParams.get('state')).toBe('b2b-1')
    const code = landed.searchParams.get('code')!
    expect(ui.mock.world.idp.takeCode(code)).toMatchObject({
      subject: { kind: 'b2b', member_id: FIXTURE.acme.member_id },
    })
    expectClean()
  })
})
