// What the pre-built UI tests (login-ui, b2b-login-ui) share: the app server on localhost, a
// record of what the browser did (the mock's requests with bodies and statuses, requests anywhere
// else aborted as offline, the console), and the record written out after each test.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page, Request } from 'playwright-core'
import * as stytch from 'stytch'
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest'
import { packageRoot } from '../../server/paths.js'
import { api, openBrowser, startMock } from './harness.js'

type Browser = Awaited<ReturnType<typeof openBrowser>>
type Mock = Awaited<ReturnType<typeof startMock>>

/** The app: these files (path -> [content type, text]) on a localhost port of its own. */
export async function serveApp(files: (origin: string) => Record<string, [string, string]>) {
  let origin = ''
  const server: Server = createServer((req, res) => {
    const file = files(origin)[new URL(req.url ?? '/', 'http://x').pathname]
    if (!file) return res.writeHead(404).end()
    res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' }).end(file[1])
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  origin = `http://localhost:${(server.address() as AddressInfo).port}`
  return { origin, close: () => new Promise<void>((done) => server.close(() => done())) }
}

export interface Seen {
  /** Requests to the mock: method, path, body, and the status once answered (or why it failed). */
  mock: { method: string; path: string; body: unknown; status?: number; failure?: string }[]
  /** Requests to anywhere but the app and the mock; http(s) ones are aborted as if offline. */
  foreign: string[]
  /** Console messages of type error, and uncaught page errors, with where they came from. */
  errors: string[]
  /** Every console message, for the record. */
  console: string[]
}

export async function watch(browser: Browser, app: { origin: string }, mock: Mock): Promise<Seen> {
  const seen: Seen = { mock: [], foreign: [], errors: [], console: [] }
  const mockOrigin = new URL(mock.base).origin
  const allowed = (url: URL) => url.origin === app.origin || url.origin === mockOrigin
  const toMock = new Map<Request, Seen['mock'][number]>()
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
      const entry = { method: request.method(), path: url.pathname, body }
      seen.mock.push(entry)
      toMock.set(request, entry)
    }
  })
  // Redirects included: a redirected request gets its 3xx here, its successor its own answer.
  browser.context.on('response', (response) => {
    const entry = toMock.get(response.request())
    if (entry) entry.status = response.status()
  })
  browser.context.on('requestfailed', (request) => {
    const entry = toMock.get(request)
    if (entry) entry.failure = request.failure()?.errorText ?? 'failed'
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

/** The record, in a log file and in the test output: what the UI sent, tried elsewhere, logged. */
export function writeRecord(dir: string, testName: string, seen: Seen) {
  writeFileSync(join(dir, `${slugOf(testName)}.log.json`), JSON.stringify(seen, null, 2) + '\n')
  const calls = seen.mock
    .filter((r) => r.path !== '/sdk/v1/events')
    .map(
      (r) =>
        `    ${r.status ?? '(no answer)'} ${r.method} ${r.path} ${r.body === undefined ? '' : JSON.stringify(r.body)}`,
    )
  console.log(
    `[${testName}]\n  mock requests:\n${calls.join('\n')}\n  foreign (aborted): ${JSON.stringify(seen.foreign)}\n  console: ${JSON.stringify(seen.console)}`,
  )
}

/** A file name from the test name's part before its last colon ("OAuth: ...: ..." has two). */
export const slugOf = (name: string) =>
  name
    .slice(0, name.includes(':') ? name.lastIndexOf(':') : undefined)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60)

/** The page's request and response for one mock path (registered before the action that sends it). */
export function nextCall(page: Page, mock: Mock, path: string) {
  return page.waitForResponse(
    (r) => r.url() === `${mock.base}${path}` && r.request().method() === 'POST',
  )
}

/** A mock call's request body, status and response body. */
export async function callOf(response: Awaited<ReturnType<typeof nextCall>>) {
  return {
    request: response.request().postDataJSON(),
    status: response.status(),
    body: await response.json(),
  }
}

/** The newest outbox message to an address, over HTTP with the project's Basic auth. */
export async function newestMessage(mock: Mock, to: string) {
  const res = await api(mock)(`/_mock/outbox?to=${encodeURIComponent(to)}&limit=1`)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  expect(res.body.messages, JSON.stringify(res.body)).toHaveLength(1)
  return res.body.messages[0] as Record<string, any>
}

/**
 * The SDK's telemetry, sent and forgotten: a navigation may cut it off (net::ERR_ABORTED) before
 * its answer arrives, as it would against Stytch.
 */
const cutOff = (r: Seen['mock'][number]) =>
  r.method === 'POST' && r.path === '/sdk/v1/events' && r.failure === 'net::ERR_ABORTED'

/**
 * Every request the page made to the mock got an answer: 2xx, or one of `redirects`' 3xx (OAuth's
 * navigations through the mock, by `METHOD path`). None failed, but telemetry a navigation cut off.
 */
export async function expectMockAnswered(seen: Seen, redirects: Record<string, number[]>) {
  await expect
    .poll(
      () =>
        seen.mock
          .filter((r) => r.status === undefined && r.failure === undefined)
          .map((r) => r.path),
      { timeout: 5_000 },
    )
    .toEqual([])
  expect(
    seen.mock
      .filter((r) => r.failure !== undefined && !cutOff(r))
      .map((r) => r.failure + ' ' + r.path),
  ).toEqual([])
  expect(
    seen.mock
      .filter(
        (r) =>
          r.status !== undefined &&
          (r.status < 200 || r.status > 299) &&
          !redirects[`${r.method} ${r.path}`]?.includes(r.status),
      )
      .map((r) => `${r.status} ${r.method} ${r.path}`),
  ).toEqual([])
}

/**
 * A suite's running parts, each set by its hooks: read them inside tests and hooks only. A test
 * or a describe's hooks may put others in place of the mock, the app, the browser or its record.
 */
export interface Suite<A, B> {
  mock: Mock
  app: A
  browser: Browser
  /** The watcher's record of the current test (suites with `artifacts` only). */
  seen: Seen
  readonly testName: string
  /** The Node SDK client on the mock (suites with `backend` only). */
  readonly backend: B
  /** test/browser/artifacts/<name>/ (suites with `artifacts` only). */
  readonly artifacts: string
  /** A screenshot of the page, `<test slug>--<step>.png` in the artifacts directory. */
  shot(step: string): Promise<Buffer>
}

type NodeClient<K> = K extends 'b2b' ? stytch.B2BClient : stytch.Client

/** A file's hooks (mock + app per file, Chromium per test); `artifacts`: recorded; `backend`: Node SDK. */
export function browserSuite<
  A extends { origin: string; close(): Promise<void> },
  K extends 'consumer' | 'b2b' | undefined = undefined,
>(options: {
  app: (mock: Mock) => Promise<A>
  artifacts?: string
  backend?: K
}): Suite<A, NodeClient<K>> {
  const artifacts = options.artifacts
    ? fileURLToPath(new URL(`./artifacts/${options.artifacts}/`, import.meta.url))
    : ''
  let mock: Mock
  let app: A
  let browser: Browser
  let seen: Seen
  let testName = ''
  let backend: NodeClient<K>
  beforeAll(async () => {
    if (artifacts) {
      // Only the last run's screenshots and logs.
      rmSync(artifacts, { recursive: true, force: true })
      mkdirSync(artifacts, { recursive: true })
    }
    // The Node SDK's warning about the mock's custom `env` URL.
    if (options.backend) vi.spyOn(console, 'warn').mockImplementation(() => {})
    mock = await startMock()
    app = await options.app(mock)
    if (options.backend) backend = nodeClient(mock, options.backend) as NodeClient<K>
  })
  afterAll(async () => {
    if (options.backend) vi.restoreAllMocks()
    await app?.close()
    await mock?.close()
  })
  beforeEach(async (context) => {
    testName = context.task.name
    browser = await openBrowser()
    if (artifacts) seen = await watch(browser, app, mock)
  })
  afterEach(async () => {
    if (artifacts) writeRecord(artifacts, testName, seen)
    await browser.close()
  })
  return {
    get mock() {
      return mock
    },
    set mock(value) {
      mock = value
    },
    get app() {
      return app
    },
    set app(value) {
      app = value
    },
    get browser() {
      return browser
    },
    set browser(value) {
      browser = value
    },
    get seen() {
      return seen
    },
    set seen(value) {
      seen = value
    },
    get testName() {
      return testName
    },
    get backend() {
      return backend
    },
    artifacts,
    shot: (step) =>
      browser.page.screenshot({ path: join(artifacts, `${slugOf(testName)}--${step}.png`) }),
  }
}

/** The official Node SDK's client for the mock (custom_base_url must be https://; `env` is not). */
export function nodeClient(mock: Mock, kind: 'consumer'): stytch.Client
export function nodeClient(mock: Mock, kind: 'b2b'): stytch.B2BClient
export function nodeClient(mock: Mock, kind: 'consumer' | 'b2b'): stytch.Client | stytch.B2BClient
export function nodeClient(mock: Mock, kind: 'consumer' | 'b2b') {
  const config = {
    project_id: mock.config.projectId,
    secret: mock.config.secret,
    env: `${mock.url}/`,
  }
  return kind === 'b2b' ? new stytch.B2BClient(config) : new stytch.Client(config)
}

/** harness.ts startApp's consumer page with the headless SDK on this mock as `window.client`. */
export async function consumerClientPage(browser: Browser, app: { origin: string }, mock: Mock) {
  await browser.page.goto(`${app.origin}/consumer.html`)
  await browser.page.evaluate(
    ({ token, base }) => {
      const w = window as any
      w.client = new w.stytch.StytchClient(token, {
        endpoints: { testAPIURL: base, liveAPIURL: base },
      })
    },
    { token: mock.config.publicToken, base: mock.base },
  )
  return browser.page
}

/** Runs a call on `window.client` (`c`): its result, or its error_type (or String(e); `named`: name: message). */
export const runClient = (page: Page, code: string, named = false) =>
  page.evaluate(
    async ({ code, named }) => {
      const c = (window as any).client
      try {
        return { ok: await new Function('c', `return (${code})`)(c) }
      } catch (e: any) {
        return { error: e.error_type ?? (named ? `${e.name}: ${e.message}` : String(e)) }
      }
    },
    { code, named },
  )

/** Console lines the deprecated StytchB2BUIClient.mount logs in development, with why. */
export const B2B_UI_CONSOLE: [RegExp, string][] = [
  [
    /^warning: .*StytchB2BUIClient is deprecated\. Use the Stytch web components directly instead\./,
    'the dev-mode notice of the deprecated (but still shipped) StytchB2BUIClient.mount API',
  ],
]

/** The B2B UI (Discovery, magic links) on login.html and discover.html; `phoneForm`: phone iframe. */
export function serveB2BDiscoveryApp(
  mock: Mock,
  options: { title: string; sessionMinutes: number; phoneForm?: boolean },
) {
  const bundle = readFileSync(
    join(packageRoot(), 'node_modules/@stytch/vanilla-js/dist/iife/b2b/index.js'),
    'utf8',
  )
  const endpoints = {
    testAPIURL: mock.base,
    liveAPIURL: mock.base,
    // Where the phone form's iframe comes from: the mock's stand-in for Stytch's script host.
    ...(options.phoneForm
      ? { clientsideServicesIframeURL: `${mock.base}/clientside-services/index.html` }
      : {}),
  }
  const discoveryPage = (redirect: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><title>${options.title}</title>
<link rel="icon" href="data:,"><script src="/stytch-b2b-ui.js"></script></head>
<body><div id="login"></div>
<script>
window.uiEvents = []
window.uiErrors = []
const client = new stytch.StytchB2BUIClient(${JSON.stringify(mock.config.b2bPublicToken)}, {
  endpoints: ${JSON.stringify(endpoints)},
})
window.client = client
const props = {
  client,
  config: {
    authFlowType: stytch.AuthFlowType.Discovery,
    products: [stytch.B2BProducts.emailMagicLinks],
    sessionOptions: { sessionDurationMinutes: ${options.sessionMinutes} },
    emailMagicLinksOptions: { discoveryRedirectURL: ${JSON.stringify(redirect)} },
  },
  callbacks: {
    onEvent: (e) => uiEvents.push(e.type),
    onError: (e) => uiErrors.push({ error_type: e.error_type, message: e.message }),
  },
}
// @stytch/vanilla-js 6.3.0: the first mount renders nothing until its props are set.
client.mount({ elementId: '#login', ...props }).render(props)
</script></body></html>`
  return serveApp((origin) => ({
    '/stytch-b2b-ui.js': ['text/javascript', bundle],
    '/login.html': ['text/html', discoveryPage(`${origin}/discover.html`)],
    '/discover.html': ['text/html', discoveryPage(`${origin}/discover.html`)],
  }))
}

/** In that app: discovery by magic link, the organization picked, until MFA; the exchange's answer. */
export async function discoveryUntilMfa(
  ui: Suite<{ origin: string }, unknown>,
  who: { email: string; name: string },
  more: { message?: object; exchange?: object } = {},
) {
  const { page } = ui.browser
  await page.goto(`${ui.app.origin}/login.html`)
  await expect.poll(() => page.getByText('Sign up or log in').count()).toBe(1)
  await page.getByLabel('Email').fill(who.email)
  const sent = nextCall(page, ui.mock, '/sdk/v1/b2b/magic_links/email/discovery/send')
  await page.getByRole('button', { name: 'Continue with email' }).click()
  expect((await callOf(await sent)).status).toBe(200)
  await expect.poll(() => page.getByText('Check your email').count()).toBe(1)
  const message = await newestMessage(ui.mock, who.email)
  if (more.message) expect(message).toMatchObject(more.message)

  const authenticated = nextCall(page, ui.mock, '/sdk/v1/b2b/magic_links/discovery/authenticate')
  await page.goto(message.url)
  expect((await callOf(await authenticated)).status).toBe(200)
  await expect.poll(() => page.getByText('Select an organization to continue').count()).toBe(1)
  await ui.shot('1-organizations')

  const exchanged = nextCall(page, ui.mock, '/sdk/v1/b2b/discovery/intermediate_sessions/exchange')
  await page.getByRole('button', { name: who.name }).click()
  const call = await callOf(await exchanged)
  expect(call.status, JSON.stringify(call.body)).toBe(200)
  expect(call.body.data).toMatchObject({
    member_authenticated: false,
    session_token: '',
    member_session: null,
    intermediate_session_token: expect.stringMatching(/./),
    ...more.exchange,
  })
  return call.body.data as Record<string, any>
}
