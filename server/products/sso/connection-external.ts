// External connections (sso.external.*): an organization trusts another organization's active
// SAML or OIDC connection for its own members ("External connections are always active"), with
// its own implicit roles.
import { StytchError } from '../../errors.js'
import { newId } from '../../platform/tokens/ids.js'
import type { Actor } from '../b2b-sessions/member-actions.js'
import type { StoredConnection } from './connection-store.js'
import type { SsoConnections } from './connections.js'

type ConnectionRoles = { role_id: string }[]
type GroupRoles = { role_id: string; group: string }[]

export interface ExternalCreate {
  external_organization_id: string
  external_connection_id: string
  display_name?: string | undefined
  connection_implicit_role_assignments?: ConnectionRoles | undefined
  group_implicit_role_assignments?: GroupRoles | undefined
}

export interface ExternalUpdate {
  display_name?: string | undefined
  external_connection_implicit_role_assignments?: ConnectionRoles | undefined
  external_group_implicit_role_assignments?: GroupRoles | undefined
}

const connectionRoles = (list: ConnectionRoles) => list.map(({ role_id }) => ({ role_id }))
const groupRoles = (list: GroupRoles) => list.map(({ role_id, group }) => ({ role_id, group }))

export class ExternalConnections {
  constructor(private readonly sso: SsoConnections) {}

  /**
   * sso.external.createConnection (`stytch.sso` `create`): the other organization (its id, slug
   * or external id) must be another (400 external_organization_id_same_as_organization_id) and
   * have this SAML or OIDC connection (404 external_connection_id_not_found), active (400
   * external_connection_not_active), not already trusted here (400
   * duplicate_external_sso_connection).
   */
  create(organizationId: string, input: ExternalCreate, actor: Actor | null) {
    const org = this.sso.scope(organizationId, actor, 'create')
    const { orgs } = this.sso.deps
    const other = orgs.organization(input.external_organization_id)
    if (other?.organization_id === org.organization_id)
      throw new StytchError('external_organization_id_same_as_organization_id')
    const source = this.sso.find(input.external_connection_id)
    if (
      !other ||
      !source ||
      source.kind === 'external' ||
      source.connection.organization_id !== other.organization_id
    )
      throw new StytchError('external_connection_id_not_found')
    if (source.connection.status !== 'active')
      throw new StytchError('external_connection_not_active')
    const trusted = this.sso
      .ofOrganization(org.organization_id)
      .some(
        (r) =>
          r.kind === 'external' &&
          r.connection.external_connection_id === source.connection.connection_id,
      )
    if (trusted) throw new StytchError('duplicate_external_sso_connection')
    this.sso.checkRoles(org.organization_id, input.connection_implicit_role_assignments)
    this.sso.checkRoles(org.organization_id, input.group_implicit_role_assignments)
    const connection: StoredConnection = {
      organization_id: org.organization_id,
      connection_id: newId('external-connection'),
      external_organization_id: other.organization_id,
      external_connection_id: source.connection.connection_id,
      display_name: input.display_name ?? '',
      status: 'active',
      external_connection_implicit_role_assignments: connectionRoles(
        input.connection_implicit_role_assignments ?? [],
      ),
      external_group_implicit_role_assignments: groupRoles(
        input.group_implicit_role_assignments ?? [],
      ),
    }
    this.sso.save('external', connection, null, false)
    return { kind: 'external' as const, connection }
  }

  /** sso.external.updateConnection (`stytch.sso` `update`): the fields given. */
  update(organizationId: string, connectionId: string, input: ExternalUpdate, actor: Actor | null) {
    const org = this.sso.scope(organizationId, actor, 'update')
    const before = this.sso.owned(org, connectionId, 'external').connection
    this.sso.checkRoles(org.organization_id, input.external_connection_implicit_role_assignments)
    this.sso.checkRoles(org.organization_id, input.external_group_implicit_role_assignments)
    const c: StoredConnection = { ...before }
    if (input.display_name !== undefined) c.display_name = input.display_name
    if (input.external_connection_implicit_role_assignments !== undefined)
      c.external_connection_implicit_role_assignments = connectionRoles(
        input.external_connection_implicit_role_assignments,
      )
    if (input.external_group_implicit_role_assignments !== undefined)
      c.external_group_implicit_role_assignments = groupRoles(
        input.external_group_implicit_role_assignments,
      )
    const rolesChanged =
      input.external_connection_implicit_role_assignments !== undefined ||
      input.external_group_implicit_role_assignments !== undefined
    this.sso.save('external', c, before, rolesChanged)
    return { kind: 'external' as const, connection: c }
  }
}
