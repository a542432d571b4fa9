// Issue #26: consumer authenticator apps (totps.create, authenticate, recoveryCodes, recover) and
// WhatsApp passcodes (otps.whatsapp.send, loginOrCreate) through the official `stytch` Node SDK;
// the frontend twins' multi-factor rule over the wire. Codes come from /_mock/totps/{user_id} and
// from the returned secret (otpauth), on the mock's clock. Every response is also checked against
// openapi.yaml (helpers/server.ts).
import { Secret, TOTP } from 'otpauth'
import * as stytch from 'stytch'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { OutboxMessage } from '../../server/index.js'
import {
  controlOf,
  failure,
  mockWithSdk,
  sdkCallOf,
  startMock,
  type RunningMock,
} from '../helpers/server.js'
import { FIXTURE } from '../helpers/world.js'

let mock: RunningMock
let control: ReturnType<typeof controlOf>
let client: stytch.Client

const sdk = mockWithSdk((options) => new stytch.Client(options))
beforeAll(() => {
  ;({ mock, client } = sdk)
  control = controlOf(mock)
})

/** 5 s into a 30-second window, near the wall clock (the SDK checks JWTs on the real one). */
const WINDOW_START = Math.floor(Date.now() / 30_000) * 30_000
beforeEach(async () => {
  mock.clock.reset()
  await control('POST', '/_mock/reset')
  mock.clock.freeze(WINDOW_START + 5_000)
})

