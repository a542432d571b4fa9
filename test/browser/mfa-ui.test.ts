// Issue #26, "Proof": Stytch's pre-built B2B login UI (StytchB2BUIClient.mount from the unmodified
// @stytch/vanilla-js B2B UI bundle, dist/iife/b2b/index.js) logs in to an organization that
// requires MFA, offline against the mock, in Chromium. Discovery by email magic link (the
// outbox's), the organization picked: the exchange stops at an intermediate session and the UI
// offers MFA set-up. "Use an authenticator app" creates the TOTP registration (/sdk/v1/b2b/totp,
// with the intermediate session), shows its QR code and, asked, its secret; the test computes
// the code from the secret the page shows (otpauth), checks it against /_mock/totps, and types
// it; the UI shows the recovery codes the create answered and lands logged in, with a member
// session holding both factors (the Node SDK's sessions.authenticate on the browser's cookie).
// A member already enrolled (totps.migrate) gets the code entry screen at once, in an
// organization that allows TOTP only; another uses a backup code instead. The page may talk to
// its own origin and the mock only: anything else is recorded, aborted (as offline) and asserted;
// every request to the mock must be answered 2xx, and the console must stay free of errors.
// Screenshots of each step go to test/browser/artifacts/mfa-ui/ (git-ignored).
import { Secret, TOTP } from 'otpauth'
import * as stytch from 'stytch'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { api } from './harness.js'
import {
  B2B_UI_CONSOLE,
  browserSuite,
  callOf,
  discoveryUntilMfa,
  expectMockAnswered,
  nextCall,
  serveB2BDiscoveryApp,
} from './ui-harness.js'

const SESSION_MINUTES = 60
const random = () => Math.random().toString(36).slice(2, 10)

const ui = browserSuite({
  artifacts: 'mfa-ui',
  app: (mock) =>
    serveB2BDiscoveryApp(mock, {
      title: 'stytch-mock B2B MFA UI',
      sessionMinutes: SESSION_MINUTES,
    }),
  backend: 'b2b',
})
beforeEach(async () => {
  // The mock's clock stands still during a test: the code the test computes stays current.
  expect((await api(ui.mock)('/_mock/clock', { freeze: true })).status).toBe(200)
})
afterEach(async () => {
  await api(ui.mock)('/_mock/clock', { reset: true, freeze: false })
})
const shot = ui.shot

/** The code an authenticator app shows now, computed from the secret at the mock's time. */
async function appCode(secret: string) {
  const clock = await api(ui.mock)('/_mock/clock')
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate({
    timestamp: clock.body.now_unix * 1000,
  })
}

/** A new organization requiring MFA of everyone, and one member (a new address). */
async function mfaOrganization(settings: Partial<stytch.B2BOrganizationsUpdateRequest> = {}) {
  const name = `Umbrella ${random()}`
  const { organization } = await ui.backend.organizations.create({
    organization_name: name,
    organization_slug: `umbrella-${random()}`,
  })
  const organization_id = organization.organization_id
  await ui.backend.organizations.update({
    organization_id,
    mfa_policy: 'REQUIRED_FOR_ALL',
    ...settings,
  })
  const email = `mfa-ui-${random()}@example.com`
  const { member } = await ui.backend.organizations.members.create({
    organization_id,
    email_address: email,
  })
  return { organization_id, member_id: member.member_id, email, name }
}

/** Discovery by email magic link until the exchange stops at MFA; its answer. */
const loginUntilMfa = (who: { organization_id: string; email: string; name: string }) =>
  discoveryUntilMfa(ui, who, {
    message: { channel: 'email', kind: 'magic_link' },
    exchange: { mfa_required: expect.any(Object) },
  })

/** Types the code into the UI's passcode field; returns the authenticate call it made. */
async function typeCode(code: string) {
  const authenticated = nextCall(ui.browser.page, ui.mock, '/sdk/v1/b2b/totp/authenticate')
  const field = ui.browser.page.getByLabel('One-time passcode')
  // As a person would after a refused code: clear the six boxes, then type the new one (the UI
  // submits when the sixth digit arrives).
  await field.fill('')
  await field.fill(code)
  return callOf(await authenticated)
}

/**
 * The browser's member session, as the backend sees it (the Node SDK on its stytch_session
 * cookie): in the organization, `SESSION_MINUTES` long, with these factors' types.
 */
