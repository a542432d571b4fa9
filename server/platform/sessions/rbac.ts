// authorization_check, answered from the session's roles and an RBAC policy (Stytch's default
// roles, or the one in the fixtures). Stytch evaluates the project's policy; the mock has only this.
import { StytchError } from '../../errors.js'

export interface RbacPolicy {
  roles: { role_id: string; permissions: { resource_id: string; actions: string[] }[] }[]
  /** OAuth scopes a Connected App may ask for, each with the permissions a grant of it needs. */
  scopes?: RbacScope[]
}

export interface RbacScope {
  scope: string
  description?: string
  permissions: { resource_id: string; actions: string[] }[]
}

export interface AuthorizationCheck {
  organization_id?: string
  resource_id: string
  action: string
}

/** Stytch's built-in admin role may do everything; other roles only what a policy grants. */
export const DEFAULT_POLICY: RbacPolicy = {
  roles: [{ role_id: 'stytch_admin', permissions: [{ resource_id: '*', actions: ['*'] }] }],
}

/**
 * The policy as the API serves it and the frontend SDK's bootstrap carries it, from the same
 * source the backend's authorization_check uses. The SDK matches resources exactly (no `*`
 * resource: see its `callerIsAuthorized`), so a `*` resource becomes one permission per resource
 * the policy knows: the `declared` ones (Stytch's built-ins, with their own action lists) and
 * those its roles name.
 */
export function bootstrapPolicy(
  policy: RbacPolicy,
  declared: { resource_id: string; description: string; actions: string[] }[] = [],
) {
  const known = new Set(declared.map((r) => r.resource_id))
  const actions = new Map<string, Set<string>>()
  for (const role of policy.roles)
    for (const p of role.permissions)
      if (p.resource_id !== '*' && !known.has(p.resource_id)) {
        const names = actions.get(p.resource_id) ?? new Set<string>()
        for (const action of p.actions) names.add(action)
        actions.set(p.resource_id, names)
      }
  const resources = [
    ...declared,
    ...[...actions].map(([resource_id, names]) => ({
      resource_id,
      description: '',
      actions: [...names],
    })),
  ]
  return {
    roles: policy.roles.map((role) => ({
      role_id: role.role_id,
      description: '',
      permissions: role.permissions.flatMap((p) =>
        p.resource_id === '*'
          ? resources
              .filter(
                (r) =>
                  !role.permissions.some(
                    (q) => q.resource_id === r.resource_id && q.actions.includes('*'),
                  ),
              )
              .map((r) => ({ resource_id: r.resource_id, actions: p.actions }))
          : [p],
      ),
    })),
    resources,
    scopes: (policy.scopes ?? []).map((s) => ({
      scope: s.scope,
      description: s.description ?? '',
      permissions: s.permissions,
    })),
  }
}

export function authorize(
  policy: RbacPolicy,
  roles: string[],
  check: AuthorizationCheck,
  denied: 'session_authorization_error' | 'consumer_session_authorization_error',
): { authorized: true; granting_roles: string[] } {
  const granting_roles = policy.roles
    .filter((role) => roles.includes(role.role_id))
    .filter((role) =>
      role.permissions.some(
        (p) =>
          (p.resource_id === '*' || p.resource_id === check.resource_id) &&
          (p.actions.includes('*') || p.actions.includes(check.action)),
      ),
    )
    .map((role) => role.role_id)
  if (granting_roles.length === 0) throw new StytchError(denied)
  return { authorized: true, granting_roles }
}
