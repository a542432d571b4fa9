// Issue #15, "Proof": Stytch's pre-built login UI (StytchUIClient.mountLogin from the unmodified
// @stytch/vanilla-js UI bundle, dist/iife/index.js) logs in offline against the mock, in Chromium.
// Email one-time passcode and email magic link, the code or link read from the mock's outbox; the
// session the UI ends with is then checked through the official Node SDK. OAuth (#18): "Continue
// with Google" navigates to the mock's start route, whose local consent page stands in for Google
// (an account picked, one typed, or access denied; or skipped, when the test queued the answer);
// the browser comes back to the app's redirect page, which authenticates the token itself, as the
// consumer UI does not. PKCE: against a second mock started with STYTCH_MOCK_PKCE=true (and an
// app of its own), the OAuth start carries a code_challenge and the redirect page's authenticate
// the code_verifier whose base64url(SHA-256) it is; a second token from that start, authenticated
// by the backend (Node SDK) without the verifier, is refused with pkce_expected_code_verifier; the
// magic link's send carries a challenge and its authenticate, in the same browser (the SDK keeps
// the verifier in the app's localStorage), the verifier; with PKCE the SDK's "No code verifier
// found" warning must not appear. The page may talk to its own origin and the mock only: anything
// else is recorded, aborted (as offline) and asserted; in the OAuth flows every request to the
// mock must be answered 2xx, or 3xx where it is one of OAuth's navigations (the start, the consent
// form).
// Screenshots of each step go to test/browser/artifacts/login-ui/ (git-ignored).
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Request } from 'playwright-core'
import * as stytch from 'stytch'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { packageRoot } from '../../server/paths.js'
import { FIXTURE } from '../helpers/world.js'
import { api, startMock } from './harness.js'
import {
  browserSuite,
  expectMockAnswered,
  newestMessage,
  nextCall,
  serveApp,
} from './ui-harness.js'

type Mock = Awaited<ReturnType<typeof startMock>>
type App = Awaited<ReturnType<typeof startApp>>

const UI_BUNDLE = readFileSync(
  join(packageRoot(), 'node_modules/@stytch/vanilla-js/dist/iife/index.js'),
  'utf8',
)
const ADA_EMAIL = 'ada@example.com'
/** PKCE (RFC 7636, S256): a verifier, and its challenge, base64url(SHA-256(verifier)). */
const PKCE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/
const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/
const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url')
const NO_VERIFIER_WARNING = /No code verifier found/
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const random = () => Math.random().toString(36).slice(2, 10)

/**
 * Requests the UI makes that are neither the app nor the mock, each with why it is not needed.
 * They are aborted as if offline; the flows must succeed regardless.
 */
const EXPLAINED_FOREIGN: Record<string, string> = {
  // The OTP entry screen (OTPAuthenticate) runs its destination through the clientside-services
  // iframe's parsedPhoneNumber on mount, even for email, and then shows the email as typed.
  'GET https://js.stytch.com/clientside-services/index.html':
    'phone-number parsing iframe, unused for email destinations',
}

// ---------------------------------------------------------------------------------------------
// The app: a login page per product, and the redirect page (magic links, OAuth), all on localhost.

/** The OAuth page's two redirect URLs (one page; the query tells which one Stytch chose). */
const OAUTH_REDIRECT = {
  login: '/authenticate.html?via=login',
  signup: '/authenticate.html?via=signup',
} as const

function loginPage(mock: Mock, config: string) {
  return page(
    mock,
    `<div id="login"></div>`,
    `window.uiEvents = []
window.uiErrors = []
const client = new stytch.StytchUIClient(PUBLIC_TOKEN, {
  endpoints: { testAPIURL: API_BASE, liveAPIURL: API_BASE },
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
const element = client.mountLogin({ elementId: '#login', ...props })
// @stytch/vanilla-js 6.3.0: the first mountLogin appends <stytch-ui> without its props, and it
// renders nothing until they are set.
element.render(props)`,
  )
}

/** What a real app's redirect page does: the consumer UI does not authenticate the token itself. */
function authenticatePage(mock: Mock) {
  return page(
    mock,
    `<p id="status">Logging in...</p>`,
    `const client = new stytch.StytchClient(PUBLIC_TOKEN, {
  endpoints: { testAPIURL: API_BASE, liveAPIURL: API_BASE },
})
window.client = client
const status = document.getElementById('status')
window.authenticated = client
  .authenticateByUrl({ session_duration_minutes: 30 })
  .then((result) => {
    if (!result || !result.handled) throw new Error('no Stytch token in ' + location.href)
    status.textContent = 'Logged in as ' + result.data.user.emails[0].email
    return {
      tokenType: result.tokenType,
      user_id: result.data.user.user_id,
      session_id: result.data.session.session_id,
      urlAfter: location.href,
    }
  })
  .catch((e) => {
    status.textContent = 'Login failed: ' + (e.error_type || e.message)
    return { error: e.error_type || String(e) }
  })`,
  )
}

