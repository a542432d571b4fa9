// The organization-login core every B2B login product shares (magic links, passcodes, OAuth, ...):
// the member of one organization a proven email address is, found or provisioned by the
// organization's JIT rules, and the factor it logged in with. The session at the end, member or
// intermediate by the organization's auth-method and MFA policies, is MemberSessions.login.
import type { Clock } from '../../clock.js'
import { StytchError } from '../../errors.js'
import { memberSessionObject, type MemberSessions } from '../sessions/b2b.js'
import type { Directory } from '../sessions/directory.js'
import type { JsonObject } from '../sessions/claims.js'
import type { Factor, SessionArguments } from '../sessions/core.js'
import { loginFactor } from '../sessions/factors.js'
import { memberFactorEmail, provisionedMember, withProvenEmail } from '../sessions/organizations.js'
import type {
  MemberObject,
  OrganizationObject,
  OrganizationStore,
} from '../sessions/organization-store.js'
import { normalEmail } from './rules.js'

export interface B2BSessionInput extends SessionArguments {
  intermediate_session_token?: string | undefined
  session_duration_minutes?: number | undefined
  session_custom_claims?: JsonObject | undefined
}

export class MemberLogins {
  constructor(
    private readonly deps: {
      clock: Clock
      orgs: OrganizationStore
      members: MemberSessions
      directory: Directory
    },
  ) {}

  /** Would provision() succeed: the organization exists, the email is a member or may join. */
  check(organizationId: string, emailAddress: string): void {
    this.find(organizationId, emailAddress)
  }

  /**
   * The member a login proven elsewhere (OAuth) is for: the organization's member with this
   * email, or one it lets join by the email's domain; active and verified from now on.
   */
  provision(organizationId: string, emailAddress: string) {
    const { org, email, member: known } = this.find(organizationId, emailAddress)
    const member = known ?? this.join(org, email).member
    return this.existing(org.organization_id, member.member_id)
  }

  /**
   * Whom an email login (login_or_signup) goes to: the organization's member with this email, or
   * one joining now; signup when new, pending or invited (the signup link and expiry, as Stytch
   * sends).
   */
  recipient(organizationId: string, emailAddress: string) {
    const { org, email, member: known } = this.find(organizationId, emailAddress)
    const signup = !known || known.status === 'pending' || known.status === 'invited'
    const { member, created } = known ? { member: known, created: false } : this.join(org, email)
    return { org, member, created, signup }
  }

  readonly #updates: ((memberId: string, email: string) => boolean)[] = []
  /**
   * Who knows of email updates (members.startEmailUpdate): told of a secret that worked for an
   * address other than the member's, it says whether that was an update to it (and is done).
   */
  onEmailProof(isUpdate: (memberId: string, email: string) => boolean): void {
    this.#updates.push(isUpdate)
  }

  /**
   * The member a secret names, made active and verified now that it worked (Stytch's rule). A
   * secret of an email update, sent to the new address, proves it: it becomes the member's email,
   * the old one retired, unless another member has it by now. Any other secret sent to an
   * address the member no longer has (its email changed since) changes nothing.
   */
  existing(organizationId: string, memberId: string, address?: string) {
    const org = this.deps.directory.organization(organizationId)
    const member = this.deps.orgs.member(memberId)
    if (!member) throw new StytchError('member_not_found')
    let proven = member
    const other = address === undefined ? undefined : normalEmail(address)
    if (
      other !== undefined &&
      other !== member.email_address &&
      this.#updates.some((isUpdate) => isUpdate(member.member_id, other))
    ) {
      const taken = this.deps.orgs.memberByEmail(org.organization_id, other)
      if (taken && taken.member_id !== member.member_id)
        throw new StytchError('unable_to_verify_member_email_update')
      proven = withProvenEmail(member, other)
    }
    if (proven === member && member.status === 'active' && member.email_address_verified === true)
      return { org, member }
    const active = { ...proven, status: 'active', email_address_verified: true }
    this.deps.orgs.updateMember(active)
    return { org, member: active }
  }

  /**
   * The organization and the member with this email there, if any; a new email must be one the
   * organization lets join (email_jit_provisioning RESTRICTED to email_allowed_domains).
   */
  private find(organizationId: string, emailAddress: string) {
    const org = this.deps.directory.organization(organizationId)
    const email = normalEmail(emailAddress)
    const member = this.deps.orgs.memberByEmail(org.organization_id, email)
    if (!member) {
      const allowed =
        org.email_jit_provisioning === 'RESTRICTED' &&
        (org.email_allowed_domains as string[]).includes(email.split('@')[1]!)
      if (!allowed) throw new StytchError('email_jit_provisioning_not_allowed')
    }
    return { org, email, member }
  }

  /** A provisioned member: pending, unverified, until its first login works. */
  private join(org: OrganizationObject, email: string) {
    const member = provisionedMember(org.organization_id, email, this.deps.clock.nowSeconds())
    this.deps.orgs.insertMember(member)
    return { member, created: true }
  }

  factor(type: 'magic_link' | 'email_otp', member: MemberObject): Factor {
    return loginFactor(
      type,
      'email',
      { email_factor: memberFactorEmail(member) },
      this.deps.clock.nowSeconds(),
    )
  }
}

/** Every B2B authenticate answer carries these, null or empty when they do not apply. */
export function shape<T extends { member_id: string; session_token: string; session_jwt: string }>(
  result: T,
) {
  return { member_session: null, mfa_required: null, primary_required: null, ...result } as T & {
    member_session: ReturnType<typeof memberSessionObject> | null
  }
}
