import type { Db } from '../db.js'
import { type RoleGrant, sessionRoleIds, withImplicitRoles } from './organizations.js'

export type OrganizationObject = Record<string, unknown> & {
  organization_id: string
  organization_slug: string
}
export type MemberObject = Record<string, unknown> & {
  member_id: string
  organization_id: string
  email_address: string
}

/** A product's implicit role grants to a member of an organization (its SSO connections, ...). */
export type RoleGranter = (member: MemberObject, org: OrganizationObject) => RoleGrant[]

/**
 * Organizations and their members, stored as Stytch's wire objects. A deleted member (status
 * `deleted`) keeps its row but not its email: the address is free for a new member of the
 * organization (Stytch's rule), and no lookup by email or (unless asked) by id finds it, so no
 * login reaches it until it is reactivated.
 */
export class OrganizationStore {
  readonly #insertOrg
  readonly #updateOrg
  readonly #deleteOrg
  readonly #orgById
  readonly #orgBySlug
  readonly #orgByExternalId
  readonly #allOrgs
  readonly #insertMember
  readonly #memberById
  readonly #memberByEmail
  readonly #memberByExternalId
  readonly #membersOf
  readonly #count
  readonly #countMembers
  readonly #countActive
  readonly #updateMember
  readonly #deleteMembers
  readonly #deleteOrgPolicy
  readonly #sessionsOf
  readonly #setSessionRoles
  readonly #granters: RoleGranter[] = []
  readonly #onDelete: ((organizationId: string) => void)[] = []
  readonly #onUpdate: ((org: OrganizationObject) => void)[] = []
  readonly #membersByEmail
  readonly #deletedByEmail
  readonly #orgsByAllowedDomain

