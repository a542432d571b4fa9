// Issue #30, "Proof": Stytch's pre-built B2B login UI (StytchB2BUIClient.mount from the unmodified
// @stytch/vanilla-js B2B UI bundle) logs in through SAML single sign-on offline against the mock,
// in Chromium, with the mock standing in for the identity provider. Discovery: "Use single
// sign-on", the email, the one connection sso.discoverConnections finds, the SDK's sso.start to
// the mock, the mock's identity-provider page (an identity typed, with groups), the signed
// SAMLResponse posted by the page to the ACS, back at the app with stytch_token_type=sso, which
// the UI authenticates on mount: logged in; the Node SDK finds the JIT-provisioned member holding
// the role its IdP group maps to, in the session too. An organization's login page: "Continue
// with <connection>", a member picked on the page. An organization requiring MFA: the login ends
// on the UI's MFA screen with an intermediate session. The page may talk to its own origin and the
// mock only; every request to the mock must be answered 2xx (or the journey's redirects).
// Screenshots of each step go to test/browser/artifacts/sso-ui/ (git-ignored).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { packageRoot } from '../../server/paths.js'
import { standInSaml } from '../helpers/sso.js'
import { api, startMock } from './harness.js'
import {
  B2B_UI_CONSOLE,
  browserSuite,
  callOf,
  expectMockAnswered,
  nextCall,
  serveApp,
} from './ui-harness.js'

type Mock = Awaited<ReturnType<typeof startMock>>

const UI_BUNDLE = readFileSync(
  join(packageRoot(), 'node_modules/@stytch/vanilla-js/dist/iife/b2b/index.js'),
  'utf8',
)
const SESSION_MINUTES = 60
const random = () => Math.random().toString(36).slice(2, 10)
const DOMAIN = `sso-${random()}.example`

/** The organizations and connections the tests log in to (made in beforeAll). */
const world = {
  acme: { organization_id: '', slug: `acme-sso-${random()}`, connection_id: '' },
  mfa: { organization_id: '', slug: `mfa-sso-${random()}`, connection_id: '' },
}
const MEMBER = `grace@${DOMAIN}`

