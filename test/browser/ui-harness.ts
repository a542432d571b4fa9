// What the pre-built UI tests (login-ui, b2b-login-ui) share: the app server on localhost, a
// record of what the browser did (the mock's requests with bodies and statuses, requests anywhere
// else aborted as offline, the console), and the record written out after each test.
import { writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Page, Request } from 'playwright-core'
import { expect } from 'vitest'
import { api, type openBrowser, type startMock } from './harness.js'

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
