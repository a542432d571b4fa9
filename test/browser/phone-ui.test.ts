// Issue #26, "Phone numbers in the pre-built UI, offline": @stytch/vanilla-js checks and formats
// phone numbers in a hidden iframe it loads from https://js.stytch.com/clientside-services/
// index.html; the mock serves a stand-in at the same path. In Chromium, with the unmodified UI
// bundle (dist/iife/index.js): the SDK's own iframe client gets the answers Stytch's page gives;
// the pre-built login's SMS tab formats a national number as it is typed, sends it in E.164, and
// the code from the mock's outbox logs in (the session checked through the Node SDK); an invalid
// number is refused before anything is sent, as Stytch's page makes the UI refuse it. Reached the
// two ways a test can: the SDK's `endpoints.clientsideServicesIframeURL` option, or Playwright
// routing Stytch's URL to the mock with no SDK option. And the contrast: with the page unreachable
// (offline, no stand-in) the same tab sends `+1` and fails.
// Screenshots go to test/browser/artifacts/phone-ui/ (git-ignored).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as stytch from 'stytch'
import { describe, expect, it } from 'vitest'
import { packageRoot } from '../../server/paths.js'
import { startMock } from './harness.js'
import {
  browserSuite,
  callOf,
  expectMockAnswered,
  newestMessage,
  nextCall,
  serveApp,
} from './ui-harness.js'

type Mock = Awaited<ReturnType<typeof startMock>>

const UI_BUNDLE = readFileSync(
  join(packageRoot(), 'node_modules/@stytch/vanilla-js/dist/iife/index.js'),
  'utf8',
)
/** Where the SDK loads the page from unless told otherwise (@stytch/core's constants). */
const STYTCH_PAGE = 'https://js.stytch.com/clientside-services/index.html'
const STAND_IN_FILES = [
  '/clientside-services/index.html',
  '/clientside-services/index.js',
  '/clientside-services/awesome-phonenumber.mjs',
]
const INVALID_FORMAT =
  'Phone number format is invalid. Ensure the phone number is in the E.164 format.'

/**
 * The login page with the SMS tab. `option`: the SDK is told where the stand-in is; `default`:
 * nothing is said, so the SDK loads Stytch's URL (routed to the mock, or unreachable).
 */
function loginPage(mock: Mock, iframe: 'option' | 'default') {
  const endpoints = {
    testAPIURL: mock.base,
    liveAPIURL: mock.base,
    ...(iframe === 'option'
      ? { clientsideServicesIframeURL: `${mock.base}/clientside-services/index.html` }
      : {}),
  }
  return `<!doctype html><html><head><meta charset="utf-8"><title>stytch-mock phone UI</title>
<link rel="icon" href="data:,"><script src="/stytch-ui.js"></script></head>
<body><div id="login"></div>
<script>
window.uiErrors = []
const client = new stytch.StytchUIClient(${JSON.stringify(mock.config.publicToken)}, {
  endpoints: ${JSON.stringify(endpoints)},
})
window.client = client
const props = {
  client,
  config: { products: [stytch.Products.otp], otpOptions: { methods: ['sms'], expirationMinutes: 5 } },
  callbacks: { onError: (e) => uiErrors.push({ error_type: e.error_type, message: e.message }) },
}
// @stytch/vanilla-js 6.3.0: the first mountLogin renders nothing until its props are set.
client.mountLogin({ elementId: '#login', ...props }).render(props)
</script></body></html>`
}

const ui = browserSuite({
  artifacts: 'phone-ui',
  app: (mock) =>
    serveApp(() => ({
      '/stytch-ui.js': ['text/javascript', UI_BUNDLE],
      '/sms.html': ['text/html', loginPage(mock, 'option')],
      '/sms-default.html': ['text/html', loginPage(mock, 'default')],
    })),
})
const shot = ui.shot
const phoneInput = () => ui.browser.page.getByRole('textbox', { name: 'Phone number' })
const loginsSent = () => ui.seen.mock.filter((r) => r.path === '/sdk/v1/otps/sms/login_or_create')

/** Stytch's URL answered by the mock, as a test can route it with no SDK option. */
const routeStytchPage = () =>
  ui.browser.context.route('https://js.stytch.com/clientside-services/**', async (route) => {
    const url = new URL(route.request().url())
    await route.fulfill({ response: await route.fetch({ url: `${ui.mock.base}${url.pathname}` }) })
  })

/** Types a national number key by key; the field shows what the page made of it. */
async function typeNumber(digits: string, shown: string) {
  await phoneInput().pressSequentially(digits)
  await expect.poll(() => phoneInput().inputValue()).toBe(shown)
}

/** Continues with text message; returns the send call the UI made. */
async function send() {
  const sent = nextCall(ui.browser.page, ui.mock, '/sdk/v1/otps/sms/login_or_create')
  await ui.browser.page.getByRole('button', { name: 'Continue with text message' }).click()
  return callOf(await sent)
}

