// B2B SMS passcodes (b2b/otps/sms/send and authenticate): a member's second factor, never a
// primary one (Stytch's docs). A code goes to the member's MFA phone (the number the send names
// becomes it when it has none, or only an unverified one), lasts two minutes and replaces the
// last one; it completes the MFA step of the member's intermediate session, or steps up the
// member's session, and proves the phone. The platform asks for one by itself when a login stops
// at MFA (MemberSessions.onMfaPending): Stytch texts the member then, unasked.
import { createHash } from 'node:crypto'
import { type Clock, rfc3339 } from '../../clock.js'
import { StytchError } from '../../errors.js'
import type { OneTimeSecrets } from '../../platform/login/one-time.js'
import type { Outbox } from '../../platform/login/outbox.js'
import {
  allowedMfaMethods,
  type LoginSessionInput,
  type MemberSessions,
  type memberSessionObject,
  type PreparedLogin,
} from '../../platform/sessions/b2b.js'
import { API, type Factor, type LoginVia } from '../../platform/sessions/core.js'
import type { Directory } from '../../platform/sessions/directory.js'
import { loginFactor } from '../../platform/sessions/factors.js'
import { withMfaSettings, type MfaSettingsInput } from '../../platform/sessions/member-mfa.js'
import type {
  MemberObject,
  OrganizationObject,
  OrganizationStore,
} from '../../platform/sessions/organization-store.js'

