// Issue #24, "Proof": the frontend SDK's user methods (the unmodified @stytch/vanilla-js bundle)
// in Chromium against the mock. A user logged in by password updates their name and untrusted
// metadata and deletes their phone number and email: each answer's `__user` lands in the SDK's
// cache (user.getSync) and fires user.onChange, and the backend (the official Node SDK) agrees;
// another user's factor and unknown ids get Stytch's not-found errors; trusted metadata is the
// backend's. The backend deletes the password (user.get then shows none, and the password no
// longer logs in), then the user: the page's session is gone at once, and the SDK drops its
// state on its next session.authenticate.
import { describe, expect, it } from 'vitest'
import { api, startApp } from './harness.js'
import { browserSuite, runClient } from './ui-harness.js'

const ui = browserSuite({ app: () => startApp(), backend: 'consumer' })

const PASSWORD = 'correct-horse-battery'
const random = () => Math.random().toString(36).slice(2, 10)

/** The consumer page with the SDK client pointed at the mock, its user changes recorded. */
async function page() {
  const { page } = ui.browser
  await page.goto(`${ui.app.origin}/consumer.html`)
  await page.evaluate(
    ({ token, base }) => {
      const w = window as any
      w.client = new w.stytch.StytchClient(token, {
        endpoints: { testAPIURL: base, liveAPIURL: base },
      })
      w.changes = []
      w.client.user.onChange((u: any) =>
        w.changes.push(
          u && {
            first_name: u.name.first_name,
            phones: u.phone_numbers.length,
            emails: u.emails.length,
            password: u.password?.password_id ?? null,
          },
        ),
      )
    },
    { token: ui.mock.config.publicToken, base: ui.mock.base },
  )
  return page
}

/** Runs a client call in the page: its result, or the Stytch error type it failed with. */
const run = (code: string) => runClient(ui.browser.page, code)
const cached = () => ui.browser.page.evaluate(() => (window as any).client.user.getSync())
const changes = () => ui.browser.page.evaluate(() => (window as any).changes.splice(0))

