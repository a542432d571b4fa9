// SCIM's tables: an organization's one SCIM connection (its bearer tokens only as hashes), the
// users and groups its identity provider pushed, and group memberships. SQL only.
import type { Db } from '../../platform/db.js'

export const SCHEMA = `
-- SCIM (server/products/scim/): one connection per organization; the bearer token and, during a
-- rotation, the next one, only as SHA-256 hashes (48 random alphanumerics: a fast hash is enough).
CREATE TABLE IF NOT EXISTS scim_connections (
  connection_id   TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL UNIQUE,
  body            TEXT NOT NULL,        -- the connection as stored (StoredConnection)
  token_hash      TEXT NOT NULL,
  next_token_hash TEXT
) STRICT;
-- A SCIM User: the member it is (its SCIM id), and the resource as the identity provider wrote it.
CREATE TABLE IF NOT EXISTS scim_users (
  member_id       TEXT PRIMARY KEY,
  connection_id   TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  user_name       TEXT NOT NULL,        -- lower case, unique per connection
  resource        TEXT NOT NULL,
  created_at      INTEGER NOT NULL,     -- epoch seconds
  updated_at      INTEGER NOT NULL,
  version         INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS scim_users_by_connection ON scim_users (connection_id);
CREATE TABLE IF NOT EXISTS scim_groups (
  seq             INTEGER PRIMARY KEY,
  group_id        TEXT NOT NULL UNIQUE,
  connection_id   TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  display_name    TEXT NOT NULL,
  external_id     TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  version         INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS scim_groups_by_connection ON scim_groups (connection_id, seq);
CREATE TABLE IF NOT EXISTS scim_group_members (
  group_id  TEXT NOT NULL,
  member_id TEXT NOT NULL,
  PRIMARY KEY (group_id, member_id)
) STRICT;
CREATE INDEX IF NOT EXISTS scim_group_members_by_member ON scim_group_members (member_id);
`

/** A group's role grant as stored: the group's name is read from its table when answering. */
export interface RoleAssignment {
  role_id: string
  group_id: string
}

/** The connection as stored: Stytch's object without its URL and token-derived answers. */
export interface StoredConnection {
  organization_id: string
  connection_id: string
  status: string
  display_name: string
  identity_provider: string
  scim_group_implicit_role_assignments: RoleAssignment[]
  bearer_token_last_four: string
  bearer_token_expires_at: string
  next_bearer_token_last_four: string
  next_bearer_token_expires_at?: string
}

export interface ConnectionRow {
  connection: StoredConnection
  token_hash: string
  next_token_hash: string | null
}

export type Resource = Record<string, unknown>

export interface UserRow {
  member_id: string
  connection_id: string
  organization_id: string
  resource: Resource
  created_at: number
  updated_at: number
  version: number
}

export interface GroupRow {
  seq: number
  group_id: string
  connection_id: string
  organization_id: string
  display_name: string
  external_id: string | null
  created_at: number
  updated_at: number
  version: number
}

type RawUser = Omit<UserRow, 'resource'> & { resource: string }
const user = (raw: RawUser | undefined): UserRow | null =>
  raw ? { ...raw, resource: JSON.parse(raw.resource) as Resource } : null
type RawConnection = Omit<ConnectionRow, 'connection'> & { body: string }
const connection = (raw: RawConnection | undefined): ConnectionRow | null =>
  raw
    ? {
        connection: JSON.parse(raw.body) as StoredConnection,
        token_hash: raw.token_hash,
        next_token_hash: raw.next_token_hash,
      }
    : null

export class ScimStore {
  readonly #putConnection
  readonly #connection
  readonly #connectionOfOrg
  readonly #putUser
  readonly #user
  readonly #userByName
  readonly #users
  readonly #deleteUser
  readonly #insertGroup
  readonly #updateGroup
  readonly #group
  readonly #groupByName
  readonly #groups
  readonly #groupsAfter
  readonly #deleteGroup
  readonly #join
  readonly #leave
  readonly #membersOf
  readonly #groupsOf
  readonly #forgetConnection
  readonly #forgetOrganization

