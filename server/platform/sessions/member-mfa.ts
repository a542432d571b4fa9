// A member's MFA settings after a second factor worked (B2B totps.authenticate, otps.sms.authenticate),
// as Stytch documents them: `set_mfa_enrollment` enrolls or unenrolls the member (ignored when the
// organization requires MFA of everyone), `set_default_mfa` makes the method the default, and the
// first MFA the member completes becomes its default by itself.
import type { MemberObject, OrganizationObject } from './organization-store.js'

export type MfaMethod = 'totp' | 'sms_otp'

export interface MfaSettingsInput {
  set_mfa_enrollment?: 'enroll' | 'unenroll' | undefined
  set_default_mfa?: boolean | undefined
}

/** The member with `method` proven (its factor recorded by the caller) and the settings applied. */
export function withMfaSettings(
  member: MemberObject,
  organization: OrganizationObject,
  method: MfaMethod,
  input: MfaSettingsInput,
): MemberObject {
  const next = { ...member }
  if (input.set_mfa_enrollment !== undefined && organization.mfa_policy !== 'REQUIRED_FOR_ALL')
    next.mfa_enrolled = input.set_mfa_enrollment === 'enroll'
  if (input.set_default_mfa === true || !member.default_mfa_method) next.default_mfa_method = method
  return next
}
