// Issue #25, "Proof": password resets through Stytch's pre-built UIs (the unmodified
// @stytch/vanilla-js UI bundles), in Chromium, offline against the mock. Consumer: the pre-built
// login with passwords, "Forgot your password?", the reset email's link read from the outbox, the
// pre-built StytchPasswordReset (mountResetPassword) on the app's reset page (the strength check
// while typing, then the reset), logged in; then the new password logs in through the login UI.
// B2B, the Discovery flow with passwords: "Sign up or reset password", the discovery reset link,
// the UI's reset screen (stytch_redirect_type=reset_password), the organizations, one entered; a
// password login through discovery. And an organization's login page (organizationSlug): the
// slug lookup, the member lookup, the password; its reset through the multi_tenant_passwords
// link. The headless password methods too. Every session the UIs end with is checked through the
// official Node SDK. The page may talk to its own origin and the mock only (anything else is
// recorded, aborted as offline, and asserted); every request to the mock must be answered 2xx.
// Screenshots of each step go to test/browser/artifacts/password-ui/ (git-ignored).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as stytch from 'stytch'
import { beforeEach, describe, expect, it } from 'vitest'
import { packageRoot } from '../../server/paths.js'
import { FIXTURE } from '../helpers/world.js'
import { api, openBrowser, startMock } from './harness.js'
import {
  browserSuite,
  callOf,
  expectMockAnswered,
  newestMessage,
  nextCall,
  serveApp,
  watch,
  type Seen,
} from './ui-harness.js'

type Mock = Awaited<ReturnType<typeof startMock>>

const bundle = (path: string) =>
  readFileSync(join(packageRoot(), `node_modules/@stytch/vanilla-js/dist/iife/${path}`), 'utf8')
const OLD = 'correct-horse-battery'
const NEW = 'another long pass phrase'
const GRACE = 'grace@example.com'
const random = () => Math.random().toString(36).slice(2, 10)

