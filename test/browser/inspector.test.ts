// Issue #16, "Proof": the inspector page in a real Chromium, signed in with the browser's own Basic
// credentials (Playwright answers the page's 401 challenge as a person would). The page shows the
// fixtures; a session created on the page authenticates through the official Node SDK; a session
// revoked on the page fails the SDK's next authenticate; moving the clock from the page expires a
// session; a request made elsewhere appears in the journal without a reload. Every request the
// page makes must go to the mock's own origin (anything else is aborted, as offline, and fails the
// test), and the console must stay free of errors (CSP violations included). Screenshots in light
// and dark go to test/browser/artifacts/inspector/, and docs/inspector.md's to docs/inspector.png.
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import * as stytch from 'stytch'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { packageRoot } from '../../server/paths.js'
import { FIXTURE } from '../helpers/world.js'
import { api, CHROMIUM, startMock } from './harness.js'

type Mock = Awaited<ReturnType<typeof startMock>>

const ARTIFACTS = fileURLToPath(new URL('./artifacts/inspector/', import.meta.url))
const README_SHOT = join(packageRoot(), 'docs', 'inspector.png')
const random = () => Math.random().toString(36).slice(2, 10)

let mock: Mock
let browser: Browser
let context: BrowserContext
let page: Page
/** Requests to anywhere but the mock's origin (aborted), and console errors. */
let foreign: string[]
let errors: string[]
let requests: string[]

beforeAll(async () => {
  rmSync(ARTIFACTS, { recursive: true, force: true })
  mkdirSync(ARTIFACTS, { recursive: true })
  mkdirSync(join(packageRoot(), 'docs'), { recursive: true })
  mock = await startMock()
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
  })
})
afterAll(async () => {
  await browser?.close()
  await mock?.close()
})

