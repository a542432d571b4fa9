// B2B authenticator apps (the B2B SDKs' `totps`): a member's TOTP registration made (create),
// verified by its first code and then used as a second factor (authenticate), or imported from
// another system (migrate). The registrations are the platform's (platform/login/totp.ts); the
// member's `totp_registration_id` names the verified one, and the member's MFA settings follow
// a code that worked (platform/sessions/member-mfa.ts).
import { type Clock, rfc3339 } from '../../clock.js'
import type { Totps } from '../../platform/login/totp.js'
import type { LoginSessionInput } from '../../platform/sessions/b2b.js'
import { API, type LoginVia } from '../../platform/sessions/core.js'
import { loginFactor } from '../../platform/sessions/factors.js'
import {
  defaultMfaMethod,
  type MfaSettingsInput,
  withMfaSettings,
} from '../../platform/sessions/member-mfa.js'
import type {
  MemberObject,
  OrganizationObject,
  OrganizationStore,
} from '../../platform/sessions/organization-store.js'
import type { SecondFactorLogins } from '../../platform/sessions/second-factor.js'

export interface TotpCreateInput {
  organization_id: string
  member_id: string
  expiration_minutes?: number | undefined
}

export interface TotpAuthenticateInput extends MfaSettingsInput {
  organization_id: string
  member_id: string
  code: string
}

export interface TotpMigrateInput {
  organization_id: string
  member_id: string
  secret: string
  recovery_codes: string[]
}

/** Stytch's default: an unverified registration works for an hour. */
const DEFAULT_EXPIRATION_MINUTES = 60

export class MemberTotps {
  constructor(
    private readonly deps: {
      clock: Clock
      orgs: OrganizationStore
      totps: Totps
      logins: SecondFactorLogins
    },
  ) {}

  /**
   * b2b/totp: a new registration, unverified until its first code (it replaces an unverified
   * one; a verified one: 400 `active_totp_exists`). A member that already has a second factor
   * proves one first (SecondFactorLogins.proveSecondFactor).
   */
  async create(input: TotpCreateInput, session: LoginSessionInput, via: LoginVia = API) {
    const { logins } = this.deps
    const { organization, member } = logins.memberOf(input.organization_id, input.member_id, 'totp')
    logins.proveSecondFactor(member, await logins.named(member, organization, session, via))
    const { row, qr_code } = await this.deps.totps.create(
      { owner_id: member.member_id, organization_id: organization.organization_id },
      input.expiration_minutes ?? DEFAULT_EXPIRATION_MINUTES,
      { issuer: String(organization.organization_name), account: member.email_address },
    )
    return {
      member_id: member.member_id,
      totp_registration_id: row.totp_id,
      secret: row.secret,
      qr_code,
      recovery_codes: row.recovery_codes.map((c) => c.code),
      member,
      organization,
    }
  }

  /**
   * b2b/totp/authenticate: a code of the member's registration (its first verifies it) completes
   * the member's intermediate session, or joins its session, as a `totp` factor. The member's
   * `totp_registration_id` and MFA settings are stored before the session is made, so that the
   * session answers and JWT carry them.
   */
  async authenticate(
    input: TotpAuthenticateInput,
    session: LoginSessionInput,
    via: LoginVia = API,
  ) {
    const { logins, totps } = this.deps
    const { organization, member } = logins.memberOf(input.organization_id, input.member_id, 'totp')
    const target = await logins.prepare(member, organization, session, via)
    const row = totps.authenticate(member.member_id, input.code)
    const updated = this.save(
      withMfaSettings(
        { ...this.current(member), totp_registration_id: row.totp_id },
        organization,
        'totp',
        input,
      ),
    )
    const factor = loginFactor(
      'totp',
      'authenticator_app',
      { authenticator_app_factor: { totp_id: row.totp_id } },
      this.deps.clock.nowSeconds(),
    )
    return logins.finish(updated, organization, factor, session, target)
  }

  /**
   * b2b/totp/migrate: a secret (and recovery codes) from another system, imported as the member's
   * verified registration; no codes given: ten new ones. TOTP becomes the member's default MFA
   * method if it had none.
   */
  migrate(input: TotpMigrateInput) {
    const { organization, member } = this.deps.logins.memberOf(
      input.organization_id,
      input.member_id,
    )
    const row = this.deps.totps.migrate(
      { owner_id: member.member_id, organization_id: organization.organization_id },
      input.secret,
      input.recovery_codes,
    )
    const current = { ...this.current(member), totp_registration_id: row.totp_id }
    const updated = this.save({ ...current, default_mfa_method: defaultMfaMethod(current, 'totp') })
    return {
      member_id: member.member_id,
      member: updated,
      organization: this.organization(organization),
      totp_registration_id: row.totp_id,
      recovery_codes: row.recovery_codes.map((c) => c.code),
    }
  }

  /** The member as stored now (a concurrent write may have changed it since it was read). */
  private current(member: MemberObject): MemberObject {
    return this.deps.orgs.member(member.member_id) ?? member
  }

  private organization(organization: OrganizationObject): OrganizationObject {
    return this.deps.orgs.organization(organization.organization_id) ?? organization
  }

  private save(member: MemberObject): MemberObject {
    const updated = { ...member, updated_at: rfc3339(this.deps.clock.nowSeconds()) }
    this.deps.orgs.updateMember(updated)
    return updated
  }
}