describe('@stytch/vanilla-js user methods', () => {
  it('update and the factor deletions reach the SDK cache, onChange and the backend', async () => {
    const email = `user-ui-${random()}@example.com`
    const phone_number = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
    const seeded = (await api(ui.mock)('/_mock/users', { email, password: PASSWORD, phone_number }))
      .body.user
    const other = await ui.backend.users.create({ email: `other-${random()}@example.com` })
    await page()

    const login = await run(
      `c.passwords.authenticate(${JSON.stringify({ email, password: PASSWORD, session_duration_minutes: 30 })})`,
    )
    expect(login.ok.user_id).toBe(seeded.user_id)
    expect((await cached()).phone_numbers).toHaveLength(1)
    await changes()

    // user.update: the name and untrusted metadata; the answer is the SDK's, without __user.
    const updated = await run(
      `c.user.update({ name: { first_name: 'Grace', last_name: 'Hopper' }, untrusted_metadata: { theme: 'dark' } })`,
    )
    expect(Object.keys(updated.ok).sort()).toEqual(
      ['crypto_wallets', 'emails', 'phone_numbers', 'request_id', 'status_code', 'user_id'].sort(),
    )
    expect(await cached()).toMatchObject({
      name: { first_name: 'Grace', middle_name: '', last_name: 'Hopper' },
      untrusted_metadata: { theme: 'dark' },
    })
    expect(await changes()).toEqual([
      { first_name: 'Grace', phones: 1, emails: 1, password: seeded.password.password_id },
    ])
    const afterUpdate = await ui.backend.users.get({ user_id: seeded.user_id })
    expect(afterUpdate.name).toEqual({ first_name: 'Grace', middle_name: '', last_name: 'Hopper' })

    // user.deletePhoneNumber is privileged (Stytch's frontend MFA rule): the user has an email
    // and a phone, so a password-only session may not; with an SMS passcode in it too, it may.
    const phoneId = seeded.phone_numbers[0].phone_id
    expect(await run(`c.user.deletePhoneNumber(${JSON.stringify(phoneId)})`)).toEqual({
      error: 'insufficient_factors',
    })
    const sms = await ui.backend.otps.sms.send({ phone_number })
    const outbox = await api(ui.mock)(`/_mock/outbox?to=${encodeURIComponent(phone_number)}`)
    await ui.backend.otps.authenticate({
      method_id: sms.phone_id,
      code: outbox.body.messages.at(-1).otp_code,
      session_token: login.ok.session_token,
    })
    await changes()
    const deleted = await run(`c.user.deletePhoneNumber(${JSON.stringify(phoneId)})`)
    expect(deleted.ok).toMatchObject({ user_id: seeded.user_id, status_code: 200 })
    expect(deleted.ok).not.toHaveProperty('__user')
    expect((await cached()).phone_numbers).toEqual([])
    expect(await changes()).toEqual([
      { first_name: 'Grace', phones: 0, emails: 1, password: seeded.password.password_id },
    ])
    expect((await ui.backend.users.get({ user_id: seeded.user_id })).phone_numbers).toEqual([])
    const gone = await ui.backend.otps.sms.send({ phone_number }).catch((e) => e.error_type)
    expect(gone).toBe('phone_number_not_found')

    // Another user's factor is not the caller's to delete; unknown ids get each kind's 404.
    expect(await run(`c.user.deleteEmail(${JSON.stringify(other.email_id)})`)).toEqual({
      error: 'email_not_found',
    })
    expect((await ui.backend.users.get({ user_id: other.user_id })).emails).toHaveLength(1)
    for (const [call, type] of [
      [`c.user.deleteTOTP('totp-test-none')`, 'totp_not_found'],
      [`c.user.deleteCryptoWallet('crypto-wallet-test-none')`, 'crypto_wallet_not_found'],
      [
        `c.user.deleteOAuthRegistration('oauth-user-registration-test-none')`,
        'oauth_user_registration_not_found',
      ],
      [
        `c.user.deleteWebauthnRegistration('webauthn-registration-test-none')`,
        'webauthn_registration_not_found',
      ],
      [
        `c.user.deleteBiometricRegistration('biometric-registration-test-none')`,
        'biometric_registration_not_found',
      ],
      [`c.user.update({ trusted_metadata: { plan: 'pro' } })`, 'cannot_update_trusted_metadata'],
    ])
      expect(await run(call!), call).toEqual({ error: type })
    expect(await changes()).toEqual([])

    // The backend deletes the password: user.get() shows it, and it no longer logs in.
    await ui.backend.users.deletePassword({ password_id: seeded.password.password_id })
    expect((await run(`c.user.get().then((u) => u.password)`)).ok ?? null).toBeNull()
    expect((await cached()).password ?? null).toBeNull()
    expect(await changes()).toEqual([{ first_name: 'Grace', phones: 0, emails: 1, password: null }])
    expect(
      await run(
        `c.passwords.authenticate(${JSON.stringify({ email, password: PASSWORD, session_duration_minutes: 30 })})`,
      ),
    ).toEqual({ error: 'no_user_password' })

    // user.deleteEmail: the user's own; logins by it find no one.
    const emailId = seeded.emails[0].email_id
    await run(`c.user.deleteEmail(${JSON.stringify(emailId)})`)
    expect((await cached()).emails).toEqual([])
    expect(await changes()).toEqual([{ first_name: 'Grace', phones: 0, emails: 0, password: null }])
    const magic = await ui.backend.magicLinks.email.send({ email }).catch((e) => e.error_type)
    expect(magic).toBe('email_not_found')

    // The backend deletes the user: the page's session is gone at once, and the SDK lets go.
    await ui.backend.users.delete({ user_id: seeded.user_id })
    expect(await run(`c.user.get()`)).toEqual({ error: 'session_not_found' })
    expect(await run(`c.session.authenticate()`)).toEqual({ error: 'session_not_found' })
    await expect.poll(cached).toBeNull()
    expect(await changes()).toContainEqual(null)
    expect(
      await ui.browser.page.evaluate(() => (window as any).client.session.getSync()),
    ).toBeNull()
  })
})
