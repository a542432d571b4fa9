// Issue #26: B2B TOTP and recovery codes through the official `stytch` Node SDK. An organization
// that requires MFA stops a primary login (an email magic link from the outbox) at an
// intermediate session; totps.create with it, then totps.authenticate with the code the mock's
// /_mock/totps gives and the one otpauth computes from the secret, ends in a member session with
// both factors, as sessions.authenticate and the JWT show. The failures: a wrong code, a reused
// one, one from two windows back, another member's or organization's intermediate session, an
// expired one; recovery codes used twice, get, rotate; migrate; deleteTOTP and deletions; the
// member's MFA settings. Codes follow the mock's clock, frozen at the start of a 30-second
// window. Every response is also checked against openapi.yaml (helpers/server.ts).
import { Secret, TOTP } from 'otpauth'
import * as stytch from 'stytch'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { OutboxMessage } from '../../server/index.js'
import { controlOf, failure, mockWithSdk, type RunningMock } from '../helpers/server.js'
import { basicHeader, ORIGIN } from '../helpers/world.js'

let mock: RunningMock
let control: ReturnType<typeof controlOf>
let b2b: stytch.B2BClient

const sdk = mockWithSdk((options) => new stytch.B2BClient(options))
beforeAll(() => {
  ;({ mock, client: b2b } = sdk)
  control = controlOf(mock)
})
beforeEach(async () => {
  await control('POST', '/_mock/reset')
  // 5 s into a 30-second window of the real time (JWTs are checked against it), frozen.
  mock.clock.reset()
  mock.clock.freeze(Math.floor(Date.now() / 30_000) * 30_000 + 5_000)
})

const random = () => Math.random().toString(36).slice(2, 10)
const unique = (name: string) => `${name}-${random()}@example.com`
const latest = async (to: string): Promise<OutboxMessage> =>
  (await control('GET', `/_mock/outbox?to=${encodeURIComponent(to)}`)).body.messages.at(-1)
/** Moves the mock's clock (TOTP windows are 30 seconds). */
const advance = async (seconds: number) =>
  expect((await control('POST', '/_mock/clock', { advance_seconds: seconds })).status).toBe(200)
