// B2B SMS passcodes (b2b/otps/sms/send and authenticate): a member's second factor, never a
// primary one (Stytch's docs). A code goes to the member's MFA phone (the number the send names
// becomes it when it has none), lasts two minutes and replaces the last one; it completes the MFA
// step of the member's intermediate session, or steps up the member's session, and proves the
// phone. The platform asks for one by itself when a login stops at MFA (MemberSessions'
// mfaPending): Stytch texts the member then, unasked. The rules every second factor shares are
// the platform's (member-mfa.ts, SecondFactorLogins).
import { createHash } from 'node:crypto'
import { type Clock, rfc3339 } from '../../clock.js'
import { StytchError } from '../../errors.js'
import type { OneTimeSecrets } from '../../platform/login/one-time.js'
import type { Outbox } from '../../platform/login/outbox.js'
import type { LoginSessionInput } from '../../platform/sessions/b2b.js'
import { API, type LoginVia } from '../../platform/sessions/core.js'
import { loginFactor } from '../../platform/sessions/factors.js'
import {
  hasSecondFactor,
  type MfaSettingsInput,
  smsPasscodeOf,
  withMfaSettings,
  withNewMfaPhone,
} from '../../platform/sessions/member-mfa.js'
import type {
  MemberObject,
  OrganizationObject,
  OrganizationStore,
} from '../../platform/sessions/organization-store.js'
import type { SecondFactorLogins } from '../../platform/sessions/second-factor.js'

/** Stytch's SMS passcodes expire after two minutes (its docs; the pre-built UI counts them down). */
const SMS_CODE_MINUTES = 2

export interface SmsSendInput extends LoginSessionInput {
  organization_id: string
  member_id: string
  mfa_phone_number?: string | undefined
}

export interface SmsAuthenticateInput extends LoginSessionInput, MfaSettingsInput {
  organization_id: string
  member_id: string
  code: string
}

export class MemberSmsPasscodes {
  constructor(
    private readonly deps: {
      clock: Clock
      orgs: OrganizationStore
      logins: SecondFactorLogins
      secrets: OneTimeSecrets
      outbox: Outbox
    },
  ) {}

  /** MemberSessions' mfaPending: the passcode Stytch texts by itself after a primary login. */
  readonly loginStoppedAtMfa = (member: MemberObject, organization: OrganizationObject): void => {
    this.deliver(member, organization)
  }

  /**
   * b2b/otps/sms/send. A new phone is a second factor added: a member with one proves it first
   * (SecondFactorLogins.proveSecondFactor), and the number becomes its phone only if it has none
   * (withNewMfaPhone). The member's own phone is texted again within a login or session of its
   * own once it has a second factor, or anyone could text it.
   */
  async send(input: SmsSendInput, via: LoginVia = API) {
    const { logins } = this.deps
    const { organization, member } = logins.memberOf(
      input.organization_id,
      input.member_id,
      'sms_otp',
    )
    const named = await logins.named(member, organization, input, via)
    const phone = input.mfa_phone_number
    let target = member
    if (phone !== undefined && phone !== member.mfa_phone_number) {
      logins.proveSecondFactor(member, named)
      target = this.save(withNewMfaPhone(this.deps.orgs, this.current(member), phone))
    } else {
      if (!named.ist && !named.session && hasSecondFactor(member))
        throw new StytchError('no_associated_session_passed_in')
      if (!member.mfa_phone_number) throw new StytchError('member_phone_number_not_found')
    }
    this.deliver(target, organization)
    return { member_id: target.member_id, member: target, organization }
  }

  /** b2b/otps/sms/authenticate: the MFA step (or a step-up), never a primary login. */
  async authenticate(input: SmsAuthenticateInput, via: LoginVia = API) {
    const { logins } = this.deps
    const { organization, member } = logins.memberOf(
      input.organization_id,
      input.member_id,
      'sms_otp',
    )
    const target = await logins.prepare(member, organization, input, via)
    const secret = this.deps.secrets.redeemPasscode(...smsPasscodeOf(member.member_id), input.code)
    // A code sent to a number the member no longer has (deleted since) proves nothing.
    if (secret.address !== member.mfa_phone_number) throw new StytchError('unable_to_auth_otp_code')

    const proven = withMfaSettings(
      { ...this.current(member), mfa_phone_number_verified: true },
      organization,
      'sms_otp',
      input,
    )
    // Stytch's docs for this endpoint: under REQUIRED_FOR_ALL the member is enrolled from now on.
    if (organization.mfa_policy === 'REQUIRED_FOR_ALL') proven.mfa_enrolled = true
    const factor = loginFactor(
      'otp',
      'sms',
      { phone_number_factor: { phone_id: secret.method_id, phone_number: secret.address } },
      this.deps.clock.nowSeconds(),
    )
    return logins.finish(this.save(proven), organization, factor, input, target)
  }

  /** A new passcode to the member's phone (the last one stops working), into the outbox. */
  private deliver(member: MemberObject, organization: OrganizationObject): void {
    const phone = String(member.mfa_phone_number)
    const phone_id = memberPhoneId(member.member_id, phone)
    const { code, expires_at } = this.deps.secrets.passcode(...smsPasscodeOf(member.member_id), {
      subject_id: member.member_id,
      organization_id: organization.organization_id,
      method_id: phone_id,
      address: phone,
      expiration_minutes: SMS_CODE_MINUTES,
    })
    this.deps.outbox.send({
      channel: 'sms',
      to: phone,
      kind: 'otp',
      text: `Your ${String(organization.organization_name)} verification code is ${code}. It expires in ${SMS_CODE_MINUTES} minutes.`,
      otp_code: code,
      method_id: phone_id,
      member_id: member.member_id,
      organization_id: organization.organization_id,
      expires_at,
    })
  }

  /** The member as stored now (a write during the call's awaits may have changed it). */
  private current(member: MemberObject): MemberObject {
    return this.deps.orgs.member(member.member_id) ?? member
  }

  private save(member: MemberObject): MemberObject {
    const updated = { ...member, updated_at: rfc3339(this.deps.clock.nowSeconds()) }
    this.deps.orgs.updateMember(updated)
    return this.deps.orgs.member(member.member_id) ?? updated
  }
}

/** The phone_id a member's MFA phone goes by in its factors: stable for the member and number. */
function memberPhoneId(memberId: string, phone: string): string {
  const h = createHash('sha256').update(`member-phone:${memberId}:${phone}`).digest('hex')
  return `phone-number-test-${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
}