const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}@example.com`
const PASSWORD = 'correct-horse-battery'

/** A user with a verified email and a password. */
async function newUser() {
  const email = unique('totp')
  const { body } = await control('POST', '/_mock/users', { email, password: PASSWORD })
  return { email, user_id: body.user_id as string }
}

/** The code an authenticator app shows for the secret, `offset` windows from the mock's now. */
const codeOf = (secret: string, offset = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({
    timestamp: mock.clock.nowMs() + offset * 30_000,
  })

/** A six-digit code that is none of the secret's previous, current and next codes. */
const wrongCode = (secret: string) =>
  ['000000', '111111', '222222'].find((c) => ![-1, 0, 1].some((o) => codeOf(secret, o) === c))!

/** A user with a verified TOTP registration (its first code spent, the clock a window later). */
async function enrolled() {
  const user = await newUser()
  const created = await client.totps.create({ user_id: user.user_id })
  await client.totps.authenticate({ user_id: user.user_id, totp_code: codeOf(created.secret) })
  mock.clock.advance(30)
  return { ...user, created }
}

const totpFactor = (totp_id: string) => ({
  type: 'totp',
  delivery_method: 'authenticator_app',
  authenticator_app_factor: { totp_id },
})

/** A frontend SDK call (POST /sdk/v1...), as @stytch/vanilla-js sends it. */
const sdkCall = (path: string, session: string | null, body?: object) =>
  sdkCallOf(mock, 'POST', path, session, body)

describe('totps.create', () => {
  it('answers the secret, the QR code and ten recovery codes; the user lists it pending', async () => {
    const { user_id } = await newUser()
    const created = await client.totps.create({ user_id })
    expect(created.totp_id).toMatch(/^totp-test-/)
    expect(created.secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(created.qr_code).toMatch(/^data:image\/png;base64, iVBORw0KGgo/)
    expect(created.recovery_codes).toHaveLength(10)
    for (const code of created.recovery_codes)
      expect(code).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/)
    expect(created.user.totps).toEqual([{ totp_id: created.totp_id, verified: false }])
    expect((await client.users.get({ user_id })).totps).toEqual(created.user.totps)
    // The code /_mock shows is the one an app computes from the secret.
    const current = (await control('GET', `/_mock/totps/${user_id}`)).body
    expect(current).toMatchObject({
      totp_id: created.totp_id,
      verified: false,
      code: codeOf(created.secret),
    })
  })

  it('takes the external_id; an unknown user is 404 user_not_found', async () => {
    const external_id = `ext-${Math.random().toString(36).slice(2, 10)}`
    const { user_id } = await client.users.create({ email: unique('external'), external_id })
    const created = await client.totps.create({ user_id: external_id, expiration_minutes: 60 })
    expect(created.user_id).toBe(user_id)
    expect(
      await failure(
        client.totps.create({ user_id: 'user-test-00000000-0000-4000-8000-000000000000' }),
      ),
    ).toEqual({
      status: 404,
      type: 'user_not_found',
    })
    expect(await failure(client.totps.create({ user_id, expiration_minutes: 4 }))).toEqual({
      status: 400,
      type: 'invalid_argument',
    })
    expect(await failure(client.totps.create({ user_id: '' }))).toEqual({
      status: 400,
      type: 'invalid_user_id',
    })
  })

  it('a pending registration is replaced; a verified one refuses another (active_totp_exists)', async () => {
    const { user_id } = await newUser()
    const first = await client.totps.create({ user_id })
    const second = await client.totps.create({ user_id })
    expect(second.user.totps).toEqual([{ totp_id: second.totp_id, verified: false }])
    // The first one's codes no longer work; the second's verify it.
    expect(codeOf(first.secret)).not.toBe(codeOf(second.secret))
    await client.totps.authenticate({ user_id, totp_code: codeOf(second.secret) })
    expect((await client.users.get({ user_id })).totps).toEqual([
      { totp_id: second.totp_id, verified: true },
    ])
    expect(await failure(client.totps.create({ user_id }))).toEqual({
      status: 400,
      type: 'active_totp_exists',
    })
  })

  it('a pending registration past its expiry is gone: totp_not_found; create starts over', async () => {
    const { user_id } = await newUser()
    const pending = await client.totps.create({ user_id, expiration_minutes: 5 })
    mock.clock.advance(5 * 60 + 1)
    expect(
      await failure(client.totps.authenticate({ user_id, totp_code: codeOf(pending.secret) })),
    ).toEqual({ status: 404, type: 'totp_not_found' })
    expect(await failure(client.totps.recoveryCodes({ user_id }))).toEqual({
      status: 404,
      type: 'totps_not_found_for_user',
    })
    expect((await control('GET', `/_mock/totps/${user_id}`)).status).toBe(404)
    const again = await client.totps.create({ user_id })
    expect(again.user.totps).toEqual([{ totp_id: again.totp_id, verified: false }])
    await client.totps.authenticate({ user_id, totp_code: codeOf(again.secret) })
  })
})

describe('totps.authenticate', () => {
  it('a code (from /_mock and from the secret) starts a session with the totp factor', async () => {
    const { user_id } = await newUser()
    const created = await client.totps.create({ user_id })
    const { code } = (await control('GET', `/_mock/totps/${user_id}`)).body
    expect(code).toBe(codeOf(created.secret))
    const auth = await client.totps.authenticate({
      user_id,
      totp_code: code,
      session_duration_minutes: 60,
    })
    expect(auth).toMatchObject({ user_id, totp_id: created.totp_id })
    expect(auth.user.totps).toEqual([{ totp_id: created.totp_id, verified: true }])
    expect(auth.session!.authentication_factors).toEqual([
      expect.objectContaining(totpFactor(created.totp_id)),
    ])
    // sessions.authenticate reads the stored session and user; the JWT carries the factor too.
    const got = await client.sessions.authenticate({ session_token: auth.session_token })
    expect(got.session.authentication_factors).toEqual(auth.session!.authentication_factors)
    expect(got.user.totps).toEqual([{ totp_id: created.totp_id, verified: true }])
    const local = await client.sessions.authenticateJwt({ session_jwt: auth.session_jwt })
    expect(local.session.authentication_factors).toEqual([
      expect.objectContaining(totpFactor(created.totp_id)),
    ])
    expect((await control('GET', `/_mock/totps/${user_id}`)).body.verified).toBe(true)
  })

  it('without a session or a duration, no session: empty tokens, as Stytch answers', async () => {
    const { user_id } = await newUser()
    const created = await client.totps.create({ user_id })
    const auth = await client.totps.authenticate({ user_id, totp_code: codeOf(created.secret) })
    expect(auth).toMatchObject({ session_token: '', session_jwt: '', totp_id: created.totp_id })
    expect(auth.session).toBeUndefined()
    expect(auth.user.totps).toEqual([{ totp_id: created.totp_id, verified: true }])
  })

  it('step-up: the factor joins the password session named by its token, then its JWT', async () => {
    const { email, user_id, created } = await enrolled()
    const login = await client.passwords.authenticate({
      email,
      password: PASSWORD,
      session_duration_minutes: 60,
    })
    const stepped = await client.totps.authenticate({
      user_id,
      totp_code: codeOf(created.secret),
      session_token: login.session_token,
    })
    expect(stepped.session!.session_id).toBe(login.session!.session_id)
    expect(stepped.session_token).toBe(login.session_token)
    expect(stepped.session!.authentication_factors.map((f) => f.type)).toEqual(['password', 'totp'])
    const got = await client.sessions.authenticate({ session_token: login.session_token })
    expect(got.session.authentication_factors.map((f) => f.type)).toEqual(['password', 'totp'])
    const jwt = await client.sessions.authenticateJwt({ session_jwt: stepped.session_jwt })
    expect(jwt.session.authentication_factors.map((f) => f.type)).toEqual(['password', 'totp'])

    // By JWT (a window later: each code works once), the same session again.
    mock.clock.advance(30)
    const byJwt = await client.totps.authenticate({
      user_id,
      totp_code: codeOf(created.secret),
      session_jwt: stepped.session_jwt,
      session_duration_minutes: 120,
    })
    expect(byJwt.session!.session_id).toBe(login.session!.session_id)
    expect(byJwt.session!.authentication_factors.map((f) => f.type)).toEqual(['password', 'totp'])
    // A revoked session named in the call: 404, and the code is not spent.
    await client.sessions.revoke({ session_token: login.session_token })
    mock.clock.advance(30)
    const code = codeOf(created.secret)
    expect(
      await failure(
        client.totps.authenticate({ user_id, totp_code: code, session_token: login.session_token }),
      ),
    ).toEqual({ status: 404, type: 'session_not_found' })
    await client.totps.authenticate({ user_id, totp_code: code })
  })

  it('a wrong code, a reused one, one from two windows back', async () => {
    const { user_id, created } = await enrolled()
    const { secret } = created
    expect(
      await failure(client.totps.authenticate({ user_id, totp_code: wrongCode(secret) })),
    ).toEqual({
      status: 404,
      type: 'otp_code_not_found',
    })
    const code = codeOf(secret)
    await client.totps.authenticate({ user_id, totp_code: code })
    // The same code again, in the same window.
    expect(await failure(client.totps.authenticate({ user_id, totp_code: code }))).toEqual({
      status: 400,
      type: 'totp_code_already_authenticated',
    })
    // Two windows later that code is too old: not found at all.
    mock.clock.advance(60)
    expect(await failure(client.totps.authenticate({ user_id, totp_code: code }))).toEqual({
      status: 404,
      type: 'otp_code_not_found',
    })
    expect(codeOf(secret, -2)).toBe(code)
    // Not a code: its own error types (in Stytch's list; Unverified in openapi.yaml).
    expect(await failure(client.totps.authenticate({ user_id, totp_code: '12345' }))).toEqual({
      status: 400,
      type: 'invalid_totp_code',
    })
    expect(
      await failure(client.totps.authenticate({ user_id, totp_code: created.recovery_codes[0]! })),
    ).toEqual({ status: 400, type: 'recovery_code_used_as_totp_code' })
    // Not a string at all (JavaScript callers): the plain type error, not a code's.
    const numeric = { user_id, totp_code: 123456 as unknown as string }
    expect(await failure(client.totps.authenticate(numeric))).toEqual({
      status: 400,
      type: 'invalid_argument',
    })
    const recover = { user_id, recovery_code: 123456 as unknown as string }
    expect(await failure(client.totps.recover(recover))).toEqual({
      status: 400,
      type: 'invalid_argument',
    })
  })

  it("the previous and next windows' codes work, but none older than the last accepted", async () => {
    // Stytch accepts the previous and next 30-second windows' codes (clock drift); each code
    // once. The mock remembers the window of the last code accepted: a code of that window or
    // an older one is already authenticated, even one never used.
    const { user_id } = await newUser()
    const created = await client.totps.create({ user_id })
    const { secret } = created
    // A fresh registration takes the previous window's code.
    await client.totps.authenticate({ user_id, totp_code: codeOf(secret, -1) })
    // Then the current one (newer) works...
    await client.totps.authenticate({ user_id, totp_code: codeOf(secret) })
    // ...and after it the previous window's code, though unused since, is refused.
    mock.clock.advance(30)
    expect(
      await failure(client.totps.authenticate({ user_id, totp_code: codeOf(secret, -1) })),
    ).toEqual({
      status: 400,
      type: 'totp_code_already_authenticated',
    })
    // The next window's code is newer: it works now, and then the current one no longer.
    await client.totps.authenticate({ user_id, totp_code: codeOf(secret, 1) })
    expect(
      await failure(client.totps.authenticate({ user_id, totp_code: codeOf(secret) })),
    ).toEqual({
      status: 400,
      type: 'totp_code_already_authenticated',
    })
  })

  it('a user without a registration: totp_not_found; an unknown user: user_not_found', async () => {
    const { user_id } = await newUser()
    expect(await failure(client.totps.authenticate({ user_id, totp_code: '123456' }))).toEqual({
      status: 404,
      type: 'totp_not_found',
    })
    expect(
      await failure(
        client.totps.authenticate({
          user_id: 'user-test-00000000-0000-4000-8000-000000000000',
          totp_code: '123456',
        }),
      ),
    ).toEqual({ status: 404, type: 'user_not_found' })
  })
})

describe('totps.recoveryCodes and totps.recover', () => {
  it('lists the unused codes; each works once and adds the recovery_codes factor', async () => {
    const { user_id } = await newUser()
    const created = await client.totps.create({ user_id })
    // A pending registration is listed, unverified.
    expect((await client.totps.recoveryCodes({ user_id })).totps).toEqual([
      { totp_id: created.totp_id, verified: false, recovery_codes: created.recovery_codes },
    ])
    // Only a verified one can be recovered with.
    expect(
      await failure(client.totps.recover({ user_id, recovery_code: created.recovery_codes[0]! })),
    ).toEqual({ status: 404, type: 'totp_not_found' })
    const auth = await client.totps.authenticate({
      user_id,
      totp_code: codeOf(created.secret),
      session_duration_minutes: 60,
    })
    const [first, second] = created.recovery_codes as [string, string]
    const recovered = await client.totps.recover({
      user_id,
      recovery_code: first,
      session_token: auth.session_token,
    })
    expect(recovered).toMatchObject({ user_id, totp_id: created.totp_id })
    expect(recovered.session!.session_id).toBe(auth.session!.session_id)
    const factor = recovered.session!.authentication_factors.find(
      (f) => f.type === 'recovery_codes',
    )
    expect(factor).toMatchObject({
      type: 'recovery_codes',
      delivery_method: 'recovery_code',
      recovery_code_factor: {
        totp_recovery_code_id: expect.stringMatching(/^totp-recovery-code-test-/),
      },
    })
    const got = await client.sessions.authenticate({ session_token: auth.session_token })
    expect(got.session.authentication_factors.map((f) => f.type).sort()).toEqual([
      'recovery_codes',
      'totp',
    ])
    // Used: refused, and gone from the listing.
    expect(await failure(client.totps.recover({ user_id, recovery_code: first }))).toEqual({
      status: 400,
      type: 'invalid_recovery_code',
    })
    const listed = await client.totps.recoveryCodes({ user_id })
    expect(listed).toMatchObject({ user_id })
    expect(listed.totps).toEqual([
      { totp_id: created.totp_id, verified: true, recovery_codes: created.recovery_codes.slice(1) },
    ])
    // Typed in capitals it still works; without a session or duration, no session.
    const bare = await client.totps.recover({ user_id, recovery_code: second.toUpperCase() })
    expect(bare).toMatchObject({ session_token: '', session_jwt: '' })
    expect(
      await failure(client.totps.recover({ user_id, recovery_code: 'aaaa-bbbb-cccc' })),
    ).toEqual({
      status: 400,
      type: 'invalid_recovery_code',
    })
    expect(await failure(client.totps.recover({ user_id, recovery_code: '123456' }))).toEqual({
      status: 400,
      type: 'totp_code_used_as_recovery_code',
    })
  })

  it('a user with no registration: totps_not_found_for_user', async () => {
    const { user_id } = await newUser()
    expect(await failure(client.totps.recoveryCodes({ user_id }))).toEqual({
      status: 404,
      type: 'totps_not_found_for_user',
    })
  })
})

describe("a user's TOTPs and the user records", () => {
  const search = async (filter_name: string, filter_value: unknown) =>
    (
      await client.users.search({
        query: {
          operator: 'AND',
          operands: [{ filter_name, filter_value }],
        } as stytch.SearchUsersQuery,
      })
    ).results.map((u) => u.user_id)

  it('users.search finds them; users.deleteTOTP takes the registration with it', async () => {
    const { user_id, created } = await enrolled()
    const pending = await newUser()
    const other = await client.totps.create({ user_id: pending.user_id })
    expect(await search('totp_id', [created.totp_id])).toEqual([user_id])
    expect(await search('totp_verified', true)).toContain(user_id)
    expect(await search('totp_verified', true)).not.toContain(pending.user_id)
    expect(await search('totp_id', [other.totp_id])).toEqual([pending.user_id])

    const deleted = await client.users.deleteTOTP({ totp_id: created.totp_id })
    expect(deleted.user.totps).toEqual([])
    expect(
      await failure(client.totps.authenticate({ user_id, totp_code: codeOf(created.secret) })),
    ).toEqual({ status: 404, type: 'totp_not_found' })
    expect(
      await failure(client.totps.recover({ user_id, recovery_code: created.recovery_codes[0]! })),
    ).toEqual({
      status: 404,
      type: 'totp_not_found',
    })
    expect((await control('GET', `/_mock/totps/${user_id}`)).status).toBe(404)
    expect(await search('totp_id', [created.totp_id])).toEqual([])
    // A new one can be created and verified.
    const again = await client.totps.create({ user_id })
    await client.totps.authenticate({ user_id, totp_code: codeOf(again.secret) })
  })

  it('a deleted user takes its registrations; its sessions end', async () => {
    const { user_id, created } = await enrolled()
    const auth = await client.totps.authenticate({
      user_id,
      totp_code: codeOf(created.secret),
      session_duration_minutes: 60,
    })
    await client.users.delete({ user_id })
    expect(mock.world.totps.list(user_id)).toEqual([])
    expect(mock.world.totps.get(created.totp_id)).toBeUndefined()
    expect((await control('GET', `/_mock/totps/${user_id}`)).status).toBe(404)
    expect(
      await failure(client.sessions.authenticate({ session_token: auth.session_token })),
    ).toEqual({
      status: 404,
      type: 'session_not_found',
    })
    expect(await failure(client.totps.recoveryCodes({ user_id }))).toEqual({
      status: 404,
      type: 'user_not_found',
    })
  })

  it('a snapshot keeps a registration (and its last window); reset drops it', async () => {
    const { user_id, created } = await enrolled()
    const code = codeOf(created.secret)
    const { snapshot_id } = (await control('POST', '/_mock/snapshots')).body
    await client.totps.authenticate({ user_id, totp_code: code })
    await client.users.deleteTOTP({ totp_id: created.totp_id })
    await control('POST', `/_mock/snapshots/${snapshot_id}/restore`)
    expect((await client.users.get({ user_id })).totps).toEqual([
      { totp_id: created.totp_id, verified: true },
    ])
    // Restored to before that code was spent: it works again, once.
    await client.totps.authenticate({ user_id, totp_code: code })
    expect(await failure(client.totps.authenticate({ user_id, totp_code: code }))).toEqual({
      status: 400,
      type: 'totp_code_already_authenticated',
    })
    await control('POST', '/_mock/reset')
    expect(mock.world.totps.get(created.totp_id)).toBeUndefined()
    expect(await failure(client.totps.authenticate({ user_id, totp_code: code }))).toEqual({
      status: 404,
      type: 'user_not_found',
    })
  })
})

describe('the frontend routes (/sdk/v1/totps): the caller and the multi-factor rule', () => {
  it('needs a session; a user with one category of factor may add a TOTP', async () => {
    expect((await sdkCall('/totps', null, {})).error).toBe('unauthorized_credentials')
    const { email, user_id } = await newUser()
    const login = await client.passwords.authenticate({
      email,
      password: PASSWORD,
      session_duration_minutes: 180,
    })
    const created = await sdkCall('/totps', login.session_token, { expiration_minutes: 60 })
    expect(created.status).toBe(200)
    expect(created.data).toMatchObject({ user_id, totp_id: expect.stringMatching(/^totp-test-/) })
    expect(created.data.__user.totps).toEqual([{ totp_id: created.data.totp_id, verified: false }])
    // The password session has one category of factor (email and password count as one);
    // the user now has a verified TOTP too: the recovery codes need both in the session.
    const stepped = await sdkCall('/totps/authenticate', login.session_token, {
      totp_code: codeOf(created.data.secret),
      session_duration_minutes: 180,
    })
    expect(
      stepped.data.session.authentication_factors.map((f: { type: string }) => f.type),
    ).toEqual(['password', 'totp'])
    const other = await client.passwords.authenticate({
      email,
      password: PASSWORD,
      session_duration_minutes: 60,
    })
    expect(await sdkCall('/totps/recovery_codes', other.session_token)).toMatchObject({
      status: 401,
      error: 'insufficient_factors',
    })
    const codes = await sdkCall('/totps/recovery_codes', login.session_token)
    expect(codes.data.totps).toEqual([
      {
        totp_id: created.data.totp_id,
        verified: true,
        recovery_codes: created.data.recovery_codes,
      },
    ])
    // An hour on, no factor of the session is fresh: MFA again.
    mock.clock.advance(60 * 60 + 1)
    expect(await sdkCall('/totps/recovery_codes', login.session_token)).toMatchObject({
      status: 401,
      error: 'insufficient_factors',
    })
  })

  it('a user with an email and a phone needs both in the session to add a TOTP', async () => {
    const email = unique('phone')
    const phone_number = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
    const { user_id } = (await control('POST', '/_mock/users', { email, phone_number })).body
    const byEmail = await client.otps.email.loginOrCreate({ email })
    const code = (
      await control('GET', `/_mock/outbox?to=${encodeURIComponent(email)}`)
    ).body.messages.at(-1).otp_code
    const login = await client.otps.authenticate({
      method_id: byEmail.email_id,
      code,
      session_duration_minutes: 60,
    })
    expect(await sdkCall('/totps', login.session_token, {})).toMatchObject({
      status: 401,
      error: 'insufficient_factors',
    })
    const bySms = await client.otps.sms.send({ phone_number })
    const smsCode = (
      await control('GET', `/_mock/outbox?to=${encodeURIComponent(phone_number)}`)
    ).body.messages.at(-1).otp_code
    await client.otps.authenticate({
      method_id: bySms.phone_id,
      code: smsCode,
      session_token: login.session_token,
    })
    const created = await sdkCall('/totps', login.session_token, {})
    expect(created).toMatchObject({ status: 200, data: { user_id } })
  })

  it("recover adds the recovery_codes factor to the caller's session", async () => {
    const { email, created } = await enrolled()
    const login = await client.passwords.authenticate({
      email,
      password: PASSWORD,
      session_duration_minutes: 60,
    })
    const recovered = await sdkCall('/totps/recover', login.session_token, {
      recovery_code: created.recovery_codes[0],
      session_duration_minutes: 60,
    })
    expect(recovered.data).toMatchObject({
      totp_id: created.totp_id,
      session_token: login.session_token,
      session: { session_id: login.session!.session_id },
    })
    expect(
      recovered.data.session.authentication_factors.map((f: { type: string }) => f.type),
    ).toEqual(['password', 'recovery_codes'])
    expect((await sdkCall('/totps/recover', null, { recovery_code: 'x' })).error).toBe(
      'unauthorized_credentials',
    )
  })
})

describe("the frontend's factor deletions follow the same rule", () => {
  it('a session with one kind of factor cannot delete the TOTP to enrol another without MFA', async () => {
    const { email, user_id, created } = await enrolled()
    const login = await client.passwords.authenticate({
      email,
      password: PASSWORD,
      session_duration_minutes: 60,
    })
    const remove = (session: string) =>
      sdkCallOf(mock, 'DELETE', `/users/totps/${created.totp_id}`, session)
    expect(await remove(login.session_token)).toMatchObject({
      status: 401,
      error: 'insufficient_factors',
    })
    expect(await sdkCall('/totps', login.session_token, {})).toMatchObject({
      status: 401,
      error: 'insufficient_factors',
    })
    expect((await client.users.get({ user_id })).totps).toHaveLength(1)
    // With the TOTP in the session too, the deletion goes through.
    await client.totps.authenticate({
      user_id,
      totp_code: codeOf(created.secret),
      session_token: login.session_token,
    })
    expect((await remove(login.session_token)).status).toBe(200)
    expect((await client.users.get({ user_id })).totps).toEqual([])
  })
})

describe('otps.whatsapp', () => {
  const latest = async (to: string): Promise<OutboxMessage> =>
    (await control('GET', `/_mock/outbox?to=${encodeURIComponent(to)}`)).body.messages.at(-1)
  const newPhone = () => `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`

  it('loginOrCreate: a passcode to the outbox by WhatsApp; authenticate records the whatsapp factor', async () => {
    const phone_number = newPhone()
    const sent = await client.otps.whatsapp.loginOrCreate({ phone_number })
    expect(sent).toMatchObject({
      user_created: true,
      phone_id: expect.stringMatching(/^phone-number-test-/),
    })
    const message = await latest(phone_number)
    expect(message).toMatchObject({
      channel: 'whatsapp',
      to: phone_number,
      kind: 'otp',
      method_id: sent.phone_id,
      user_id: sent.user_id,
    })
    const auth = await client.otps.authenticate({
      method_id: sent.phone_id,
      code: message.otp_code!,
      session_duration_minutes: 60,
    })
    expect(auth.session!.authentication_factors).toEqual([
      expect.objectContaining({
        type: 'otp',
        delivery_method: 'whatsapp',
        phone_number_factor: { phone_id: sent.phone_id, phone_number },
      }),
    ])
    expect(auth.user.phone_numbers).toEqual([
      { phone_id: sent.phone_id, phone_number, verified: true },
    ])
    const jwt = await client.sessions.authenticateJwt({ session_jwt: auth.session_jwt })
    expect(jwt.session.authentication_factors[0]).toMatchObject({ delivery_method: 'whatsapp' })
    // Again: the same user, not created.
    const again = await client.otps.whatsapp.loginOrCreate({ phone_number, expiration_minutes: 5 })
    expect(again).toMatchObject({
      user_id: sent.user_id,
      phone_id: sent.phone_id,
      user_created: false,
    })
  })

  it('send: an existing user only; with user_id the number is added to that user', async () => {
    const phone_number = newPhone()
    expect(await failure(client.otps.whatsapp.send({ phone_number }))).toEqual({
      status: 404,
      type: 'phone_number_not_found',
    })
    const added = await client.otps.whatsapp.send({ phone_number, user_id: FIXTURE.adaUserId })
    expect(added.user_id).toBe(FIXTURE.adaUserId)
    const ada = await client.users.get({ user_id: FIXTURE.adaUserId })
    expect(ada.phone_numbers).toContainEqual({
      phone_id: added.phone_id,
      phone_number,
      verified: false,
    })
    const message = await latest(phone_number)
    expect(message.channel).toBe('whatsapp')
    // A later SMS to the number replaces the WhatsApp code (one phone_id, one passcode).
    await client.otps.sms.send({ phone_number })
    const sms = await latest(phone_number)
    expect(sms.channel).toBe('sms')
    if (sms.otp_code !== message.otp_code)
      expect(
        await failure(
          client.otps.authenticate({ method_id: added.phone_id, code: message.otp_code! }),
        ),
      ).toEqual({ status: 404, type: 'otp_code_not_found' })
    const auth = await client.otps.authenticate({
      method_id: added.phone_id,
      code: sms.otp_code!,
      session_duration_minutes: 60,
    })
    expect(auth.session!.authentication_factors[0]).toMatchObject({ delivery_method: 'sms' })
    expect(await failure(client.otps.whatsapp.send({ phone_number: '5551234' }))).toEqual({
      status: 400,
      type: 'invalid_phone_number',
    })
  })

  it('the frontend twins: send/primary to an existing number, login_or_create to a new one', async () => {
    const phone_number = newPhone()
    expect(await sdkCall('/otps/whatsapp/send/primary', null, { phone_number })).toMatchObject({
      status: 404,
      error: 'phone_number_not_found',
    })
    const created = await sdkCall('/otps/whatsapp/login_or_create', null, { phone_number })
    expect(Object.keys(created.data).sort()).toEqual(['method_id', 'request_id', 'status_code'])
    const primary = await sdkCall('/otps/whatsapp/send/primary', null, { phone_number })
    expect(primary.data.method_id).toBe(created.data.method_id)
    const message = await latest(phone_number)
    expect(message.channel).toBe('whatsapp')
    const login = await sdkCall('/otps/authenticate', null, {
      method_id: created.data.method_id,
      token: message.otp_code,
      session_duration_minutes: 30,
    })
    expect(login.data.session.authentication_factors[0]).toMatchObject({
      type: 'otp',
      delivery_method: 'whatsapp',
    })
    expect((await sdkCall('/otps/whatsapp/send/secondary', null, { phone_number })).error).toBe(
      'unauthorized_credentials',
    )
  })

  it('the sandbox number always gets 000000; STYTCH_MOCK_OTP_CODE fixes every passcode', async () => {
    const sandbox = await client.otps.whatsapp.loginOrCreate({ phone_number: '+10000000000' })
    expect((await latest('+10000000000')).otp_code).toBe('000000')
    await client.otps.authenticate({ method_id: sandbox.phone_id, code: '000000' })

    const fixed = await startMock({ STYTCH_MOCK_OTP_CODE: '424242' })
    try {
      const c = new stytch.Client({
        project_id: fixed.config.projectId,
        secret: fixed.config.secret,
        env: `${fixed.url}/`,
      })
      const sent = await c.otps.whatsapp.loginOrCreate({ phone_number: newPhone() })
      const auth = await c.otps.authenticate({
        method_id: sent.phone_id,
        code: '424242',
        session_duration_minutes: 5,
      })
      expect(auth.session!.authentication_factors[0]).toMatchObject({ delivery_method: 'whatsapp' })
    } finally {
      await fixed.close()
    }
  })
})
