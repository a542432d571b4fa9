// SSO connections: an organization's SAML, OIDC and external connections (sso.getConnections,
// deleteConnection, and per kind connection-saml.ts, connection-oidc.ts, connection-external.ts),
// each write held to the caller's RBAC, and the organization's SSO fields they keep
// (sso_active_connections, sso_default_connection_id, sso_jit_provisioning_allowed_connections).
// What the login journey reads of a connection (its kind, answer with URLs, attribute mapping,
// verification certificates and role assignments) is here too.
import { StytchError } from '../../errors.js'
import type { Platform } from '../../platform/platform.js'
import type {
  MemberObject,
  OrganizationObject,
} from '../../platform/sessions/organization-store.js'
import type { Actor, MemberActions } from '../b2b-sessions/member-actions.js'
import type { OrganizationSettings } from '../organizations/organizations.js'
import { ExternalConnections } from './connection-external.js'
import { OidcConnections } from './connection-oidc.js'
import { SamlConnections } from './connection-saml.js'
import type {
  ConnectionKind,
  ConnectionRow,
  ConnectionStore,
  StoredConnection,
} from './connection-store.js'

export type { ConnectionKind, ConnectionRow, StoredConnection }

/** A SAML certificate, as Stytch answers it (verification_certificates[], signing_certificates[]). */
export interface VerificationCertificate {
  certificate_id: string
  certificate: string
  issuer: string
  created_at: string
  expires_at: string
  updated_at: string
}

/** A connection's implicit role assignments: to every member it logs in, and by IdP group. */
export interface RoleAssignments {
  connection: { role_id: string }[]
  groups: { role_id: string; group: string }[]
}

/** A member's SSO registration, as the login journey writes it (member.sso_registrations[]). */
export interface SsoRegistration {
  connection_id: string
  external_id: string
  registration_id: string
  sso_attributes?: Record<string, unknown>
}

/** Where the identity provider sends its answer: the SAML ACS and OIDC redirect URL. */
export const callbackUrl = (origin: string, connectionId: string) =>
  `${origin}/v1/b2b/sso/callback/${connectionId}`

export type SsoDeps = Platform & { store: ConnectionStore; memberActions: MemberActions }

export class SsoConnections {
  readonly saml: SamlConnections
  readonly oidc: OidcConnections
  readonly external: ExternalConnections

  constructor(readonly deps: SsoDeps) {
    this.saml = new SamlConnections(this)
    this.oidc = new OidcConnections(this)
    this.external = new ExternalConnections(this)
  }

  // --- what the login journey reads ---

  /** The connection with this id, of any kind (404 sso_connection_not_found). */
  connection(connectionId: string): ConnectionRow {
    const row = this.deps.store.get(connectionId)
    if (!row) throw new StytchError('sso_connection_not_found')
    return row
  }

  /** The connection with this id, or null. */
  find(connectionId: string): ConnectionRow | null {
    return this.deps.store.get(connectionId)
  }

  /** The organization's connections (by organization_id), oldest first. */
  ofOrganization(organizationId: string): ConnectionRow[] {
    return this.deps.store.ofOrganization(organizationId)
  }

  /** The organization's active connections (those in its sso_active_connections), oldest first. */
  activeOf(organizationId: string): ConnectionRow[] {
    return this.ofOrganization(organizationId).filter((r) => r.connection.status === 'active')
  }

  /**
   * The organization's connection for an SSO login naming only the organization: its
   * sso_default_connection_id if that is active, else its only active connection; null when
   * there is none, or several and no default (the caller tells
   * no_sso_connection_exists_for_organization from indeterminate_sso_connection_for_organization
   * with activeOf).
   */
  defaultOf(organizationId: string): ConnectionRow | null {
    const org = this.deps.orgs.organization(organizationId)
    const active = this.activeOf(organizationId)
    const id = org?.sso_default_connection_id
    const chosen = active.find((r) => r.connection.connection_id === id)
    if (chosen) return chosen
    return active.length === 1 ? active[0]! : null
  }

  /**
   * The connection whose identity provider an external connection logs in through (its source
   * SAML or OIDC connection, in the other organization); a SAML or OIDC connection is its own.
   * Null when an external connection's source is gone.
   */
  sourceOf(row: ConnectionRow): ConnectionRow | null {
    if (row.kind !== 'external') return row
    const source = this.find(row.connection.external_connection_id as string)
    return source && source.kind !== 'external' ? source : null
  }