function page(mock: Mock, config: string) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>stytch-mock SSO</title>
<link rel="icon" href="data:,"><script src="/stytch-b2b-ui.js"></script></head>
<body><div id="login"></div>
<script>
window.uiEvents = []
window.uiErrors = []
const client = new stytch.StytchB2BUIClient(${JSON.stringify(mock.config.b2bPublicToken)}, {
  endpoints: { testAPIURL: ${JSON.stringify(mock.base)}, liveAPIURL: ${JSON.stringify(mock.base)} },
})
window.client = client
const props = {
  client,
  config: ${config},
  callbacks: {
    onEvent: (e) => uiEvents.push(e.type),
    onError: (e) => uiErrors.push({ error_type: e.error_type, message: e.message }),
  },
}
const element = client.mount({ elementId: '#login', ...props })
element.render(props)
</script></body></html>`
}

async function startApp(mock: Mock) {
  let origin = ''
  const sso = () => `ssoOptions: {
      loginRedirectURL: ${JSON.stringify(`${origin}/done.html`)},
      signupRedirectURL: ${JSON.stringify(`${origin}/done.html`)},
    }`
  const discovery = () => `{
    authFlowType: stytch.AuthFlowType.Discovery,
    products: [stytch.B2BProducts.emailMagicLinks, stytch.B2BProducts.sso],
    sessionOptions: { sessionDurationMinutes: ${SESSION_MINUTES} },
    emailMagicLinksOptions: { discoveryRedirectURL: ${JSON.stringify(`${origin}/done.html`)} },
    ${sso()},
  }`
  const organization = (slug: string) => `{
    authFlowType: stytch.AuthFlowType.Organization,
    organizationSlug: ${JSON.stringify(slug)},
    products: [stytch.B2BProducts.sso],
    sessionOptions: { sessionDurationMinutes: ${SESSION_MINUTES} },
    ${sso()},
  }`
  return serveApp((at) => {
    origin = at
    return {
      '/stytch-b2b-ui.js': ['text/javascript', UI_BUNDLE],
      '/discovery.html': ['text/html', page(mock, discovery())],
      // Where the identity provider's answer lands: the same UI authenticates the token on mount.
      '/done.html': ['text/html', page(mock, discovery())],
      '/acme.html': ['text/html', page(mock, organization(world.acme.slug))],
      '/mfa.html': ['text/html', page(mock, organization(world.mfa.slug))],
    }
  })
}

const ui = browserSuite({ artifacts: 'sso-ui', app: startApp, backend: 'b2b' })
const shot = ui.shot

/** An organization with an active SAML connection of the mock's stand-in identity provider. */
async function organizationWithSaml(
  entry: { organization_id: string; slug: string; connection_id: string },
  settings: Record<string, unknown>,
) {
  const b2b = ui.backend
  const { organization } = await b2b.organizations.create({
    organization_name: entry.slug,
    organization_slug: entry.slug,
    ...settings,
  })
  entry.organization_id = organization.organization_id
  const active = await standInSaml(
    b2b,
    ui.mock.url,
    entry.organization_id,
    { saml_group_implicit_role_assignments: [{ role_id: 'stytch_admin', group: 'admins' }] },
    { identity_provider: 'okta' },
  )
  entry.connection_id = active.connection_id
}

beforeAll(async () => {
  await organizationWithSaml(world.acme, { email_allowed_domains: [DOMAIN] })
  await organizationWithSaml(world.mfa, { mfa_policy: 'REQUIRED_FOR_ALL' })
  await ui.backend.organizations.members.create({
    organization_id: world.acme.organization_id,
    email_address: MEMBER,
    name: 'Grace Hopper',
  })
})

/** The journey's navigations through the mock that answer with a redirect. */
const redirects = (connectionId: string): Record<string, number[]> => ({
  'GET /v1/public/sso/start': [302],
  [`POST /v1/b2b/sso/callback/${connectionId}`]: [302],
})

/** Console lines expected here besides the B2B UI's own, each with why. */
const EXPLAINED_CONSOLE: [RegExp, string][] = [
  ...B2B_UI_CONSOLE,
  [
    /^warning: .*No code verifier found in local storage for SSO flow\./,
    "the SDK's note when the bootstrap does not ask for PKCE (the mock's default: STYTCH_MOCK_PKCE off)",
  ],
]

function expectQuiet() {
  expect(ui.seen.foreign).toEqual([])
  expect(ui.seen.errors).toEqual([])
  expect(
    ui.seen.console.filter(
      (l) => /^(warning|error)/.test(l) && !EXPLAINED_CONSOLE.some(([re]) => re.test(l)),
    ),
  ).toEqual([])
}

/** Waits for the mock's identity-provider page the start led to; checks the start's query. */
async function atIdentityProvider(connectionId: string) {
  const { page } = ui.browser
  await page.waitForURL((url) => url.pathname === `/v1/public/sso/idp/${connectionId}/saml`)
  const url = new URL(page.url())
  expect(url.origin).toBe(new URL(ui.mock.base).origin)
  expect(url.searchParams.get('SAMLRequest')).toBeTruthy()
  expect(url.searchParams.get('RelayState')).toBeTruthy()
  await expect
    .poll(() => page.getByRole('heading', { name: 'Sign in to Acme SAML' }).count())
    .toBe(1)
  await expect.poll(() => page.locator('main').innerText()).toContain('stands in for Okta')
  return page
}

/** The answer at the page: back at the app, the UI's sso.authenticate call and its answer. */
async function backAtApp(action: () => Promise<void>) {
  const { page } = ui.browser
  const landed = page.waitForRequest(
    (r) => r.isNavigationRequest() && r.url().startsWith(`${ui.app.origin}/done.html?`),
  )
  const authenticated = nextCall(page, ui.mock, '/sdk/v1/b2b/sso/authenticate')
  await action()
  const landing = await landed
  const url = new URL(landing.url())
  expect(url.searchParams.get('stytch_token_type')).toBe('sso')
  const token = url.searchParams.get('token')
  const from = landing.redirectedFrom()
  expect(from?.method()).toBe('POST')
  expect(new URL(from!.url()).pathname).toMatch(/^\/v1\/b2b\/sso\/callback\//)
  const call = await callOf(await authenticated)
  expect(call.request).toMatchObject({
    sso_token: token,
    session_duration_minutes: SESSION_MINUTES,
  })
  expect(call.status, JSON.stringify(call.body)).toBe(200)
  return call.body.data
}

describe('the pre-built B2B UI, SAML single sign-on through the mock', () => {
  it('discovery: Use single sign-on → email → the mock IdP page → an identity with groups → logged in as a JIT member with the mapped role', async () => {
    const { page } = ui.browser
    const email = `ada-${random()}@${DOMAIN}`
    await page.goto(`${ui.app.origin}/discovery.html`)
    const sso = page.getByRole('button', { name: 'Use single sign-on' })
    await expect.poll(() => sso.count()).toBe(1)
    await shot('1-use-single-sign-on')
    await sso.click()
    await expect.poll(() => page.getByText('Enter your email to continue').count()).toBe(1)
    await page.getByLabel('Email').fill(email)
    const discovered = page.waitForResponse((r) =>
      r.url().startsWith(`${ui.mock.base}/sdk/v1/b2b/sso/discovery/connections?`),
    )
    await page.getByRole('button', { name: 'Continue' }).click()
    // One connection found (the address's domain may join Acme by JIT): the UI starts it at once.
    expect((await discovered).status()).toBe(200)

    await atIdentityProvider(world.acme.connection_id)
    await shot('2-identity-provider')
    await page.getByLabel('Email', { exact: true }).fill(email)
    await page.getByLabel('First name (optional)').fill('Ada')
    await page.getByLabel('Last name (optional)').fill('Lovelace')
    await page.getByLabel('Groups (optional, comma-separated)').fill('admins, staff')
    const data = await backAtApp(() => page.getByRole('button', { name: 'Sign in' }).click())
    expect(data).toMatchObject({ member_authenticated: true, reset_session: false })
    await expect.poll(() => page.getByText('You have successfully logged in.').count()).toBe(1)
    await shot('3-logged-in')

    // The backend's view of the browser's session: the JIT member, its role from the IdP group.
    const cookies = await ui.browser.context.cookies(ui.app.origin)
    const token = cookies.find((c) => c.name === 'stytch_session')?.value
    expect(token).toBeTruthy()
    const session = await ui.backend.sessions.authenticate({ session_token: token! })
    expect(session.member).toMatchObject({ email_address: email, name: 'Ada Lovelace' })
    expect(session.member.roles).toContainEqual({
      role_id: 'stytch_admin',
      sources: [
        {
          type: 'sso_connection_group',
          details: { connection_id: world.acme.connection_id, group: 'admins' },
        },
      ],
    })
    expect(session.member_session.roles).toContain('stytch_admin')
    expect(session.member_session.authentication_factors[0]).toMatchObject({
      type: 'sso',
      delivery_method: 'sso_saml',
      saml_sso_factor: { provider_id: world.acme.connection_id, external_id: email },
    })
    await expectMockAnswered(ui.seen, redirects(world.acme.connection_id))
    expectQuiet()
  })

  it("an organization's login page: Continue with Acme SAML → a member picked on the page → logged in", async () => {
    const { page } = ui.browser
    await page.goto(`${ui.app.origin}/acme.html`)
    const button = page.getByRole('button', { name: 'Continue with Acme SAML' })
    await expect.poll(() => button.count()).toBe(1)
    await shot('1-continue-with')
    await button.click()
    await atIdentityProvider(world.acme.connection_id)
    await shot('2-identity-provider')
    const data = await backAtApp(() =>
      page.getByRole('button', { name: new RegExp(`^Grace Hopper\\s*${MEMBER}$`) }).click(),
    )
    expect(data.member).toMatchObject({ email_address: MEMBER, name: 'Grace Hopper' })
    expect(data.member_authenticated).toBe(true)
    await expect.poll(() => page.getByText('You have successfully logged in.').count()).toBe(1)
    await shot('3-logged-in')
    await expectMockAnswered(ui.seen, redirects(world.acme.connection_id))
    expectQuiet()
  })

  it('a queued answer (/_mock/sso/answers) skips the identity provider: Continue with Acme SAML → logged in', async () => {
    const { page } = ui.browser
    const email = `queued-${random()}@${DOMAIN}`
    const queued = await api(ui.mock)('/_mock/sso/answers', {
      email,
      first_name: 'Quinn',
      last_name: 'Queued',
      groups: ['admins'],
    })
    expect(queued.status, JSON.stringify(queued.body)).toBe(200)
    await page.goto(`${ui.app.origin}/acme.html`)
    const button = page.getByRole('button', { name: 'Continue with Acme SAML' })
    await expect.poll(() => button.count()).toBe(1)
    const landed = page.waitForRequest(
      (r) => r.isNavigationRequest() && r.url().startsWith(`${ui.app.origin}/done.html?`),
    )
    const authenticated = nextCall(page, ui.mock, '/sdk/v1/b2b/sso/authenticate')
    await button.click()
    // Straight from the start to the app: no page of the identity provider in between.
    const from = (await landed).redirectedFrom()
    expect(new URL(from!.url()).pathname).toBe('/v1/public/sso/start')
    const call = await callOf(await authenticated)
    expect(call.status, JSON.stringify(call.body)).toBe(200)
    expect(call.body.data.member).toMatchObject({ email_address: email, name: 'Quinn Queued' })
    expect(call.body.data.member_session.roles).toContain('stytch_admin')
    await expect.poll(() => page.getByText('You have successfully logged in.').count()).toBe(1)
    expect(ui.seen.mock.map((r) => r.path)).not.toContain(
      `/v1/public/sso/idp/${world.acme.connection_id}/saml`,
    )
    await expectMockAnswered(ui.seen, redirects(world.acme.connection_id))
    expectQuiet()
  })

  it('an organization requiring MFA: the SSO login ends on the MFA screen with an intermediate session', async () => {
    const { page } = ui.browser
    const email = `mfa-${random()}@${DOMAIN}`
    await page.goto(`${ui.app.origin}/mfa.html`)
    const button = page.getByRole('button', { name: 'Continue with Acme SAML' })
    await expect.poll(() => button.count()).toBe(1)
    await button.click()
    await atIdentityProvider(world.mfa.connection_id)
    await page.getByLabel('Email', { exact: true }).fill(email)
    const data = await backAtApp(() => page.getByRole('button', { name: 'Sign in' }).click())
    expect(data).toMatchObject({
      member_authenticated: false,
      session_token: '',
      intermediate_session_token: expect.stringMatching(/^[\w-]{44}$/),
      mfa_required: expect.any(Object),
    })
    await expect.poll(() => page.getByText('Set up Multi-Factor Authentication').count()).toBe(1)
    await shot('2-mfa')
    const cookies = await ui.browser.context.cookies(ui.app.origin)
    expect(cookies.map((c) => c.name)).not.toContain('stytch_session')
    expect(cookies.find((c) => c.name === 'stytch_intermediate_session_token')?.value).toBe(
      data.intermediate_session_token,
    )
    // The member exists (JIT), with no session yet.
    const { member } = await ui.backend.organizations.members.get({
      organization_id: world.mfa.organization_id,
      email_address: email,
    })
    expect(member.sso_registrations[0]!.connection_id).toBe(world.mfa.connection_id)
    await expectMockAnswered(ui.seen, redirects(world.mfa.connection_id))
    expectQuiet()
  })
})
