// An organization's SCIM connection (scim.connection.*): made with a bearer token shown once,
// renamed, its group role grants set, its token rotated (during a rotation both tokens work, until
// complete or cancel), its groups listed, deleted with what its provider pushed. The organization
// carries it as `scim_active_connection`. Its URLs name the mock's origin as the caller sees it.
import { createHash, timingSafeEqual } from 'node:crypto'
import { customAlphabet } from 'nanoid'
import { type Clock, rfc3339 } from '../../clock.js'
import { StytchError } from '../../errors.js'
import type { OrganizationStore } from '../../platform/sessions/organization-store.js'
import type { RbacPolicies } from '../../platform/sessions/rbac-policies.js'
import { newId } from '../../platform/tokens/ids.js'
import { ScimError } from './errors.js'
import type { ScimMembers } from './provisioning.js'
import type { ConnectionRow, RoleAssignment, ScimStore, StoredConnection } from './store.js'

/** A bearer token: 48 alphanumerics, as Stytch's samples show. */
const newBearerToken = customAlphabet(
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  48,
)
const hash = (token: string) => createHash('sha256').update(token).digest('base64url')
const same = (token: string, stored: string | null) =>
  stored !== null && timingSafeEqual(Buffer.from(hash(token)), Buffer.from(stored))

/** How long a bearer token lives (Stytch's samples: four years). */
const TOKEN_SECONDS = 4 * 365 * 24 * 3600

export interface ConnectionInput {
  display_name?: string | undefined
  identity_provider?: string | undefined
  scim_group_implicit_role_assignments?: { role_id: string; group_id: string }[] | undefined
}

export class ScimConnections {
  constructor(
    private readonly deps: {
      clock: Clock
      store: ScimStore
      orgs: OrganizationStore
      rbac: RbacPolicies
      provisioning: ScimMembers
    },
  ) {}

  /** scim.connection.create: one per organization; its token is in this answer only. */
  create(organizationId: string, input: ConnectionInput, origin: string) {
    if (this.deps.store.connectionOf(organizationId))
      throw new StytchError('active_scim_connection_exists')
    const token = newBearerToken()
    const connection: StoredConnection = {
      organization_id: organizationId,
      connection_id: newId('scim-connection'),
      status: 'active',
      display_name: input.display_name ?? '',
      identity_provider: input.identity_provider ?? 'generic',
      scim_group_implicit_role_assignments: [],
      bearer_token_last_four: token.slice(-4),
      bearer_token_expires_at: this.expiry(),
      next_bearer_token_last_four: '',
    }
    this.save({ connection, token_hash: hash(token), next_token_hash: null })
    const {
      bearer_token_last_four: _,
      next_bearer_token_last_four: __,
      ...rest
    } = this.answer(connection, origin)
    return { ...rest, bearer_token: token }
  }

  /** The organization's connection, if it has one. */
  of(organizationId: string): StoredConnection | null {
    return this.deps.store.connectionOf(organizationId)?.connection ?? null
  }

  /** The organization's connection with this id (404 no_active_scim_connection otherwise). */
  connection(organizationId: string, connectionId: string): ConnectionRow {
    const row = this.deps.store.connection(connectionId)
    if (!row || row.connection.organization_id !== organizationId)
      throw new StytchError('no_active_scim_connection')
    return row
  }

  /** scim.connection.update: the name, the provider, the group role grants. */
  update(organizationId: string, connectionId: string, input: ConnectionInput) {
    const row = this.connection(organizationId, connectionId)
    const assignments = input.scim_group_implicit_role_assignments
    if (assignments) {
      for (const a of assignments)
        if (!this.deps.store.group(connectionId, a.group_id))
          throw new StytchError('scim_group_role_assignment_group_does_not_exist')
      this.deps.rbac.checkRoles(
        organizationId,
        assignments.map((a) => a.role_id),
      )
    }
    const connection: StoredConnection = {
      ...row.connection,
      ...(input.display_name === undefined ? {} : { display_name: input.display_name }),
      ...(input.identity_provider === undefined
        ? {}
        : { identity_provider: input.identity_provider }),
      ...(assignments
        ? {
            scim_group_implicit_role_assignments: dedupe(
              assignments.map(({ role_id, group_id }) => ({ role_id, group_id })),
            ),
          }
        : {}),
    }
    this.save({ ...row, connection })
    if (assignments) this.deps.orgs.resolveRoles(organizationId)
    return connection
  }

  /**
   * scim.connection.delete: the connection, its tokens, users and groups gone; the members it
   * provisioned stay, without their SCIM registration or the roles its groups granted.
   */
  delete(organizationId: string, connectionId: string): string {
    this.connection(organizationId, connectionId)
    const touched = this.deps.provisioning.connectionMembers(connectionId)
    this.deps.store.forgetConnection(connectionId)
    this.deps.provisioning.unregister(touched, connectionId)
    this.organizationField(organizationId, null)
    return connectionId
  }

  /** A next token, shown once; until complete or cancel, both tokens work. */
  rotateStart(organizationId: string, connectionId: string, origin: string) {
    const row = this.connection(organizationId, connectionId)
    const next = newBearerToken()
    const connection: StoredConnection = {
      ...row.connection,
      next_bearer_token_last_four: next.slice(-4),
      next_bearer_token_expires_at: this.expiry(),
    }
    this.save({ ...row, connection, next_token_hash: hash(next) })
    const { next_bearer_token_last_four: _, ...answer } = this.answer(connection, origin)
    return { ...answer, next_bearer_token: next }
  }

