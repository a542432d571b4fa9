// Reads of users, organizations and members, as apps make them next to a session: the same
// stored objects the session responses carry, and Stytch's not-found errors.
import { StytchError } from '../../errors.js'
import type { MemberObject, OrganizationObject, OrganizationStore } from './organization-store.js'
import type { UserObject, UserStore } from './user-store.js'

export class Directory {
  constructor(
    private readonly users: UserStore,
    private readonly orgs: OrganizationStore,
  ) {}

  /** By user_id, or the user's external_id (Stytch's users.get takes either). */
  user(userId: string): UserObject {
    const user = this.users.byId(userId) ?? this.users.byExternalId(userId)
    if (!user) throw new StytchError('user_not_found')
    return user
  }

  /** By organization_id, or its slug. */
  organization(organizationId: string): OrganizationObject {
    const org = this.orgs.organization(organizationId)
    if (!org) throw new StytchError('organization_not_found')
    return org
  }

  /** A member of the organization, by member_id (or its external_id) or email address. */
  member(
    organizationId: string,
    by: { member_id?: string | undefined; email_address?: string | undefined },
  ): { member: MemberObject; organization: OrganizationObject } {
    // Query parameters cannot state "one of" in the spec: with both, member_id wins
    // (Unverified in openapi.yaml).
    if (!by.member_id && !by.email_address)
      throw new StytchError('invalid_argument', 'member_id or email_address is required.')
    const organization = this.organization(organizationId)
    if (by.member_id) return { member: this.memberOf(organization, by.member_id), organization }
    const member = this.orgs.memberByEmail(organization.organization_id, by.email_address!)
    if (!member) throw new StytchError('member_not_found')
    return { member, organization }
  }

  /**
   * The organization's member with this member_id, or this external_id; a deleted member only
   * with `includeDeleted`. Anything else is 404 member_not_found.
   */
  memberOf(
    organization: OrganizationObject,
    memberId: string,
    includeDeleted = false,
  ): MemberObject {
    const byId = this.orgs.member(memberId, includeDeleted)
    const member =
      byId?.organization_id === organization.organization_id
        ? byId
        : this.orgs.memberByExternalId(organization.organization_id, memberId, includeDeleted)
    if (!member) throw new StytchError('member_not_found')
    return member
  }
}