/** A page of the app: the UI bundle, then the script, with the mock's address and public token. */
function page(bundleFile: string, publicToken: string, mock: Mock, body: string, script: string) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>stytch-mock password UI</title>
<link rel="icon" href="data:,"><script src="/${bundleFile}"></script></head>
<body>${body}
<script>
const PUBLIC_TOKEN = ${JSON.stringify(publicToken)}
const API_BASE = ${JSON.stringify(mock.base)}
window.uiErrors = []
${script}
</script></body></html>`
}

/**
 * Mounts a pre-built component with these props; @stytch/vanilla-js 6.3.0 appends the element
 * without its props on the first mount, and it renders nothing until they are set.
 */
const mount = (client: string, call: string, props: string) => `const client = ${client}
window.client = client
const props = { client, ...${props}, callbacks: { onError: (e) => uiErrors.push(e.error_type) } }
const element = client.${call}({ elementId: '#ui', ...props })
element.render(props)`

function startApp(mock: Mock) {
  let origin = ''
  const consumer = (call: string) =>
    page(
      'stytch-ui.js',
      mock.config.publicToken,
      mock,
      '<div id="ui"></div>',
      mount(
        `new stytch.StytchUIClient(PUBLIC_TOKEN, { endpoints: { testAPIURL: API_BASE, liveAPIURL: API_BASE } })`,
        call,
        `{ config: {
    products: [stytch.Products.passwords],
    passwordOptions: {
      loginRedirectURL: ${JSON.stringify(`${origin}/login.html`)},
      resetPasswordRedirectURL: ${JSON.stringify(`${origin}/reset.html`)},
      resetPasswordExpirationMinutes: 30,
    },
  } }`,
      ),
    )
  const b2b = (flow = `authFlowType: stytch.AuthFlowType.Discovery`) =>
    page(
      'stytch-b2b-ui.js',
      mock.config.b2bPublicToken,
      mock,
      '<div id="ui"></div>',
      mount(
        `new stytch.StytchB2BUIClient(PUBLIC_TOKEN, { endpoints: { testAPIURL: API_BASE, liveAPIURL: API_BASE } })`,
        'mount',
        `{ config: {
    ${flow},
    products: [stytch.B2BProducts.passwords],
    sessionOptions: { sessionDurationMinutes: 60 },
    passwordOptions: {
      discoveryRedirectURL: ${JSON.stringify(`${origin}/b2b-reset.html`)},
      resetPasswordRedirectURL: ${JSON.stringify(`${origin}/b2b-reset.html`)},
    },
  } }`,
      ),
    )
  return serveApp((at) => {
    origin = at
    return {
      '/stytch-ui.js': ['text/javascript', bundle('index.js')],
      '/stytch-b2b-ui.js': ['text/javascript', bundle('b2b/index.js')],
      '/login.html': ['text/html', consumer('mountLogin')],
      '/reset.html': ['text/html', consumer('mountResetPassword')],
      '/b2b-login.html': ['text/html', b2b()],
      '/acme.html': [
        'text/html',
        b2b(`authFlowType: stytch.AuthFlowType.Organization, organizationSlug: 'acme'`),
      ],
      '/headless.html': [
        'text/html',
        page(
          'stytch-ui.js',
          mock.config.publicToken,
          mock,
          '',
          `window.client = new stytch.StytchUIClient(PUBLIC_TOKEN, { endpoints: { testAPIURL: API_BASE, liveAPIURL: API_BASE } })`,
        ),
      ],
      '/b2b-headless.html': [
        'text/html',
        page(
          'stytch-b2b-ui.js',
          mock.config.b2bPublicToken,
          mock,
          '',
          `window.client = new stytch.StytchB2BUIClient(PUBLIC_TOKEN, { endpoints: { testAPIURL: API_BASE, liveAPIURL: API_BASE } })`,
        ),
      ],
      '/b2b-reset.html': ['text/html', b2b()],
    }
  })
}

const ui = browserSuite({ artifacts: 'password-ui', app: startApp })
beforeEach(async () => {
  await api(ui.mock)('/_mock/reset', {})
})
const shot = ui.shot
const options = () => ({
  project_id: ui.mock.config.projectId,
  secret: ui.mock.config.secret,
  env: `${ui.mock.url}/`,
})
const sessionCookie = async () => {
  const cookies = await ui.browser.context.cookies(ui.app.origin)
  const token = cookies.find((c) => c.name === 'stytch_session')?.value
  expect(token, `stytch_session cookie (cookies: ${cookies.map((c) => c.name)})`).toBeTruthy()
  return token!
}
/** The consumer UI's clientside-services iframe (phone parsing) is the only foreign request. */
const expectOffline = () =>
  expect(
    [...new Set(ui.seen.foreign)].filter(
      (r) => r !== 'GET https://js.stytch.com/clientside-services/index.html',
    ),
  ).toEqual([])

/** Grace gets the password OLD in Acme (its bcrypt hash, imported). */
const graceWithPassword = (client: stytch.B2BClient) =>
  client.passwords.migrate({
    organization_id: FIXTURE.acme.organization_id,
    email_address: GRACE,
    hash: '$2b$04$Gp.w6x2nfDJ32ufFjzItROMaJFv2mg9VpRRus9Yhv8qHIj0DoK2ri',
    hash_type: 'bcrypt',
  })

/** Types a new password on a reset screen; the Continue button waits for the strength check. */
async function typeNewPassword(strengthPath: string) {
  const { page } = ui.browser
  const checked = nextCall(page, ui.mock, strengthPath)
  await page.getByLabel('Password', { exact: true }).fill(NEW)
  const strength = await callOf(await checked)
  expect(strength.status).toBe(200)
  expect(strength.body.data).toMatchObject({ valid_password: true, strength_policy: 'zxcvbn' })
  await expect.poll(() => page.getByRole('button', { name: 'Continue' }).isEnabled()).toBe(true)
}

describe('the pre-built consumer UI: Forgot your password?', () => {
  it('the reset email, StytchPasswordReset, logged in; then the new password logs in: reset', async () => {
    const { page } = ui.browser
    const email = `ui-pw-${random()}@example.com`
    await api(ui.mock)('/_mock/users', { email, password: OLD })
    await page.goto(`${ui.app.origin}/login.html`)
    await page.getByLabel('Email').fill(email)
    const searched = nextCall(page, ui.mock, '/sdk/v1/users/search')
    await page.getByRole('button', { name: 'Continue with email' }).click()
    expect((await callOf(await searched)).body.data.userType).toBe('password')
    await expect.poll(() => page.getByLabel('Password', { exact: true }).count()).toBe(1)
    await shot('1-password-screen')

    const started = nextCall(page, ui.mock, '/sdk/v1/passwords/email/reset/start')
    await page.getByRole('button', { name: 'Forgot your password?' }).click()
    const start = await callOf(await started)
    expect(start.request).toMatchObject({
      email,
      login_redirect_url: `${ui.app.origin}/login.html`,
      reset_password_redirect_url: `${ui.app.origin}/reset.html`,
      reset_password_expiration_minutes: 30,
    })
    expect(start.status).toBe(200)
    await expect.poll(() => page.locator('#ui').innerText()).toContain(email)
    await shot('2-check-your-email')

    const message = await newestMessage(ui.mock, email)
    expect(message).toMatchObject({ kind: 'password_reset', to: email })
    const link = new URL(message.url)
    expect(`${link.origin}${link.pathname}`).toBe(`${ui.app.origin}/reset.html`)
    expect(link.searchParams.get('stytch_token_type')).toBe('reset_password')

    await page.goto(message.url)
    await expect.poll(() => page.getByText('Reset your password').count()).toBe(1)
    await typeNewPassword('/sdk/v1/passwords/strength_check')
    await shot('3-new-password')
    const reset = nextCall(page, ui.mock, '/sdk/v1/passwords/email/reset')
    await page.getByRole('button', { name: 'Continue' }).click()
    const call = await callOf(await reset)
    expect(call.request).toEqual({
      token: message.token,
      password: NEW,
      session_duration_minutes: 30,
    })
    expect(call.status, JSON.stringify(call.body)).toBe(200)
    await expect.poll(() => page.getByText('You have successfully logged in.').count()).toBe(1)
    await shot('4-logged-in')

    const client = new stytch.Client(options())
    const session = await client.sessions.authenticate({ session_token: await sessionCookie() })
    expect(session.user.emails[0]).toMatchObject({ email, verified: true })
    expect(session.session.authentication_factors[0]).toMatchObject({
      type: 'password',
      delivery_method: 'email',
    })
    expect(await page.evaluate(() => (window as any).client.session.getSync()?.session_id)).toBe(
      session.session.session_id,
    )

    // The new password, through the login UI in a fresh browser.
    await ui.browser.close()
    ui.browser = await openBrowser()
    ui.seen = await watch(ui.browser, ui.app, ui.mock)
    await ui.browser.page.goto(`${ui.app.origin}/login.html`)
    await ui.browser.page.getByLabel('Email').fill(email)
    await ui.browser.page.getByRole('button', { name: 'Continue with email' }).click()
    await ui.browser.page.getByLabel('Password', { exact: true }).fill(NEW)
    const authenticated = nextCall(ui.browser.page, ui.mock, '/sdk/v1/passwords/authenticate')
    await ui.browser.page.getByRole('button', { name: 'Continue', exact: true }).click()
    expect((await callOf(await authenticated)).status).toBe(200)
    await expect
      .poll(() => ui.browser.page.getByText('You have successfully logged in.').count())
      .toBe(1)
    const again = await client.sessions.authenticate({ session_token: await sessionCookie() })
    expect(again.session.authentication_factors[0]).toMatchObject({
      type: 'password',
      delivery_method: 'knowledge',
    })
    await expectMockAnswered(ui.seen, {})
    expectOffline()
  })
})

describe('the pre-built B2B UI (Discovery flow with passwords)', () => {
  it('Sign up or reset password: the discovery reset link, a new password, an organization entered: reset', async () => {
    const { page } = ui.browser
    await page.goto(`${ui.app.origin}/b2b-login.html`)
    await page.getByLabel('Email').fill(GRACE)
    await page.getByRole('button', { name: 'Sign up or reset password' }).click()
    await expect.poll(() => page.getByText('Check your email for help signing in').count()).toBe(1)
    const started = nextCall(page, ui.mock, '/sdk/v1/b2b/passwords/discovery/reset/start')
    await page.getByRole('button', { name: 'Continue' }).click()
    const start = await callOf(await started)
    expect(start.request).toMatchObject({
      email_address: GRACE,
      discovery_redirect_url: `${ui.app.origin}/b2b-reset.html`,
      reset_password_redirect_url: `${ui.app.origin}/b2b-reset.html`,
    })
    expect(start.status).toBe(200)
    await expect.poll(() => page.getByText('Check your email', { exact: true }).count()).toBe(1)
    await shot('1-check-your-email')

    const message = await newestMessage(ui.mock, GRACE)
    const link = new URL(message.url)
    expect(link.searchParams.get('stytch_token_type')).toBe('discovery')
    expect(link.searchParams.get('stytch_redirect_type')).toBe('reset_password')
    await page.goto(message.url)
    await expect.poll(() => page.getByText('Set a new password').count()).toBe(1)
    await typeNewPassword('/sdk/v1/b2b/passwords/strength_check')
    const reset = nextCall(page, ui.mock, '/sdk/v1/b2b/passwords/discovery/reset')
    await page.getByRole('button', { name: 'Continue' }).click()
    const call = await callOf(await reset)
    expect(call.request).toMatchObject({ password_reset_token: message.token, password: NEW })
    expect(call.status, JSON.stringify(call.body)).toBe(200)
    await expect.poll(() => page.getByText('Select an organization to continue').count()).toBe(1)
    await shot('2-organizations')

    const exchanged = nextCall(
      page,
      ui.mock,
      '/sdk/v1/b2b/discovery/intermediate_sessions/exchange',
    )
    await page.getByRole('button', { name: 'Acme Corp' }).click()
    expect((await callOf(await exchanged)).status).toBe(200)
    await expect.poll(() => page.getByText('You have successfully logged in.').count()).toBe(1)
    await shot('3-logged-in')
    const client = new stytch.B2BClient(options())
    const session = await client.sessions.authenticate({ session_token: await sessionCookie() })
    expect(session.member.member_id).toBe(FIXTURE.acme.member_id)
    expect(session.member_session.authentication_factors[0]).toMatchObject({ type: 'password' })
    // The discovery reset set the password of each of Grace's memberships.
    await client.passwords.authenticate({
      organization_id: FIXTURE.globex.organization_id,
      email_address: GRACE,
      password: NEW,
    })
    await expectMockAnswered(ui.seen, {})
    expectOffline()
  })

  it('a password login through discovery lists the organizations and enters one: login', async () => {
    const client = new stytch.B2BClient(options())
    await graceWithPassword(client)
    const { page } = ui.browser
    await page.goto(`${ui.app.origin}/b2b-login.html`)
    await page.getByLabel('Email').fill(GRACE)
    await page.getByLabel('Password', { exact: true }).fill(OLD)
    const authenticated = nextCall(page, ui.mock, '/sdk/v1/b2b/passwords/discovery/authenticate')
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    const call = await callOf(await authenticated)
    expect(call.request).toMatchObject({ email_address: GRACE, password: OLD })
    expect(call.status, JSON.stringify(call.body)).toBe(200)
    await expect.poll(() => page.getByText('Select an organization to continue').count()).toBe(1)
    await page.getByRole('button', { name: 'Acme Corp' }).click()
    await expect.poll(() => page.getByText('You have successfully logged in.').count()).toBe(1)
    await shot('1-logged-in')
    const session = await client.sessions.authenticate({ session_token: await sessionCookie() })
    expect(session.member_session.authentication_factors[0]).toMatchObject({
      type: 'password',
      delivery_method: 'knowledge',
    })
    await expectMockAnswered(ui.seen, {})
    expectOffline()
  })
})

/** Runs `body` in the page with its SDK client as `c`; resolves to its result, or the error_type. */
const inPage = (body: string, arg: unknown = null) =>
  ui.browser.page.evaluate(
    ([source, a]) =>
      new Function('c', 'arg', `return (async () => { ${source} })()`)(
        (window as any).client,
        a,
      ).then(
        (r: unknown) => r,
        (e: { error_type?: string; message?: string }) => ({ error: e.error_type ?? e.message }),
      ),
    [body, arg] as const,
  )

describe("the pre-built B2B UI (an organization's login page, organizationSlug)", () => {
  it('the email, the member lookup, then the password: a member session: organization login', async () => {
    const client = new stytch.B2BClient(options())
    await graceWithPassword(client)
    const { page } = ui.browser
    const bySlug = nextCall(page, ui.mock, '/sdk/v1/b2b/organizations/search')
    await page.goto(`${ui.app.origin}/acme.html`)
    const found = await callOf(await bySlug)
    expect(found.request).toEqual({ organization_slug: 'acme' })
    expect(found.body.data.organization).toMatchObject({
      organization_id: FIXTURE.acme.organization_id,
      organization_name: 'Acme Corp',
    })
    await page.getByLabel('Email').fill(GRACE)
    const searched = nextCall(page, ui.mock, '/sdk/v1/b2b/organizations/members/search')
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    const search = await callOf(await searched)
    expect(search.request).toMatchObject({
      email_address: GRACE,
      organization_id: FIXTURE.acme.organization_id,
    })
    expect(search.body.data.member.member_password_id).toMatch(/^member-password-test-/)
    await page.getByLabel('Password', { exact: true }).fill(OLD)
    const authenticated = nextCall(page, ui.mock, '/sdk/v1/b2b/passwords/authenticate')
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    const call = await callOf(await authenticated)
    expect(call.request).toMatchObject({
      organization_id: FIXTURE.acme.organization_id,
      email_address: GRACE,
      password: OLD,
      session_duration_minutes: 60,
    })
    expect(call.status, JSON.stringify(call.body)).toBe(200)
    await expect.poll(() => page.getByText('You have successfully logged in.').count()).toBe(1)
    await shot('1-logged-in')
    const session = await client.sessions.authenticate({ session_token: await sessionCookie() })
    expect(session.member_session.authentication_factors[0]).toMatchObject({ type: 'password' })
    await expectMockAnswered(ui.seen, {})
    expectOffline()
  })

  it('Sign up or reset password: the multi_tenant_passwords link, a new password, logged in: organization reset', async () => {
    const client = new stytch.B2BClient(options())
    await graceWithPassword(client)
    const { page } = ui.browser
    await page.goto(`${ui.app.origin}/acme.html`)
    await page.getByLabel('Email').fill(GRACE)
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    await page.getByRole('button', { name: 'Sign up or reset password' }).click()
    const started = nextCall(page, ui.mock, '/sdk/v1/b2b/passwords/email/reset/start')
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    const start = await callOf(await started)
    expect(start.request).toMatchObject({
      email_address: GRACE,
      organization_id: FIXTURE.acme.organization_id,
      reset_password_redirect_url: `${ui.app.origin}/b2b-reset.html`,
    })
    expect(start.status).toBe(200)
    await expect.poll(() => page.getByText('Check your email', { exact: true }).count()).toBe(1)
    await shot('1-check-your-email')

    const message = await newestMessage(ui.mock, GRACE)
    const link = new URL(message.url)
    expect(link.searchParams.get('stytch_token_type')).toBe('multi_tenant_passwords')
    await page.goto(message.url)
    await expect.poll(() => page.getByText('Set a new password').count()).toBe(1)
    await typeNewPassword('/sdk/v1/b2b/passwords/strength_check')
    const reset = nextCall(page, ui.mock, '/sdk/v1/b2b/passwords/email/reset')
    await page.getByRole('button', { name: 'Continue' }).click()
    const call = await callOf(await reset)
    expect(call.request).toMatchObject({
      password_reset_token: message.token,
      password: NEW,
      session_duration_minutes: 60,
    })
    expect(call.status, JSON.stringify(call.body)).toBe(200)
    await expect.poll(() => page.getByText('You have successfully logged in.').count()).toBe(1)
    await shot('2-logged-in')
    const session = await client.sessions.authenticate({ session_token: await sessionCookie() })
    expect(session.member.member_id).toBe(FIXTURE.acme.member_id)
    await client.passwords.authenticate({
      organization_id: FIXTURE.acme.organization_id,
      email_address: GRACE,
      password: NEW,
    })
    await expectMockAnswered(ui.seen, {})
    expectOffline()
  })
})

describe('the headless password methods of @stytch/vanilla-js', () => {
  it('consumer: resetByExistingPassword, then resetBySession from the logged-in browser: headless', async () => {
    const email = `headless-${random()}@example.com`
    await api(ui.mock)('/_mock/users', { email, password: OLD })
    await ui.browser.page.goto(`${ui.app.origin}/headless.html`)
    const existing = await inPage(
      `const r = await c.passwords.resetByExistingPassword({ email: arg.email, existing_password: arg.old, new_password: arg.next, session_duration_minutes: 30 })
       return { user: c.user.getSync().emails[0].email, session: c.session.getSync().session_id, factors: r.session.authentication_factors.map((f) => f.type) }`,
      { email, old: OLD, next: NEW },
    )
    expect(existing).toMatchObject({ user: email, factors: ['password'] })
    // The SDK sends no token: the session is the browser's.
    const bySession = (await inPage(
      `const r = await c.passwords.resetBySession({ password: arg, session_duration_minutes: 30 })
       return { session: r.session.session_id, user: r.user.user_id }`,
      OLD,
    )) as { session: string }
    expect(bySession.session).toBe((existing as { session: string }).session)
    const wrong = await inPage(
      `return c.passwords.resetByExistingPassword({ email: arg, existing_password: 'not it at all', new_password: 'yet another pass phrase', session_duration_minutes: 30 })`,
      email,
    )
    expect(wrong).toEqual({ error: 'unauthorized_credentials' })
    const client = new stytch.Client(options())
    await client.passwords.authenticate({ email, password: OLD })
    // The wrong existing password's 401 is the one answer that is not a 2xx.
    const refused = (r: Seen['mock'][number]) =>
      r.status === 401 && r.path === '/sdk/v1/passwords/existing_password/reset'
    expect(ui.seen.mock.filter(refused)).toHaveLength(1)
    await expectMockAnswered({ ...ui.seen, mock: ui.seen.mock.filter((r) => !refused(r)) }, {})
    expectOffline()
  })

  it('B2B: authenticate, the email reset with its link, resetByExistingPassword, resetBySession: headless', async () => {
    await ui.browser.page.goto(`${ui.app.origin}/b2b-headless.html`)
    const org = FIXTURE.acme.organization_id
    const started = await inPage(
      `await c.passwords.resetByEmailStart({ organization_id: arg, email_address: 'grace@example.com' })
       return true`,
      org,
    )
    expect(started).toBe(true)
    const { token } = await newestMessage(ui.mock, GRACE)
    const reset = await inPage(
      `const r = await c.passwords.resetByEmail({ password_reset_token: arg.token, password: arg.password, session_duration_minutes: 60 })
       return { authenticated: r.member_authenticated, member: c.self.getSync().email_address, org: c.organization.getSync().organization_id }`,
      { token, password: OLD },
    )
    expect(reset).toEqual({ authenticated: true, member: GRACE, org })
    const login = await inPage(
      `const r = await c.passwords.authenticate({ organization_id: arg.org, email_address: 'grace@example.com', password: arg.password, session_duration_minutes: 60 })
       return r.member_session.authentication_factors.map((f) => f.type + '/' + f.delivery_method)`,
      { org, password: OLD },
    )
    // The SDK sends its session along: the login's factor joins the reset's.
    expect(login).toEqual(['password/email', 'password/knowledge'])
    await inPage(
      `await c.passwords.resetByExistingPassword({ organization_id: arg.org, email_address: 'grace@example.com', existing_password: arg.old, new_password: arg.next, session_duration_minutes: 60 })`,
      { org, old: OLD, next: NEW },
    )
    const bySession = await inPage(
      `const r = await c.passwords.resetBySession({ password: arg })
       return r.member_session.member_session_id === c.session.getSync().member_session_id`,
      OLD,
    )
    expect(bySession).toBe(true)
    const client = new stytch.B2BClient(options())
    const session = await client.sessions.authenticate({ session_token: await sessionCookie() })
    expect(session.member.member_id).toBe(FIXTURE.acme.member_id)
    await client.passwords.authenticate({
      organization_id: org,
      email_address: GRACE,
      password: OLD,
    })
    await expectMockAnswered(ui.seen, {})
    expectOffline()
  })
})