function page(mock: Mock, body: string, script: string) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>stytch-mock login UI</title>
<link rel="icon" href="data:,"><script src="/stytch-ui.js"></script></head>
<body>${body}
<script>
const PUBLIC_TOKEN = ${JSON.stringify(mock.config.publicToken)}
const API_BASE = ${JSON.stringify(mock.base)}
${script}
</script></body></html>`
}

async function startApp(mock: Mock) {
  let origin = ''
  const files = (): Record<string, [string, string]> => ({
    '/stytch-ui.js': ['text/javascript', UI_BUNDLE],
    '/otp.html': [
      'text/html',
      loginPage(
        mock,
        `{ products: [stytch.Products.otp], otpOptions: { methods: ['email'], expirationMinutes: 5 } }`,
      ),
    ],
    '/email-magic-link.html': [
      'text/html',
      loginPage(
        mock,
        `{
    products: [stytch.Products.emailMagicLinks],
    emailMagicLinksOptions: {
      loginRedirectURL: ${JSON.stringify(`${origin}/authenticate.html`)},
      signupRedirectURL: ${JSON.stringify(`${origin}/authenticate.html`)},
    },
  }`,
      ),
    ],
    '/oauth.html': [
      'text/html',
      loginPage(
        mock,
        `{
    products: [stytch.Products.oauth],
    oauthOptions: {
      providers: [{ type: 'google' }],
      loginRedirectURL: ${JSON.stringify(`${origin}${OAUTH_REDIRECT.login}`)},
      signupRedirectURL: ${JSON.stringify(`${origin}${OAUTH_REDIRECT.signup}`)},
    },
  }`,
      ),
    ],
    '/authenticate.html': ['text/html', authenticatePage(mock)],
  })
  return serveApp((at) => ((origin = at), files()))
}

// ---------------------------------------------------------------------------------------------

const ui = browserSuite({ artifacts: 'login-ui', app: startApp })
afterEach(async () => {
  // An OAuth answer a failed test queued and never used must not answer the next test's start.
  const cleared = await fetch(`${ui.mock.url}/_mock/oauth/answers`, {
    method: 'DELETE',
    headers: {
      authorization: `Basic ${Buffer.from(`${ui.mock.config.projectId}:${ui.mock.config.secret}`).toString('base64')}`,
    },
  })
  expect(cleared.status).toBe(200)
})
const shot = ui.shot

const nodeClient = () =>
  // custom_base_url must be https:// in the Node SDK; `env` takes the mock's http URL as is.
  new stytch.Client({
    project_id: ui.mock.config.projectId,
    secret: ui.mock.config.secret,
    env: `${ui.mock.url}/`,
  })

/** The stytch_session cookie in the browser, authenticated by the backend through the Node SDK. */
async function backendSession(email: string) {
  const cookies = await ui.browser.context.cookies(ui.app.origin)
  const token = cookies.find((c) => c.name === 'stytch_session')?.value
  expect(token, `stytch_session cookie (cookies: ${cookies.map((c) => c.name)})`).toBeTruthy()
  expect(cookies.find((c) => c.name === 'stytch_session_jwt')?.value).toMatch(/^eyJ/)
  const res = await nodeClient().sessions.authenticate({ session_token: token! })
  expect(res.user.emails.map((e) => e.email)).toContain(email)
  const started = Date.parse(res.session.started_at ?? '')
  const expires = Date.parse(res.session.expires_at ?? '')
  // The UI's default session duration, 30 minutes.
  expect(expires - started).toBeGreaterThan(29 * 60_000)
  expect(expires - started).toBeLessThanOrEqual(30 * 60_000 + 1000)
  return { ...res, token: token! }
}

const explainedForeign = () => [...new Set(ui.seen.foreign)].filter((r) => EXPLAINED_FOREIGN[r])
function expectOnlyExplainedForeign() {
  expect([...new Set(ui.seen.foreign)].filter((r) => !EXPLAINED_FOREIGN[r])).toEqual([])
}

/** Loads the OTP page, types the address, continues; returns the method_id the UI got. */
async function sendPasscode(email: string) {
  const { page } = ui.browser
  await page.goto(`${ui.app.origin}/otp.html`)
  const input = page.getByLabel('Email')
  await input.fill(email)
  await shot('1-email-typed')
  const sent = nextCall(page, ui.mock, '/sdk/v1/otps/email/login_or_create')
  await page.getByRole('button', { name: 'Continue with email' }).click()
  const response = await sent
  const requestBody = response.request().postDataJSON()
  const responseBody = await response.json()
  expect(requestBody).toEqual({ expiration_minutes: 5, email })
  expect(response.status(), JSON.stringify(responseBody)).toBe(200)
  expect(responseBody.data).toMatchObject({ status_code: 200, method_id: expect.any(String) })
  expect(responseBody.data.request_id).toEqual(expect.any(String))
  await expect.poll(() => page.getByText('Enter passcode').count()).toBe(1)
  await expect.poll(() => page.locator('#login').innerText()).toContain(email)
  await shot('2-code-screen')
  const message = await newestMessage(ui.mock, email)
  expect(message).toMatchObject({
    channel: 'email',
    to: email,
    kind: 'otp',
    otp_code: expect.stringMatching(/^\d{6}$/),
    method_id: responseBody.data.method_id,
  })
  return { methodId: responseBody.data.method_id as string, code: message.otp_code as string }
}

/** Types a passcode into the UI's one-time passcode field; returns the authenticate call. */
async function enterPasscode(code: string) {
  const { page } = ui.browser
  const answered = nextCall(page, ui.mock, '/sdk/v1/otps/authenticate')
  await page.getByLabel('One-time passcode').fill(code)
  const response = await answered
  return {
    request: response.request().postDataJSON(),
    status: response.status(),
    body: await response.json(),
  }
}

async function otpLogin(email: string) {
  const { page } = ui.browser
  const { methodId, code } = await sendPasscode(email)
  const call = await enterPasscode(code)
  expect(call.request).toEqual({ token: code, method_id: methodId, session_duration_minutes: 30 })
  expect(call.status, JSON.stringify(call.body)).toBe(200)
  await expect
    .poll(() => page.getByText('Your passcode has been successfully verified.').count())
    .toBe(1)
  await shot('3-logged-in')
  // The page's SDK holds the session too.
  const state = await page.evaluate(() => {
    const c = (window as any).client
    return {
      session: c.session.getSync()?.session_id,
      email: c.user.getSync()?.emails?.[0]?.email,
      events: (window as any).uiEvents,
      errors: (window as any).uiErrors,
    }
  })
  expect(state.email).toBe(email)
  expect(state.errors).toEqual([])
  const backend = await backendSession(email)
  expect(state.session).toBe(backend.session.session_id)
  expect(backend.session.authentication_factors).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        type: 'otp',
        delivery_method: 'email',
        email_factor: expect.objectContaining({ email_address: email }),
      }),
    ]),
  )
  expect(backend.user.emails.find((e) => e.email === email)?.verified).toBe(true)
  return backend
}

/**
 * Loads the magic link page, types the address, continues; opens the link from the outbox in the
 * same page (with PKCE, the SDK keeps the verifier in the app origin's localStorage in between);
 * checks both calls, the redirect page and the backend session; returns the bodies the UI sent.
 */
async function magicLinkLogin(email: string, { pkce = false } = {}) {
  const redirect = `${ui.app.origin}/authenticate.html`
  const { page } = ui.browser
  await page.goto(`${ui.app.origin}/email-magic-link.html`)
  await page.getByLabel('Email').fill(email)
  await shot('1-email-typed')
  const sent = nextCall(page, ui.mock, '/sdk/v1/magic_links/email/login_or_create')
  await page.getByRole('button', { name: /continue with email/i }).click()
  const response = await sent
  const responseBody = await response.json()
  const sendBody = response.request().postDataJSON()
  expect(sendBody).toEqual({
    login_magic_link_url: redirect,
    signup_magic_link_url: redirect,
    email,
    // pkce_required_for_email_magic_links: the challenge of a verifier the SDK keeps.
    ...(pkce ? { code_challenge: expect.stringMatching(PKCE_CHALLENGE) } : {}),
  })
  expect(response.status(), JSON.stringify(responseBody)).toBe(200)
  expect(responseBody.data).toMatchObject({ status_code: 200, request_id: expect.any(String) })
  await expect.poll(() => page.getByText('Check your email').count()).toBe(1)
  await shot('2-check-your-email')

  const message = await newestMessage(ui.mock, email)
  expect(message).toMatchObject({ channel: 'email', to: email, kind: 'magic_link' })
  const link = new URL(message.url)
  expect(`${link.origin}${link.pathname}`).toBe(redirect)
  expect(link.searchParams.get('stytch_token_type')).toBe('magic_links')
  const token = link.searchParams.get('token')
  expect(token).toBeTruthy()
  expect(message.url).toBe(`${redirect}?stytch_token_type=magic_links&token=${token}`)

  const authenticated = nextCall(page, ui.mock, '/sdk/v1/magic_links/authenticate')
  await page.goto(message.url)
  const call = await authenticated
  const authenticateBody = call.request().postDataJSON()
  if (pkce) {
    expect(authenticateBody).toEqual({
      code_verifier: expect.stringMatching(PKCE_VERIFIER),
      token,
      session_duration_minutes: 30,
    })
    expect(s256(authenticateBody.code_verifier)).toBe(sendBody.code_challenge)
  } else {
    expect(authenticateBody).toEqual({ token, session_duration_minutes: 30 })
  }
  const result = await page.evaluate(() => (window as any).authenticated)
  expect(result, JSON.stringify(await call.json().catch(() => call.status()))).toMatchObject({
    tokenType: 'magic_links',
    urlAfter: redirect,
  })
  await expect.poll(() => page.locator('#status').innerText()).toBe(`Logged in as ${email}`)
  await shot('3-logged-in')

  const backend = await backendSession(email)
  expect(backend.session.session_id).toBe(result.session_id)
  expect(backend.user.user_id).toBe(result.user_id)
  expect(backend.session.authentication_factors).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        type: 'magic_link',
        delivery_method: 'email',
        email_factor: expect.objectContaining({ email_address: email }),
      }),
    ]),
  )
  expect(backend.user.emails.find((e) => e.email === email)?.verified).toBe(true)
  return { sendBody, authenticateBody, backend }
}

// ---------------------------------------------------------------------------------------------
// OAuth: the start the UI navigates to, the mock's consent page, the way back to the app.

const START_PATH = '/v1/public/oauth/google/start'
const CONSENT_PATH = '/v1/public/oauth/consent'
/** OAuth's navigations through the mock, each answered with a redirect (or, the start, a page). */
const REDIRECTS: Record<string, number[]> = {
  [`GET ${START_PATH}`]: [302],
  [`POST ${CONSENT_PATH}`]: [303],
}

const expectAnswered = () => expectMockAnswered(ui.seen, REDIRECTS)

/** The page's top-level navigations, in order (the main frame's URL after each). */
function navigations() {
  const urls: string[] = []
  ui.browser.page.on('framenavigated', (frame) => {
    if (frame === ui.browser.page.mainFrame()) urls.push(frame.url())
  })
  return urls
}

/**
 * Loads the OAuth page and clicks "Continue with Google"; checks the start URL exactly as the SDK
 * built it (a PKCE code_challenge only when the mock's bootstrap says pkce_required_for_oauth,
 * `pkce`) and returns its request.
 */
async function continueWithGoogle({ pkce = false } = {}) {
  const { page } = ui.browser
  await page.goto(`${ui.app.origin}/oauth.html`)
  const button = page.getByRole('button', { name: 'Continue with Google' })
  await expect.poll(() => button.count()).toBe(1)
  await shot('1-continue-with-google')
  const started = page.waitForRequest(
    (r) => r.isNavigationRequest() && r.url().startsWith(`${ui.mock.base}${START_PATH}?`),
  )
  await button.click()
  const request = await started
  expect(request.method()).toBe('GET')
  const challenge = new URL(request.url()).searchParams.get('code_challenge')
  expect([...new URL(request.url()).searchParams]).toEqual([
    ['public_token', ui.mock.config.publicToken],
    ...(pkce ? [['code_challenge', challenge]] : []),
    ['login_redirect_url', `${ui.app.origin}${OAUTH_REDIRECT.login}`],
    ['signup_redirect_url', `${ui.app.origin}${OAUTH_REDIRECT.signup}`],
  ])
  // RFC 7636 S256: base64url of a SHA-256, unpadded.
  if (pkce) expect(challenge).toMatch(PKCE_CHALLENGE)
  return request
}

/** The consent page the start answered: a page of the mock's, no script, Google's stand-in. */
async function expectConsentPage(start: Request) {
  const { page } = ui.browser
  const response = await start.response()
  expect(response?.status()).toBe(200)
  expect(response?.headers()['content-type']).toMatch(/^text\/html/)
  await page.waitForURL((url) => url.href === start.url())
  await expect
    .poll(() => page.getByRole('heading', { name: 'Sign in with Google' }).count())
    .toBe(1)
  await expect
    .poll(() => page.locator('main').innerText())
    .toContain(`Sign in to continue to ${ui.app.origin}.`)
  expect(await page.getByRole('group', { name: 'Use another account' }).count()).toBe(1)
  expect(await page.getByRole('button', { name: 'Deny access' }).count()).toBe(1)
  expect(await page.locator('script').count()).toBe(0)
}

/** The next top-level navigation to the app's redirect page (registered before the action). */
function nextLanding() {
  return ui.browser.page.waitForRequest(
    (r) => r.isNavigationRequest() && r.url().startsWith(`${ui.app.origin}/authenticate.html?`),
  )
}

/**
 * The way back from the mock: the redirect URL the UI named for `via`, with the OAuth token;
 * `redirect` is the mock's answer that sent the browser there (the start's 302, the form's 303).
 * Then the redirect page's authenticate call, its result, and the session the backend sees.
 */
async function expectOAuthLogin(
  landing: Request,
  authenticate: ReturnType<typeof nextCall>,
  {
    via,
    redirect,
    email,
    challenge,
  }: { via: 'login' | 'signup'; redirect: string; email: string; challenge?: string },
) {
  const { page } = ui.browser
  const url = new URL(landing.url())
  expect(`${url.origin}${url.pathname}`).toBe(`${ui.app.origin}/authenticate.html`)
  const token = url.searchParams.get('token')
  expect([...url.searchParams]).toEqual([
    ['via', via],
    ['stytch_token_type', 'oauth'],
    ['token', token],
  ])
  expect(token).toMatch(/^[\w-]{20,}$/)
  const from = landing.redirectedFrom()
  expect(`${from?.method()} ${from?.url().split('?')[0]}`).toBe(redirect)
  expect((await from!.response())?.status()).toBe(redirect.startsWith('GET') ? 302 : 303)

  const response = await authenticate
  const body = await response.json()
  const sent = response.request().postDataJSON()
  if (challenge === undefined) {
    expect(sent).toEqual({ token, session_duration_minutes: 30 })
  } else {
    // PKCE: the verifier the SDK kept in localStorage since the start, whose hash is the challenge.
    expect(sent).toEqual({
      token,
      code_verifier: expect.stringMatching(PKCE_VERIFIER),
      session_duration_minutes: 30,
    })
    expect(s256(sent.code_verifier)).toBe(challenge)
  }
  expect(response.status(), JSON.stringify(body)).toBe(200)
  expect(body.data).toMatchObject({
    status_code: 200,
    provider_type: 'Google',
    provider_subject: expect.stringMatching(/./),
    provider_values: {
      access_token: expect.stringMatching(/./),
      scopes: expect.arrayContaining(['openid', 'email', 'profile']),
    },
    session: { session_id: expect.any(String) },
    session_token: expect.any(String),
    session_jwt: expect.stringMatching(/^eyJ/),
  })
  const result = await page.evaluate(() => (window as any).authenticated)
  expect(result).toMatchObject({
    tokenType: 'oauth',
    // authenticateByUrl took its two parameters off the URL; the app's own stay.
    urlAfter: `${ui.app.origin}${OAUTH_REDIRECT[via]}`,
  })
  expect(result.user_id).toBe(body.data.user_id)
  await expect.poll(() => page.locator('#status').innerText()).toBe(`Logged in as ${email}`)
  await shot('3-logged-in')

  const backend = await backendSession(email)
  expect(backend.session.session_id).toBe(result.session_id)
  expect(backend.user.user_id).toBe(result.user_id)
  const emailId = backend.user.emails.find((e) => e.email === email)?.email_id
  expect(backend.user.emails.find((e) => e.email === email)?.verified).toBe(true)
  const provider = backend.user.providers.find((p) => p.provider_type === 'Google')
  expect(provider).toMatchObject({
    provider_subject: body.data.provider_subject,
    oauth_user_registration_id: body.data.oauth_user_registration_id,
  })
  expect(backend.session.authentication_factors).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        type: 'oauth',
        delivery_method: 'oauth_google',
        google_oauth_factor: {
          id: provider!.oauth_user_registration_id,
          provider_subject: body.data.provider_subject,
          email_id: emailId,
        },
      }),
    ]),
  )
  return { ...backend, authenticateBody: sent as Record<string, string> }
}

describe('the pre-built login UI (@stytch/vanilla-js StytchUIClient) against the mock', () => {
  it('email one-time passcode, new address: the code from the outbox ends in a backend session', async () => {
    const email = `ui-otp-${random()}@example.com`
    const backend = await otpLogin(email)
    expect(backend.user.user_id).not.toBe(FIXTURE.adaUserId)
    expectOnlyExplainedForeign()
    expect(explainedForeign()).toEqual(['GET https://js.stytch.com/clientside-services/index.html'])
    expect(ui.seen.errors).toEqual([])
  })

  it("email one-time passcode, the fixture user's address: logs in as that user", async () => {
    const backend = await otpLogin(ADA_EMAIL)
    expect(backend.user.user_id).toBe(FIXTURE.adaUserId)
    expectOnlyExplainedForeign()
    expect(ui.seen.errors).toEqual([])
  })

  it('a wrong passcode shows the UI error and creates no session', async () => {
    const client = nodeClient()
    const before = (await client.sessions.get({ user_id: FIXTURE.adaUserId })).sessions.map(
      (s) => s.session_id,
    )
    const { methodId, code } = await sendPasscode(ADA_EMAIL)
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
    const call = await enterPasscode(wrong)
    expect(call.request).toEqual({
      token: wrong,
      method_id: methodId,
      session_duration_minutes: 30,
    })
    expect(call.status).toBeGreaterThanOrEqual(400)
    expect(call.body).toMatchObject({ error_type: 'otp_code_not_found' })
    expect(call.body.data).toBeUndefined()
    const { page } = ui.browser
    await expect.poll(() => page.getByText('Invalid passcode, please try again.').count()).toBe(1)
    await shot('3-invalid-passcode')
    const state = await page.evaluate(() => ({
      session: (window as any).client.session.getSync(),
      errors: (window as any).uiErrors,
    }))
    expect(state.session).toBeNull()
    expect(state.errors).toEqual([expect.objectContaining({ error_type: 'otp_code_not_found' })])
    const cookies = await ui.browser.context.cookies(ui.app.origin)
    expect(cookies.filter((c) => c.name.startsWith('stytch_session'))).toEqual([])
    const after = (await client.sessions.get({ user_id: FIXTURE.adaUserId })).sessions.map(
      (s) => s.session_id,
    )
    expect(after.sort()).toEqual(before.sort())
    expectOnlyExplainedForeign()
    // Chromium logs every non-2xx fetch; this one is the rejected passcode, and nothing else.
    expect(ui.seen.errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^error: Failed to load resource: the server responded with a status of 4\\d\\d .*\\(at ${escape(ui.mock.base)}/sdk/v1/otps/authenticate\\)$`,
        ),
      ),
    ])
  })

  it('email magic link: the link from the outbox, opened, authenticates on the app redirect page', async () => {
    await magicLinkLogin(`ui-eml-${random()}@example.com`)
    expectOnlyExplainedForeign()
    expect(ui.seen.errors).toEqual([])
  })

  it('OAuth: Continue with Google, the consent page, an existing user picked: the redirect page authenticates and the backend sees a Google session', async () => {
    const { page } = ui.browser
    const start = await continueWithGoogle()
    await expectConsentPage(start)
    await shot('2-consent-page')

    const landed = nextLanding()
    const authenticated = nextCall(page, ui.mock, '/sdk/v1/oauth/authenticate')
    // Each account button: the name, then the address.
    await page.getByRole('button', { name: /^Ada Lovelace\s*ada@example\.com$/ }).click()
    const backend = await expectOAuthLogin(await landed, authenticated, {
      via: 'login',
      redirect: `POST ${ui.mock.base}${CONSENT_PATH}`,
      email: ADA_EMAIL,
    })
    expect(backend.user.user_id).toBe(FIXTURE.adaUserId)

    await expectAnswered()
    expectOnlyExplainedForeign()
    expect(explainedForeign()).toEqual([])
    expect(ui.seen.errors).toEqual([])
  })

  it('OAuth: a new account typed on the consent page signs up: the signup redirect URL, a new verified user with the typed name', async () => {
    const { page } = ui.browser
    const email = `ui-oauth-${random()}@example.com`
    const start = await continueWithGoogle()
    await expectConsentPage(start)
    const another = page.getByRole('group', { name: 'Use another account' })
    await another.getByLabel('Email', { exact: true }).fill(email)
    await another.getByLabel('Name (optional)').fill('Charles Xavier Babbage')
    await shot('2-account-typed')

    const landed = nextLanding()
    const authenticated = nextCall(page, ui.mock, '/sdk/v1/oauth/authenticate')
    await another.getByRole('button', { name: 'Continue' }).click()
    const backend = await expectOAuthLogin(await landed, authenticated, {
      via: 'signup',
      redirect: `POST ${ui.mock.base}${CONSENT_PATH}`,
      email,
    })
    expect(backend.user.user_id).not.toBe(FIXTURE.adaUserId)
    expect(backend.user.emails).toEqual([expect.objectContaining({ email, verified: true })])
    expect(backend.user.name).toMatchObject({
      first_name: 'Charles',
      middle_name: 'Xavier',
      last_name: 'Babbage',
    })
    expect(backend.user.providers).toHaveLength(1)

    await expectAnswered()
    expectOnlyExplainedForeign()
    expect(ui.seen.errors).toEqual([])
  })

  it('OAuth: a queued answer skips the page (the Playwright recipe): the start redirects at once and the redirect page logs in', async () => {
    const { page } = ui.browser
    const queued = await api(ui.mock)('/_mock/oauth/answers', {
      email: ADA_EMAIL,
      provider: 'google',
    })
    expect(queued.status, JSON.stringify(queued.body)).toBe(200)
    expect(queued.body.answers).toEqual([
      { provider: 'google', email: ADA_EMAIL, name: null, deny: false },
    ])
    const visited = navigations()

    const landed = nextLanding()
    const authenticated = nextCall(page, ui.mock, '/sdk/v1/oauth/authenticate')
    const start = await continueWithGoogle()
    const landing = await landed
    // The start answered a redirect, not the page: the browser never showed anything of the mock's.
    const startResponse = await start.response()
    expect(startResponse?.status()).toBe(302)
    expect(startResponse?.headers()['content-type'] ?? '').not.toMatch(/text\/html/)
    expect(landing.redirectedFrom()).toBe(start)
    const backend = await expectOAuthLogin(landing, authenticated, {
      via: 'login',
      redirect: `GET ${ui.mock.base}${START_PATH}`,
      email: ADA_EMAIL,
    })
    expect(backend.user.user_id).toBe(FIXTURE.adaUserId)
    expect(visited.filter((u) => u.startsWith(ui.mock.base))).toEqual([])
    expect(ui.seen.mock.filter((r) => r.path === CONSENT_PATH)).toEqual([])
    // The answer was used up.
    expect((await api(ui.mock)('/_mock/oauth/answers')).body.answers).toEqual([])

    await expectAnswered()
    expectOnlyExplainedForeign()
    expect(ui.seen.errors).toEqual([])
  })

  it('OAuth: Deny access on the consent page: the app gets error=access_denied, no token, and nobody is logged in', async () => {
    const { page } = ui.browser
    const start = await continueWithGoogle()
    await expectConsentPage(start)
    await shot('2-consent-page')
    const landed = nextLanding()
    await page.getByRole('button', { name: 'Deny access' }).click()
    const landing = await landed
    expect(landing.redirectedFrom()?.url()).toBe(`${ui.mock.base}${CONSENT_PATH}`)
    const url = new URL(landing.url())
    expect(`${url.origin}${url.pathname}`).toBe(`${ui.app.origin}/authenticate.html`)
    // OAuth's error for a refusal (RFC 6749 4.1.2.1), passed on; no Stytch token.
    expect(url.searchParams.get('error')).toBe('access_denied')
    expect(url.searchParams.has('token')).toBe(false)
    expect(url.searchParams.has('stytch_token_type')).toBe(false)

    // authenticateByUrl finds no token: the redirect page says so and authenticates nothing.
    await page.waitForURL((u) => u.href === landing.url())
    const result = await page.evaluate(() => (window as any).authenticated)
    expect(result).toEqual({ error: expect.stringContaining('no Stytch token in') })
    await expect
      .poll(() => page.locator('#status').innerText())
      .toBe(`Login failed: no Stytch token in ${landing.url()}`)
    await shot('3-access-denied')
    expect(await page.evaluate(() => (window as any).client.session.getSync())).toBeNull()
    const cookies = await ui.browser.context.cookies(ui.app.origin)
    expect(cookies.filter((c) => c.name.startsWith('stytch_session'))).toEqual([])
    expect(ui.seen.mock.filter((r) => r.path.startsWith('/sdk/v1/oauth/'))).toEqual([])

    await expectAnswered()
    expectOnlyExplainedForeign()
    expect(ui.seen.errors).toEqual([])
  })
})