describe("the SDK's iframe client and the stand-in", () => {
  it("gets the answers Stytch's page gives, through the SDK's own client", async () => {
    await ui.browser.page.goto(`${ui.app.origin}/sms.html`)
    await expect.poll(() => phoneInput().count()).toBe(1)
    // Each answer is what Stytch's page (its handlers, awesome-phonenumber 3.2.0) gives.
    const cases: [string, object, object][] = [
      [
        'parsedPhoneNumber',
        { phoneNumber: '2015550123', regionCode: 'US' },
        { isValid: true, number: '+12015550123', national: '(201) 555-0123' },
      ],
      [
        'parsedPhoneNumber',
        { phoneNumber: '(201) 555-0123', regionCode: 'US' },
        { isValid: true, number: '+12015550123', national: '(201) 555-0123' },
      ],
      [
        'parsedPhoneNumber',
        { phoneNumber: '201555', regionCode: 'US' },
        { isValid: false, number: '+1201555', national: '201555' },
      ],
      [
        'parsedPhoneNumber',
        { phoneNumber: '1234567890', regionCode: 'US' },
        { isValid: false, number: '+11234567890', national: '1234567890' },
      ],
      [
        'parsedPhoneNumber',
        { phoneNumber: 'abc', regionCode: 'US' },
        { isValid: false, number: 'abc', national: 'abc' },
      ],
      [
        'parsedPhoneNumber',
        { phoneNumber: '07400123456', regionCode: 'GB' },
        { isValid: true, number: '+447400123456', national: '07400 123456' },
      ],
      [
        'parsedPhoneNumber',
        { phoneNumber: '+442079460958', regionCode: 'US' },
        { isValid: true, number: '+442079460958', national: '020 7946 0958' },
      ],
      [
        'parsedPhoneNumber',
        { phoneNumber: '+1 201 555 0123' },
        { isValid: true, number: '+12015550123', national: '(201) 555-0123' },
      ],
      ['getExamplePhoneNumber', { regionCode: 'US' }, { phoneNumber: '(201) 555-0123' }],
      ['getExamplePhoneNumber', { regionCode: 'GB' }, { phoneNumber: '07400 123456' }],
      // No example for an unknown region: the library throws, the SDK rejects with that Error.
      [
        'getExamplePhoneNumber',
        { regionCode: 'ZZ' },
        { rejected: { name: 'Error', message: 'Invalid phone number, expected a string' } },
      ],
      // Google One Tap is not emulated: the SDK gets a Stytch-shaped error saying so.
      [
        'oneTapStart',
        { publicToken: ui.mock.config.publicToken },
        { rejected: { name: 'StytchAPIError', error_type: 'not_emulated' } },
      ],
    ]
    const answers = await ui.browser.page.evaluate(
      (calls) => {
        const services = (window as any).client[Symbol.for('stytch__internal_b2c')]
          .clientsideServices
        return Promise.all(
          calls.map(([method, request]) =>
            services[method](request).then(
              (payload: unknown) => payload,
              (e: any) => ({
                rejected: {
                  name: e.name,
                  ...(e.error_type ? { error_type: e.error_type } : { message: e.message }),
                },
              }),
            ),
          ),
        )
      },
      cases.map(([method, request]) => [method, request] as [string, object]),
    )
    expect(answers).toEqual(cases.map(([, , answer]) => answer))
    // One iframe, the SDK's, on the mock; nothing anywhere else.
    expect(
      await ui.browser.page
        .locator('iframe')
        .evaluateAll((frames) => frames.map((f) => (f as HTMLIFrameElement).src)),
    ).toEqual([`${ui.mock.base}/clientside-services/index.html`])
    expect(ui.seen.mock.filter((r) => r.path.startsWith('/clientside-services/'))).toEqual(
      STAND_IN_FILES.map((path) => expect.objectContaining({ method: 'GET', path, status: 200 })),
    )
    expect(ui.seen.foreign).toEqual([])
  })
})