async function backendSession(organizationId: string, factorTypes: string[]) {
  const cookies = await ui.browser.context.cookies(ui.app.origin)
  const token = cookies.find((c) => c.name === 'stytch_session')?.value
  expect(token, `stytch_session cookie (cookies: ${cookies.map((c) => c.name)})`).toBeTruthy()
  expect(cookies.find((c) => c.name === 'stytch_intermediate_session_token')).toBeUndefined()
  const res = await ui.backend.sessions.authenticate({ session_token: token! })
  expect(res.member_session.organization_id).toBe(organizationId)
  expect(res.member_session.authentication_factors.map((f) => f.type)).toEqual(factorTypes)
  const { started_at, expires_at } = res.member_session
  expect(Date.parse(expires_at) - Date.parse(started_at)).toBe(SESSION_MINUTES * 60_000)
  // The page's SDK holds the same session.
  const held = await ui.browser.page.evaluate(
    () => (window as any).client.session.getSync()?.member_session_id ?? null,
  )
  expect(held).toBe(res.member_session.member_session_id)
  return res
}

/**
 * Nothing but the app and the mock reached, every mock call 2xx, a quiet console (but for
 * `expected` lines, of a refusal the test made happen).
 */
async function expectCleanRun(expected: RegExp[] = []) {
  await expectMockAnswered(ui.seen, {})
  expect([...new Set(ui.seen.foreign)]).toEqual([])
  const unexplained = (l: string) =>
    !B2B_UI_CONSOLE.some(([re]) => re.test(l)) && !expected.some((re) => re.test(l))
  expect(ui.seen.errors.filter(unexplained)).toEqual([])
  expect(ui.seen.console.filter((l) => /^(warning|error)/.test(l) && unexplained(l))).toEqual([])
  const { errors } = await ui.browser.page.evaluate(() => ({ errors: (window as any).uiErrors }))
  expect(errors).toEqual([])
}

