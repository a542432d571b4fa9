// Issue #15, "Proof": Stytch's pre-built login UI (StytchUIClient.mountLogin from the unmodified
// @stytch/vanilla-js UI bundle, dist/iife/index.js) logs in offline against the mock, in Chromium.
// Email one-time passcode and email magic link, the code or link read from the mock's outbox; the
// session the UI ends with is then checked through the official Node SDK. The page may talk to its
// own origin and the mock only: anything else is recorded, aborted (as offline) and asserted.
// Screenshots of each step go to test/browser/artifacts/login-ui/ (git-ignored).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page, Request } from 'playwright-core'
import * as stytch from 'stytch'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { packageRoot } from '../../server/paths.js'
import { FIXTURE } from '../helpers/world.js'
import { api, openBrowser, startMock } from './harness.js'

type Browser = Awaited<ReturnType<typeof openBrowser>>
type Mock = Awaited<ReturnType<typeof startMock>>

const ARTIFACTS = fileURLToPath(new URL('./artifacts/login-ui/', import.meta.url))
const UI_BUNDLE = readFileSync(
  join(packageRoot(), 'node_modules/@stytch/vanilla-js/dist/iife/index.js'),
  'utf8',
)
const ADA_EMAIL = 'ada@example.com'
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
// The app: a login page per product, and the magic-link redirect page, all on localhost.

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
    '/authenticate.html': ['text/html', authenticatePage(mock)],
  })
  const server: Server = createServer((req: IncomingMessage, res) => {
    const file = files()[new URL(req.url ?? '/', 'http://x').pathname]
    if (!file) return res.writeHead(404).end()
    res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' }).end(file[1])
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  origin = `http://localhost:${(server.address() as AddressInfo).port}`
  return { origin, close: () => new Promise<void>((done) => server.close(() => done())) }
}

// ---------------------------------------------------------------------------------------------
// What the browser did: requests (the mock's with their bodies), foreign requests, console.

interface Seen {
  /** Requests to the mock: method, path, body. */
  mock: { method: string; path: string; body: unknown }[]
  /** Requests to anywhere but the app and the mock; http(s) ones are aborted as if offline. */
  foreign: string[]
  /** Console messages of type error, and uncaught page errors, with where they came from. */
  errors: string[]
  /** Every console message, for the record. */
  console: string[]
}

async function watch(browser: Browser, app: { origin: string }, mock: Mock): Promise<Seen> {
  const seen: Seen = { mock: [], foreign: [], errors: [], console: [] }
  const mockOrigin = new URL(mock.base).origin
  const allowed = (url: URL) => url.origin === app.origin || url.origin === mockOrigin
  // Every request from any page or frame of the context (a superset of page.on('request')).
  browser.context.on('request', (request: Request) => {
    const url = new URL(request.url())
    if (url.protocol === 'data:' || url.protocol === 'blob:') return
    if (!allowed(url)) {
      seen.foreign.push(`${request.method()} ${url.origin}${url.pathname}`)
    } else if (url.origin === mockOrigin && request.method() !== 'OPTIONS') {
      const text = request.postData()
      let body: unknown = text ?? undefined
      try {
        body = text ? JSON.parse(text) : undefined
      } catch {}
      seen.mock.push({ method: request.method(), path: url.pathname, body })
    }
  })
  // Whatever the machine's network, anything else fails the way it would offline.
  await browser.context.route(
    (url) => (url.protocol === 'http:' || url.protocol === 'https:') && !allowed(url),
    (route) => route.abort('internetdisconnected'),
  )
  const { page } = browser
  page.on('console', (m) => {
    const where = m.location().url
    const line = `${m.type()}: ${m.text()}${where ? ` (at ${where})` : ''}`
    seen.console.push(line)
    if (m.type() === 'error') seen.errors.push(line)
  })
  page.on('pageerror', (e) => seen.errors.push(`pageerror: ${e.message}`))
  return seen
}

/** The page's request and response for one mock path (registered before the action that sends it). */
function nextCall(page: Page, mock: Mock, path: string) {
  return page.waitForResponse(
    (r) => r.url() === `${mock.base}${path}` && r.request().method() === 'POST',
  )
}

// ---------------------------------------------------------------------------------------------

let mock: Mock
let app: Awaited<ReturnType<typeof startApp>>
let browser: Browser
let seen: Seen
let testName = ''

beforeAll(async () => {
  // Only the last run's screenshots and logs.
  rmSync(ARTIFACTS, { recursive: true, force: true })
  mkdirSync(ARTIFACTS, { recursive: true })
  mock = await startMock()
  app = await startApp(mock)
})
afterAll(async () => {
  await app?.close()
  await mock?.close()
})
beforeEach(async (context) => {
  testName = context.task.name
  browser = await openBrowser()
  seen = await watch(browser, app, mock)
})
afterEach(async () => {
  const slug = slugOf(testName)
  writeFileSync(join(ARTIFACTS, `${slug}.log.json`), JSON.stringify(seen, null, 2) + '\n')
  // The record, in the test output: what the UI sent, what it tried elsewhere, what it logged.
  console.log(
    `[${testName}]\n  mock requests:\n${seen.mock
      .filter((r) => r.path !== '/sdk/v1/events')
      .map((r) => `    ${r.method} ${r.path} ${r.body === undefined ? '' : JSON.stringify(r.body)}`)
      .join(
        '\n',
      )}\n  foreign (aborted): ${JSON.stringify(seen.foreign)}\n  console: ${JSON.stringify(seen.console)}`,
  )
  await browser.close()
})

/** A file name from the test name's part before the colon. */
const slugOf = (name: string) =>
  name
    .split(':')[0]!
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60)
const shot = (step: string) =>
  browser.page.screenshot({ path: join(ARTIFACTS, `${slugOf(testName)}--${step}.png`) })

