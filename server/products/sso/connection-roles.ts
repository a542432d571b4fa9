// The roles SSO grants a member (a RoleGranter, worked out on every member write): for each of
// its SSO registrations with a SAML connection of its organization (or an external connection
// through one), the connection's implicit roles (source `sso_connection`) and those of its groups
// the member's IdP attributes name (source `sso_connection_group`; the groups are the values of
// the registration's sso_attributes under the attribute mapping's `groups` name). OIDC
// connections grant none ("Implicit role assignments are not supported ... OIDC"). A session
// holds such a role only with a factor of that connection (platform/sessions/organizations.ts).
import type { RoleGrant } from '../../platform/sessions/organizations.js'
import type { RoleGranter } from '../../platform/sessions/organization-store.js'
import type { SsoConnections, SsoRegistration } from './connections.js'

/** An attribute's values as a list (the journey stores arrays; a lone string reads as one). */
const values = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? [value]
      : []

export function ssoRoleGranter(connections: SsoConnections): RoleGranter {
  return (member) => {
    const grants: RoleGrant[] = []
    for (const registration of (member.sso_registrations ?? []) as SsoRegistration[]) {
      const row = connections.find(registration.connection_id)
      // A connection of another organization grants nothing here.
      if (!row || row.connection.organization_id !== member.organization_id) continue
      if (connections.sourceOf(row)?.kind !== 'saml') continue
      const connection_id = row.connection.connection_id
      const assigned = connections.roleAssignments(row)
      for (const { role_id } of assigned.connection)
        grants.push({ role_id, source: { type: 'sso_connection', details: { connection_id } } })
      const groupsKey = connections.attributeMapping(row).groups
      const groups = groupsKey ? values(registration.sso_attributes?.[groupsKey]) : []
      for (const { role_id, group } of assigned.groups)
        if (groups.includes(group))
          grants.push({
            role_id,
            source: { type: 'sso_connection_group', details: { connection_id, group } },
          })
    }
    return grants
  }
}
