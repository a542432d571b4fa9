import type { Db } from '../db.js'
import { memberRoleIds, withImplicitRoles } from './organizations.js'

export type OrganizationObject = Record<string, unknown> & {
  organization_id: string
  organization_slug: string
}
export type MemberObject = Record<string, unknown> & {
  member_id: string
  organization_id: string
  email_address: string
}

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
  readonly #sessionRoles
  readonly #membersByEmail
  readonly #orgsByAllowedDomain

  constructor(db: Db) {
    this.#membersByEmail = db.prepare<[string], { body: string }>(
      'SELECT body FROM members WHERE email = ? ORDER BY rowid',
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
    this.#sessionRoles = db.prepare<[string, string]>(
      "UPDATE sessions SET roles = ? WHERE kind = 'member' AND subject_id = ?",
    )
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
    if (!rolesChanged) return
    for (const member of this.membersOf(org.organization_id)) this.updateMember(member)
  }

  /** The organization, its members and its own RBAC roles, gone. */
  deleteOrganization(organizationId: string): void {
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
    const roles = memberRoleIds(resolved)
    if (!before || memberRoleIds(before).join('\n') !== roles.join('\n'))
      this.#sessionRoles.run(JSON.stringify(roles), resolved.member_id)
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
    return org ? withImplicitRoles(member, org) : member
  }
}

/** The email column: the address, lower case; a deleted member's row holds none. */
const emailKey = (member: MemberObject) =>
  member.status === 'deleted' ? `deleted:${member.member_id}` : member.email_address.toLowerCase()

const parse = <T>(row: { body: string } | undefined): T | null =>
  row ? (JSON.parse(row.body) as T) : null
