// Issue #26, "Proof": Stytch's pre-built B2B login UI (StytchB2BUIClient.mount from the unmodified
// @stytch/vanilla-js B2B UI bundle, dist/iife/b2b/index.js) completes an organization's SMS MFA
// offline against the mock, in Chromium. Discovery by email magic link (the outbox's), the
// organization picked: the exchange stops at an intermediate session and the UI offers MFA
// set-up. "Text me a code" shows the phone form, whose number the clientside-services stand-in
// (the mock's, named by the SDK's `clientsideServicesIframeURL`) checks and formats; the UI sends
// it (/sdk/v1/b2b/otps/sms/send with the intermediate session), the test reads the code from the
// mock's outbox and types it, and the UI lands logged in with a member session holding both
// factors and the phone verified (the Node SDK's sessions.authenticate on the browser's cookie).
// A member whose phone is already proven gets the passcode texted by the exchange itself
// (secondary_auth_initiated): the UI goes straight to the code, sending nothing. The page may talk
// to its own origin and the mock only: anything else is recorded, aborted (as offline) and
// asserted; every request to the mock must be answered 2xx, and the console must stay free of
// errors. Screenshots of each step go to test/browser/artifacts/mfa-sms-ui/ (git-ignored).
import { describe, expect, it } from 'vitest'
import { api } from './harness.js'
import {
  B2B_UI_CONSOLE,
  browserSuite,
  callOf,
  discoveryUntilMfa,
  expectMockAnswered,
  newestMessage,
  nextCall,
  serveB2BDiscoveryApp,
} from './ui-harness.js'

const SESSION_MINUTES = 60
const random = () => Math.random().toString(36).slice(2, 10)

const ui = browserSuite({
  artifacts: 'mfa-sms-ui',
  app: (mock) =>
    serveB2BDiscoveryApp(mock, {
      title: 'stytch-mock B2B SMS MFA UI',
      sessionMinutes: SESSION_MINUTES,
      phoneForm: true,
    }),
  backend: 'b2b',
})
const shot = ui.shot

/** A new organization requiring MFA of everyone, and one member (a new address). */
async function mfaOrganization() {
  const name = `Umbrella ${random()}`
  const { organization } = await ui.backend.organizations.create({
    organization_name: name,
    organization_slug: `umbrella-${random()}`,
    mfa_policy: 'REQUIRED_FOR_ALL',
  })
  const email = `mfa-sms-ui-${random()}@example.com`
  const { member } = await ui.backend.organizations.members.create({
    organization_id: organization.organization_id,
    email_address: email,
  })
  return { organization_id: organization.organization_id, member_id: member.member_id, email, name }
}

/** Discovery by email magic link until the exchange stops at MFA; its answer. */
const loginUntilMfa = (who: { email: string; name: string }) => discoveryUntilMfa(ui, who)

/** Types the code into the UI's passcode field; returns the authenticate call it made. */
async function typeCode(code: string) {
  const authenticated = nextCall(ui.browser.page, ui.mock, '/sdk/v1/b2b/otps/sms/authenticate')
  await ui.browser.page.getByLabel('One-time passcode').fill(code)
  return callOf(await authenticated)
}

/**
 * The browser's member session, as the backend sees it (the Node SDK on its stytch_session
 * cookie): in the organization, `SESSION_MINUTES` long, with a magic link and an SMS factor.
 */
async function backendSession(organizationId: string, phone: string) {
  const cookies = await ui.browser.context.cookies(ui.app.origin)
  const token = cookies.find((c) => c.name === 'stytch_session')?.value
  expect(token, `stytch_session cookie (cookies: ${cookies.map((c) => c.name)})`).toBeTruthy()
  expect(cookies.find((c) => c.name === 'stytch_intermediate_session_token')).toBeUndefined()
  const res = await ui.backend.sessions.authenticate({ session_token: token! })
  expect(res.member_session.organization_id).toBe(organizationId)
  expect(res.member_session.authentication_factors.map((f) => [f.type, f.delivery_method])).toEqual(
    [
      ['magic_link', 'email'],
      ['otp', 'sms'],
    ],
  )
  expect(res.member_session.authentication_factors[1]!.phone_number_factor).toMatchObject({
    phone_number: phone,
  })
  const { started_at, expires_at } = res.member_session
  expect(Date.parse(expires_at) - Date.parse(started_at)).toBe(SESSION_MINUTES * 60_000)
  expect(res.member).toMatchObject({ mfa_phone_number: phone, mfa_phone_number_verified: true })
  // The page's SDK holds the same session.
  const held = await ui.browser.page.evaluate(
    () => (window as any).client.session.getSync()?.member_session_id ?? null,
  )
  expect(held).toBe(res.member_session.member_session_id)
  return res
}

/** Nothing but the app and the mock reached, every mock call 2xx, a quiet console. */
async function expectCleanRun() {
  await expectMockAnswered(ui.seen, {})
  expect([...new Set(ui.seen.foreign)]).toEqual([])
  const unexplained = (l: string) => !B2B_UI_CONSOLE.some(([re]) => re.test(l))
  expect(ui.seen.errors.filter(unexplained)).toEqual([])
  expect(ui.seen.console.filter((l) => /^(warning|error)/.test(l) && unexplained(l))).toEqual([])
  const { errors } = await ui.browser.page.evaluate(() => ({ errors: (window as any).uiErrors }))
  expect(errors).toEqual([])
}

