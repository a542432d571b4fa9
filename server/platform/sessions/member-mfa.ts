// The B2B second-factor rules, as Stytch documents them, in one place: which methods an
// organization lets a member use, what a login still needs (mfa_required), whether Stytch texts
// the member by itself, what counts as a second factor, the member's default method, its one MFA
// phone, and its settings after a second factor worked (`set_mfa_enrollment`, `set_default_mfa`).
// The step every second factor ends through is SecondFactorLogins (second-factor.ts).
import { StytchError } from '../../errors.js'
import type { Factor } from './core.js'
import type { MemberObject, OrganizationObject, OrganizationStore } from './organization-store.js'

export type MfaMethod = 'totp' | 'sms_otp'

export interface MfaSettingsInput {
  set_mfa_enrollment?: 'enroll' | 'unenroll' | undefined
  set_default_mfa?: boolean | undefined
}

/** A factor only a second factor records: a TOTP or recovery code, a passcode not by email. */
export const isMfaFactor = (f: Factor): boolean =>
  f.type === 'totp' ||
  f.type === 'recovery_codes' ||
  (f.type === 'otp' && f.delivery_method !== 'email')

/** The MFA method a second factor proves (recovery codes stand in for the authenticator app). */
function mfaMethodOf(f: Factor): MfaMethod | undefined {
  if (f.type === 'otp' && f.delivery_method === 'sms') return 'sms_otp'
  if (f.type === 'totp' || f.type === 'recovery_codes') return 'totp'
  return undefined
}

/**
 * The second factors the organization lets this member use: both, unless its `mfa_methods` is
 * RESTRICTED to `allowed_mfa_methods` (which does not bind break-glass members, Stytch's docs).
 */
export function allowedMfaMethods(org: OrganizationObject, member: MemberObject): MfaMethod[] {
  if (org.mfa_methods !== 'RESTRICTED' || member.is_breakglass === true) return ['sms_otp', 'totp']
  return (org.allowed_mfa_methods as string[]).filter(
    (m): m is MfaMethod => m === 'sms_otp' || m === 'totp',
  )
}

/**
 * What MFA still asks of the member entering the organization with these factors, or null: the
 * organization requires it of everyone (REQUIRED_FOR_ALL) or the member enrolled, and no factor
 * is a second factor the organization allows. `member_options` is what the member has set up of
 * the allowed methods (its phone, verified or not, and its TOTP registration), null when nothing
 * (the member must enroll first, as apps built on Stytch read it).
 */
export function mfaRequired(org: OrganizationObject, member: MemberObject, factors: Factor[]) {
  const needed = org.mfa_policy === 'REQUIRED_FOR_ALL' || member.mfa_enrolled === true
  const allowed = allowedMfaMethods(org, member)
  if (!needed || factors.some((f) => allowed.includes(mfaMethodOf(f) as MfaMethod))) return null
  const phone = allowed.includes('sms_otp') ? String(member.mfa_phone_number ?? '') : ''
  const totp = allowed.includes('totp') ? String(member.totp_registration_id ?? '') : ''
  return {
    member_options: phone || totp ? { mfa_phone_number: phone, totp_registration_id: totp } : null,
    secondary_auth_initiated: null as 'sms_otp' | null,
  }
}

/**
 * Whether Stytch texts the member a passcode when a login stops at MFA: it has a phone number
 * (verified or not) the organization lets it use, and SMS is its default method or it has no
 * authenticator app to use instead.
 */
export function smsFirst(org: OrganizationObject, member: MemberObject): boolean {
  const allowed = allowedMfaMethods(org, member)
  if (!allowed.includes('sms_otp') || !member.mfa_phone_number) return false
  const totp = allowed.includes('totp') && hasMfaMethod(member, 'totp')
  return member.default_mfa_method === 'sms_otp' || !totp
}

/** Who texts a member by itself (the b2b-otps product), told whom and in which organization. */
export type MfaPendingListener = (member: MemberObject, organization: OrganizationObject) => void

/**
 * The SMS Stytch sends unasked when a login stops at MFA after its primary step (smsFirst), and
 * says so in `mfa_required.secondary_auth_initiated`. With no sender (the b2b-otps product)
 * nothing is sent and nothing claims it was.
 */