describe('the pre-built B2B login UI in an organization that requires MFA', () => {
  it('enrolls TOTP: the QR code, the secret the page shows, its code typed, the backup codes, logged in with both factors', async () => {
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

    const created = nextCall(page, ui.mock, '/sdk/v1/b2b/totp')
    await page.getByRole('button', { name: 'Use an authenticator app' }).click()
    const create = await callOf(await created)
    expect(create.request).toMatchObject({
      organization_id: who.organization_id,
      member_id: who.member_id,
      intermediate_session_token: exchanged.intermediate_session_token,
    })
    expect(create.status, JSON.stringify(create.body)).toBe(200)
    const registration = create.body.data as {
      secret: string
      qr_code: string
      recovery_codes: string[]
      totp_registration_id: string
    }
    expect(registration.recovery_codes).toHaveLength(10)
    await expect
      .poll(() => page.getByText('Scan the QR code to link your authenticator app').count())
      .toBe(1)
    const qr = page.getByRole('img', { name: 'QR code for TOTP enrollment' })
    await expect.poll(() => qr.getAttribute('src')).toBe(registration.qr_code)
    // The image the page shows is the PNG the mock made (200x200).
    await expect
      .poll(() => qr.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]))
      .toEqual([200, 200])
    await shot('3-qr-code')

    // The secret, as the page shows it for typing into an app: lower case, in groups of four.
    await page.getByRole('button', { name: 'Having trouble scanning?' }).click()
    await expect.poll(() => page.getByText('Having trouble scanning the QR code?').count()).toBe(1)
    const groups = await page
      .locator('#login span')
      .evaluateAll((spans) =>
        spans.map((s) => (s as HTMLElement).innerText).filter((t) => /^[a-z2-7]{4}$/.test(t)),
      )
    const shown = groups.join('')
    expect(shown).toBe(registration.secret.toLowerCase())
    await shot('4-secret')

    // The code an app computes from it, the one the mock's test control gives.
    const code = await appCode(shown)
    const current = await api(ui.mock)(`/_mock/totps/${who.member_id}`)
    expect(current.body).toMatchObject({ code, verified: false })

    await page.getByRole('button', { name: 'Continue' }).click()
    await expect.poll(() => page.getByText('Enter verification code').count()).toBe(1)
    await shot('5-enter-code')
    const call = await typeCode(code)
    expect(call.request).toMatchObject({
      organization_id: who.organization_id,
      member_id: who.member_id,
      code,
      session_duration_minutes: SESSION_MINUTES,
      intermediate_session_token: exchanged.intermediate_session_token,
    })
    expect(call.status, JSON.stringify(call.body)).toBe(200)
    expect(call.body.data.member.totp_registration_id).toBe(registration.totp_registration_id)

    // The backup codes the create answered, shown once.
    await expect.poll(() => page.getByText('Save your backup codes!').count()).toBe(1)
    await expect
      .poll(() => page.locator('#login li').allInnerTexts())
      .toEqual(registration.recovery_codes)
    await shot('6-backup-codes')
    await page.getByRole('button', { name: 'Done' }).click()
    await expect.poll(() => page.getByText('You have successfully logged in.').count()).toBe(1)
    await shot('7-logged-in')

    const session = await backendSession(who.organization_id, ['magic_link', 'totp'])
    expect(session.member_session.authentication_factors[1]).toMatchObject({
      delivery_method: 'authenticator_app',
      authenticator_app_factor: { totp_id: registration.totp_registration_id },
    })
    expect(session.member).toMatchObject({
      totp_registration_id: registration.totp_registration_id,
      default_mfa_method: 'totp',
    })
    const events = await page.evaluate(() => (window as any).uiEvents as string[])
    expect(events).toEqual(expect.arrayContaining(['B2B_TOTP_CREATE', 'B2B_TOTP_AUTHENTICATE']))
    await expectCleanRun()
  })

  it('an enrolled member, in an organization allowing TOTP only: the code entry screen, then logged in', async () => {
    const { page } = ui.browser
    const who = await mfaOrganization({ mfa_methods: 'RESTRICTED', allowed_mfa_methods: ['totp'] })
    const secret = new Secret({ size: 20 }).base32
    const migrated = await ui.backend.totps.migrate({
      organization_id: who.organization_id,
      member_id: who.member_id,
      secret,
      recovery_codes: [],
    })
    const exchanged = await loginUntilMfa(who)
    expect(exchanged.mfa_required.member_options.totp_registration_id).toBe(
      migrated.totp_registration_id,
    )
    // Straight to the code: no set-up, no choice of method.
    await expect.poll(() => page.getByText('Enter verification code').count()).toBe(1)
    expect(await page.getByText('Set up Multi-Factor Authentication').count()).toBe(0)
    await shot('2-enter-code')

    // A wrong code: the UI says so, and stays.
    const wrong = String((Number(await appCode(secret)) + 500_000) % 1_000_000).padStart(6, '0')
    const refused = await typeCode(wrong)
    expect(refused.status).toBe(404)
    expect(refused.body.error_type).toBe('otp_code_not_found')
    await expect.poll(() => page.getByText('Invalid passcode, please try again.').count()).toBe(1)
    await shot('3-wrong-code')
    // The refusal was expected: it is out of the record of what must be 2xx.
    ui.seen.mock.splice(
      ui.seen.mock.findIndex((r) => r.status === 404),
      1,
    )

    const code = await appCode(secret)
    const call = await typeCode(code)
    expect(call.status, JSON.stringify(call.body)).toBe(200)
    // Not enrolling: no backup codes, straight in.
    await expect.poll(() => page.getByText('You have successfully logged in.').count()).toBe(1)
    expect(await page.getByText('Save your backup codes!').count()).toBe(0)
    await shot('4-logged-in')
    await backendSession(who.organization_id, ['magic_link', 'totp'])
    // The refusal the UI reported, and the browser's line about the 404 it got.
    const reported = await page.evaluate(() => (window as any).uiErrors.splice(0))
    expect(reported).toEqual([expect.objectContaining({ error_type: 'otp_code_not_found' })])
    await expectCleanRun([/status of 404/])
  })

  it('an enrolled member without the app: "Use a backup code", then logged in with a recovery code factor', async () => {
    const { page } = ui.browser
    const who = await mfaOrganization()
    const migrated = await ui.backend.totps.migrate({
      organization_id: who.organization_id,
      member_id: who.member_id,
      secret: new Secret({ size: 20 }).base32,
      recovery_codes: [],
    })
    await loginUntilMfa(who)
    await expect.poll(() => page.getByText('Enter verification code').count()).toBe(1)
    await page.getByRole('button', { name: 'Use a backup code' }).click()
    await expect
      .poll(() => page.getByText('Enter one of the backup codes', { exact: false }).count())
      .toBe(1)
    await page.getByLabel('Backup code').fill(migrated.recovery_codes[3]!)
    const recovered = nextCall(page, ui.mock, '/sdk/v1/b2b/recovery_codes/recover')
    await page.getByRole('button', { name: 'Continue' }).click()
    const call = await callOf(await recovered)
    expect(call.request).toMatchObject({
      organization_id: who.organization_id,
      member_id: who.member_id,
      recovery_code: migrated.recovery_codes[3],
    })
    expect(call.status, JSON.stringify(call.body)).toBe(200)
    expect(call.body.data.recovery_codes_remaining).toBe(9)
    await expect.poll(() => page.getByText('You have successfully logged in.').count()).toBe(1)
    await shot('2-logged-in')
    await backendSession(who.organization_id, ['magic_link', 'recovery_codes'])
    const left = await ui.backend.recoveryCodes.get({
      organization_id: who.organization_id,
      member_id: who.member_id,
    })
    expect(left.recovery_codes).not.toContain(migrated.recovery_codes[3])
    await expectCleanRun()
  })
})