const smsSends = () => ui.seen.mock.filter((r) => r.path === '/sdk/v1/b2b/otps/sms/send')

describe('the pre-built B2B login UI completes SMS MFA', () => {
  it('enrolls a phone: the number typed and formatted, the code from the outbox, logged in with both factors', async () => {
    const { page } = ui.browser
    const who = await mfaOrganization()
    const exchanged = await loginUntilMfa(who)
    // Nothing set up yet: the UI offers both methods.
    expect(exchanged.mfa_required).toEqual({
      member_options: null,
      secondary_auth_initiated: null,
    })
    await expect.poll(() => page.getByText('Set up Multi-Factor Authentication').count()).toBe(1)
    await shot('2-set-up-mfa')

    await page.getByRole('button', { name: 'Text me a code' }).click()
    await expect
      .poll(() =>
        page.getByText('Enter your phone number to set up Multi-Factor Authentication').count(),
      )
      .toBe(1)
    // The stand-in formats the national number as it is typed.
    const phoneInput = page.getByRole('textbox', { name: 'Phone number' })
    await phoneInput.pressSequentially('2015550123')
    await expect.poll(() => phoneInput.inputValue()).toBe('(201) 555-0123')
    await shot('3-phone-number')

    const sent = nextCall(page, ui.mock, '/sdk/v1/b2b/otps/sms/send')
    await page.getByRole('button', { name: 'Continue' }).click()
    const send = await callOf(await sent)
    expect(send.request).toMatchObject({
      organization_id: who.organization_id,
      member_id: who.member_id,
      mfa_phone_number: '+12015550123',
      intermediate_session_token: exchanged.intermediate_session_token,
    })
    expect(send.status, JSON.stringify(send.body)).toBe(200)
    const message = await newestMessage(ui.mock, '+12015550123')
    expect(message).toMatchObject({
      channel: 'sms',
      kind: 'otp',
      member_id: who.member_id,
      organization_id: who.organization_id,
      otp_code: expect.stringMatching(/^\d{6}$/),
    })
    await expect.poll(() => page.getByText('Enter passcode').count()).toBe(1)
    await shot('4-enter-code')

    const call = await typeCode(message.otp_code)
    expect(call.request).toMatchObject({
      organization_id: who.organization_id,
      member_id: who.member_id,
      code: message.otp_code,
      session_duration_minutes: SESSION_MINUTES,
      intermediate_session_token: exchanged.intermediate_session_token,
    })
    expect(call.status, JSON.stringify(call.body)).toBe(200)
    await expect.poll(() => page.getByText('You have successfully logged in.').count()).toBe(1)
    await shot('5-logged-in')

    const session = await backendSession(who.organization_id, '+12015550123')
    expect(session.member).toMatchObject({ mfa_enrolled: true, default_mfa_method: 'sms_otp' })
    expect(smsSends()).toHaveLength(1)
    const events = await page.evaluate(() => (window as any).uiEvents as string[])
    expect(events).toEqual(expect.arrayContaining(['B2B_SMS_OTP_SEND', 'B2B_SMS_OTP_AUTHENTICATE']))
    await expectCleanRun()
  })

  it('a proven phone: the exchange texts the code itself and the UI asks for it at once', async () => {
    const { page } = ui.browser
    const who = await mfaOrganization()
    const phone = '+12015550199'
    // The phone proven through the backend: a primary login, sms.send, sms.authenticate.
    await ui.backend.magicLinks.email.loginOrSignup({
      organization_id: who.organization_id,
      email_address: who.email,
    })
    const link = await newestMessage(ui.mock, who.email)
    const primary = await ui.backend.magicLinks.authenticate({ magic_links_token: link.token })
    await ui.backend.otps.sms.send({
      organization_id: who.organization_id,
      member_id: who.member_id,
      mfa_phone_number: phone,
      intermediate_session_token: primary.intermediate_session_token,
    })
    await ui.backend.otps.sms.authenticate({
      organization_id: who.organization_id,
      member_id: who.member_id,
      code: (await newestMessage(ui.mock, phone)).otp_code,
      intermediate_session_token: primary.intermediate_session_token,
    })
    const texted = (await api(ui.mock)(`/_mock/outbox?to=${encodeURIComponent(phone)}`)).body
      .messages.length as number

    const exchanged = await loginUntilMfa(who)
    expect(exchanged.mfa_required).toEqual({
      member_options: { mfa_phone_number: phone, totp_registration_id: '' },
      secondary_auth_initiated: 'sms_otp',
    })
    // The exchange texted the code; the UI shows the code screen and sends nothing.
    await expect.poll(() => page.getByText('Enter passcode').count()).toBe(1)
    await expect.poll(() => page.locator('#login').innerText()).toContain('(201) 555-0199')
    await shot('2-enter-code')
    const message = await newestMessage(ui.mock, phone)
    const after = (await api(ui.mock)(`/_mock/outbox?to=${encodeURIComponent(phone)}`)).body
      .messages
    expect(after).toHaveLength(texted + 1)

    const call = await typeCode(message.otp_code)
    expect(call.status, JSON.stringify(call.body)).toBe(200)
    await expect.poll(() => page.getByText('You have successfully logged in.').count()).toBe(1)
    await shot('3-logged-in')
    await backendSession(who.organization_id, phone)
    expect(smsSends()).toEqual([])
    await expectCleanRun()
  })
})
