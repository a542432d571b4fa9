// Issue #26, "Proof": a consumer step-up adding TOTP to a session with the frontend SDK (the
// unmodified @stytch/vanilla-js bundle) in Chromium against the mock. A user logged in by
// password creates a TOTP (stytch.totps.create: user.getSync lists it pending), authenticates
// with the code computed from the returned secret (the session now holds both factors,
// session.getSync shows them, the backend agrees), reads the recovery codes (allowed now the
// session is multi-factor; refused to a password-only session) and recovers with one. And a
// WhatsApp passcode login, its code read from the outbox.
import { Secret, TOTP } from 'otpauth'
import { describe, expect, it } from 'vitest'
import { api, startApp } from './harness.js'
import { browserSuite, consumerClientPage, runClient } from './ui-harness.js'

const ui = browserSuite({ app: () => startApp(), backend: 'consumer' })

const PASSWORD = 'correct-horse-battery'
const random = () => Math.random().toString(36).slice(2, 10)

/** The consumer page with the SDK client pointed at the mock. */
const page = () => consumerClientPage(ui.browser, ui.app, ui.mock)

/** Runs a client call in the page: its result, or the Stytch error type it failed with. */
const run = (code: string) => runClient(ui.browser.page, code)
const cachedUser = () => ui.browser.page.evaluate(() => (window as any).client.user.getSync())
const cachedFactors = () =>
  ui.browser.page.evaluate(() =>
    ((window as any).client.session.getSync()?.authentication_factors ?? []).map(
      (f: { type: string; delivery_method: string }) => `${f.type}/${f.delivery_method}`,
    ),
  )
/** The code an authenticator app shows for the secret now (the mock runs on the wall clock). */
const codeOf = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret) }).generate()

describe('@stytch/vanilla-js totps: a step-up to TOTP', () => {
  it('create, authenticate with the computed code, recovery codes, recover', async () => {
    const email = `totp-ui-${random()}@example.com`
    const { user_id } = (await api(ui.mock)('/_mock/users', { email, password: PASSWORD })).body
    await page()
    const login = await run(
      `c.passwords.authenticate(${JSON.stringify({ email, password: PASSWORD, session_duration_minutes: 60 })})`,
    )
    expect(login.ok.user_id).toBe(user_id)
    expect(await cachedFactors()).toEqual(['password/knowledge'])
    // A second password session of the same user, for the MFA rule below.
    const other = await ui.backend.passwords.authenticate({
      email,
      password: PASSWORD,
      session_duration_minutes: 60,
    })

    // totps.create: the SDK answers without __user, and its user cache lists the pending TOTP.
    const created = await run(`c.totps.create({ expiration_minutes: 60 })`)
    expect(created.ok).toMatchObject({ user_id, status_code: 200 })
    expect(created.ok).not.toHaveProperty('__user')
    expect(created.ok.qr_code).toMatch(/^data:image\/png;base64, /)
    expect(created.ok.recovery_codes).toHaveLength(10)
    expect((await cachedUser()).totps).toEqual([{ totp_id: created.ok.totp_id, verified: false }])

    // totps.authenticate with the code an app computes from the secret: the session steps up.
    const stepped = await run(
      `c.totps.authenticate(${JSON.stringify({ totp_code: codeOf(created.ok.secret), session_duration_minutes: 60 })})`,
    )
    expect(stepped.ok).toMatchObject({ user_id, totp_id: created.ok.totp_id })
    expect(stepped.ok.session.session_id).toBe(login.ok.session.session_id)
    await expect.poll(cachedFactors).toEqual(['password/knowledge', 'totp/authenticator_app'])
    expect((await cachedUser()).totps).toEqual([{ totp_id: created.ok.totp_id, verified: true }])
    const seen = await ui.backend.sessions.authenticate({ session_token: login.ok.session_token })
    expect(seen.session.authentication_factors).toContainEqual(
      expect.objectContaining({ authenticator_app_factor: { totp_id: created.ok.totp_id } }),
    )
    expect(seen.user.totps).toEqual([{ totp_id: created.ok.totp_id, verified: true }])

    // The recovery codes: the user has two categories of factor now, so a password-only
    // session may not read them; the stepped-up page may.
    const refused = await fetch(`${ui.mock.url}/sdk/v1/totps/recovery_codes`, {
      method: 'POST',
      headers: {
        origin: ui.app.origin,
        authorization:
          'Basic ' +
          Buffer.from(`${ui.mock.config.publicToken}:${other.session_token}`).toString('base64'),
      },
    })
    expect(refused.status).toBe(401)
    expect(((await refused.json()) as { error_type: string }).error_type).toBe(
      'insufficient_factors',
    )
    const codes = await run(`c.totps.recoveryCodes()`)
    expect(codes.ok.totps).toEqual([
      { totp_id: created.ok.totp_id, verified: true, recovery_codes: created.ok.recovery_codes },
    ])

    // totps.recover: one code spent, its factor in the session; spent, it fails.
    const code = created.ok.recovery_codes[0]
    const recovered = await run(
      `c.totps.recover(${JSON.stringify({ recovery_code: code, session_duration_minutes: 60 })})`,
    )
    expect(recovered.ok.totp_id).toBe(created.ok.totp_id)
    await expect
      .poll(cachedFactors)
      .toEqual(['password/knowledge', 'totp/authenticator_app', 'recovery_codes/recovery_code'])
    expect(
      await run(
        `c.totps.recover(${JSON.stringify({ recovery_code: code, session_duration_minutes: 60 })})`,
      ),
    ).toEqual({ error: 'invalid_recovery_code' })
    expect((await run(`c.totps.recoveryCodes()`)).ok.totps[0].recovery_codes).toEqual(
      created.ok.recovery_codes.slice(1),
    )
    // Another TOTP while this one is verified: refused.
    expect(await run(`c.totps.create({ expiration_minutes: 60 })`)).toEqual({
      error: 'active_totp_exists',
    })
  })

  it('a WhatsApp passcode login, then a second number sent to the logged-in user', async () => {
    const phone = () => `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
    const first = phone()
    await page()
    const sent = await run(`c.otps.whatsapp.loginOrCreate(${JSON.stringify(first)})`)
    expect(sent.ok.method_id).toMatch(/^phone-number-test-/)
    const latest = async (to: string) =>
      (await api(ui.mock)(`/_mock/outbox?to=${encodeURIComponent(to)}`)).body.messages.at(-1)
    const message = await latest(first)
    expect(message.channel).toBe('whatsapp')
    const login = await run(
      `c.otps.authenticate(${JSON.stringify(message.otp_code)}, ${JSON.stringify(sent.ok.method_id)}, { session_duration_minutes: 60 })`,
    )
    expect(login.ok.session.authentication_factors[0]).toMatchObject({
      type: 'otp',
      delivery_method: 'whatsapp',
      phone_number_factor: { phone_id: sent.ok.method_id, phone_number: first },
    })
    await expect.poll(cachedFactors).toEqual(['otp/whatsapp'])

    // Logged in, the SDK's send goes to send/secondary: the number joins this user.
    const second = phone()
    const added = await run(`c.otps.whatsapp.send(${JSON.stringify(second)})`)
    expect(added.ok.method_id).toMatch(/^phone-number-test-/)
    expect((await latest(second)).user_id).toBe(login.ok.user_id)
    const user = await ui.backend.users.get({ user_id: login.ok.user_id })
    expect(user.phone_numbers.map((p) => [p.phone_number, p.verified])).toEqual([
      [first, true],
      [second, false],
    ])
  })
})
