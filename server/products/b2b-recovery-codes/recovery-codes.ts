// B2B recovery codes (the B2B SDKs' `recoveryCodes`): the ten single-use codes of a member's
// verified TOTP registration (platform/login/totp.ts). One completes MFA in place of a TOTP code
// (recover), as every second factor does (the platform's SecondFactorLogins); get lists the
// unused ones; rotate replaces them.
import type { Clock } from '../../clock.js'
import { StytchError } from '../../errors.js'
import { type Totps, unusedRecoveryCodes } from '../../platform/login/totp.js'
import type { LoginSessionInput } from '../../platform/sessions/b2b.js'
import { API, type LoginVia } from '../../platform/sessions/core.js'
import { loginFactor } from '../../platform/sessions/factors.js'
import type { MemberObject } from '../../platform/sessions/organization-store.js'
import type { SecondFactorLogins } from '../../platform/sessions/second-factor.js'

export interface RecoverInput {
  organization_id: string
  member_id: string
  recovery_code: string
}

export class MemberRecoveryCodes {
  constructor(private readonly deps: { clock: Clock; totps: Totps; logins: SecondFactorLogins }) {}

  /**
   * b2b/recovery_codes/recover: one of the member's unused codes, spent, completes the member's
   * intermediate session (or joins its session) as a `recovery_codes` factor.
   */
  async recover(input: RecoverInput, session: LoginSessionInput, via: LoginVia = API) {
    const { logins, totps } = this.deps
    const { organization, member } = logins.memberOf(input.organization_id, input.member_id, 'totp')
    const target = await logins.prepare(member, organization, session, via)
    const { row, recovery_code_id } = totps.recover(member.member_id, input.recovery_code)
    const factor = loginFactor(
      'recovery_codes',
      'recovery_code',
      { recovery_code_factor: { totp_recovery_code_id: recovery_code_id } },
      this.deps.clock.nowSeconds(),
    )
    const result = await logins.finish(member, organization, factor, session, target)
    const spent = totps.get(row.totp_id)
    return {
      ...result,
      recovery_codes_remaining: spent ? unusedRecoveryCodes(spent).length : 0,
    }
  }

  /** b2b/recovery_codes/{organization_id}/{member_id}: the member's unused codes. */
  get(organizationId: string, memberId: string) {
    const { organization, member } = this.deps.logins.memberOf(organizationId, memberId)
    const row = this.registration(member)
    return {
      member_id: member.member_id,
      member,
      organization,
      recovery_codes: unusedRecoveryCodes(row),
    }
  }

  /** b2b/recovery_codes/rotate: ten new codes; the old ones stop working. */
  rotate(organizationId: string, memberId: string) {
    const { organization, member } = this.deps.logins.memberOf(organizationId, memberId)
    const row = this.deps.totps.rotateRecoveryCodes(member.member_id)
    return {
      member_id: member.member_id,
      member,
      organization,
      recovery_codes: row.recovery_codes.map((c) => c.code),
    }
  }

  /** The member's verified registration, whose codes these are; none: 404 `totp_not_found`. */
  private registration(member: MemberObject) {
    const row = this.deps.totps.list(member.member_id).find((r) => r.verified)
    if (!row) throw new StytchError('totp_not_found')
    return row
  }
}