beforeEach(async () => {
  context = await browser.newContext({
    httpCredentials: { username: mock.config.projectId, password: mock.config.secret },
    viewport: { width: 1280, height: 900 },
    colorScheme: 'light',
  })
  context.setDefaultTimeout(15_000)
  foreign = []
  errors = []
  requests = []
  const origin = new URL(mock.base).origin
  context.on('request', (r) => {
    const url = new URL(r.url())
    if (url.protocol === 'data:') return
    requests.push(`${r.method()} ${url.pathname}`)
    if (url.origin !== origin) foreign.push(`${r.method()} ${r.url()}`)
  })
  await context.route(
    (url) => url.origin !== origin && url.protocol !== 'data:',
    (route) => route.abort('internetdisconnected'),
  )
  page = await context.newPage()
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} (at ${m.location().url})`)
  })
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  // Back to the fixtures, the real clock and an empty journal for every test.
  expect((await api(mock)('/_mock/reset', {})).status).toBe(200)
})
afterEach(async () => {
  await context.close()
  // Only the mock's origin, and a clean console.
  expect(foreign).toEqual([])
  expect(errors).toEqual([])
})

const ui = (query = '') => `${mock.base}/_mock/ui${query}`
const shot = async (name: string, dark = false) => {
  if (dark) await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({
    path: join(ARTIFACTS, `${name}-${dark ? 'dark' : 'light'}.png`),
    fullPage: true,
  })
  if (dark) await page.emulateMedia({ colorScheme: 'light' })
}
const client = () =>
  new stytch.Client({
    project_id: mock.config.projectId,
    secret: mock.config.secret,
    env: `${mock.url}/`,
  })
const row = (sessionId: string) => page.locator(`tr[data-session="${sessionId}"]`)
/** The page's own live updates, not a navigation: a value set on window survives them. */
const markPage = () => page.evaluate(() => ((window as any).__noReload = true))
const notReloaded = () => page.evaluate(() => (window as any).__noReload === true)

describe('the inspector page in Chromium', () => {
  it('opens with the browser’s credentials and shows the fixture users and sessions', async () => {
    const unauthenticated = await fetch(ui())
    expect(unauthenticated.status).toBe(401)
    expect(unauthenticated.headers.get('www-authenticate')).toContain('Basic realm="stytch-mock"')

    const response = await page.goto(ui())
    expect(response?.status()).toBe(200)
    await expect.poll(() => page.locator('#live').textContent()).toBe('live')
    await expect.poll(() => row(FIXTURE.adaSessionId).getAttribute('data-state')).toBe('active')
    await expect.poll(() => row(FIXTURE.adaSessionId).innerText()).toContain('ada@example.com')
    await expect
      .poll(() => row(FIXTURE.graceSessionId).innerText())
      .toContain('grace@example.com in acme')
    await shot('sessions')
    await shot('sessions', true)

    // Keyboard: the skip link, then the tabs, reached with Tab and followed with Enter.
    await page.keyboard.press('Tab')
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe('Skip to content')
    await page.getByRole('link', { name: 'Users' }).focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(/view=users/)
    await expect
      .poll(() => page.locator('[data-region="users"]').innerText())
      .toContain(FIXTURE.adaUserId)
    await shot('users')
    // Only the mock's origin, and nothing but the page, its assets and its own API.
    expect(requests.every((r) => /^(GET|POST|DELETE) \/_mock\//.test(r))).toBe(true)
  })

  it('creates a session from the page (keyboard only); the Node SDK authenticates it', async () => {
    await page.goto(ui())
    const email = `inspector-${random()}@example.com`
    const form = page.locator('form[data-api="POST /_mock/sessions"]')
    await form.getByLabel('Email').fill(email)
    await form.getByLabel('Custom claims').fill('{"role": "tester"}')
    await form.getByLabel('Email').press('Enter')
    await expect.poll(() => page.locator('#created').isVisible()).toBe(true)
    await expect.poll(() => page.locator('#flash').textContent()).toBe('Session created.')
    const token = await page.locator('#c-token').inputValue()
    const jwt = await page.locator('#c-jwt').inputValue()
    expect(token).toMatch(/^[A-Za-z0-9_-]{44}$/)
    expect(await page.locator('#c-cookie').inputValue()).toBe(
      `Cookie: stytch_session=${token}; stytch_session_jwt=${jwt}`,
    )
    expect(await page.locator('#c-update').inputValue()).toBe(
      `stytch.session.updateSession({ session_token: "${token}", session_jwt: "${jwt}" });`,
    )
    await shot('created')

    const sdk = client()
    const res = await sdk.sessions.authenticate({ session_token: token })
    expect(res.user.emails[0]?.email).toBe(email)
    expect(res.session.custom_claims).toEqual({ role: 'tester' })
    const local = await sdk.sessions.authenticateJwt({ session_jwt: jwt })
    expect(local.session.session_id).toBe(res.session.session_id)
    // The new session is in the list, without a reload.
    await expect.poll(() => row(res.session.session_id).getAttribute('data-state')).toBe('active')

    // A member session too.
    const member = page.locator('form[data-api="POST /_mock/b2b/sessions"]')
    await member.getByLabel('Member email').fill(`member-${random()}@example.com`)
    await member.getByRole('button', { name: 'Create member session' }).click()
    await expect.poll(() => page.locator('#flash').textContent()).toBe('Member session created.')
    const memberToken = await page.locator('#c-token').inputValue()
    const b2b = new stytch.B2BClient({
      project_id: mock.config.projectId,
      secret: mock.config.secret,
      env: `${mock.url}/`,
    })
    const memberRes = await b2b.sessions.authenticate({ session_token: memberToken })
    expect(memberRes.organization.organization_slug).toBe('acme')
  })

  it('revokes a session from the page; the SDK’s next authenticate fails, and the story says why', async () => {
    const seeded = (await api(mock)('/_mock/sessions', { email: `revoke-${random()}@example.com` }))
      .body
    const id = seeded.session.session_id
    const sdk = client()
    await sdk.sessions.authenticate({ session_token: seeded.session_token })

    await page.goto(ui(`?session=${id}`))
    await markPage()
    await expect.poll(() => page.locator('p.state').innerText()).toContain('active')
    await page.getByRole('button', { name: 'Revoke' }).click()
    await expect.poll(() => page.locator('p.state').innerText()).toContain('revoked')
    expect(await page.locator('p.state').innerText()).toContain('by the inspector')

    const failure = await sdk.sessions.authenticate({ session_token: seeded.session_token }).then(
      () => null,
      (err: { error_type?: string }) => err,
    )
    expect(failure?.error_type).toBe('session_not_found')
    // The failed call shows up in the session's story, live.
    await expect
      .poll(() => page.locator('ol.story').innerText())
      .toMatch(/POST \/v1\/sessions\/authenticate 404 session_not_found/)
    expect(await page.locator('ol.story').innerText()).toMatch(/Revoked by the inspector/)
    expect(await notReloaded()).toBe(true)
    await shot('revoked-session')
    await shot('revoked-session', true)
  })

  it('advances the clock from the page and sees the session expire, live', async () => {
    const seeded = (
      await api(mock)('/_mock/sessions', {
        email: `clock-${random()}@example.com`,
        session_duration_minutes: 30,
      })
    ).body
    const id = seeded.session.session_id
    await page.goto(ui())
    await markPage()
    await expect.poll(() => row(id).getAttribute('data-state')).toBe('active')
    await page.getByRole('button', { name: '+1 h' }).click()
    await expect.poll(() => row(id).getAttribute('data-state')).toBe('expired')
    expect(await row(id).innerText()).toMatch(/POST \/_mock\/clock moved the mock's clock past it/)
    await expect
      .poll(() => page.locator('[data-region="clock"]').innerText())
      .toContain('+1 h from real time')
    expect(await notReloaded()).toBe(true)
    const failure = await client()
      .sessions.authenticate({ session_token: seeded.session_token })
      .then(
        () => null,
        (err: { error_type?: string }) => err,
      )
    expect(failure?.error_type).toBe('session_not_found')
    await shot('clock-expired')
    // The README's picture: an expired session and why, next to the fixtures, in light mode.
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: README_SHOT })
    await page.getByRole('button', { name: 'Real time' }).click()
    await expect
      .poll(() => page.locator('[data-region="clock"]').innerText())
      .toContain('= real time')
  })

  it('shows a request in the journal without a reload', async () => {
    await page.goto(ui('?view=journal'))
    await markPage()
    await expect.poll(() => page.locator('#live').textContent()).toBe('live')
    expect(await page.locator('tr[data-path]').count()).toBe(0)
    await client().sessions.authenticate({ session_token: FIXTURE.adaToken })
    const entry = page.locator('tr[data-path="/v1/sessions/authenticate"]')
    await expect.poll(() => entry.count()).toBe(1)
    expect(await entry.innerText()).toContain(FIXTURE.adaSessionId)
    expect(await notReloaded()).toBe(true)
    await shot('journal')
    await shot('journal', true)
  })

  it('checks a pasted JWT and says why the mock rejects it', async () => {
    const seeded = (await api(mock)('/_mock/sessions', { email: `jwt-${random()}@example.com` }))
      .body
    await api(mock)('/_mock/clock', { advance_seconds: 7200 })
    await page.goto(ui('?view=jwt'))
    await page.getByLabel('Session JWT').fill(seeded.session_jwt)
    await page.getByRole('button', { name: 'Check' }).click()
    await expect
      .poll(() => page.locator('.verdict').innerText())
      .toContain('This mock rejects it. POST /v1/sessions/authenticate: 404 session_not_found')
    expect(await page.locator('ul.checks').innerText()).toMatch(/Session .* is expired/)
    await shot('jwt-check')
    await shot('jwt-check', true)
  })
})