  constructor(db: Db) {
    this.#putConnection = db.prepare<[string, string, string, string, string | null]>(
      `INSERT OR REPLACE INTO scim_connections
         (connection_id, organization_id, body, token_hash, next_token_hash) VALUES (?, ?, ?, ?, ?)`,
    )
    this.#connection = db.prepare<[string], RawConnection>(
      'SELECT body, token_hash, next_token_hash FROM scim_connections WHERE connection_id = ?',
    )
    this.#connectionOfOrg = db.prepare<[string], RawConnection>(
      'SELECT body, token_hash, next_token_hash FROM scim_connections WHERE organization_id = ?',
    )
    // An update keeps the row (and its rowid: the list's order is the order Users were made).
    this.#putUser = db.prepare<[string, string, string, string, string, number, number, number]>(
      `INSERT INTO scim_users (member_id, connection_id, organization_id, user_name,
         resource, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (member_id) DO UPDATE SET connection_id = excluded.connection_id,
         organization_id = excluded.organization_id, user_name = excluded.user_name,
         resource = excluded.resource, created_at = excluded.created_at,
         updated_at = excluded.updated_at, version = excluded.version`,
    )
    this.#user = db.prepare<[string, string], RawUser>(
      'SELECT * FROM scim_users WHERE member_id = ? AND connection_id = ?',
    )
    this.#userByName = db.prepare<[string, string], RawUser>(
      'SELECT * FROM scim_users WHERE connection_id = ? AND user_name = ?',
    )
    this.#users = db.prepare<[string], RawUser>(
      'SELECT * FROM scim_users WHERE connection_id = ? ORDER BY rowid',
    )
    this.#deleteUser = db.prepare<[string]>('DELETE FROM scim_users WHERE member_id = ?')
    this.#insertGroup = db.prepare<[string, string, string, string, string | null, number, number]>(
      `INSERT INTO scim_groups (group_id, connection_id, organization_id, display_name,
         external_id, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, 1)`,
    )
    this.#updateGroup = db.prepare<[string, string | null, number, string]>(
      `UPDATE scim_groups SET display_name = ?, external_id = ?, updated_at = ?,
         version = version + 1 WHERE group_id = ?`,
    )
    this.#group = db.prepare<[string, string], GroupRow>(
      'SELECT * FROM scim_groups WHERE group_id = ? AND connection_id = ?',
    )
    this.#groupByName = db.prepare<[string, string], GroupRow>(
      'SELECT * FROM scim_groups WHERE connection_id = ? AND lower(display_name) = lower(?)',
    )
    this.#groups = db.prepare<[string], GroupRow>(
      'SELECT * FROM scim_groups WHERE connection_id = ? ORDER BY seq',
    )
    this.#groupsAfter = db.prepare<[string, number, number], GroupRow>(
      'SELECT * FROM scim_groups WHERE connection_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    )
    this.#deleteGroup = db.prepare<[string]>('DELETE FROM scim_groups WHERE group_id = ?')
    this.#join = db.prepare<[string, string]>(
      'INSERT OR IGNORE INTO scim_group_members (group_id, member_id) VALUES (?, ?)',
    )
    this.#leave = db.prepare<[string, string]>(
      'DELETE FROM scim_group_members WHERE group_id = ? AND member_id = ?',
    )
    this.#membersOf = db.prepare<[string], { member_id: string }>(
      'SELECT member_id FROM scim_group_members WHERE group_id = ? ORDER BY rowid',
    )
    this.#groupsOf = db.prepare<[string], GroupRow>(
      `SELECT g.* FROM scim_groups g JOIN scim_group_members m ON m.group_id = g.group_id
         WHERE m.member_id = ? ORDER BY g.seq`,
    )
    const dropConnection = (where: string) => [
      db.prepare<[string]>(
        `DELETE FROM scim_group_members WHERE group_id IN
           (SELECT group_id FROM scim_groups WHERE ${where} = ?)`,
      ),
      db.prepare<[string]>(`DELETE FROM scim_groups WHERE ${where} = ?`),
      db.prepare<[string]>(`DELETE FROM scim_users WHERE ${where} = ?`),
      db.prepare<[string]>(`DELETE FROM scim_connections WHERE ${where} = ?`),
    ]
    const byConnection = dropConnection('connection_id')
    const byOrganization = dropConnection('organization_id')
    this.#forgetConnection = db.transaction((id: string) => {
      for (const statement of byConnection) statement.run(id)
    })
    this.#forgetOrganization = db.transaction((id: string) => {
      for (const statement of byOrganization) statement.run(id)
    })
  }

  putConnection(row: ConnectionRow): void {
    const c = row.connection
    this.#putConnection.run(
      c.connection_id,
      c.organization_id,
      JSON.stringify(c),
      row.token_hash,
      row.next_token_hash,
    )
  }

  connection(connectionId: string): ConnectionRow | null {
    return connection(this.#connection.get(connectionId))
  }

  connectionOf(organizationId: string): ConnectionRow | null {
    return connection(this.#connectionOfOrg.get(organizationId))
  }

  /** The connection with its users, groups and memberships. */
  forgetConnection(connectionId: string): void {
    this.#forgetConnection(connectionId)
  }

  /** Everything SCIM keeps of an organization. */
  forgetOrganization(organizationId: string): void {
    this.#forgetOrganization(organizationId)
  }

  putUser(row: UserRow, userName: string): void {
    this.#putUser.run(
      row.member_id,
      row.connection_id,
      row.organization_id,
      userName.toLowerCase(),
      JSON.stringify(row.resource),
      row.created_at,
      row.updated_at,
      row.version,
    )
  }

  user(connectionId: string, memberId: string): UserRow | null {
    return user(this.#user.get(memberId, connectionId))
  }

  userByName(connectionId: string, userName: string): UserRow | null {
    return user(this.#userByName.get(connectionId, userName.toLowerCase()))
  }

  users(connectionId: string): UserRow[] {
    return this.#users.all(connectionId).map((r) => user(r)!)
  }

  deleteUser(memberId: string): void {
    this.#deleteUser.run(memberId)
  }

  insertGroup(group: Omit<GroupRow, 'seq' | 'updated_at' | 'version'>): void {
    this.#insertGroup.run(
      group.group_id,
      group.connection_id,
      group.organization_id,
      group.display_name,
      group.external_id,
      group.created_at,
      group.created_at,
    )
  }

  updateGroup(groupId: string, displayName: string, externalId: string | null, at: number): void {
    this.#updateGroup.run(displayName, externalId, at, groupId)
  }

  group(connectionId: string, groupId: string): GroupRow | null {
    return this.#group.get(groupId, connectionId) ?? null
  }

  groupByName(connectionId: string, displayName: string): GroupRow | null {
    return this.#groupByName.get(connectionId, displayName) ?? null
  }

  groups(connectionId: string): GroupRow[] {
    return this.#groups.all(connectionId)
  }

  /** A page of the connection's groups, oldest first, after the group numbered `after`. */
  groupsAfter(connectionId: string, after: number, limit: number): GroupRow[] {
    return this.#groupsAfter.all(connectionId, after, limit)
  }

  deleteGroup(groupId: string): void {
    for (const member of this.membersOf(groupId)) this.#leave.run(groupId, member)
    this.#deleteGroup.run(groupId)
  }

  join(groupId: string, memberId: string): void {
    this.#join.run(groupId, memberId)
  }

  leave(groupId: string, memberId: string): void {
    this.#leave.run(groupId, memberId)
  }

  membersOf(groupId: string): string[] {
    return this.#membersOf.all(groupId).map((r) => r.member_id)
  }

  /** The groups a member belongs to (of whichever connection), oldest first. */
  groupsOf(memberId: string): GroupRow[] {
    return this.#groupsOf.all(memberId)
  }
}