describe('the pre-built login UI against a second mock that requires PKCE (STYTCH_MOCK_PKCE=true)', () => {
  // This block's own mock and app (the app's pages embed the mock's URL); the helpers above use
  // `mock` and `app`, so those point here until the block ends.
  let outer: { mock: Mock; app: App }
  const own: { mock?: Mock; app?: App } = {}
  beforeAll(async () => {
    outer = { mock: ui.mock, app: ui.app }
    own.mock = await startMock({ STYTCH_MOCK_PKCE: 'true' })
    own.app = await startApp(own.mock)
    ui.mock = own.mock
    ui.app = own.app
    // What the SDK decides PKCE by.
    const bootstrap = await api(ui.mock)(`/sdk/v1/projects/bootstrap/${ui.mock.config.publicToken}`)
    expect(bootstrap.body.data).toMatchObject({
      pkce_required_for_oauth: true,
      pkce_required_for_email_magic_links: true,
    })
  })
  afterAll(async () => {
    ui.mock = outer.mock
    ui.app = outer.app
    await own.app?.close()
    await own.mock?.close()
  })

  it("OAuth with PKCE: the start carries a code challenge and the redirect page's authenticate its verifier", async () => {
    const { page } = ui.browser
    const start = await continueWithGoogle({ pkce: true })
    const challenge = new URL(start.url()).searchParams.get('code_challenge')!
    await expectConsentPage(start)
    await shot('2-consent-page')

    const landed = nextLanding()
    const authenticated = nextCall(page, ui.mock, '/sdk/v1/oauth/authenticate')
    await page.getByRole('button', { name: /^Ada Lovelace\s*ada@example\.com$/ }).click()
    const backend = await expectOAuthLogin(await landed, authenticated, {
      via: 'login',
      redirect: `POST ${ui.mock.base}${CONSENT_PATH}`,
      email: ADA_EMAIL,
      challenge,
    })
    expect(backend.user.user_id).toBe(FIXTURE.adaUserId)
    // The redirect page's SDK found its verifier, so it has nothing to warn about.
    expect(ui.seen.console.filter((l) => NO_VERIFIER_WARNING.test(l))).toEqual([])

    // A token from a start with a challenge, authenticated by a backend without the verifier, is
    // refused. The same start URL, its answer queued so that it redirects at once; fetched from
    // Node, not the browser, whose redirect page would authenticate the token itself.
    const queued = await api(ui.mock)('/_mock/oauth/answers', {
      email: ADA_EMAIL,
      provider: 'google',
    })
    expect(queued.status, JSON.stringify(queued.body)).toBe(200)
    const again = await fetch(start.url().replace(ui.mock.base, ui.mock.url), {
      redirect: 'manual',
    })
    expect(again.status).toBe(302)
    const location = new URL(again.headers.get('location') ?? '')
    expect(`${location.origin}${location.pathname}`).toBe(`${ui.app.origin}/authenticate.html`)
    const token = location.searchParams.get('token')
    expect(token).toMatch(/^[\w-]{20,}$/)
    expect(token).not.toBe(new URL((await landed).url()).searchParams.get('token'))
    const refused = await nodeClient()
      .oauth.authenticate({ token: token! })
      .then(
        (answer) => ({ answered: answer }),
        (err) => err,
      )
    expect(refused).toMatchObject({ status_code: 400, error_type: 'pkce_expected_code_verifier' })

    await expectAnswered()
    expectOnlyExplainedForeign()
    expect(explainedForeign()).toEqual([])
    expect(ui.seen.errors).toEqual([])
  })

  it('email magic link with PKCE: the send carries a code challenge, and the link, opened in the same browser, authenticates with its verifier', async () => {
    const email = `ui-eml-pkce-${random()}@example.com`
    const { sendBody, authenticateBody, backend } = await magicLinkLogin(email, { pkce: true })
    expect(s256(authenticateBody.code_verifier)).toBe(sendBody.code_challenge)
    expect(backend.user.user_id).not.toBe(FIXTURE.adaUserId)
    expect(ui.seen.console.filter((l) => NO_VERIFIER_WARNING.test(l))).toEqual([])
    await expectAnswered()
    expectOnlyExplainedForeign()
    expect(ui.seen.errors).toEqual([])
  })
})
