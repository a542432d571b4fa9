// Stytch's built-in B2B RBAC resources and default roles: in every B2B project's policy, beside
// the project's own. The actions are those the `stytch` Node SDK's types and the B2B frontend
// SDK name (its methods' `@rbac` tags, its member, organization and admin-portal screens). Stytch's default roles grant them: `stytch_member` (every
// member) all of `stytch.self`, `stytch_admin` everything of every built-in resource.
import type { RbacPolicy } from './rbac.js'

export const STYTCH_RESOURCES = [
  {
    resource_id: 'stytch.organization',
    description: 'Access controls for the Organization.',
    actions: [
      'update.info.name',
      'update.info.slug',
      'update.info.logo-url',
      'update.settings.sso-jit-provisioning',
      'update.settings.email-jit-provisioning',
      'update.settings.email-invites',
      'update.settings.allowed-domains',
      'update.settings.default-sso-connection',
      'update.settings.mfa-policy',
      'update.settings.allowed-mfa-methods',
      'update.settings.allowed-auth-methods',
      'update.settings.implicit-roles',
      'update.settings.oauth-tenant-jit-provisioning',
      'update.settings.allowed-oauth-tenants',
      'delete',
    ],
  },
  {
    resource_id: 'stytch.member',
    description: 'Access controls for all Members in the Organization.',
    actions: [
      'create',
      'search',
      'update.info.name',
      'update.info.email',
      'update.info.untrusted-metadata',
      'update.info.mfa-phone',
      'update.info.delete.mfa-phone',
      'update.info.delete.mfa-totp',
      'update.info.delete.password',
      'update.info.unlink.retired-email',
      'update.settings.is-breakglass',
      'update.settings.mfa-enrolled',
      'update.settings.default-mfa-method',
      'update.settings.roles',
      'delete',
      'revoke-sessions',
      'get.connected-apps',
      'revoke.connected-app',
    ],
  },
  {
    resource_id: 'stytch.sso',
    description: 'Access controls for SSO Connections.',
    actions: ['create', 'get', 'update', 'delete'],
  },
  {
    resource_id: 'stytch.scim',
    description: 'Access controls for SCIM Connections.',
    actions: ['create', 'get', 'update', 'delete'],
  },
  {
    resource_id: 'stytch.self',
    description: "Access controls for the logged-in Member's own Member object.",
    actions: [
      'update.info.name',
      'update.info.email',
      'update.info.untrusted-metadata',
      'update.info.mfa-phone',
      'update.info.delete.mfa-phone',
      'update.info.delete.mfa-totp',
      'update.info.delete.password',
      'update.info.unlink.retired-email',
      'update.settings.mfa-enrolled',
      'update.settings.default-mfa-method',
      'delete',
      'revoke-sessions',
      'get.connected-apps',
      'revoke.connected-app',
    ],
  },
]

export type BuiltinResource = (typeof STYTCH_RESOURCES)[number]['resource_id']

const DEFAULT_GRANTS: Record<string, string[]> = {
  stytch_admin: STYTCH_RESOURCES.map((r) => r.resource_id),
  stytch_member: ['stytch.self'],
}

/**
 * The project's policy with Stytch's defaults in it: `stytch_admin` and `stytch_member` exist and
 * grant (first, with `*`) what Stytch's default roles grant; the project's own permissions follow.
 */
export function withStytchDefaults(project: RbacPolicy): RbacPolicy {
  const roles = [...project.roles]
  for (const role_id of Object.keys(DEFAULT_GRANTS))
    if (!roles.some((r) => r.role_id === role_id)) roles.push({ role_id, permissions: [] })
  return {
    ...project,
    roles: roles.map((role) => {
      const builtin = (DEFAULT_GRANTS[role.role_id] ?? []).map((resource_id) => ({
        resource_id,
        actions: ['*'],
      }))
      return builtin.length ? { ...role, permissions: [...builtin, ...role.permissions] } : role
    }),
  }
}