describe('the SMS tab of the pre-built login', () => {
  it('formats a national number as typed, sends it in E.164, and the code logs in', async () => {
    const { page } = ui.browser
    const phone = '+12015550123'
    await page.goto(`${ui.app.origin}/sms.html`)
    await typeNumber('2015550123', '(201) 555-0123')
    await shot('1-number-typed')
    const sent = await send()
    expect(sent.request).toEqual({ phone_number: phone, expiration_minutes: 5 })
    expect(sent.status, JSON.stringify(sent.body)).toBe(200)
    const methodId = sent.body.data.method_id as string
    expect(methodId).toMatch(/^phone-number-test-/)
    // The code screen names the number as the page formats it.
    await expect
      .poll(() => page.locator('#login').innerText())
      .toContain('A 6-digit passcode was sent to you at (201) 555-0123.')
    await shot('2-code-screen')

    const message = await newestMessage(ui.mock, phone)
    expect(message).toMatchObject({
      channel: 'sms',
      to: phone,
      otp_code: expect.stringMatching(/^\d{6}$/),
      method_id: methodId,
    })
    const answered = nextCall(page, ui.mock, '/sdk/v1/otps/authenticate')
    await page.getByLabel('One-time passcode').fill(message.otp_code)
    const authenticate = await callOf(await answered)
    expect(authenticate.request).toEqual({
      token: message.otp_code,
      method_id: methodId,
      session_duration_minutes: 30,
    })
    expect(authenticate.status, JSON.stringify(authenticate.body)).toBe(200)
    await expect
      .poll(() => page.getByText('Your passcode has been successfully verified.').count())
      .toBe(1)
    await shot('3-logged-in')

    // The session the browser holds is the backend's, with the SMS factor.
    const token = (await ui.browser.context.cookies(ui.app.origin)).find(
      (c) => c.name === 'stytch_session',
    )?.value
    expect(token).toBeTruthy()
    const backend = await new stytch.Client({
      project_id: ui.mock.config.projectId,
      secret: ui.mock.config.secret,
      env: `${ui.mock.url}/`,
    }).sessions.authenticate({ session_token: token! })
    expect(backend.user.phone_numbers).toEqual([
      expect.objectContaining({ phone_number: phone, phone_id: methodId, verified: true }),
    ])
    expect(backend.session.authentication_factors).toEqual([
      expect.objectContaining({
        type: 'otp',
        delivery_method: 'sms',
        phone_number_factor: { phone_id: methodId, phone_number: phone },
      }),
    ])
    expect(await page.evaluate(() => (window as any).client.session.getSync()?.session_id)).toBe(
      backend.session.session_id,
    )
    expect(await page.evaluate(() => (window as any).uiErrors)).toEqual([])
    await expectMockAnswered(ui.seen, {})
    expect(ui.seen.foreign).toEqual([])
  })

  it("formats in the country picked: the UK's national form, sent with +44", async () => {
    await ui.browser.page.goto(`${ui.app.origin}/sms.html`)
    await ui.browser.page.getByRole('combobox', { name: 'Country code' }).selectOption('GB')
    await typeNumber('07400123457', '07400 123457')
    const sent = await send()
    expect(sent.request).toEqual({ phone_number: '+447400123457', expiration_minutes: 5 })
    expect(sent.status, JSON.stringify(sent.body)).toBe(200)
    await expect
      .poll(() => ui.browser.page.locator('#login').innerText())
      .toContain('A 6-digit passcode was sent to you at 07400 123457.')
    await shot('1-code-screen')
    expect(ui.seen.foreign).toEqual([])
  })

  it('refuses an invalid number before sending, as Stytch does', async () => {
    const { page } = ui.browser
    await page.goto(`${ui.app.origin}/sms.html`)
    // A number of the right length that no US plan has, then one too short: neither is sent.
    for (const typed of ['1234567890', '201555']) {
      await phoneInput().fill('')
      await typeNumber(typed, typed)
      await page.getByRole('button', { name: 'Continue with text message' }).click()
      await expect.poll(() => page.locator('#login').innerText()).toContain(INVALID_FORMAT)
      await shot(`refused-${typed}`)
    }
    expect(loginsSent()).toEqual([])
    expect(ui.seen.foreign).toEqual([])
  })
})

describe('reaching the stand-in without the SDK option', () => {
  it("Playwright routes Stytch's URL to the mock: the tab works as with the option", async () => {
    await routeStytchPage()
    const { page } = ui.browser
    await page.goto(`${ui.app.origin}/sms-default.html`)
    await typeNumber('2125550147', '(212) 555-0147')
    const sent = await send()
    expect(sent.request).toEqual({ phone_number: '+12125550147', expiration_minutes: 5 })
    expect(sent.status, JSON.stringify(sent.body)).toBe(200)
    await expect
      .poll(() => page.locator('#login').innerText())
      .toContain('A 6-digit passcode was sent to you at (212) 555-0147.')
    // The SDK's iframe is Stytch's URL (its messages go to that origin); the mock answered it.
    expect(
      await page
        .locator('iframe')
        .evaluateAll((frames) => frames.map((f) => (f as HTMLIFrameElement).src)),
    ).toEqual([STYTCH_PAGE])
    expect(page.frames().map((f) => f.url())).toContain(STYTCH_PAGE)
    expect(ui.seen.foreign).toEqual(
      STAND_IN_FILES.map((path) => `GET https://js.stytch.com${path}`),
    )
  })

  it('offline with no stand-in, the same tab sends "+1" after its 2 s wait, and fails', async () => {
    const { page } = ui.browser
    await page.goto(`${ui.app.origin}/sms-default.html`)
    // Nothing formats the number: the field keeps what was typed.
    await phoneInput().pressSequentially('2015550123')
    const started = Date.now()
    const sent = await send()
    // The UI gave up waiting for the page (2 s) and sent the country code alone: the number it
    // keeps is set only by the page's answer (or after 10 s without one).
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900)
    expect(await phoneInput().inputValue()).toBe('2015550123')
    expect(sent.request).toEqual({ phone_number: '+1', expiration_minutes: 5 })
    expect(sent.status).toBe(400)
    expect(sent.body.error_type).toBe('invalid_phone_number')
    await shot('1-failed')
    expect(ui.seen.foreign).toEqual([`GET ${STYTCH_PAGE}`])
  })
})