  /**
   * The wire object Stytch answers for a connection: the stored one with its URLs, which name
   * the mock's origin as the caller sees it (`origin`, e.g. `http://localhost:9010`).
   */
  answerOf(kind: ConnectionKind, connection: StoredConnection, origin: string) {
    const url = callbackUrl(origin, connection.connection_id)
    if (kind === 'saml') return { ...connection, acs_url: url, audience_uri: url }
    if (kind === 'oidc') return { ...connection, redirect_url: url }
    return { ...connection }
  }

  /** The connection's attribute mapping (Stytch key → the IdP's attribute or claim name). */
  attributeMapping(row: ConnectionRow): Record<string, string> {
    const source = this.sourceOf(row) ?? row
    return { ...((source.connection.attribute_mapping ?? {}) as Record<string, string>) }
  }

  /** A SAML connection's verification certificates (an external one's: its source's). */
  verificationCertificates(row: ConnectionRow): VerificationCertificate[] {
    const source = this.sourceOf(row)
    return source?.kind === 'saml'
      ? [...(source.connection.verification_certificates as VerificationCertificate[])]
      : []
  }

  /**
   * The roles the connection grants: a SAML connection's saml_* assignments, an external
   * connection's external_* ones; an OIDC connection grants none.
   */
  roleAssignments(row: ConnectionRow): RoleAssignments {
    const c = row.connection
    if (row.kind === 'saml')
      return {
        connection: c.saml_connection_implicit_role_assignments as RoleAssignments['connection'],
        groups: c.saml_group_implicit_role_assignments as RoleAssignments['groups'],
      }
    if (row.kind === 'external')
      return {
        connection:
          c.external_connection_implicit_role_assignments as RoleAssignments['connection'],
        groups: c.external_group_implicit_role_assignments as RoleAssignments['groups'],
      }
    return { connection: [], groups: [] }
  }

  // --- sso.getConnections, sso.deleteConnection ---

  /** sso.getConnections: the organization's connections by kind (`stytch.sso` `get`). */
  list(organizationId: string, actor: Actor | null) {
    const org = this.scope(organizationId, actor, 'get')
    const rows = this.ofOrganization(org.organization_id)
    return {
      saml: rows.filter((r) => r.kind === 'saml'),
      oidc: rows.filter((r) => r.kind === 'oidc'),
      external: rows.filter((r) => r.kind === 'external'),
    }
  }

  /**
   * sso.deleteConnection (`stytch.sso` `delete`): the connection, the external connections of
   * other organizations that log in through it, and members' registrations with them, gone. The
   * default connection only while the organization has no other SAML or OIDC connection.
   */
  delete(organizationId: string, connectionId: string, actor: Actor | null): string {
    const org = this.scope(organizationId, actor, 'delete')
    const row = this.owned(org, connectionId, null)
    const others = this.ofOrganization(org.organization_id).filter(
      (r) => r.kind !== 'external' && r.connection.connection_id !== connectionId,
    )
    if (org.sso_default_connection_id === connectionId && others.length > 0)
      throw new StytchError('cannot_delete_default_sso_connection')
    for (const external of this.deps.store.externalsOf(connectionId)) this.remove(external)
    this.remove(row)
    return connectionId
  }

  /** An organization deleted: external connections elsewhere that log in through its own go. */
  forgetOrganization(organizationId: string): void {
    for (const row of this.ofOrganization(organizationId))
      for (const external of this.deps.store.externalsOf(row.connection.connection_id))
        if (external.connection.organization_id !== organizationId) this.remove(external)
    this.deps.store.deleteOrganization(organizationId)
  }

  // --- what the kinds share ---

  /**
   * The organization (id, slug or external id; 404 organization_not_found) an SSO call names,
   * with the actor (a member session's) in it and allowed `action` on `stytch.sso`.
   */
  scope(organizationId: string, actor: Actor | null, action: string): OrganizationObject {
    const org = this.deps.directory.organization(organizationId)
    this.deps.memberActions.within(actor, org.organization_id)
    this.deps.memberActions.require(actor, 'stytch.sso', action)
    return org
  }

  /**
   * The organization's connection (of `kind`, if named): unknown or of another kind 404
   * (saml_/oidc_/sso_connection_not_found), another organization's 400
   * sso_connection_organization_mismatch.
   */
  owned(org: OrganizationObject, connectionId: string, kind: ConnectionKind | null): ConnectionRow {
    const missing =
      kind === 'saml'
        ? 'saml_connection_not_found'
        : kind === 'oidc'
          ? 'oidc_connection_not_found'
          : 'sso_connection_not_found'
    const row = this.find(connectionId)
    if (!row) throw new StytchError(missing)
    if (row.connection.organization_id !== org.organization_id)
      throw new StytchError('sso_connection_organization_mismatch')
    if (kind && row.kind !== kind) throw new StytchError(missing)
    return row
  }

