// What a SCIM push does to a member (Stytch's "Supported SCIM actions"): provisioned (a new member,
// or the organization's member with that email linked), its email, name and scim_attributes
// updated, deprovisioned (`status: deleted`, its roles and every session revoked at once),
// reactivated (its implicit roles back, explicit ones to be granted again), and the roles its
// groups grant through the connection's scim_group_implicit_role_assignments.
import { type Clock, rfc3339 } from '../../clock.js'
import type { SessionCore } from '../../platform/sessions/core.js'
import type {
  MemberObject,
  OrganizationObject,
  OrganizationStore,
} from '../../platform/sessions/organization-store.js'
import {
  buildMember,
  directRoles,
  type RoleGrant,
  withProvenEmail,
} from '../../platform/sessions/organizations.js'
import { newId } from '../../platform/tokens/ids.js'
import { ScimError } from './errors.js'
import { emailOf, nameOf, scimAttributes } from './resource.js'
import type { Resource, ScimStore, StoredConnection } from './store.js'

export interface ScimRegistration {
  connection_id: string
  registration_id: string
  external_id: string
  scim_attributes: ReturnType<typeof scimAttributes>
}

const registrationOf = (member: MemberObject) =>
  member.scim_registration as ScimRegistration | undefined

export class ScimMembers {
  constructor(
    private readonly deps: {
      clock: Clock
      store: ScimStore
      orgs: OrganizationStore
      core: SessionCore
    },
  ) {}

  /** The role grants of the member's groups (none while it is deprovisioned). */
  grants(member: MemberObject, org: OrganizationObject): RoleGrant[] {
    if (member.status === 'deleted') return []
    const row = this.deps.store.connectionOf(org.organization_id)
    const assignments = row?.connection.scim_group_implicit_role_assignments ?? []
    if (!row || assignments.length === 0) return []
    const { connection_id } = row.connection
    const groups = new Set(
      this.deps.store
        .groupsOf(member.member_id)
        .filter((g) => g.connection_id === connection_id)
        .map((g) => g.group_id),
    )
    return assignments
      .filter((a) => groups.has(a.group_id))
      .map((a) => ({
        role_id: a.role_id,
        source: { type: 'scim_connection_group', details: { connection_id, group_id: a.group_id } },
      }))
  }

  /**
   * The member a new SCIM User is: the organization's member with its email (linked), one this
   * connection deprovisioned (reactivated), or a new one. 409 uniqueness if another User of the
   * connection is that member already.
   */
  provision(connection: StoredConnection, resource: Resource): MemberObject {
    const email = this.emailOf(resource)
    const orgId = connection.organization_id
    const holder = this.deps.orgs.memberByEmail(orgId, email)
    if (holder) {
      if (this.deps.store.user(connection.connection_id, holder.member_id))
        throw new ScimError(409, 'uniqueness', `A User of this connection has the email ${email}.`)
      return holder
    }
    const former = this.deps.orgs
      .deletedMembersByEmail(orgId, email)
      .find(
        (m) =>
          registrationOf(m)?.connection_id === connection.connection_id &&
          !this.deps.store.user(connection.connection_id, m.member_id),
      )
    if (former) return former
    const member = buildMember(
      { organization_id: orgId, email_address: email, name: nameOf(resource) },
      this.deps.clock.nowSeconds(),
    )
    this.deps.orgs.insertMember(member)
    return this.deps.orgs.member(member.member_id)!
  }

  /**
   * The member as the User says: email, name, active or deprovisioned, its registration. Every
   * check runs before any write.
   */
  apply(connection: StoredConnection, member: MemberObject, resource: Resource): MemberObject {
    const email = this.emailOf(resource)
    const active = resource.active !== false
    const wasActive = member.status !== 'deleted'
    const address = active ? email : member.email_address
    if (active && (address !== member.email_address || !wasActive)) {
      const holder = this.deps.orgs.memberByEmail(member.organization_id, address)
      if (holder && holder.member_id !== member.member_id)
        throw new ScimError(409, 'uniqueness', `Another member of the organization has ${address}.`)
    }
    let next: MemberObject = active ? withProvenEmail(member, address) : { ...member }
    const name = nameOf(resource)
    if (name) next.name = name
    if (!active && wasActive) next = { ...next, status: 'deleted', roles: directRoles([]) }
    else if (active && !wasActive) next = { ...next, status: 'active', roles: directRoles([]) }
    else if (active && next.status !== 'active') next = { ...next, status: 'active' }
    next = this.registered(next, connection, resource)
    this.deps.orgs.updateMember({ ...next, updated_at: this.now() })
    if (!active && wasActive)
      this.deps.core.revokeAllOf('member', member.member_id, 'scim.deprovision')
    return next
  }

  /** A User deleted: the member deprovisioned, as `active: false` does. */
  deprovision(connection: StoredConnection, memberId: string, resource: Resource): void {
    const member = this.deps.orgs.member(memberId, true)
    if (!member) return
    this.apply(connection, member, { ...resource, active: false })
  }

  /** The member's registration again (a group it is in changed, so its roles may have). */
  refresh(connection: StoredConnection, memberId: string): void {
    const member = this.deps.orgs.member(memberId, true)
    const row = this.deps.store.user(connection.connection_id, memberId)
    if (!member || !row) return
    this.deps.orgs.updateMember({
      ...this.registered(member, connection, row.resource),
      updated_at: this.now(),
    })
  }

  /** The members a connection provisioned (its Users). */
  connectionMembers(connectionId: string): string[] {
    return this.deps.store.users(connectionId).map((u) => u.member_id)
  }

  /** The connection gone: its members keep no registration of it, nor the roles it granted. */
  unregister(memberIds: string[], connectionId: string): void {
    for (const id of memberIds) {
      const member = this.deps.orgs.member(id, true)
      if (!member || registrationOf(member)?.connection_id !== connectionId) continue
      const { scim_registration: _, ...rest } = member
      this.deps.orgs.updateMember({ ...rest, updated_at: this.now() } as MemberObject)
    }
  }

  /** The groups the member is in, as scim_attributes.groups lists them. */
  groupsOf(connectionId: string, memberId: string) {
    return this.deps.store
      .groupsOf(memberId)
      .filter((g) => g.connection_id === connectionId)
      .map((g) => ({ value: g.group_id, display: g.display_name }))
  }

  private registered(
    member: MemberObject,
    connection: StoredConnection,
    resource: Resource,
  ): MemberObject {
    const current = registrationOf(member)
    const registration: ScimRegistration = {
      connection_id: connection.connection_id,
      registration_id:
        current?.connection_id === connection.connection_id
          ? current.registration_id
          : newId('scim-member-registration'),
      external_id: typeof resource.externalId === 'string' ? resource.externalId : '',
      scim_attributes: scimAttributes(
        { ...resource, active: resource.active !== false && member.status !== 'deleted' },
        member.member_id,
        this.groupsOf(connection.connection_id, member.member_id),
      ),
    }
    return { ...member, scim_registration: registration }
  }

  private emailOf(resource: Resource): string {
    const email = emailOf(resource)
    if (!email)
      throw new ScimError(
        400,
        'invalidValue',
        'The User needs an email address: a userName that is one, or an entry in emails.',
      )
    return email
  }

  private now(): string {
    return rfc3339(this.deps.clock.nowSeconds())
  }
}
