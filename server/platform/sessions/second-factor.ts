// What every B2B second factor (SMS passcodes, TOTP, recovery codes) does around its code: the
// member it is for, under the organization's allowed MFA methods; the intermediate session or
// session the call names, checked before any code is spent; Stytch's rule for adding a second
// factor; and the end, a member session holding the factor (MemberSessions.completeMfa). The
// products keep only their own factor's work.
import { StytchError } from '../../errors.js'
import type { LoginSessionInput, MemberSessions, PreparedLogin } from './b2b.js'
import type { Factor, LoginVia } from './core.js'
import type { Directory } from './directory.js'
import { allowedMfaMethods, hasSecondFactor, isMfaFactor, type MfaMethod } from './member-mfa.js'
import type { MemberObject, OrganizationObject } from './organization-store.js'

/** What a second factor completes: the member's intermediate session, or its live session. */
export type MfaTarget =
  { ist: NonNullable<PreparedLogin['ist']> } | { session: NonNullable<PreparedLogin['session']> }

export class SecondFactorLogins {
  constructor(private readonly deps: { directory: Directory; members: MemberSessions }) {}

  /**
   * The organization (id, slug or external id) and its member (id or external id); with a
   * `method`, one the organization's `mfa_methods: RESTRICTED` leaves out is 400
   * `operation_restricted_by_organization_mfa_methods`.
   */
  memberOf(organizationId: string, memberId: string, method?: MfaMethod) {
    const organization = this.deps.directory.organization(organizationId)
    const member = this.deps.directory.memberOf(organization, memberId)
    if (method && !allowedMfaMethods(organization, member).includes(method))
      throw new StytchError('operation_restricted_by_organization_mfa_methods')
    return { organization, member }
  }

  /**
   * The intermediate session and session a call names, live (prepareLogin) and this member's:
   * an intermediate session of another organization is 400
   * `invalid_intermediate_session_token_for_organization`, of another member 400
   * `no_associated_session_passed_in`, as a session of another member from the backend (the
   * frontend SDK sends the browser's session along with everything: there it only does not count).
   */
  async named(
    member: MemberObject,
    organization: OrganizationObject,
    session: LoginSessionInput,
    via: LoginVia,
  ): Promise<PreparedLogin> {
    const { ist, session: row } = await this.deps.members.prepareLogin(session, via)
    const found: PreparedLogin = {}
    if (ist) {
      if (ist.organization_id !== organization.organization_id)
        throw new StytchError('invalid_intermediate_session_token_for_organization')
      if (ist.member_id !== member.member_id)
        throw new StytchError('no_associated_session_passed_in')
      found.ist = ist
    }
    if (row) {
      if (row.subject_id === member.member_id) found.session = row
      else if (!via.ifLive) throw new StytchError('no_associated_session_passed_in')
    }
    return found
  }

  /**
   * What a second factor completes, checked before its code is spent: the member's intermediate
   * session, whose factors must already meet the organization's primary rule (400
   * `action_available_only_once_primary_authentication_is_met`), or its live session. Neither:
   * 400 `no_associated_session_passed_in` (a second factor never logs in alone).
   */
  async prepare(
    member: MemberObject,
    organization: OrganizationObject,
    session: LoginSessionInput,
    via: LoginVia,
  ): Promise<MfaTarget> {
    const { ist, session: row } = await this.named(member, organization, session, via)
    if (ist) {
      const factors = ist.authentication_factors as Factor[]
      if (this.deps.members.requirements(member, organization, factors).primary_required)
        throw new StytchError('action_available_only_once_primary_authentication_is_met')
      return { ist }
    }
    if (!row) throw new StytchError('no_associated_session_passed_in')
    return { session: row }
  }

  /**
   * Stytch's rule for adding a second factor (totps.create, otps.sms.send with a new phone): a
   * member that has one (a TOTP, or a verified phone) proves one in the intermediate session or
   * session the call names, "to prevent bypassing MFA". Nothing named, or nothing holding a
   * second factor: 401 `insufficient_factors`.
   */
  proveSecondFactor(member: MemberObject, named: PreparedLogin): void {
    if (!hasSecondFactor(member)) return
    const factors = [
      ...(named.ist?.authentication_factors ?? []),
      ...(named.session?.authentication_factors ?? []),
    ] as Factor[]
    if (!factors.some(isMfaFactor)) throw new StytchError('insufficient_factors')
  }

  /** The login's end: a member session (new, or the named one) holding the second factor. */
  async finish(
    member: MemberObject,
    organization: OrganizationObject,
    factor: Factor,
    session: LoginSessionInput,
    target: MfaTarget,
  ) {
    const result = await this.deps.members.completeMfa(
      member,
      organization,
      factor,
      session,
      target,
    )
    return {
      member_id: member.member_id,
      member: result.member,
      organization: result.organization,
      session_token: result.session_token,
      session_jwt: result.session_jwt,
      member_session: result.member_session,
    }
  }
}