export class MfaPending {
  readonly #senders: MfaPendingListener[] = []

  add(listener: MfaPendingListener): void {
    this.#senders.push(listener)
  }

  start(
    org: OrganizationObject,
    member: MemberObject,
    required: NonNullable<ReturnType<typeof mfaRequired>>,
  ): void {
    if (this.#senders.length === 0 || !smsFirst(org, member)) return
    for (const send of this.#senders) send(member, org)
    required.secondary_auth_initiated = 'sms_otp'
  }
}

/** The member has this method set up: a phone (verified or not), or a verified TOTP. */
export function hasMfaMethod(member: MemberObject, method: MfaMethod): boolean {
  return Boolean(method === 'totp' ? member.totp_registration_id : member.mfa_phone_number)
}

/**
 * The member has an active second factor, which it must prove before it adds another (Stytch's
 * docs for totps.create and otps.sms.send): a TOTP registration, or a verified phone.
 */
export function hasSecondFactor(member: MemberObject): boolean {
  return hasMfaMethod(member, 'totp') || member.mfa_phone_number_verified === true
}

/**
 * The member's default MFA method, from the methods it has: the current one while it has it,
 * else `preferred` (the method just proven or added) if it has that, else TOTP, else SMS, else
 * none (''). Every change of a member's second factors sets its default through this.
 */
export function defaultMfaMethod(member: MemberObject, preferred?: MfaMethod): MfaMethod | '' {
  const current = member.default_mfa_method
  if ((current === 'totp' || current === 'sms_otp') && hasMfaMethod(member, current)) return current
  if (preferred && hasMfaMethod(member, preferred)) return preferred
  if (hasMfaMethod(member, 'totp')) return 'totp'
  return hasMfaMethod(member, 'sms_otp') ? 'sms_otp' : ''
}

/**
 * The member with `method` proven (its factor recorded by the caller) and the settings applied:
 * `set_mfa_enrollment` enrolls or unenrolls it (ignored when the organization requires MFA of
 * everyone), `set_default_mfa` makes the method its default, and the first MFA it completes
 * becomes its default by itself.
 */
export function withMfaSettings(
  member: MemberObject,
  organization: OrganizationObject,
  method: MfaMethod,
  input: MfaSettingsInput,
): MemberObject {
  const next = { ...member }
  if (input.set_mfa_enrollment !== undefined && organization.mfa_policy !== 'REQUIRED_FOR_ALL')
    next.mfa_enrolled = input.set_mfa_enrollment === 'enroll'
  next.default_mfa_method = input.set_default_mfa === true ? method : defaultMfaMethod(next, method)
  return next
}

/**
 * The member with a new MFA phone, unverified until a passcode to it is authenticated. A member
 * has one phone: another while it has one, verified or not, is 400
 * `duplicate_member_phone_number_for_member` (delete it first; Stytch's docs for members.update
 * and otps.sms.send); the member must be active (400 `action_available_only_for_active_members`)
 * and the number no other member's (400 `duplicate_member_phone_number`).
 */
export function withNewMfaPhone(
  orgs: OrganizationStore,
  member: MemberObject,
  phone: string,
): MemberObject {
  if (member.mfa_phone_number) throw new StytchError('duplicate_member_phone_number_for_member')
  if (member.status !== 'active') throw new StytchError('action_available_only_for_active_members')
  checkPhoneFree(orgs, member.organization_id, phone, member.member_id)
  return { ...member, mfa_phone_number: phone, mfa_phone_number_verified: false }
}

/** No other member of the organization has this MFA phone (400 `duplicate_member_phone_number`). */
export function checkPhoneFree(
  orgs: OrganizationStore,
  organizationId: string,
  phone: string,
  self: string | null,
): void {
  const holder = orgs
    .membersOf(organizationId)
    .find((m) => m.member_id !== self && m.status !== 'deleted' && m.mfa_phone_number === phone)
  if (holder) throw new StytchError('duplicate_member_phone_number')
}

/**
 * Where a member's pending SMS passcode is kept among the one-time secrets: one at a time (a new
 * send replaces it), revoked with the member.
 */
export const smsPasscodeOf = (memberId: string) => ['b2b_otp', `sms:${memberId}`] as const
