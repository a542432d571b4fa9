// authorization_check, answered from the session's roles and an RBAC policy (Stytch's default
// roles, or the one in the fixtures). Stytch evaluates the project's policy; the mock has only this.
import { StytchError } from '../errors.js'

export interface RbacPolicy {
  roles: { role_id: string; permissions: { resource_id: string; actions: string[] }[] }[]
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
