// SCIM Users (RFC 7644 §3.3-§3.6) of a connection: each one a member of its organization (the
// User's `id` is the member_id), listed with a filter and pages, made, read, replaced, patched and
// deleted (deprovisioned). What a write does to the member is provisioning.ts's.
import { type Clock, rfc3339 } from '../../clock.js'
import type { Db } from '../../platform/db.js'
import type { OrganizationStore } from '../../platform/sessions/organization-store.js'
import { ScimError } from './errors.js'
import { matches, parseFilter, reads } from './filter.js'
import { applyPatch, type PatchOperation } from './patch.js'
import type { ScimMembers } from './provisioning.js'
import { ENTERPRISE_SCHEMA, storedUser, USER_SCHEMA, without } from './resource.js'
import type { Resource, ScimStore, StoredConnection, UserRow } from './store.js'

export interface ListQuery {
  filter?: string | undefined
  startIndex?: number | undefined
  count?: number | undefined
  excludedAttributes?: string | undefined
}

export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'

/** A User's attributes that only its answer has (the stored resource has the others). */
const ANSWER_ONLY = new Set(['active', 'groups', 'meta', 'schemas'])

/** RFC 7644 §3.4.2.4: startIndex below 1 is 1, a negative count 0; here at most 1000 a page. */
export function page<T>(items: T[], query: ListQuery) {
  const start = Math.max(1, query.startIndex ?? 1)
  const count = Math.min(1000, Math.max(0, query.count ?? 100))
  const resources = items.slice(start - 1, start - 1 + count)
  return {
    schemas: [LIST_RESPONSE],
    totalResults: items.length,
    startIndex: start,
    itemsPerPage: resources.length,
    Resources: resources,
  }
}

export class ScimUsers {
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
    const render = (row: UserRow) => this.render(connection, row, base)
    // A User is rendered (its member and groups read) to be answered, or to be tested by a filter
    // on what only the answer says; other filters read what the provider wrote, so an identity
    // provider's `userName eq` lookups stay fast in a directory of thousands.
    const rows = this.deps.store.users(connection.connection_id)
    const found = !filter
      ? rows
      : reads(filter, ANSWER_ONLY)
        ? rows.filter((row) => matches(render(row), filter))
        : rows.filter((row) => matches({ id: row.member_id, ...row.resource }, filter))
    const answer = page(found, query)
    return {
      ...answer,
      Resources: answer.Resources.map((row) => without(render(row), query.excludedAttributes)),
    }
  }

  get(connection: StoredConnection, id: string, base: string) {
    return this.render(connection, this.row(connection, id), base)
  }

  /** POST /Users: 409 uniqueness for a userName the connection has. */
  create(connection: StoredConnection, input: Resource, base: string) {
    const resource = storedUser(input)
    const run = this.deps.db.transaction(() => {
      this.freeUserName(connection, resource, null)
      const member = this.deps.members.provision(connection, resource)
      const now = this.deps.clock.nowSeconds()
      const row: UserRow = {
        member_id: member.member_id,
        connection_id: connection.connection_id,
        organization_id: connection.organization_id,
        resource,
        created_at: now,
        updated_at: now,
        version: 1,
      }
      this.deps.store.putUser(row, resource.userName as string)
      this.deps.members.apply(connection, member, resource)
      return row
    })
    return this.render(connection, run(), base)
  }

  /** PUT /Users/{id}: the User as given, in full. */
  replace(connection: StoredConnection, id: string, input: Resource, base: string) {
    return this.write(connection, id, () => storedUser(input), base)
  }

  /** PATCH /Users/{id}. */
  patch(connection: StoredConnection, id: string, operations: PatchOperation[], base: string) {
    return this.write(
      connection,
      id,
      (current) => storedUser(applyPatch(current, operations, ['groups'])),
      base,
    )
  }

  /** DELETE /Users/{id}: the User gone, out of its groups, its member deprovisioned. */
  delete(connection: StoredConnection, id: string): void {
    const row = this.row(connection, id)
    this.deps.db.transaction(() => {
      for (const group of this.deps.store.groupsOf(id))
        if (group.connection_id === connection.connection_id)
          this.deps.store.leave(group.group_id, id)
      this.deps.store.deleteUser(id)
      this.deps.members.deprovision(connection, id, row.resource)
    })()
  }

  private write(
    connection: StoredConnection,
    id: string,
    next: (current: Resource) => Resource,
    base: string,
  ) {
    const row = this.row(connection, id)
    const resource = next(row.resource)
    const member = this.deps.orgs.member(id, true)
    if (!member) throw notFound(id)
    const updated: UserRow = {
      ...row,
      resource,
      updated_at: this.deps.clock.nowSeconds(),
      version: row.version + 1,
    }
    this.deps.db.transaction(() => {
      this.freeUserName(connection, resource, id)
      this.deps.members.apply(connection, member, resource)
      this.deps.store.putUser(updated, resource.userName as string)
    })()
    return this.render(connection, updated, base)
  }

  private freeUserName(connection: StoredConnection, resource: Resource, self: string | null) {
    const holder = this.deps.store.userByName(connection.connection_id, resource.userName as string)
    if (holder && holder.member_id !== self)
      throw new ScimError(409, 'uniqueness', `userName ${String(resource.userName)} is taken.`)
  }

  private row(connection: StoredConnection, id: string): UserRow {
    const row = this.deps.store.user(connection.connection_id, id)
    if (!row) throw notFound(id)
    return row
  }

  /** The User as answered: its attributes, `active` as its member is, groups, meta. */
  render(connection: StoredConnection, row: UserRow, base: string): Resource {
    const member = this.deps.orgs.member(row.member_id, true)
    return {
      schemas: [USER_SCHEMA, ...(row.resource[ENTERPRISE_SCHEMA] ? [ENTERPRISE_SCHEMA] : [])],
      id: row.member_id,
      ...row.resource,
      active: row.resource.active !== false && member?.status !== 'deleted',
      groups: this.deps.members
        .groupsOf(connection.connection_id, row.member_id)
        .map((g) => ({ ...g, $ref: `${base}/Groups/${g.value}` })),
      meta: {
        resourceType: 'User',
        created: rfc3339(row.created_at),
        lastModified: rfc3339(row.updated_at),
        location: `${base}/Users/${row.member_id}`,
        version: `W/"${row.version}"`,
      },
    }
  }
}

const notFound = (id: string) => new ScimError(404, undefined, `No User ${id} in this connection.`)
