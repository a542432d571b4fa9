// SCIM Groups (RFC 7644) of a connection: `id` is Stytch's group_id (`scim-group-test-<uuid>`),
// members are the connection's Users. A membership change re-resolves the member's roles (the
// connection's scim_group_implicit_role_assignments) and its scim_attributes.groups.
import { type Clock, rfc3339 } from '../../clock.js'
import type { Db } from '../../platform/db.js'
import type { OrganizationStore } from '../../platform/sessions/organization-store.js'
import { newId } from '../../platform/tokens/ids.js'
import { ScimError } from './errors.js'
import { matches, parseFilter } from './filter.js'
import { applyPatch, type PatchOperation } from './patch.js'
import type { ScimMembers } from './provisioning.js'
import { canonical, GROUP_SCHEMA, without } from './resource.js'
import type { GroupRow, Resource, ScimStore, StoredConnection } from './store.js'
import { page, type ListQuery } from './users.js'

/** A group as a SCIM resource is written: its name, external id and member ids. */
interface GroupState {
  displayName: string
  externalId: string | null
  members: string[]
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

export class ScimGroups {
  constructor(
    private readonly deps: {
      clock: Clock
      db: Db
      store: ScimStore
      orgs: OrganizationStore
      members: ScimMembers
    },
  ) {}

  list(connection: StoredConnection, query: ListQuery, base: string) {
    const filter = query.filter ? parseFilter(query.filter) : null
    const groups = this.deps.store
      .groups(connection.connection_id)
      .map((g) => this.render(connection, g, base))
      .filter((g) => !filter || matches(g, filter))
    const answer = page(groups, query)
    return {
      ...answer,
      Resources: answer.Resources.map((g) => without(g, query.excludedAttributes)),
    }
  }

  get(connection: StoredConnection, id: string, base: string, excluded?: string) {
    return without(this.render(connection, this.row(connection, id), base), excluded)
  }

  /** POST /Groups: 409 uniqueness for a displayName the connection has. */
  create(connection: StoredConnection, input: Resource, base: string) {
    const state = this.state(connection, input)
    const group_id = newId('scim-group')
    this.deps.db.transaction(() => {
      this.freeName(connection, state.displayName, null)
      this.deps.store.insertGroup({
        group_id,
        connection_id: connection.connection_id,
        organization_id: connection.organization_id,
        display_name: state.displayName,
        external_id: state.externalId,
        created_at: this.deps.clock.nowSeconds(),
      })
      this.members(connection, group_id, [], state.members, [])
    })()
    return this.render(connection, this.row(connection, group_id), base)
  }

  /** PUT /Groups/{id}. */
  replace(connection: StoredConnection, id: string, input: Resource, base: string) {
    return this.write(connection, id, () => input, base)
  }

  /** PATCH /Groups/{id}: its name, external id, members added, removed or replaced. */
  patch(connection: StoredConnection, id: string, operations: PatchOperation[], base: string) {
    return this.write(connection, id, (current) => applyPatch(current, operations), base)
  }

  /** DELETE /Groups/{id}: its members lose the roles it granted; its role grants go with it. */
  delete(connection: StoredConnection, id: string): void {
    this.row(connection, id)
    this.deps.db.transaction(() => {
      const members = this.deps.store.membersOf(id)
      this.deps.store.deleteGroup(id)
      const row = this.deps.store.connection(connection.connection_id)!
      const assignments = row.connection.scim_group_implicit_role_assignments
      if (assignments.some((a) => a.group_id === id))
        this.deps.store.putConnection({
          ...row,
          connection: {
            ...row.connection,
            scim_group_implicit_role_assignments: assignments.filter((a) => a.group_id !== id),
          },
        })
      for (const member of members) this.deps.members.refresh(connection, member)
    })()
  }

  private write(
    connection: StoredConnection,
    id: string,
    next: (current: Resource) => Resource,
    base: string,
  ) {
    const row = this.row(connection, id)
    const before = this.deps.store.membersOf(id)
    const current: Resource = {
      displayName: row.display_name,
      ...(row.external_id === null ? {} : { externalId: row.external_id }),
      members: before.map((value) => ({ value })),
    }
    const state = this.state(connection, next(current))
    this.deps.db.transaction(() => {
      this.freeName(connection, state.displayName, id)
      this.deps.store.updateGroup(
        id,
        state.displayName,
        state.externalId,
        this.deps.clock.nowSeconds(),
      )
      // A new name shows in every member's scim_attributes.groups.
      const renamed = state.displayName !== row.display_name ? before : []
      this.members(connection, id, before, state.members, renamed)
    })()
    return this.render(connection, this.row(connection, id), base)
  }

  /** Memberships from `before` to `after`; the members whose registration changes refreshed. */
  private members(
    connection: StoredConnection,
    groupId: string,
    before: string[],
    after: string[],
    alsoRefresh: string[],
  ): void {
    const was = new Set(before)
    const is = new Set(after)
    const added = after.filter((m) => !was.has(m))
    const removed = before.filter((m) => !is.has(m))
    for (const m of added) this.deps.store.join(groupId, m)
    for (const m of removed) this.deps.store.leave(groupId, m)
    for (const m of new Set([...added, ...removed, ...alsoRefresh]))
      this.deps.members.refresh(connection, m)
  }

  /** The group a resource describes (400 for a missing name or a member not a User here). */
  private state(connection: StoredConnection, input: Resource): GroupState {
    const resource = canonical(input) as Resource
    if (typeof resource.displayName !== 'string' || resource.displayName.trim() === '')
      throw new ScimError(400, 'invalidValue', 'displayName is required.')
    const members = (Array.isArray(resource.members) ? resource.members : []).map((m) => {
      const value = isObject(m) ? m.value : undefined
      if (typeof value !== 'string')
        throw new ScimError(400, 'invalidValue', 'Each member needs a value: a User id.')
      if (!this.deps.store.user(connection.connection_id, value))
        throw new ScimError(400, 'invalidValue', `${value} is not a User of this connection.`)
      return value
    })
    return {
      displayName: resource.displayName,
      externalId: typeof resource.externalId === 'string' ? resource.externalId : null,
      members: [...new Set(members)],
    }
  }

  private freeName(connection: StoredConnection, displayName: string, self: string | null) {
    const holder = this.deps.store.groupByName(connection.connection_id, displayName)
    if (holder && holder.group_id !== self)
      throw new ScimError(409, 'uniqueness', `displayName ${displayName} is taken.`)
  }

  private row(connection: StoredConnection, id: string): GroupRow {
    const row = this.deps.store.group(connection.connection_id, id)
    if (!row) throw new ScimError(404, undefined, `No Group ${id} in this connection.`)
    return row
  }

  render(_connection: StoredConnection, row: GroupRow, base: string): Resource {
    return {
      schemas: [GROUP_SCHEMA],
      id: row.group_id,
      displayName: row.display_name,
      ...(row.external_id === null ? {} : { externalId: row.external_id }),
      members: this.deps.store.membersOf(row.group_id).map((value) => {
        const member = this.deps.orgs.member(value, true)
        return {
          value,
          display: member ? member.name || member.email_address : '',
          $ref: `${base}/Users/${value}`,
        }
      }),
      meta: {
        resourceType: 'Group',
        created: rfc3339(row.created_at),
        lastModified: rfc3339(row.updated_at),
        location: `${base}/Groups/${row.group_id}`,
        version: `W/"${row.version}"`,
      },
    }
  }
}