type MemberSession = ReturnType<typeof memberSessionObject>

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
      directory: Directory
      members: MemberSessions
      secrets: OneTimeSecrets
      outbox: Outbox
    },
  ) {}

  /** MemberSessions' onMfaPending: the passcode Stytch texts by itself after a primary login. */
  readonly loginStoppedAtMfa = (member: MemberObject, organization: OrganizationObject): void => {
    this.deliver(member, organization)
  }

  /** b2b/otps/sms/send */
  async send(input: SmsSendInput, via: LoginVia = API) {
    const { organization, member } = this.find(input)
    const bound = this.bound(
      await this.deps.members.prepareLogin(input, via),
      organization,
      member,
      via,
    )
    // A member with a second factor already needs its intermediate session or session here, or
    // anyone holding the API could text a passcode past its MFA (Stytch's docs).
    const hasFactor =
      member.mfa_phone_number_verified === true || Boolean(member.totp_registration_id)
    if (!bound && hasFactor) throw new StytchError('no_associated_session_passed_in')
    const target = this.withPhone(organization, member, input.mfa_phone_number)
    this.deliver(target, organization)
    return { member_id: target.member_id, member: target, organization }
  }

  /** b2b/otps/sms/authenticate: the MFA step (or a step-up), never a primary login. */
  async authenticate(input: SmsAuthenticateInput, via: LoginVia = API) {
    const { organization, member } = this.find(input)
    const bound = this.bound(
      await this.deps.members.prepareLogin(input, via),
      organization,
      member,
      via,
    )
    if (!bound) throw new StytchError('no_associated_session_passed_in')
    if (
      bound.ist &&
      this.deps.members.requirements(
        member,
        organization,
        bound.ist.authentication_factors as Factor[],
      ).primary_required
    )
      throw new StytchError('action_available_only_once_primary_authentication_is_met')
    const secret = this.deps.secrets.redeemPasscode('b2b_otp', secretKey(member), input.code)
    // A code sent to a number the member no longer has (deleted or replaced since) proves nothing.
    if (secret.address !== member.mfa_phone_number) throw new StytchError('unable_to_auth_otp_code')

    let proven: MemberObject = { ...member, mfa_phone_number_verified: true }
    proven = withMfaSettings(proven, organization, 'sms_otp', input)
    // Stytch's docs for this endpoint: under REQUIRED_FOR_ALL the member is enrolled from now on.
    if (organization.mfa_policy === 'REQUIRED_FOR_ALL') proven.mfa_enrolled = true
    this.save(proven)
    const stored = this.deps.orgs.member(member.member_id)!

    const now = this.deps.clock.nowSeconds()
    const factor = loginFactor(
      'otp',
      'sms',
      { phone_number_factor: { phone_id: secret.method_id, phone_number: secret.address } },
      now,
    )
    const result = await this.deps.members.login(stored, organization, factor, input, bound)
    // Checked above: with the primary step done, the SMS factor completes the login.
    const { member_session } = result as { member_session?: MemberSession | null }
    if (!member_session)
      throw new StytchError('action_available_only_once_primary_authentication_is_met')
    return {
      member_id: stored.member_id,
      member: result.member,
      organization: result.organization,
      session_token: result.session_token,
      session_jwt: result.session_jwt,
      member_session,
    }
  }

  /** The organization (by id, slug or external id) and its member (by id or external id). */
  private find(input: { organization_id: string; member_id: string }) {
    const organization = this.deps.directory.organization(input.organization_id)
    const member = this.deps.directory.memberOf(organization, input.member_id)
    if (!allowedMfaMethods(organization, member).includes('sms_otp'))
      throw new StytchError('operation_restricted_by_organization_mfa_methods')
    return { organization, member }
  }

  /**
   * The member's intermediate session or session the call named, if any. An intermediate session
   * of another organization, or one (or, from the backend, a session) of another member, is
   * refused; the frontend SDK sends the browser's session along with everything, so there a
   * session of someone else only does not count.
   */
  private bound(
    prepared: PreparedLogin,
    organization: OrganizationObject,
    member: MemberObject,
    via: LoginVia,
  ): PreparedLogin | null {
    const { ist, session } = prepared
    if (ist) {
      if (ist.organization_id !== organization.organization_id)
        throw new StytchError('invalid_intermediate_session_token_for_organization')
      if (ist.member_id !== member.member_id)
        throw new StytchError('no_associated_session_passed_in')
      return { ist }
    }
    if (session) {
      if (session.subject_id === member.member_id) return { session }
      if (!via.ifLive) throw new StytchError('no_associated_session_passed_in')
    }
    return null
  }

  /**
   * The member with the phone the send names: its own when it names none or the same one; a new
   * one (unverified) when it has none or only an unverified one. A verified phone is replaced
   * only by deleting it first (organizations.members.deleteMFAPhoneNumber).
   */
  private withPhone(
    organization: OrganizationObject,
    member: MemberObject,
    phone: string | undefined,
  ): MemberObject {
    const current = String(member.mfa_phone_number ?? '')
    if (phone === undefined || phone === current) {
      if (!current) throw new StytchError('member_phone_number_not_found')
      return member
    }
    if (current && member.mfa_phone_number_verified === true)
      throw new StytchError('duplicate_member_phone_number_for_member')
    if (member.status !== 'active')
      throw new StytchError('action_available_only_for_active_members')
    const holder = this.deps.orgs
      .membersOf(organization.organization_id)
      .find(
        (m) =>
          m.member_id !== member.member_id &&
          m.status !== 'deleted' &&
          m.mfa_phone_number === phone,
      )
    if (holder) throw new StytchError('duplicate_member_phone_number')
    this.save({ ...member, mfa_phone_number: phone, mfa_phone_number_verified: false })
    return this.deps.orgs.member(member.member_id)!
  }

  /** A new passcode to the member's phone (the last one stops working), into the outbox. */
  private deliver(member: MemberObject, organization: OrganizationObject): void {
    const phone = String(member.mfa_phone_number)
    const phone_id = memberPhoneId(member.member_id, phone)
    const { code, expires_at } = this.deps.secrets.passcode('b2b_otp', secretKey(member), {
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

  private save(member: MemberObject): void {
    this.deps.orgs.updateMember({ ...member, updated_at: rfc3339(this.deps.clock.nowSeconds()) })
  }
}

/** One SMS passcode per member at a time (a new send replaces it). */
const secretKey = (member: MemberObject) => `sms:${member.member_id}`

/** The phone_id a member's MFA phone goes by in its factors: stable for the member and number. */
function memberPhoneId(memberId: string, phone: string): string {
  const h = createHash('sha256').update(`member-phone:${memberId}:${phone}`).digest('hex')
  return `phone-number-test-${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
}