/** The newest outbox message to an address, over HTTP with the project's Basic auth. */
async function newestMessage(to: string) {
  const res = await api(mock)(`/_mock/outbox?to=${encodeURIComponent(to)}&limit=1`)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  expect(res.body.messages, JSON.stringify(res.body)).toHaveLength(1)
  return res.body.messages[0] as Record<string, any>
}

const nodeClient = () =>
  // custom_base_url must be https:// in the Node SDK; `env` takes the mock's http URL as is.
  new stytch.Client({
    project_id: mock.config.projectId,
    secret: mock.config.secret,
    env: `${mock.url}/`,
  })

/** The stytch_session cookie in the browser, authenticated by the backend through the Node SDK. */
async function backendSession(email: string) {
  const cookies = await browser.context.cookies(app.origin)
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

const explainedForeign = () => [...new Set(seen.foreign)].filter((r) => EXPLAINED_FOREIGN[r])
function expectOnlyExplainedForeign() {
  expect([...new Set(seen.foreign)].filter((r) => !EXPLAINED_FOREIGN[r])).toEqual([])
}

/** Loads the OTP page, types the address, continues; returns the method_id the UI got. */
async function sendPasscode(email: string) {
  const { page } = browser
  await page.goto(`${app.origin}/otp.html`)
  const input = page.getByLabel('Email')
  await input.fill(email)
  await shot('1-email-typed')
  const sent = nextCall(page, mock, '/sdk/v1/otps/email/login_or_create')
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
  const message = await newestMessage(email)
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
  const { page } = browser
  const answered = nextCall(page, mock, '/sdk/v1/otps/authenticate')
  await page.getByLabel('One-time passcode').fill(code)
  const response = await answered
  return {
    request: response.request().postDataJSON(),
    status: response.status(),
    body: await response.json(),
  }
}

async function otpLogin(email: string) {
  const { page } = browser
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

describe('the pre-built login UI (@stytch/vanilla-js StytchUIClient) against the mock', () => {
  it('email one-time passcode, new address: the code from the outbox ends in a backend session', async () => {
    const email = `ui-otp-${random()}@example.com`
    const backend = await otpLogin(email)
    expect(backend.user.user_id).not.toBe(FIXTURE.adaUserId)
    expectOnlyExplainedForeign()
    expect(explainedForeign()).toEqual(['GET https://js.stytch.com/clientside-services/index.html'])
    expect(seen.errors).toEqual([])
  })

  it("email one-time passcode, the fixture user's address: logs in as that user", async () => {
    const backend = await otpLogin(ADA_EMAIL)
    expect(backend.user.user_id).toBe(FIXTURE.adaUserId)
    expectOnlyExplainedForeign()
    expect(seen.errors).toEqual([])
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
    const { page } = browser
    await expect.poll(() => page.getByText('Invalid passcode, please try again.').count()).toBe(1)
    await shot('3-invalid-passcode')
    const state = await page.evaluate(() => ({
      session: (window as any).client.session.getSync(),
      errors: (window as any).uiErrors,
    }))
    expect(state.session).toBeNull()
    expect(state.errors).toEqual([expect.objectContaining({ error_type: 'otp_code_not_found' })])
    const cookies = await browser.context.cookies(app.origin)
    expect(cookies.filter((c) => c.name.startsWith('stytch_session'))).toEqual([])
    const after = (await client.sessions.get({ user_id: FIXTURE.adaUserId })).sessions.map(
      (s) => s.session_id,
    )
    expect(after.sort()).toEqual(before.sort())
    expectOnlyExplainedForeign()
    // Chromium logs every non-2xx fetch; this one is the rejected passcode, and nothing else.
    expect(seen.errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^error: Failed to load resource: the server responded with a status of 4\\d\\d .*\\(at ${escape(mock.base)}/sdk/v1/otps/authenticate\\)$`,
        ),
      ),
    ])
  })

  it('email magic link: the link from the outbox, opened, authenticates on the app redirect page', async () => {
    const email = `ui-eml-${random()}@example.com`
    const redirect = `${app.origin}/authenticate.html`
    const { page } = browser
    await page.goto(`${app.origin}/email-magic-link.html`)
    await page.getByLabel('Email').fill(email)
    await shot('1-email-typed')
    const sent = nextCall(page, mock, '/sdk/v1/magic_links/email/login_or_create')
    await page.getByRole('button', { name: /continue with email/i }).click()
    const response = await sent
    const responseBody = await response.json()
    expect(response.request().postDataJSON()).toEqual({
      login_magic_link_url: redirect,
      signup_magic_link_url: redirect,
      email,
    })
    expect(response.status(), JSON.stringify(responseBody)).toBe(200)
    expect(responseBody.data).toMatchObject({ status_code: 200, request_id: expect.any(String) })
    await expect.poll(() => page.getByText('Check your email').count()).toBe(1)
    await shot('2-check-your-email')

    const message = await newestMessage(email)
    expect(message).toMatchObject({ channel: 'email', to: email, kind: 'magic_link' })
    const link = new URL(message.url)
    expect(`${link.origin}${link.pathname}`).toBe(redirect)
    expect(link.searchParams.get('stytch_token_type')).toBe('magic_links')
    const token = link.searchParams.get('token')
    expect(token).toBeTruthy()
    expect(message.url).toBe(`${redirect}?stytch_token_type=magic_links&token=${token}`)

    const authenticated = nextCall(page, mock, '/sdk/v1/magic_links/authenticate')
    await page.goto(message.url)
    const call = await authenticated
    expect(call.request().postDataJSON()).toEqual({ token, session_duration_minutes: 30 })
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
    expectOnlyExplainedForeign()
    expect(seen.errors).toEqual([])
  })
})