  constructor(db: Db) {
    this.#membersByEmail = db.prepare<[string], { body: string }>(
      'SELECT body FROM members WHERE email = ? ORDER BY rowid',
    )
    this.#deletedByEmail = db.prepare<[string, string], { body: string }>(
      `SELECT body FROM members WHERE organization_id = ? AND email = 'deleted:' || member_id
         AND lower(json_extract(body, '$.email_address')) = ? ORDER BY rowid`,
    )
    this.#orgsByAllowedDomain = db.prepare<[string], { body: string }>(
      `SELECT body FROM organizations WHERE EXISTS (
         SELECT 1 FROM json_each(body, '$.email_allowed_domains') WHERE lower(value) = ?
       ) ORDER BY rowid`,
    )
    this.#updateMember = db.prepare<[string, string, string]>(
      'UPDATE members SET email = ?, body = ? WHERE member_id = ?',
    )
    this.#insertOrg = db.prepare<[string, string, string]>(
      'INSERT INTO organizations (organization_id, organization_slug, body) VALUES (?, ?, ?)',
    )
    this.#updateOrg = db.prepare<[string, string, string]>(
      'UPDATE organizations SET organization_slug = ?, body = ? WHERE organization_id = ?',
    )
    this.#deleteOrg = db.prepare<[string]>('DELETE FROM organizations WHERE organization_id = ?')
    this.#deleteMembers = db.prepare<[string]>('DELETE FROM members WHERE organization_id = ?')
    this.#deleteOrgPolicy = db.prepare<[string]>(
      'DELETE FROM rbac_org_policies WHERE organization_id = ?',
    )
    this.#orgById = db.prepare<[string], { body: string }>(
      'SELECT body FROM organizations WHERE organization_id = ?',
    )
    this.#orgBySlug = db.prepare<[string], { body: string }>(
      'SELECT body FROM organizations WHERE organization_slug = ?',
    )
    this.#orgByExternalId = db.prepare<[string], { body: string }>(
      "SELECT body FROM organizations WHERE json_extract(body, '$.organization_external_id') = ?",
    )
    this.#allOrgs = db.prepare<[], { body: string }>(
      'SELECT body FROM organizations ORDER BY rowid',
    )
    this.#insertMember = db.prepare<[string, string, string, string]>(
      'INSERT INTO members (member_id, organization_id, email, body) VALUES (?, ?, ?, ?)',
    )
    this.#memberById = db.prepare<[string], { body: string }>(
      'SELECT body FROM members WHERE member_id = ?',
    )
    this.#memberByEmail = db.prepare<[string, string], { body: string }>(
      'SELECT body FROM members WHERE organization_id = ? AND email = ?',
    )
    this.#memberByExternalId = db.prepare<[string, string], { body: string }>(
      "SELECT body FROM members WHERE organization_id = ? AND json_extract(body, '$.external_id') = ?",
    )
    this.#membersOf = db.prepare<[string], { body: string }>(
      'SELECT body FROM members WHERE organization_id = ? ORDER BY rowid',
    )
    this.#count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM organizations')
    this.#countMembers = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM members')
    this.#countActive = db.prepare<[string], { n: number }>(
      "SELECT count(*) AS n FROM members WHERE organization_id = ? AND json_extract(body, '$.status') != 'deleted'",
    )
    // A member's sessions carry its roles (the session's and its JWT's `roles`): kept equal.
    this.#sessionsOf = db.prepare<
      [string],
      { session_id: string; authentication_factors: string; roles: string }
    >(
      "SELECT session_id, authentication_factors, roles FROM sessions WHERE kind = 'member' AND subject_id = ?",
    )
    this.#setSessionRoles = db.prepare<[string, string]>(
      'UPDATE sessions SET roles = ? WHERE session_id = ?',
    )
  }

  /** A product adds implicit role grants; they are worked out on every member write. */
  grantRoles(granter: RoleGranter): void {
    this.#granters.push(granter)
  }

  count(): number {
    return this.#count.get()!.n
  }

  countMembers(): number {
    return this.#countMembers.get()!.n
  }

  /** An organization's members that are not deleted. */
  countMembersOf(organizationId: string): number {
    return this.#countActive.get(organizationId)!.n
  }

  insertOrganization(org: OrganizationObject): void {
    this.#insertOrg.run(org.organization_id, org.organization_slug, JSON.stringify(org))
  }

  /**
   * Replaces an organization object (its slug may change). With `rolesChanged` (its implicit
   * role assignments), every member's roles follow.
   */
  updateOrganization(org: OrganizationObject, rolesChanged = false): void {
    this.#updateOrg.run(org.organization_slug, JSON.stringify(org), org.organization_id)
    if (rolesChanged) this.resolveRoles(org.organization_id)
    for (const follow of this.#onUpdate) follow(org)
  }

  /** A product follows an organization's settings (what they no longer allow ends). */
  onOrganizationUpdated(follow: (org: OrganizationObject) => void): void {
    this.#onUpdate.push(follow)
  }

  /** Every member's implicit roles worked out again (a grant changed), and its sessions'. */
  resolveRoles(organizationId: string): void {
    for (const member of this.membersOf(organizationId)) this.updateMember(member)
  }

  /** A product's records of an organization go with it (its SSO connections, ...). */
  onOrganizationDeleted(forget: (organizationId: string) => void): void {
    this.#onDelete.push(forget)
  }

  /** The organization, its members, its own RBAC roles and what products keep of it, gone. */
  deleteOrganization(organizationId: string): void {
    for (const forget of this.#onDelete) forget(organizationId)
    this.#deleteMembers.run(organizationId)
    this.#deleteOrgPolicy.run(organizationId)
    this.#deleteOrg.run(organizationId)
  }

  /**
   * By organization_id, slug or organization_external_id (Stytch accepts each wherever an
   * organization is named).
   */
  organization(idOrSlug: string): OrganizationObject | null {
    return parse(
      this.#orgById.get(idOrSlug) ??
        this.#orgBySlug.get(idOrSlug) ??
        this.#orgByExternalId.get(idOrSlug),
    )
  }

  /** The organization with this slug, exactly (not by id or external id). */
  organizationBySlug(slug: string): OrganizationObject | null {
    return parse(this.#orgBySlug.get(slug))
  }

  /** The organization with this external id, exactly. */
  organizationByExternalId(externalId: string): OrganizationObject | null {
    return parse(this.#orgByExternalId.get(externalId))
  }

  /** Every organization, oldest first. */
  organizations(): OrganizationObject[] {
    return this.#allOrgs.all().map((row) => parse<OrganizationObject>(row)!)
  }

  /** Stores a new member; its roles include those its organization grants its email domain. */
  insertMember(member: MemberObject): void {
    const resolved = this.resolved(member)
    this.#insertMember.run(
      resolved.member_id,
      resolved.organization_id,
      emailKey(resolved),
      JSON.stringify(resolved),
    )
  }

  /**
   * Replaces a member object (its email may change); its roles are resolved again, and its
   * sessions carry them.
   */
  updateMember(member: MemberObject): void {
    const before = this.member(member.member_id, true)
    const resolved = this.resolved(member)
    this.#updateMember.run(emailKey(resolved), JSON.stringify(resolved), resolved.member_id)
    if (!before || JSON.stringify(before.roles) !== JSON.stringify(resolved.roles))
      this.syncSessionRoles(resolved)
  }

  /** Each of the member's sessions holds the roles its factors let it hold (sessionRoleIds). */
  syncSessionRoles(member: MemberObject): void {
    for (const row of this.#sessionsOf.all(member.member_id)) {
      const factors = JSON.parse(row.authentication_factors) as unknown[]
      const roles = JSON.stringify(sessionRoleIds(member, factors))
      if (roles !== row.roles) this.#setSessionRoles.run(roles, row.session_id)
    }
  }

  /** By member_id; a deleted member only with `includeDeleted`. */
  member(memberId: string, includeDeleted = false): MemberObject | null {
    const member = parse<MemberObject>(this.#memberById.get(memberId))
    return member && (includeDeleted || member.status !== 'deleted') ? member : null
  }

  /** The organization's member with this email (a deleted member has none). */
  memberByEmail(organizationId: string, email: string): MemberObject | null {
    return parse(this.#memberByEmail.get(organizationId, email.toLowerCase()))
  }

  /** The organization's deleted members whose address was this email, oldest first. */
  deletedMembersByEmail(organizationId: string, email: string): MemberObject[] {
    return this.#deletedByEmail
      .all(organizationId, email.toLowerCase())
      .map((row) => parse<MemberObject>(row)!)
  }

  /** The organization's member with this external_id; a deleted one only with `includeDeleted`. */
  memberByExternalId(
    organizationId: string,
    externalId: string,
    includeDeleted = false,
  ): MemberObject | null {
    const member = parse<MemberObject>(this.#memberByExternalId.get(organizationId, externalId))
    return member && (includeDeleted || member.status !== 'deleted') ? member : null
  }

  /** Every member of the organization, deleted ones included, oldest first. */
  membersOf(organizationId: string): MemberObject[] {
    return this.#membersOf.all(organizationId).map((row) => parse<MemberObject>(row)!)
  }

  /** Every member with this email, across organizations, oldest first. */
  membersByEmail(email: string): MemberObject[] {
    return this.#membersByEmail.all(email.toLowerCase()).map((row) => parse<MemberObject>(row)!)
  }

  /** Organizations whose email_allowed_domains name this domain, oldest first. */
  organizationsAllowingDomain(domain: string): OrganizationObject[] {
    return this.#orgsByAllowedDomain
      .all(domain.toLowerCase())
      .map((row) => parse<OrganizationObject>(row)!)
  }

  private resolved(member: MemberObject): MemberObject {
    const org = this.organization(member.organization_id)
    if (!org) return member
    return withImplicitRoles(
      member,
      org,
      this.#granters.flatMap((grant) => grant(member, org)),
    )
  }
}

/** The email column: the address, lower case; a deleted member's row holds none. */
const emailKey = (member: MemberObject) =>
  member.status === 'deleted' ? `deleted:${member.member_id}` : member.email_address.toLowerCase()

const parse = <T>(row: { body: string } | undefined): T | null =>
  row ? (JSON.parse(row.body) as T) : null
