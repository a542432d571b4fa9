// Issue #26: B2B SMS passcodes and the MFA state machine, through the official `stytch` Node SDK.
// An organization that requires MFA stops a primary login at an intermediate session; otps.sms
// sends a passcode (setting the member's phone) and authenticates it into a member session with
// both factors, proving the phone; the next login texts the code by itself
// (secondary_auth_initiated). SMS is never a primary factor; the organization's mfa_methods, the
// member's enrollment, session exchange and discovery's exchange follow Stytch's rules. Every
// response is also checked against openapi.yaml (helpers/server.ts).
import * as stytch from 'stytch'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { OutboxMessage } from '../../server/index.js'
import { controlOf, failure, mockWithSdk, type RunningMock } from '../helpers/server.js'
import { FIXTURE } from '../helpers/world.js'

let mock: RunningMock
let control: ReturnType<typeof controlOf>
let b2b: stytch.B2BClient

const sdk = mockWithSdk((options) => new stytch.B2BClient(options))
beforeAll(() => {
  ;({ mock, client: b2b } = sdk)
  control = controlOf(mock)
})
beforeEach(async () => {
  mock.clock.reset()
  await control('POST', '/_mock/reset')
})

let counter = 0
const uniquePhone = () => `+1555${String(Date.now() % 1_000_000).padStart(6, '0')}${counter++ % 10}`
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}@example.com`

const outbox = async (to: string): Promise<OutboxMessage[]> =>
  (await control('GET', `/_mock/outbox?to=${encodeURIComponent(to)}`)).body.messages
const latest = async (to: string) => (await outbox(to)).at(-1)

/** A new organization with one active member. */
async function orgWithMember(settings: Partial<stytch.B2BOrganizationsCreateRequest> = {}) {
  const { organization } = await b2b.organizations.create({
    organization_name: 'Umbrella',
    organization_slug: `umbrella-${Math.random().toString(36).slice(2, 10)}`,
    ...settings,
  })
  const email = unique('alice')
  const { member } = await b2b.organizations.members.create({
    organization_id: organization.organization_id,
    email_address: email,
  })
  return { organization_id: organization.organization_id, member_id: member.member_id, email }
}

/** A primary login by email magic link: an intermediate session when MFA is still due. */
async function magicLinkLogin(organization_id: string, email_address: string) {
  await b2b.magicLinks.email.loginOrSignup({ organization_id, email_address })
  const message = await latest(email_address)
  return b2b.magicLinks.authenticate({
    magic_links_token: message!.token!,
    session_duration_minutes: 60,
  })
}

describe('the MFA flow of an organization that requires it', () => {
  it('primary login, sms.send with a new number, sms.authenticate: both factors, the phone proven', async () => {
    const { organization_id, member_id, email } = await orgWithMember({
      mfa_policy: 'REQUIRED_FOR_ALL',
    })
    const first = await magicLinkLogin(organization_id, email)
    expect(first).toMatchObject({
      member_authenticated: false,
      session_token: '',
      member_session: null,
      primary_required: null,
      // Nothing set up yet: the member must enroll, and nothing was texted.
      mfa_required: { member_options: null, secondary_auth_initiated: null },
    })
    const ist = first.intermediate_session_token
    const phone = uniquePhone()

    const sent = await b2b.otps.sms.send({
      organization_id,
      member_id,
      mfa_phone_number: phone,
      intermediate_session_token: ist,
    })
    expect(sent.member).toMatchObject({ mfa_phone_number: phone, mfa_phone_number_verified: false })
    const text = (await latest(phone))!
    expect(text).toMatchObject({ channel: 'sms', kind: 'otp', member_id, organization_id })
    expect(text.otp_code).toMatch(/^\d{6}$/)
    // Stytch's SMS passcodes last two minutes.
    expect(Date.parse(text.expires_at) - Date.parse(text.created_at)).toBe(120_000)

    const done = await b2b.otps.sms.authenticate({
      organization_id,
      member_id,
      code: text.otp_code!,
      intermediate_session_token: ist,
      session_duration_minutes: 30,
    })
    expect(done.member).toMatchObject({
      mfa_phone_number: phone,
      mfa_phone_number_verified: true,
      // Required of everyone: the member is enrolled now, SMS its default method.
      mfa_enrolled: true,
      default_mfa_method: 'sms_otp',
    })
    expect(done).not.toHaveProperty('intermediate_session_token')
    const factors = done.member_session!.authentication_factors
    expect(factors.map((f) => [f.type, f.delivery_method])).toEqual([
      ['magic_link', 'email'],
      ['otp', 'sms'],
    ])
    expect(factors[1]!.phone_number_factor).toEqual({
      phone_id: text.method_id,
      phone_number: phone,
    })
    // The session, its JWT and the stored member say the same.
    const session = await b2b.sessions.authenticate({ session_token: done.session_token })
    expect(session.member_session.authentication_factors).toHaveLength(2)
    expect(session.member.mfa_phone_number_verified).toBe(true)
    const local = await b2b.sessions.authenticateJwtLocal({ session_jwt: done.session_jwt })
    expect(local.authentication_factors).toHaveLength(2)
    // The intermediate session is used up.
    expect(
      await failure(
        b2b.otps.sms.authenticate({
          organization_id,
          member_id,
          code: text.otp_code!,
          intermediate_session_token: ist,
        }),
      ),
    ).toEqual({ status: 404, type: 'intermediate_session_not_found' })
  })

  it("the member's next login texts the passcode by itself (secondary_auth_initiated)", async () => {
    const { organization_id, member_id, email } = await orgWithMember({
      mfa_policy: 'REQUIRED_FOR_ALL',
    })
    const phone = uniquePhone()
    await enrollSms(organization_id, member_id, email, phone)
    const before = (await outbox(phone)).length

    const next = await magicLinkLogin(organization_id, email)
    expect(next).toMatchObject({
      member_authenticated: false,
      mfa_required: {
        member_options: { mfa_phone_number: phone, totp_registration_id: '' },
        secondary_auth_initiated: 'sms_otp',
      },
    })
    const texts = await outbox(phone)
    expect(texts).toHaveLength(before + 1)
    const done = await b2b.otps.sms.authenticate({
      organization_id,
      member_id,
      code: texts.at(-1)!.otp_code!,
      intermediate_session_token: next.intermediate_session_token,
    })
    expect(done.member_session!.authentication_factors).toHaveLength(2)
  })

  it('wrong, reused, expired and replaced codes are refused', async () => {
    const { organization_id, member_id, email } = await orgWithMember({
      mfa_policy: 'REQUIRED_FOR_ALL',
    })
    const phone = uniquePhone()
    const { intermediate_session_token: ist } = await magicLinkLogin(organization_id, email)
    await b2b.otps.sms.send({
      organization_id,
      member_id,
      mfa_phone_number: phone,
      intermediate_session_token: ist,
    })
    const code = (await latest(phone))!.otp_code!
    const wrong = code === '000000' ? '111111' : '000000'
    const attempt = (c: string, args: object) =>
      b2b.otps.sms.authenticate({ organization_id, member_id, code: c, ...args })
    expect(await failure(attempt(wrong, { intermediate_session_token: ist }))).toEqual({
      status: 404,
      type: 'otp_code_not_found',
    })
    // A refusal spends neither the code nor the intermediate session.
    const done = await attempt(code, { intermediate_session_token: ist })
    // Used once: the same code does not step up the new session.
    expect(await failure(attempt(code, { session_token: done.session_token }))).toEqual({
      status: 401,
      type: 'unable_to_auth_otp_code',
    })

    // Two minutes later a code is expired.
    await b2b.otps.sms.send({ organization_id, member_id, session_token: done.session_token })
    const late = (await latest(phone))!.otp_code!
    mock.clock.advance(121)
    expect(await failure(attempt(late, { session_token: done.session_token }))).toEqual({
      status: 401,
      type: 'unable_to_auth_otp_code',
    })
    // A new send replaces the last code.
    await b2b.otps.sms.send({ organization_id, member_id, session_token: done.session_token })
    const replaced = (await latest(phone))!.otp_code!
    await b2b.otps.sms.send({ organization_id, member_id, session_token: done.session_token })
    const current = (await latest(phone))!.otp_code!
    if (replaced !== current)
      expect(
        (await failure(attempt(replaced, { session_token: done.session_token }))).type,
      ).toMatch(/^(otp_code_not_found|unable_to_auth_otp_code)$/)
    const stepped = await attempt(current, { session_token: done.session_token })
    expect(stepped.session_token).toBe(done.session_token)
  })
})

/** A primary login, a new phone by sms.send, authenticated: the member's phone is verified. */
async function enrollSms(organization_id: string, member_id: string, email: string, phone: string) {
  const { intermediate_session_token, session_token } = await magicLinkLogin(organization_id, email)
  const session = intermediate_session_token ? { intermediate_session_token } : { session_token }
  await b2b.otps.sms.send({ organization_id, member_id, mfa_phone_number: phone, ...session })
  return b2b.otps.sms.authenticate({
    organization_id,
    member_id,
    code: (await latest(phone))!.otp_code!,
    set_mfa_enrollment: 'enroll',
    ...session,
  })
}

describe('SMS is a second factor only', () => {
  it('without an intermediate session or a session of the member it is refused', async () => {
    const { organization_id, member_id, email } = await orgWithMember({
      mfa_policy: 'REQUIRED_FOR_ALL',
    })
    const phone = uniquePhone()
    // A member with no second factor yet may be texted (enrollment), but the code logs no one in.
    await b2b.otps.sms.send({ organization_id, member_id, mfa_phone_number: phone })
    const code = (await latest(phone))!.otp_code!
    expect(await failure(b2b.otps.sms.authenticate({ organization_id, member_id, code }))).toEqual({
      status: 400,
      type: 'no_associated_session_passed_in',
    })
    // Nor does another member's session.
    expect(
      await failure(
        b2b.otps.sms.authenticate({
          organization_id,
          member_id,
          code,
          session_token: FIXTURE.graceToken,
        }),
      ),
    ).toEqual({ status: 400, type: 'no_associated_session_passed_in' })

    // Once the phone is proven, a send needs the member's intermediate session or session too.
    await enrollSms(organization_id, member_id, email, phone)
    expect(await failure(b2b.otps.sms.send({ organization_id, member_id }))).toEqual({
      status: 400,
      type: 'no_associated_session_passed_in',
    })
    // Another number needs a second factor proven (the phone's), and then is refused all the
    // same: a phone is replaced only by deleting it first.
    const { intermediate_session_token } = await magicLinkLogin(organization_id, email)
    expect(
      await failure(
        b2b.otps.sms.send({
          organization_id,
          member_id,
          mfa_phone_number: uniquePhone(),
          intermediate_session_token,
        }),
      ),
    ).toEqual({ status: 401, type: 'insufficient_factors' })
    const stepped = await enrollSms(organization_id, member_id, email, phone)
    expect(
      await failure(
        b2b.otps.sms.send({
          organization_id,
          member_id,
          mfa_phone_number: uniquePhone(),
          session_token: stepped.session_token,
        }),
      ),
    ).toEqual({ status: 400, type: 'duplicate_member_phone_number_for_member' })
    // Both an intermediate session and a session: Stytch takes exactly one.
    expect(
      await failure(
        b2b.otps.sms.authenticate({
          organization_id,
          member_id,
          code: '123456',
          intermediate_session_token,
          session_token: FIXTURE.graceToken,
        }),
      ),
    ).toEqual({ status: 400, type: 'too_many_session_arguments' })
  })

  it("an organization's mfa_methods restricted to TOTP refuses SMS", async () => {
    const { organization_id, member_id, email } = await orgWithMember({
      mfa_policy: 'REQUIRED_FOR_ALL',
      mfa_methods: 'RESTRICTED',
      allowed_mfa_methods: ['totp'],
    })
    const { intermediate_session_token } = await magicLinkLogin(organization_id, email)
    const refused = { status: 400, type: 'operation_restricted_by_organization_mfa_methods' }
    expect(
      await failure(
        b2b.otps.sms.send({
          organization_id,
          member_id,
          mfa_phone_number: uniquePhone(),
          intermediate_session_token,
        }),
      ),
    ).toEqual(refused)
    expect(
      await failure(
        b2b.otps.sms.authenticate({
          organization_id,
          member_id,
          code: '123456',
          intermediate_session_token,
        }),
      ),
    ).toEqual(refused)
  })

  it('a phone the organization stops allowing is neither offered nor texted', async () => {
    const { organization_id, member_id, email } = await orgWithMember({
      mfa_policy: 'REQUIRED_FOR_ALL',
    })
    const phone = uniquePhone()
    await enrollSms(organization_id, member_id, email, phone)
    await b2b.organizations.update({
      organization_id,
      mfa_methods: 'RESTRICTED',
      allowed_mfa_methods: ['totp'],
    })
    const before = (await outbox(phone)).length
    const next = await magicLinkLogin(organization_id, email)
    expect(next.mfa_required).toEqual({ member_options: null, secondary_auth_initiated: null })
    expect(await outbox(phone)).toHaveLength(before)
  })

  it('an intermediate session of another organization, or an expired one, is refused', async () => {
    const a = await orgWithMember({ mfa_policy: 'REQUIRED_FOR_ALL' })
    const b = await orgWithMember({ mfa_policy: 'REQUIRED_FOR_ALL' })
    const { intermediate_session_token } = await magicLinkLogin(a.organization_id, a.email)
    const send = () =>
      b2b.otps.sms.send({
        organization_id: b.organization_id,
        member_id: b.member_id,
        mfa_phone_number: uniquePhone(),
        intermediate_session_token,
      })
    expect(await failure(send())).toEqual({
      status: 400,
      type: 'invalid_intermediate_session_token_for_organization',
    })
    expect(
      await failure(
        b2b.otps.sms.authenticate({
          organization_id: b.organization_id,
          member_id: b.member_id,
          code: '123456',
          intermediate_session_token,
        }),
      ),
    ).toEqual({ status: 400, type: 'invalid_intermediate_session_token_for_organization' })

    // Intermediate sessions last ten minutes on the mock's clock.
    const phone = uniquePhone()
    await b2b.otps.sms.send({
      organization_id: a.organization_id,
      member_id: a.member_id,
      mfa_phone_number: phone,
      intermediate_session_token,
    })
    mock.clock.advance(10 * 60 + 1)
    expect(
      await failure(
        b2b.otps.sms.authenticate({
          organization_id: a.organization_id,
          member_id: a.member_id,
          code: (await latest(phone))!.otp_code!,
          intermediate_session_token,
        }),
      ),
    ).toEqual({ status: 404, type: 'intermediate_session_not_found' })
  })

  it('an intermediate session still missing its primary step cannot complete MFA', async () => {
    const { organization_id, member_id, email } = await orgWithMember({
      mfa_policy: 'REQUIRED_FOR_ALL',
      auth_methods: 'RESTRICTED',
      allowed_auth_methods: ['password'],
    })
    const login = await magicLinkLogin(organization_id, email)
    expect(login.primary_required).toEqual({ allowed_auth_methods: ['password'] })
    // With the primary step pending nothing is texted, even to a known phone.
    expect(login.mfa_required!.secondary_auth_initiated).toBeNull()
    const phone = uniquePhone()
    await b2b.otps.sms.send({
      organization_id,
      member_id,
      mfa_phone_number: phone,
      intermediate_session_token: login.intermediate_session_token,
    })
    expect(
      await failure(
        b2b.otps.sms.authenticate({
          organization_id,
          member_id,
          code: (await latest(phone))!.otp_code!,
          intermediate_session_token: login.intermediate_session_token,
        }),
      ),
    ).toEqual({ status: 400, type: 'action_available_only_once_primary_authentication_is_met' })
  })
})

describe("the member's enrollment and phone", () => {
  it("set_mfa_enrollment 'enroll' in an OPTIONAL organization: the next login asks for MFA", async () => {
    const { organization_id, member_id, email } = await orgWithMember()
    const open = await magicLinkLogin(organization_id, email)
    expect(open).toMatchObject({ member_authenticated: true, mfa_required: null })
    const phone = uniquePhone()
    // A step-up: the session gets the SMS factor, the same token.
    await b2b.otps.sms.send({
      organization_id,
      member_id,
      mfa_phone_number: phone,
      session_token: open.session_token,
    })
    const stepped = await b2b.otps.sms.authenticate({
      organization_id,
      member_id,
      code: (await latest(phone))!.otp_code!,
      session_token: open.session_token,
      set_mfa_enrollment: 'enroll',
    })
    expect(stepped.session_token).toBe(open.session_token)
    expect(stepped.member).toMatchObject({ mfa_enrolled: true, mfa_phone_number_verified: true })
    expect(stepped.member_session!.authentication_factors).toHaveLength(2)

    const next = await magicLinkLogin(organization_id, email)
    expect(next).toMatchObject({
      member_authenticated: false,
      mfa_required: { secondary_auth_initiated: 'sms_otp' },
    })
    // 'unenroll' lets the member in with its primary factor alone again.
    await b2b.otps.sms.authenticate({
      organization_id,
      member_id,
      code: (await latest(phone))!.otp_code!,
      intermediate_session_token: next.intermediate_session_token,
      set_mfa_enrollment: 'unenroll',
    })
    expect(await magicLinkLogin(organization_id, email)).toMatchObject({
      member_authenticated: true,
    })
  })

  it('deleteMFAPhoneNumber and a new number by members.update: unverified, offered and texted again', async () => {
    const { organization_id, member_id, email } = await orgWithMember({
      mfa_policy: 'REQUIRED_FOR_ALL',
    })
    const phone = uniquePhone()
    await enrollSms(organization_id, member_id, email, phone)
    // A code still pending for the deleted phone proves nothing.
    const pending = await magicLinkLogin(organization_id, email)
    const stale = (await latest(phone))!.otp_code!
    const deleted = await b2b.organizations.members.deleteMFAPhoneNumber({
      organization_id,
      member_id,
    })
    expect(deleted.member).toMatchObject({ mfa_phone_number: '', mfa_phone_number_verified: false })
    expect(
      await failure(
        b2b.otps.sms.authenticate({
          organization_id,
          member_id,
          code: stale,
          intermediate_session_token: pending.intermediate_session_token,
        }),
      ),
    ).toEqual({ status: 401, type: 'unable_to_auth_otp_code' })
    const bare = await magicLinkLogin(organization_id, email)
    expect(bare.mfa_required).toEqual({ member_options: null, secondary_auth_initiated: null })
    // With no phone and none given, there is nowhere to text.
    expect(
      await failure(
        b2b.otps.sms.send({
          organization_id,
          member_id,
          intermediate_session_token: bare.intermediate_session_token,
        }),
      ),
    ).toEqual({ status: 404, type: 'member_phone_number_not_found' })

    const other = uniquePhone()
    const updated = await b2b.organizations.members.update({
      organization_id,
      member_id,
      mfa_phone_number: other,
    })
    expect(updated.member).toMatchObject({
      mfa_phone_number: other,
      mfa_phone_number_verified: false,
    })
    // An unverified phone is texted too, and its code proves it.
    const next = await magicLinkLogin(organization_id, email)
    expect(next.mfa_required).toEqual({
      member_options: { mfa_phone_number: other, totp_registration_id: '' },
      secondary_auth_initiated: 'sms_otp',
    })
    const done = await b2b.otps.sms.authenticate({
      organization_id,
      member_id,
      code: (await latest(other))!.otp_code!,
      intermediate_session_token: next.intermediate_session_token,
    })
    expect(done.member.mfa_phone_number_verified).toBe(true)
  })

  it("a member's phone, verified or not, is replaced only by deleting it, as members.update says; another member's is refused", async () => {
    const { organization_id, member_id, email } = await orgWithMember({
      mfa_policy: 'REQUIRED_FOR_ALL',
    })
    const { member: other } = await b2b.organizations.members.create({
      organization_id,
      email_address: unique('bob'),
      mfa_phone_number: uniquePhone(),
    })
    const first = await magicLinkLogin(organization_id, email)
    const send = (mfa_phone_number: string) =>
      b2b.otps.sms.send({
        organization_id,
        member_id,
        mfa_phone_number,
        intermediate_session_token: first.intermediate_session_token,
      })
    expect(await failure(send(other.mfa_phone_number))).toEqual({
      status: 400,
      type: 'duplicate_member_phone_number',
    })
    expect(await failure(send('555-0100'))).toEqual({
      status: 400,
      type: 'invalid_phone_number',
    })
    const typo = uniquePhone()
    expect((await send(typo)).member).toMatchObject({
      mfa_phone_number: typo,
      mfa_phone_number_verified: false,
    })
    // The same number again is a resend; another one is refused, unverified as the phone is.
    await send(typo)
    const right = uniquePhone()
    const replace = { status: 400, type: 'duplicate_member_phone_number_for_member' }
    expect(await failure(send(right))).toEqual(replace)
    expect(
      await failure(
        b2b.organizations.members.update({ organization_id, member_id, mfa_phone_number: right }),
      ),
    ).toEqual(replace)
    expect(await outbox(right)).toHaveLength(0)
    await b2b.organizations.members.deleteMFAPhoneNumber({ organization_id, member_id })
    expect((await send(right)).member.mfa_phone_number).toBe(right)
  })
})

describe('entering an MFA organization from elsewhere', () => {
  it('sessions.exchange into an organization requiring MFA asks for the second factor', async () => {
    // Grace is a member of acme (her session) and initech, which requires MFA of everyone.
    const exchanged = await b2b.sessions.exchange({
      organization_id: FIXTURE.initech.organization_id,
      session_token: FIXTURE.graceToken,
    })
    expect(exchanged).toMatchObject({
      member_authenticated: false,
      member_id: FIXTURE.initech.member_id,
      session_token: '',
      mfa_required: { member_options: null, secondary_auth_initiated: null },
    })
    const phone = uniquePhone()
    await b2b.otps.sms.send({
      organization_id: FIXTURE.initech.organization_id,
      member_id: FIXTURE.initech.member_id,
      mfa_phone_number: phone,
      intermediate_session_token: exchanged.intermediate_session_token,
    })
    const done = await b2b.otps.sms.authenticate({
      organization_id: FIXTURE.initech.organization_id,
      member_id: FIXTURE.initech.member_id,
      code: (await latest(phone))!.otp_code!,
      intermediate_session_token: exchanged.intermediate_session_token,
    })
    expect(done.member_session!.organization_id).toBe(FIXTURE.initech.organization_id)
    expect(done.member_session!.authentication_factors.map((f) => f.type)).toEqual([
      'magic_link',
      'otp',
    ])

    // Next time the exchange texts the code itself.
    const again = await b2b.sessions.exchange({
      organization_id: FIXTURE.initech.organization_id,
      session_token: FIXTURE.graceToken,
    })
    expect(again.mfa_required).toEqual({
      member_options: { mfa_phone_number: phone, totp_registration_id: '' },
      secondary_auth_initiated: 'sms_otp',
    })
    const entered = await b2b.otps.sms.authenticate({
      organization_id: FIXTURE.initech.organization_id,
      member_id: FIXTURE.initech.member_id,
      code: (await latest(phone))!.otp_code!,
      intermediate_session_token: again.intermediate_session_token,
    })
    expect(entered.member_session!.member_id).toBe(FIXTURE.initech.member_id)
  })

  it('sessions.exchange carries no second factor into another organization', async () => {
    // The same email, a member of two organizations that require MFA and one that does not.
    const a = await orgWithMember({ mfa_policy: 'REQUIRED_FOR_ALL' })
    const other = async (settings: Partial<stytch.B2BOrganizationsCreateRequest>) => {
      const { organization } = await b2b.organizations.create({
        organization_name: 'Initrode',
        organization_slug: `initrode-${Math.random().toString(36).slice(2, 10)}`,
        ...settings,
      })
      const { member } = await b2b.organizations.members.create({
        organization_id: organization.organization_id,
        email_address: a.email,
      })
      return { organization_id: organization.organization_id, member_id: member.member_id }
    }
    const b = await other({ mfa_policy: 'REQUIRED_FOR_ALL' })
    const c = await other({ mfa_policy: 'OPTIONAL' })
    const phone = uniquePhone()
    const proven = await enrollSms(a.organization_id, a.member_id, a.email, phone)
    expect(proven.member_session!.authentication_factors.map((f) => f.type)).toEqual([
      'magic_link',
      'otp',
    ])

    // A's SMS passcode proves nothing of B's member: B asks for its own second factor.
    const intoB = await b2b.sessions.exchange({
      organization_id: b.organization_id,
      session_token: proven.session_token,
    })
    expect(intoB).toMatchObject({
      member_authenticated: false,
      member_id: b.member_id,
      session_token: '',
      mfa_required: { member_options: null, secondary_auth_initiated: null },
    })
    // Where nothing asks for MFA, the new session holds the primary factor only.
    const intoC = await b2b.sessions.exchange({
      organization_id: c.organization_id,
      session_token: proven.session_token,
    })
    expect(intoC.member_authenticated).toBe(true)
    expect(intoC.member_session!.authentication_factors.map((f) => f.type)).toEqual(['magic_link'])
  })

  it('discovery lists the MFA step without texting; its exchange texts the code', async () => {
    const phone = uniquePhone()
    const first = await b2b.sessions.exchange({
      organization_id: FIXTURE.initech.organization_id,
      session_token: FIXTURE.graceToken,
    })
    await b2b.otps.sms.send({
      organization_id: FIXTURE.initech.organization_id,
      member_id: FIXTURE.initech.member_id,
      mfa_phone_number: phone,
      intermediate_session_token: first.intermediate_session_token,
    })
    await b2b.otps.sms.authenticate({
      organization_id: FIXTURE.initech.organization_id,
      member_id: FIXTURE.initech.member_id,
      code: (await latest(phone))!.otp_code!,
      intermediate_session_token: first.intermediate_session_token,
    })
    const texts = (await outbox(phone)).length

    await b2b.magicLinks.email.discovery.send({ email_address: 'grace@example.com' })
    const link = (await latest('grace@example.com'))!
    const discovered = await b2b.magicLinks.discovery.authenticate({
      discovery_magic_links_token: link.token!,
    })
    const initech = discovered.discovered_organizations.find(
      (o) => o.organization!.organization_id === FIXTURE.initech.organization_id,
    )!
    expect(initech.mfa_required).toEqual({
      member_options: { mfa_phone_number: phone, totp_registration_id: '' },
      secondary_auth_initiated: null,
    })
    expect(await outbox(phone)).toHaveLength(texts)

    const entered = await b2b.discovery.intermediateSessions.exchange({
      intermediate_session_token: discovered.intermediate_session_token,
      organization_id: FIXTURE.initech.organization_id,
    })
    expect(entered.mfa_required).toMatchObject({ secondary_auth_initiated: 'sms_otp' })
    expect(await outbox(phone)).toHaveLength(texts + 1)
    const done = await b2b.otps.sms.authenticate({
      organization_id: FIXTURE.initech.organization_id,
      member_id: FIXTURE.initech.member_id,
      code: (await latest(phone))!.otp_code!,
      intermediate_session_token: entered.intermediate_session_token,
    })
    expect(done.member_session!.authentication_factors.map((f) => f.delivery_method)).toEqual([
      'email',
      'sms',
    ])
  })
})

/** The code the member's authenticator app shows now (the mock's test control). */
const totpCode = async (memberId: string): Promise<string> =>
  (await control('GET', `/_mock/totps/${memberId}`)).body.code

/** A primary login, a TOTP registration and its first code: a session with both factors. */
async function enrollTotp(organization_id: string, member_id: string, email: string) {
  const { intermediate_session_token } = await magicLinkLogin(organization_id, email)
  await b2b.totps.create({ organization_id, member_id, intermediate_session_token })
  return b2b.totps.authenticate({
    organization_id,
    member_id,
    code: await totpCode(member_id),
    intermediate_session_token,
  })
}

describe('a member with a second factor proves one before adding another', () => {
  it('a primary login alone cannot add a phone past the TOTP; a session with the TOTP can', async () => {
    const { organization_id, member_id, email } = await orgWithMember({
      mfa_policy: 'REQUIRED_FOR_ALL',
    })
    const proven = await enrollTotp(organization_id, member_id, email)
    const phone = uniquePhone()

    // A new magic-link login: an intermediate session holding the magic link only.
    const login = await magicLinkLogin(organization_id, email)
    expect(login.mfa_required).toMatchObject({ secondary_auth_initiated: null })
    const refused = { status: 401, type: 'insufficient_factors' }
    const add = (session: object) =>
      b2b.otps.sms.send({ organization_id, member_id, mfa_phone_number: phone, ...session })
    expect(
      await failure(add({ intermediate_session_token: login.intermediate_session_token })),
    ).toEqual(refused)
    expect(await failure(add({}))).toEqual(refused)
    // Nothing was texted, nor the phone set.
    expect(await outbox(phone)).toHaveLength(0)
    const { member } = await b2b.organizations.members.get({ organization_id, member_id })
    expect(member.mfa_phone_number).toBe('')
    // totps.create gives the same answer for the same situation.
    expect(
      await failure(
        b2b.totps.create({
          organization_id,
          member_id,
          intermediate_session_token: login.intermediate_session_token,
        }),
      ),
    ).toEqual(refused)

    // The session that proved the TOTP adds the phone, and its code steps that session up.
    await add({ session_token: proven.session_token })
    const stepped = await b2b.otps.sms.authenticate({
      organization_id,
      member_id,
      code: (await latest(phone))!.otp_code!,
      session_token: proven.session_token,
    })
    expect(stepped.member).toMatchObject({
      mfa_phone_number: phone,
      mfa_phone_number_verified: true,
    })
    expect(stepped.member_session!.authentication_factors.map((f) => f.type)).toEqual([
      'magic_link',
      'totp',
      'otp',
    ])

    // A primary login may still have the code sent again to the member's own phone.
    const next = await magicLinkLogin(organization_id, email)
    const before = (await outbox(phone)).length
    await b2b.otps.sms.send({
      organization_id,
      member_id,
      intermediate_session_token: next.intermediate_session_token,
    })
    expect(await outbox(phone)).toHaveLength(before + 1)
    const done = await b2b.otps.sms.authenticate({
      organization_id,
      member_id,
      code: (await latest(phone))!.otp_code!,
      intermediate_session_token: next.intermediate_session_token,
    })
    expect(done.member_session!.authentication_factors.map((f) => f.type)).toEqual([
      'magic_link',
      'otp',
    ])
  })
})

describe('a deleted member', () => {
  it('loses its pending SMS passcode: reactivated, the code proves nothing', async () => {
    const { organization_id, member_id, email } = await orgWithMember()
    // An organization that does not require MFA: the magic link logs in, and verifies the email.
    const open = await magicLinkLogin(organization_id, email)
    expect(open.member_authenticated).toBe(true)
    const phone = uniquePhone()
    await b2b.otps.sms.send({
      organization_id,
      member_id,
      mfa_phone_number: phone,
      session_token: open.session_token,
    })
    const pending = (await latest(phone))!.otp_code!
    await b2b.organizations.members.delete({ organization_id, member_id })
    await b2b.organizations.members.reactivate({ organization_id, member_id })
    const again = await magicLinkLogin(organization_id, email)
    expect(again.member_authenticated).toBe(true)
    const refused = await failure(
      b2b.otps.sms.authenticate({
        organization_id,
        member_id,
        code: pending,
        session_token: again.session_token,
      }),
    )
    expect(refused.status).toBeGreaterThanOrEqual(400)
    expect(refused.type).toMatch(/^(otp_code_not_found|unable_to_auth_otp_code)$/)
  })
})

describe('STYTCH_MOCK_OTP_CODE', () => {
  const fixed = mockWithSdk((options) => new stytch.B2BClient(options), {
    STYTCH_MOCK_OTP_CODE: '424242',
  })

  it('texts the fixed code', async () => {
    const client = fixed.client
    const fixedControl = controlOf(fixed.mock)
    const { organization } = await client.organizations.create({
      organization_name: 'Fixed',
      organization_slug: `fixed-${Math.random().toString(36).slice(2, 10)}`,
      mfa_policy: 'REQUIRED_FOR_ALL',
    })
    const email = unique('fixed')
    const { member } = await client.organizations.members.create({
      organization_id: organization.organization_id,
      email_address: email,
    })
    await client.otps.email.loginOrSignup({
      organization_id: organization.organization_id,
      email_address: email,
    })
    const login = await client.otps.email.authenticate({
      organization_id: organization.organization_id,
      email_address: email,
      code: '424242',
    })
    const phone = uniquePhone()
    await client.otps.sms.send({
      organization_id: organization.organization_id,
      member_id: member.member_id,
      mfa_phone_number: phone,
      intermediate_session_token: login.intermediate_session_token,
    })
    const texts = (await fixedControl('GET', `/_mock/outbox?to=${encodeURIComponent(phone)}`)).body
      .messages as OutboxMessage[]
    expect(texts.at(-1)!.otp_code).toBe('424242')
    const done = await client.otps.sms.authenticate({
      organization_id: organization.organization_id,
      member_id: member.member_id,
      code: '424242',
      intermediate_session_token: login.intermediate_session_token,
    })
    expect(done.member_session!.authentication_factors.map((f) => f.type)).toEqual([
      'email_otp',
      'otp',
    ])
  })
})