  /** The next token becomes the only one. */
  rotateComplete(organizationId: string, connectionId: string) {
    const row = this.rotating(organizationId, connectionId)
    const { next_bearer_token_expires_at: expires, ...rest } = row.connection
    const connection: StoredConnection = {
      ...rest,
      bearer_token_last_four: rest.next_bearer_token_last_four,
      bearer_token_expires_at: expires!,
      next_bearer_token_last_four: '',
    }
    this.save({ connection, token_hash: row.next_token_hash!, next_token_hash: null })
    return connection
  }

  /** The next token dropped; the current one stays. */
  rotateCancel(organizationId: string, connectionId: string) {
    const row = this.rotating(organizationId, connectionId)
    const { next_bearer_token_expires_at: _, ...rest } = row.connection
    const connection: StoredConnection = { ...rest, next_bearer_token_last_four: '' }
    this.save({ ...row, connection, next_token_hash: null })
    return connection
  }

  /** scim.connection.getGroups: a page of the connection's groups, `next_cursor` null at the end. */
  groups(connectionId: string, input: { cursor?: string | undefined; limit?: number | undefined }) {
    const limit = input.limit ?? 100
    let after = 0
    if (input.cursor) {
      const [seq, of] = Buffer.from(input.cursor, 'base64url').toString('utf8').split(':')
      after = Number(seq)
      if (of !== connectionId || !Number.isSafeInteger(after) || after < 0)
        throw new StytchError('invalid_cursor')
    }
    const rows = this.deps.store.groupsAfter(connectionId, after, limit + 1)
    const page = rows.slice(0, limit)
    return {
      scim_groups: page.map((g) => ({
        group_id: g.group_id,
        group_name: g.display_name,
        organization_id: g.organization_id,
        connection_id: g.connection_id,
      })),
      next_cursor:
        rows.length > limit
          ? Buffer.from(`${page.at(-1)!.seq}:${connectionId}`).toString('base64url')
          : null,
    }
  }

  /**
   * The connection a SCIM request's `Authorization: Bearer` token opens: its current token, or
   * during a rotation its next one, unexpired (401 otherwise, the same for an unknown connection).
   */
  authenticate(connectionId: string, authorization: string | undefined): StoredConnection {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1]
    const row = token ? this.deps.store.connection(connectionId) : null
    const now = this.deps.clock.nowSeconds()
    const live = (expiresAt: string | undefined) =>
      expiresAt !== undefined && Date.parse(expiresAt) / 1000 > now
    if (
      !token ||
      !row ||
      !(
        (same(token, row.token_hash) && live(row.connection.bearer_token_expires_at)) ||
        (same(token, row.next_token_hash) && live(row.connection.next_bearer_token_expires_at))
      )
    )
      throw new ScimError(401, undefined, 'The bearer token is not valid for this SCIM connection.')
    return row.connection
  }

  /** The connection as Stytch answers it (SCIMConnection), with its base URL and group names. */
  answer(connection: StoredConnection, origin: string) {
    const names = new Map(
      this.deps.store.groups(connection.connection_id).map((g) => [g.group_id, g.display_name]),
    )
    return {
      organization_id: connection.organization_id,
      connection_id: connection.connection_id,
      status: connection.status,
      display_name: connection.display_name,
      identity_provider: connection.identity_provider,
      base_url: baseUrl(connection, origin),
      bearer_token_last_four: connection.bearer_token_last_four,
      scim_group_implicit_role_assignments: connection.scim_group_implicit_role_assignments.map(
        (a) => ({ ...a, group_name: names.get(a.group_id) ?? '' }),
      ),
      next_bearer_token_last_four: connection.next_bearer_token_last_four,
      bearer_token_expires_at: connection.bearer_token_expires_at,
      ...(connection.next_bearer_token_expires_at
        ? { next_bearer_token_expires_at: connection.next_bearer_token_expires_at }
        : {}),
    }
  }

  private rotating(organizationId: string, connectionId: string): ConnectionRow {
    const row = this.connection(organizationId, connectionId)
    if (row.next_token_hash === null) throw new StytchError('scim_connection_not_rotating_token')
    return row
  }

  private save(row: ConnectionRow): void {
    this.deps.store.putConnection(row)
    this.organizationField(row.connection.organization_id, row.connection)
  }

  /** The organization's `scim_active_connection`, kept in step with its connection. */
  private organizationField(organizationId: string, connection: StoredConnection | null): void {
    const org = this.deps.orgs.organization(organizationId)
    if (!org) return
    const { scim_active_connection: _, ...rest } = org
    this.deps.orgs.updateOrganization(
      connection
        ? {
            ...rest,
            scim_active_connection: {
              connection_id: connection.connection_id,
              display_name: connection.display_name,
              bearer_token_last_four: connection.bearer_token_last_four,
              bearer_token_expires_at: connection.bearer_token_expires_at,
            },
          }
        : rest,
    )
  }

  private expiry(): string {
    return rfc3339(this.deps.clock.nowSeconds() + TOKEN_SECONDS)
  }
}

/** Where the provider sends its requests; Microsoft Entra's with its SCIM 2.0 compliance flag. */
export const baseUrl = (connection: StoredConnection, origin: string) =>
  `${origin}/v1/b2b/scim/${connection.connection_id}${
    connection.identity_provider === 'microsoft-entra' ? '?aadOptscim062020' : ''
  }`

const dedupe = (list: RoleAssignment[]) =>
  list.filter(
    (a, i) => list.findIndex((b) => b.role_id === a.role_id && b.group_id === a.group_id) === i,
  )
