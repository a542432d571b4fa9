import type { Db } from '../db.js'

export type OrganizationObject = Record<string, unknown> & {
  organization_id: string
  organization_slug: string
}
export type MemberObject = Record<string, unknown> & {
  member_id: string
  organization_id: string
  email_address: string
}

/** Organizations and their members, stored as Stytch's wire objects. */
export class OrganizationStore {
  readonly #insertOrg
  readonly #orgById
  readonly #orgBySlug
  readonly #insertMember
  readonly #memberById
  readonly #memberByEmail
  readonly #count
  readonly #countMembers
  readonly #updateMember
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
    this.#updateMember = db.prepare<[string, string]>(
      'UPDATE members SET body = ? WHERE member_id = ?',
    )
    this.#insertOrg = db.prepare<[string, string, string]>(
      'INSERT INTO organizations (organization_id, organization_slug, body) VALUES (?, ?, ?)',
    )
    this.#orgById = db.prepare<[string], { body: string }>(
      'SELECT body FROM organizations WHERE organization_id = ?',
    )
    this.#orgBySlug = db.prepare<[string], { body: string }>(
      'SELECT body FROM organizations WHERE organization_slug = ?',
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
    this.#count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM organizations')
    this.#countMembers = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM members')
  }

  count(): number {
    return this.#count.get()!.n
  }

  countMembers(): number {
    return this.#countMembers.get()!.n
  }

  insertOrganization(org: OrganizationObject): void {
    this.#insertOrg.run(org.organization_id, org.organization_slug, JSON.stringify(org))
  }

  /** By organization_id, or by slug (Stytch accepts either wherever an organization is named). */
  organization(idOrSlug: string): OrganizationObject | null {
    return parse(this.#orgById.get(idOrSlug) ?? this.#orgBySlug.get(idOrSlug))
  }

  insertMember(member: MemberObject): void {
    this.#insertMember.run(
      member.member_id,
      member.organization_id,
      member.email_address.toLowerCase(),
      JSON.stringify(member),
    )
  }

  /** Replaces a member object (its organization and email stay). */
  updateMember(member: MemberObject): void {
    this.#updateMember.run(JSON.stringify(member), member.member_id)
  }

  member(memberId: string): MemberObject | null {
    return parse(this.#memberById.get(memberId))
  }

  memberByEmail(organizationId: string, email: string): MemberObject | null {
    return parse(this.#memberByEmail.get(organizationId, email.toLowerCase()))
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
}

const parse = <T>(row: { body: string } | undefined): T | null =>
  row ? (JSON.parse(row.body) as T) : null