  /** Role ids of assignments must be the project's or the organization's roles. */
  checkRoles(organizationId: string, assignments: { role_id: string }[] | undefined): void {
    if (assignments)
      this.deps.rbac.checkRoles(
        organizationId,
        assignments.map((a) => a.role_id),
      )
  }

  /**
   * Stores a connection and keeps the organizations' fields in step: its own, and those of
   * organizations with external connections through it. A connection that becomes active while
   * the organization has no default becomes the default. With `rolesChanged` (its assignments or
   * attribute mapping), members' roles are worked out again.
   */
  save(
    kind: ConnectionKind,
    connection: StoredConnection,
    before: StoredConnection | null,
    rolesChanged: boolean,
  ): void {
    this.deps.store.put(kind, connection)
    const orgId = connection.organization_id
    const becameActive = connection.status === 'active' && before?.status !== 'active'
    this.syncOrganization(orgId, becameActive ? connection.connection_id : undefined)
    if (rolesChanged) this.deps.orgs.resolveRoles(orgId)
    if (kind === 'external') return
    for (const external of this.deps.store.externalsOf(connection.connection_id)) {
      this.syncOrganization(external.connection.organization_id)
      if (rolesChanged) this.deps.orgs.resolveRoles(external.connection.organization_id)
    }
  }

  /** A connection gone: from its organization's fields and its members' registrations. */
  private remove(row: ConnectionRow): void {
    const { connection_id: id, organization_id: orgId } = row.connection
    this.deps.store.delete(id)
    this.syncOrganization(orgId)
    for (const member of this.deps.orgs.membersOf(orgId)) {
      const registrations = (member.sso_registrations ?? []) as SsoRegistration[]
      if (registrations.some((r) => r.connection_id === id))
        this.deps.orgs.updateMember({
          ...member,
          sso_registrations: registrations.filter((r) => r.connection_id !== id),
        } as MemberObject)
    }
    this.deps.orgs.resolveRoles(orgId)
  }

  /**
   * The organization's SSO fields from its connections: sso_active_connections, the allowed
   * JIT connections and the default (only connections that exist), and `newDefault` as default
   * when it has none.
   */
  private syncOrganization(organizationId: string, newDefault?: string): void {
    const org = this.deps.orgs.organization(organizationId)
    if (!org) return
    const rows = this.ofOrganization(organizationId)
    const ids = new Set(rows.map((r) => r.connection.connection_id))
    const active = rows
      .filter((r) => r.connection.status === 'active')
      .map((r) => ({
        connection_id: r.connection.connection_id,
        display_name: r.connection.display_name,
        identity_provider: (this.sourceOf(r) ?? r).connection.identity_provider ?? 'generic',
      }))
    const allowed = (org.sso_jit_provisioning_allowed_connections as string[]).filter((id) =>
      ids.has(id),
    )
    const { sso_default_connection_id: current, ...rest } = org
    const kept = typeof current === 'string' && ids.has(current) ? current : undefined
    const chosen = kept ?? newDefault
    const next: OrganizationObject = {
      ...rest,
      sso_active_connections: active,
      sso_jit_provisioning_allowed_connections: allowed,
      ...(chosen ? { sso_default_connection_id: chosen } : {}),
    }
    if (JSON.stringify(next) !== JSON.stringify(org)) this.deps.orgs.updateOrganization(next)
  }

  /**
   * organizations.update's rules on the SSO settings (organizations' setting rule): the default
   * and the JIT-allowed connections must be this organization's connections (400
   * invalid_sso_default_connection_id, invalid_connection_for_jit_provisioning), and RESTRICTED
   * SSO JIT provisioning needs an allowed connection (400 invalid_restricted_sso_setting).
   */
  checkSettings(org: OrganizationObject, input: OrganizationSettings, creating: boolean): void {
    const ids = new Set(
      this.ofOrganization(org.organization_id).map((r) => r.connection.connection_id),
    )
    const chosen = input.sso_default_connection_id
    if (chosen && !ids.has(chosen)) throw new StytchError('invalid_sso_default_connection_id')
    for (const id of input.sso_jit_provisioning_allowed_connections ?? [])
      if (!ids.has(id)) throw new StytchError('invalid_connection_for_jit_provisioning')
    const touched =
      input.sso_jit_provisioning !== undefined ||
      input.sso_jit_provisioning_allowed_connections !== undefined
    if (
      !creating &&
      touched &&
      org.sso_jit_provisioning === 'RESTRICTED' &&
      (org.sso_jit_provisioning_allowed_connections as string[]).length === 0
    )
      throw new StytchError('invalid_restricted_sso_setting')
  }

  now(): number {
    return this.deps.clock.nowSeconds()
  }
}
