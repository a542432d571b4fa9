// What every B2B second factor (TOTP, recovery codes) does around its code: the member it is
// for, the session it completes (the member's intermediate session, whose factors must already
// satisfy the organization's primary rule, or the member's live session), checked before the code
// is spent; then the end of the login (MemberSessions.login), a member session holding both
// factors. The recovery-codes product uses this through its named interface, SecondFactorLogins.
import { StytchError } from '../../errors.js'
import type { B2BSessionInput } from '../../platform/login/member-logins.js'
import {
  allowedMfaMethods,
  type MemberSessions,
  type memberSessionObject,
  type PreparedLogin,
} from '../../platform/sessions/b2b.js'
import type { Factor, LoginVia } from '../../platform/sessions/core.js'
import type { Directory } from '../../platform/sessions/directory.js'
import type {
  MemberObject,
  OrganizationObject,
} from '../../platform/sessions/organization-store.js'

type MemberSession = ReturnType<typeof memberSessionObject>

const MFA_TYPES = new Set(['totp', 'recovery_codes'])
/** A factor only a second factor records (SMS passcodes, TOTP, recovery codes). */
export const isMfaFactor = (f: Factor) =>
  MFA_TYPES.has(f.type) || (f.type === 'otp' && f.delivery_method !== 'email')

export class SecondFactorLogins {
  constructor(
    private readonly deps: {
      directory: Directory
      members: MemberSessions
    },
  ) {}

  /** The organization (id, slug or external id) and its member (id or external id). */
  memberOf(organizationId: string, memberId: string) {
    const organization = this.deps.directory.organization(organizationId)
    const member = this.deps.directory.memberOf(organization, memberId)
    return { organization, member }
  }

  /** A method the organization's `mfa_methods: RESTRICTED` leaves out is refused. */
  allowed(organization: OrganizationObject, member: MemberObject): void {
    if (!allowedMfaMethods(organization, member).includes('totp'))
      throw new StytchError('operation_restricted_by_organization_mfa_methods')
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
    session: B2BSessionInput,
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
    session: B2BSessionInput,
    via: LoginVia,
  ): Promise<PreparedLogin> {
    const prepared = await this.named(member, organization, session, via)
    const { ist } = prepared
    if (ist) {
      const factors = ist.authentication_factors as Factor[]
      if (this.deps.members.requirements(member, organization, factors).primary_required)
        throw new StytchError('action_available_only_once_primary_authentication_is_met')
      return prepared
    }
    if (!prepared.session) throw new StytchError('no_associated_session_passed_in')
    return prepared
  }

  /** The login's end: a member session (new, or the named one) holding the second factor. */
  async finish(
    member: MemberObject,
    organization: OrganizationObject,
    factor: Factor,
    session: B2BSessionInput,
    prepared: PreparedLogin,
  ) {
    const result = await this.deps.members.login(member, organization, factor, session, prepared)
    const memberSession = (result as { member_session?: MemberSession | null }).member_session
    if (!memberSession) throw new StytchError('no_associated_session_passed_in')
    return {
      member_id: member.member_id,
      member: result.member,
      organization: result.organization,
      session_token: result.session_token,
      session_jwt: result.session_jwt,
      member_session: memberSession,
    }
  }
}