/** The code an authenticator app shows now, as the mock's test control answers it. */
const mockCode = async (memberId: string) => {
  const res = await control('GET', `/_mock/totps/${memberId}`)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return res.body as { code: string; secret: string; totp_id: string; verified: boolean }
}
/** The code an authenticator app computes from the secret, `windows` 30-second steps away. */
const appCode = (secret: string, windows = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({
    timestamp: mock.clock.nowMs() + windows * 30_000,
  })
/** A 6-digit code none of the accepted windows (previous, current, next) has. */
const wrongCode = (secret: string) => {
  const accepted = new Set([-1, 0, 1].map((w) => appCode(secret, w)))
  let n = Number(appCode(secret))
  let code = ''
  do code = String(++n % 1_000_000).padStart(6, '0')
  while (accepted.has(code))
  return code
}
const jwtClaims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, any>

/** A new organization (MFA required of everyone unless told otherwise) and active members. */
async function organization(
  mfa_policy: 'REQUIRED_FOR_ALL' | 'OPTIONAL' = 'REQUIRED_FOR_ALL',
  members = 1,
) {
  const { organization } = await b2b.organizations.create({
    organization_name: `Umbrella ${random()}`,
    organization_slug: `umbrella-${random()}`,
  })
  const organization_id = organization.organization_id
  const updated = await b2b.organizations.update({ organization_id, mfa_policy })
  expect(updated.organization.mfa_policy).toBe(mfa_policy)
  const people = []
  for (let i = 0; i < members; i++) {
    const email = unique('alice')
    const { member } = await b2b.organizations.members.create({
      organization_id,
      email_address: email,
    })
    people.push({ organization_id, member_id: member.member_id, email })
  }
  return people
}

/** A primary login by email magic link (the outbox's): an intermediate session when MFA is due. */
async function magicLinkLogin(who: { organization_id: string; email: string }) {
  await b2b.magicLinks.email.loginOrSignup({
    organization_id: who.organization_id,
    email_address: who.email,
  })
  const message = await latest(who.email)
  return b2b.magicLinks.authenticate({
    magic_links_token: message.token!,
    session_duration_minutes: 60,
  })
}

/** An intermediate session from a primary login into an MFA organization. */
async function intermediate(who: { organization_id: string; email: string }) {
  const login = await magicLinkLogin(who)
  expect(login).toMatchObject({ member_authenticated: false, session_token: '' })
  expect(login.mfa_required).not.toBeNull()
  return login
}

/** A member enrolled in TOTP through the MFA login (create, then the first code). */
async function enrolled(who: { organization_id: string; member_id: string; email: string }) {
  const { intermediate_session_token } = await intermediate(who)
  const created = await b2b.totps.create({
    organization_id: who.organization_id,
    member_id: who.member_id,
    intermediate_session_token,
  })
  const code = (await mockCode(who.member_id)).code
  const done = await b2b.totps.authenticate({
    organization_id: who.organization_id,
    member_id: who.member_id,
    code,
    intermediate_session_token,
  })
  return { ...created, code, session: done }
}

describe('TOTP: enrollment during an MFA login', () => {
  it('the intermediate session creates a registration; its first code ends in a member session with both factors', async () => {
    const [alice] = await organization()
    const login = await intermediate(alice!)
    expect(login.mfa_required).toEqual({ member_options: null, secondary_auth_initiated: null })
    const ist = login.intermediate_session_token

    const created = await b2b.totps.create({
      organization_id: alice!.organization_id,
      member_id: alice!.member_id,
      intermediate_session_token: ist,
    })
    expect(created.member_id).toBe(alice!.member_id)
    expect(created.totp_registration_id).toMatch(/^totp-test-/)
    expect(created.secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(created.qr_code).toMatch(/^data:image\/png;base64, [A-Za-z0-9+/]+=*$/)
    expect(created.recovery_codes).toHaveLength(10)
    for (const code of created.recovery_codes)
      expect(code).toMatch(/^[a-z0-9]{4}(-[a-z0-9]{4}){2}$/)
    // Pending: not the member's registration until a code works.
    expect(created.member.totp_registration_id).toBe('')
    expect(created.organization.organization_id).toBe(alice!.organization_id)

    // The mock's code and the one computed from the secret are the same.
    const current = await mockCode(alice!.member_id)
    expect(current).toMatchObject({
      secret: created.secret,
      totp_id: created.totp_registration_id,
      verified: false,
    })
    expect(appCode(created.secret)).toBe(current.code)

    const args = {
      organization_id: alice!.organization_id,
      member_id: alice!.member_id,
      intermediate_session_token: ist,
    }
    // A wrong code: refused, and nothing is spent.
    expect(
      await failure(b2b.totps.authenticate({ ...args, code: wrongCode(created.secret) })),
    ).toEqual({ status: 404, type: 'otp_code_not_found' })

    const done = await b2b.totps.authenticate({
      ...args,
      code: appCode(created.secret),
      session_duration_minutes: 90,
    })
    expect(done.member_id).toBe(alice!.member_id)
    expect(done.session_token).toMatch(/^[A-Za-z0-9_-]{44}$/)
    expect(done.member.totp_registration_id).toBe(created.totp_registration_id)
    expect(done.member.default_mfa_method).toBe('totp')
    const factors = done.member_session!.authentication_factors
    expect(factors).toHaveLength(2)
    expect(factors[0]).toMatchObject({
      type: 'magic_link',
      delivery_method: 'email',
      email_factor: { email_address: alice!.email },
    })
    expect(factors[1]).toMatchObject({
      type: 'totp',
      delivery_method: 'authenticator_app',
      authenticator_app_factor: { totp_id: created.totp_registration_id },
    })
    const session = done.member_session!
    expect(Date.parse(session.expires_at) - Date.parse(session.started_at)).toBe(90 * 60_000)
    expect((await mockCode(alice!.member_id)).verified).toBe(true)

    // The intermediate session is spent.
    expect(
      await failure(b2b.totps.authenticate({ ...args, code: appCode(created.secret, 1) })),
    ).toEqual({ status: 404, type: 'intermediate_session_not_found' })

    // sessions.authenticate and the JWT show both factors and the stored member.
    const seen = await b2b.sessions.authenticate({ session_token: done.session_token })
    expect(seen.member_session.authentication_factors).toEqual(factors)
    expect(seen.member.totp_registration_id).toBe(created.totp_registration_id)
    const claims = jwtClaims(done.session_jwt)
    expect(
      claims['https://stytch.com/session'].authentication_factors.map((f: any) => f.type),
    ).toEqual(['magic_link', 'totp'])
    const local = await b2b.sessions.authenticateJwt({ session_jwt: done.session_jwt })
    expect(local.member_session.authentication_factors.map((f) => f.type)).toEqual([
      'magic_link',
      'totp',
    ])

    // The next login asks for the registration, and its code completes it.
    const next = await intermediate(alice!)
    expect(next.mfa_required!.member_options).toEqual({
      mfa_phone_number: '',
      totp_registration_id: created.totp_registration_id,
    })
    await advance(30)
    const again = await b2b.totps.authenticate({
      ...args,
      intermediate_session_token: next.intermediate_session_token,
      code: (await mockCode(alice!.member_id)).code,
    })
    expect(again.member_session!.authentication_factors.map((f) => f.type)).toEqual([
      'magic_link',
      'totp',
    ])
  })

  it('each code once, three windows: a reused code, and one from two windows back, are refused', async () => {
    const [alice] = await organization()
    const { code, secret } = await enrolled(alice!)
    const args = { organization_id: alice!.organization_id, member_id: alice!.member_id }

    const second = await intermediate(alice!)
    const ist = second.intermediate_session_token
    expect(
      await failure(b2b.totps.authenticate({ ...args, code, intermediate_session_token: ist })),
    ).toEqual({ status: 400, type: 'totp_code_already_authenticated' })

    // Two windows on, the enrollment's code is from two windows back.
    await advance(60)
    expect(appCode(secret, -2)).toBe(code)
    expect(
      await failure(b2b.totps.authenticate({ ...args, code, intermediate_session_token: ist })),
    ).toEqual({ status: 404, type: 'otp_code_not_found' })
    // The previous window's code still works, once; then the same code again does not.
    const previous = appCode(secret, -1)
    const done = await b2b.totps.authenticate({
      ...args,
      code: previous,
      intermediate_session_token: ist,
    })
    expect(done.member_session!.authentication_factors.map((f) => f.type)).toEqual([
      'magic_link',
      'totp',
    ])
    // A step-up of the live session with the same code: already used.
    expect(
      await failure(
        b2b.totps.authenticate({ ...args, code: previous, session_token: done.session_token }),
      ),
    ).toEqual({ status: 400, type: 'totp_code_already_authenticated' })
    // The current window's code steps the session up: the same session, its factor refreshed.
    const stepped = await b2b.totps.authenticate({
      ...args,
      code: appCode(secret),
      session_token: done.session_token,
    })
    expect(stepped.member_session!.member_session_id).toBe(done.member_session!.member_session_id)
    expect(stepped.session_token).toBe(done.session_token)
  })

  it("refuses a code without the member's intermediate session or session, before spending it", async () => {
    const [alice, bob] = await organization('REQUIRED_FOR_ALL', 2)
    const [carol] = await organization()
    const { secret } = await enrolled(alice!)
    await advance(30)
    const args = {
      organization_id: alice!.organization_id,
      member_id: alice!.member_id,
      code: appCode(secret),
    }

    // Neither: a second factor never logs in alone.
    expect(await failure(b2b.totps.authenticate(args))).toEqual({
      status: 400,
      type: 'no_associated_session_passed_in',
    })
    // Another member's intermediate session, and another organization's.
    const bobs = await intermediate(bob!)
    expect(
      await failure(
        b2b.totps.authenticate({
          ...args,
          intermediate_session_token: bobs.intermediate_session_token,
        }),
      ),
    ).toEqual({ status: 400, type: 'no_associated_session_passed_in' })
    const carols = await intermediate(carol!)
    expect(
      await failure(
        b2b.totps.authenticate({
          ...args,
          intermediate_session_token: carols.intermediate_session_token,
        }),
      ),
    ).toEqual({ status: 400, type: 'invalid_intermediate_session_token_for_organization' })
    // Another member's session.
    const bobEnrolled = await enrolled(bob!)
    expect(
      await failure(
        b2b.totps.authenticate({ ...args, session_token: bobEnrolled.session.session_token }),
      ),
    ).toEqual({ status: 400, type: 'no_associated_session_passed_in' })
    // Bob's intermediate session did not become his, nor was alice's code spent.
    const alices = await intermediate(alice!)
    const done = await b2b.totps.authenticate({
      ...args,
      intermediate_session_token: alices.intermediate_session_token,
    })
    expect(done.member_id).toBe(alice!.member_id)

    // totps.create: another member's intermediate session is refused too.
    const [dave] = await organization()
    const daves = await intermediate(dave!)
    expect(
      await failure(
        b2b.totps.create({
          organization_id: alice!.organization_id,
          member_id: bob!.member_id,
          intermediate_session_token: daves.intermediate_session_token,
        }),
      ),
    ).toEqual({ status: 400, type: 'invalid_intermediate_session_token_for_organization' })
  })

  it('an intermediate session expires after 10 minutes on the mock clock', async () => {
    const [alice] = await organization()
    const { intermediate_session_token } = await intermediate(alice!)
    await b2b.totps.create({
      organization_id: alice!.organization_id,
      member_id: alice!.member_id,
      intermediate_session_token,
    })
    await advance(10 * 60 + 1)
    expect(
      await failure(
        b2b.totps.authenticate({
          organization_id: alice!.organization_id,
          member_id: alice!.member_id,
          code: (await mockCode(alice!.member_id)).code,
          intermediate_session_token,
        }),
      ),
    ).toEqual({ status: 404, type: 'intermediate_session_not_found' })
    // The registration itself (an hour by default) still verifies with a new login's session.
    const fresh = await intermediate(alice!)
    const done = await b2b.totps.authenticate({
      organization_id: alice!.organization_id,
      member_id: alice!.member_id,
      code: (await mockCode(alice!.member_id)).code,
      intermediate_session_token: fresh.intermediate_session_token,
    })
    expect(done.member.totp_registration_id).toMatch(/^totp-test-/)
  })

  it('create: a verified registration refuses another; a member with a second factor must prove one; request rules', async () => {
    const [alice] = await organization('OPTIONAL')
    const base = { organization_id: alice!.organization_id, member_id: alice!.member_id }
    // Not required to do MFA, the member logs in with its primary factor and enrolls with it.
    const primary = await magicLinkLogin(alice!)
    expect(primary.member_authenticated).toBe(true)
    const created = await b2b.totps.create({ ...base, session_token: primary.session_token })
    const stepped = await b2b.totps.authenticate({
      ...base,
      code: appCode(created.secret),
      session_token: primary.session_token,
    })
    expect(stepped.member_session!.authentication_factors.map((f) => f.type)).toEqual([
      'magic_link',
      'totp',
    ])
    // Now it has a TOTP: nothing named and a primary-only session get one answer (as
    // otps.sms.send adding a phone does); a session with the TOTP gets past it.
    const unproven = { status: 401, type: 'insufficient_factors' }
    expect(await failure(b2b.totps.create(base))).toEqual(unproven)
    const other = await magicLinkLogin(alice!)
    expect(other.member_authenticated).toBe(true)
    expect(
      await failure(b2b.totps.create({ ...base, session_token: other.session_token })),
    ).toEqual(unproven)
    expect(
      await failure(b2b.totps.create({ ...base, session_token: stepped.session_token })),
    ).toEqual({ status: 400, type: 'active_totp_exists' })

    // Request rules, from openapi.yaml.
    expect(await failure(b2b.totps.create({ member_id: alice!.member_id } as never))).toMatchObject(
      { status: 400, type: 'invalid_organization_id' },
    )
    expect(await failure(b2b.totps.create({ ...base, member_id: 'member-test-nope' }))).toEqual({
      status: 404,
      type: 'member_not_found',
    })
    expect(await failure(b2b.totps.create({ ...base, expiration_minutes: 2 }))).toEqual({
      status: 400,
      type: 'invalid_argument',
    })
    for (const [code, type] of [
      ['12345', 'invalid_totp_code'],
      ['abcd-efgh-ijkl', 'recovery_code_used_as_totp_code'],
    ] as const)
      expect(
        await failure(
          b2b.totps.authenticate({ ...base, code, session_token: stepped.session_token }),
        ),
      ).toEqual({ status: 400, type })

    // An organization that allows only SMS as its second factor refuses TOTP.
    const [bob] = await organization()
    await b2b.organizations.update({
      organization_id: bob!.organization_id,
      mfa_methods: 'RESTRICTED',
      allowed_mfa_methods: ['sms_otp'],
    })
    const bobs = await intermediate(bob!)
    expect(
      await failure(
        b2b.totps.create({
          organization_id: bob!.organization_id,
          member_id: bob!.member_id,
          intermediate_session_token: bobs.intermediate_session_token,
        }),
      ),
    ).toEqual({ status: 400, type: 'operation_restricted_by_organization_mfa_methods' })
  })

  it('set_mfa_enrollment and set_default_mfa show on the member, its sessions and the next login', async () => {
    const [alice] = await organization('OPTIONAL')
    const base = { organization_id: alice!.organization_id, member_id: alice!.member_id }
    // A phone (unverified) made the member's default MFA method.
    await b2b.organizations.members.update({ ...base, mfa_phone_number: '+15005550006' })
    await b2b.organizations.members.update({ ...base, default_mfa_method: 'sms_otp' })
    const primary = await magicLinkLogin(alice!)
    const created = await b2b.totps.create({ ...base, session_token: primary.session_token })
    const enrolledNow = await b2b.totps.authenticate({
      ...base,
      code: appCode(created.secret),
      session_token: primary.session_token,
      set_mfa_enrollment: 'enroll',
    })
    expect(enrolledNow.member).toMatchObject({ mfa_enrolled: true, default_mfa_method: 'sms_otp' })
    const seen = await b2b.sessions.authenticate({ session_token: primary.session_token })
    expect(seen.member).toMatchObject({ mfa_enrolled: true, default_mfa_method: 'sms_otp' })

    // Enrolled: the next login stops at MFA; TOTP with set_default_mfa and unenroll.
    const login = await intermediate(alice!)
    await advance(30)
    const done = await b2b.totps.authenticate({
      ...base,
      code: appCode(created.secret),
      intermediate_session_token: login.intermediate_session_token,
      set_mfa_enrollment: 'unenroll',
      set_default_mfa: true,
    })
    expect(done.member).toMatchObject({ mfa_enrolled: false, default_mfa_method: 'totp' })
    const got = await b2b.organizations.members.get(base)
    expect(got.member).toMatchObject({ mfa_enrolled: false, default_mfa_method: 'totp' })
    expect((await magicLinkLogin(alice!)).member_authenticated).toBe(true)

    // Under REQUIRED_FOR_ALL set_mfa_enrollment is ignored.
    const [bob] = await organization()
    const bobEnrolled = await enrolled(bob!)
    expect(bobEnrolled.session.member.mfa_enrolled).toBe(false)
    const bobs = await intermediate(bob!)
    await advance(30)
    const ignored = await b2b.totps.authenticate({
      organization_id: bob!.organization_id,
      member_id: bob!.member_id,
      code: appCode(bobEnrolled.secret),
      intermediate_session_token: bobs.intermediate_session_token,
      set_mfa_enrollment: 'enroll',
    })
    expect(ignored.member.mfa_enrolled).toBe(false)
  })
})

describe('recovery codes', () => {
  it('recover completes MFA once per code; get lists the unused; rotate makes the old ones fail', async () => {
    const [alice] = await organization()
    const { recovery_codes: codes } = await enrolled(alice!)
    const base = { organization_id: alice!.organization_id, member_id: alice!.member_id }

    const login = await intermediate(alice!)
    const recovered = await b2b.recoveryCodes.recover({
      ...base,
      recovery_code: codes[0]!,
      intermediate_session_token: login.intermediate_session_token,
    })
    expect(recovered.recovery_codes_remaining).toBe(9)
    const factors = recovered.member_session!.authentication_factors
    expect(factors.map((f) => [f.type, f.delivery_method])).toEqual([
      ['magic_link', 'email'],
      ['recovery_codes', 'recovery_code'],
    ])
    expect(factors[1]!.recovery_code_factor!.totp_recovery_code_id).toMatch(
      /^totp-recovery-code-test-/,
    )
    const seen = await b2b.sessions.authenticate({ session_token: recovered.session_token })
    expect(seen.member_session.authentication_factors).toEqual(factors)
    expect(
      jwtClaims(recovered.session_jwt)['https://stytch.com/session'].authentication_factors[1],
    ).toMatchObject({ type: 'recovery_codes', delivery_method: 'recovery_code' })

    // The same code twice: refused (checked after the session, which stays unspent).
    const second = await intermediate(alice!)
    const args = { ...base, intermediate_session_token: second.intermediate_session_token }
    expect(await failure(b2b.recoveryCodes.recover({ ...args, recovery_code: codes[0]! }))).toEqual(
      { status: 400, type: 'invalid_recovery_code' },
    )
    expect(await failure(b2b.recoveryCodes.recover({ ...args, recovery_code: '123456' }))).toEqual({
      status: 400,
      type: 'totp_code_used_as_recovery_code',
    })
    expect(await failure(b2b.recoveryCodes.recover({ ...base, recovery_code: codes[1]! }))).toEqual(
      { status: 400, type: 'no_associated_session_passed_in' },
    )
    // Any case.
    const upper = await b2b.recoveryCodes.recover({
      ...args,
      recovery_code: codes[1]!.toUpperCase(),
    })
    expect(upper.recovery_codes_remaining).toBe(8)

    const got = await b2b.recoveryCodes.get(base)
    expect(got.recovery_codes).toEqual(codes.slice(2))
    expect(got.member.member_id).toBe(alice!.member_id)

    const rotated = await b2b.recoveryCodes.rotate(base)
    expect(rotated.recovery_codes).toHaveLength(10)
    expect(rotated.recovery_codes.filter((c) => codes.includes(c))).toEqual([])
    expect((await b2b.recoveryCodes.get(base)).recovery_codes).toEqual(rotated.recovery_codes)
    const third = await intermediate(alice!)
    const thirdArgs = { ...base, intermediate_session_token: third.intermediate_session_token }
    expect(
      await failure(b2b.recoveryCodes.recover({ ...thirdArgs, recovery_code: codes[2]! })),
    ).toEqual({ status: 400, type: 'invalid_recovery_code' })
    const fresh = await b2b.recoveryCodes.recover({
      ...thirdArgs,
      recovery_code: rotated.recovery_codes[0]!,
    })
    expect(fresh.recovery_codes_remaining).toBe(9)

    // A member without a verified registration has no codes.
    const [bob] = await organization()
    const none = { organization_id: bob!.organization_id, member_id: bob!.member_id }
    expect(await failure(b2b.recoveryCodes.get(none))).toEqual({
      status: 404,
      type: 'totp_not_found',
    })
    expect(await failure(b2b.recoveryCodes.rotate(none))).toEqual({
      status: 404,
      type: 'totp_not_found',
    })
  })

  it("the frontend SDK's get and rotate answer the caller's own codes", async () => {
    const [alice] = await organization()
    const { recovery_codes, session } = await enrolled(alice!)
    const sdkCall = async (method: string, path: string, token?: string) => {
      const res = await fetch(`${mock.url}${path}`, {
        method,
        headers: {
          authorization: basicHeader(mock.config.b2bPublicToken, token ?? ''),
          origin: ORIGIN,
          'content-type': 'application/json',
        },
        ...(method === 'POST' ? { body: '{}' } : {}),
      })
      return { status: res.status, body: (await res.json()) as Record<string, any> }
    }
    const got = await sdkCall('GET', '/sdk/v1/b2b/recovery_codes', session.session_token)
    expect(got.status).toBe(200)
    expect(got.body.data).toEqual({
      request_id: expect.any(String),
      status_code: 200,
      recovery_codes,
    })
    const rotated = await sdkCall(
      'POST',
      '/sdk/v1/b2b/recovery_codes/rotate',
      session.session_token,
    )
    expect(rotated.body.data.recovery_codes).toHaveLength(10)
    expect(
      (
        await b2b.recoveryCodes.get({
          organization_id: alice!.organization_id,
          member_id: alice!.member_id,
        })
      ).recovery_codes,
    ).toEqual(rotated.body.data.recovery_codes)
    expect((await sdkCall('GET', '/sdk/v1/b2b/recovery_codes')).body).toMatchObject({
      status_code: 401,
      error_type: 'unauthorized_credentials',
    })
  })
})

describe('migrate', () => {
  it('takes a secret laid out with tabs, line breaks and padding; refuses one under 80 bits', async () => {
    const [alice] = await organization('REQUIRED_FOR_ALL', 1)
    const base = { organization_id: alice!.organization_id, member_id: alice!.member_id }
    expect(
      await failure(b2b.totps.migrate({ ...base, secret: 'JBSWY3DPEHPK3PX', recovery_codes: [] })),
    ).toEqual({ status: 400, type: 'invalid_argument' })
    await b2b.totps.migrate({ ...base, secret: 'jbsw\ty3dp\r\nehpk 3pxp==', recovery_codes: [] })
    expect(await mockCode(alice!.member_id)).toMatchObject({
      secret: 'JBSWY3DPEHPK3PXP',
      verified: true,
    })
  })

  it('imports a secret and its recovery codes as a verified registration that logs in', async () => {
    const [alice, bob] = await organization('REQUIRED_FOR_ALL', 2)
    const base = { organization_id: alice!.organization_id, member_id: alice!.member_id }
    const secret = 'JBSWY3DPEHPK3PXP'
    const migrated = await b2b.totps.migrate({
      ...base,
      secret: 'jbsw y3dp ehpk 3pxp',
      recovery_codes: ['Alpha-Bravo-0001', 'alpha-bravo-0002'],
    })
    expect(migrated.totp_registration_id).toMatch(/^totp-test-/)
    expect(migrated.recovery_codes).toEqual(['Alpha-Bravo-0001', 'alpha-bravo-0002'])
    expect(migrated.member).toMatchObject({
      totp_registration_id: migrated.totp_registration_id,
      default_mfa_method: 'totp',
    })
    expect(await mockCode(alice!.member_id)).toMatchObject({ secret, verified: true })

    const login = await intermediate(alice!)
    expect(login.mfa_required!.member_options!.totp_registration_id).toBe(
      migrated.totp_registration_id,
    )
    const done = await b2b.totps.authenticate({
      ...base,
      code: appCode(secret),
      intermediate_session_token: login.intermediate_session_token,
    })
    expect(done.member_session!.authentication_factors[1]).toMatchObject({
      type: 'totp',
      authenticator_app_factor: { totp_id: migrated.totp_registration_id },
    })
    const second = await intermediate(alice!)
    const recovered = await b2b.recoveryCodes.recover({
      ...base,
      recovery_code: 'ALPHA-BRAVO-0001',
      intermediate_session_token: second.intermediate_session_token,
    })
    expect(recovered.recovery_codes_remaining).toBe(1)

    expect(await failure(b2b.totps.migrate({ ...base, secret, recovery_codes: [] }))).toEqual({
      status: 400,
      type: 'active_totp_exists',
    })
    // No codes given: ten are minted.
    const minted = await b2b.totps.migrate({
      organization_id: bob!.organization_id,
      member_id: bob!.member_id,
      secret,
      recovery_codes: [],
    })
    expect(minted.recovery_codes).toHaveLength(10)
    expect(
      await failure(b2b.totps.migrate({ ...base, secret: 'not base32: 1890', recovery_codes: [] })),
    ).toEqual({ status: 400, type: 'invalid_argument' })
  })
})

describe("a member's TOTP registration goes", () => {
  it('with organizations.members.deleteTOTP: its codes fail, the next login enrolls again', async () => {
    const [alice] = await organization()
    const { secret, recovery_codes } = await enrolled(alice!)
    const base = { organization_id: alice!.organization_id, member_id: alice!.member_id }
    const deleted = await b2b.organizations.members.deleteTOTP(base)
    expect(deleted.member).toMatchObject({ totp_registration_id: '', default_mfa_method: '' })
    expect((await control('GET', `/_mock/totps/${alice!.member_id}`)).status).toBe(404)
    expect(await failure(b2b.organizations.members.deleteTOTP(base))).toEqual({
      status: 404,
      type: 'totp_not_found',
    })

    const login = await intermediate(alice!)
    expect(login.mfa_required!.member_options).toBeNull()
    const ist = login.intermediate_session_token
    await advance(30)
    expect(
      await failure(
        b2b.totps.authenticate({ ...base, code: appCode(secret), intermediate_session_token: ist }),
      ),
    ).toEqual({ status: 404, type: 'totp_not_found' })
    expect(
      await failure(
        b2b.recoveryCodes.recover({
          ...base,
          recovery_code: recovery_codes[0]!,
          intermediate_session_token: ist,
        }),
      ),
    ).toEqual({ status: 404, type: 'totp_not_found' })
    const again = await b2b.totps.create({ ...base, intermediate_session_token: ist })
    expect(again.secret).not.toBe(secret)
  })

  it('with the member, and with its organization', async () => {
    const [alice, bob] = await organization('REQUIRED_FOR_ALL', 2)
    await enrolled(alice!)
    await enrolled(bob!)
    await b2b.organizations.members.delete({
      organization_id: alice!.organization_id,
      member_id: alice!.member_id,
    })
    expect((await control('GET', `/_mock/totps/${alice!.member_id}`)).status).toBe(404)
    expect((await control('GET', `/_mock/totps/${bob!.member_id}`)).status).toBe(200)
    const gone = await b2b.organizations.members.dangerouslyGet({
      member_id: alice!.member_id,
      include_deleted: true,
    })
    expect(gone.member).toMatchObject({ status: 'deleted', totp_registration_id: '' })
    await b2b.organizations.delete({ organization_id: bob!.organization_id })
    expect((await control('GET', `/_mock/totps/${bob!.member_id}`)).status).toBe(404)
  })
})
