// The RBAC policies authorization_check answers from: the project's (the fixtures'), served as
// rbac.policy and in the frontend SDK's bootstrap (a B2B project's with Stytch's built-in
// resources and default roles, rbac-builtins.ts), and each organization's own roles (B2B
// rbac.organizations.setOrgPolicy), added to the project's roles for that organization's members,
// as the SDKs' local checks merge them. Organization policies live in the database, so reset and
// snapshots cover them.
import { StytchError } from '../../errors.js'
import type { Db } from '../db.js'
import type { OrganizationStore } from './organization-store.js'
import { authorize, bootstrapPolicy, type AuthorizationCheck, type RbacPolicy } from './rbac.js'
import { STYTCH_RESOURCES, withStytchDefaults, type BuiltinResource } from './rbac-builtins.js'

export type PolicyRole = ReturnType<typeof bootstrapPolicy>['roles'][number]
type Denied = Parameters<typeof authorize>[3]

export class RbacPolicies {
  /** The consumer project's policy as the API serves it (`*` resources spelled out). */
  readonly served: ReturnType<typeof bootstrapPolicy>
  /** The B2B project's: the same, with Stytch's built-in resources and default roles. */
  readonly servedB2B: ReturnType<typeof bootstrapPolicy>
  /** The B2B policy the mock's own checks evaluate (`*` resources included). */
  readonly #b2b: RbacPolicy
  readonly #get
  readonly #set
  constructor(
    db: Db,
    /** The fixtures' policy, `*` resources included: what the mock's own checks evaluate. */
    readonly project: RbacPolicy,
    private readonly orgs: OrganizationStore,
  ) {
    this.served = bootstrapPolicy(project)
    this.#b2b = withStytchDefaults(project)
    this.servedB2B = bootstrapPolicy(this.#b2b, STYTCH_RESOURCES)
    this.#get = db.prepare<[string], { body: string }>(
      'SELECT body FROM rbac_org_policies WHERE organization_id = ?',
    )
    this.#set = db.prepare<[string, string]>(
      'INSERT INTO rbac_org_policies (organization_id, body) VALUES (?, ?) ' +
        'ON CONFLICT (organization_id) DO UPDATE SET body = excluded.body',
    )
  }

  /** An organization's own roles; none until set. */
  orgPolicy(organizationId: string): { roles: PolicyRole[] } {
    const row = this.#get.get(organizationId)
    return { roles: row ? (JSON.parse(row.body) as PolicyRole[]) : [] }
  }

  /**
   * Replaces an organization's roles. Each must be new (not a project role, not twice), and grant
   * only actions the project's policy declares on its resources (`*` alone, or named actions).
   */
  setOrgPolicy(organizationId: string, roles: PolicyRole[]): { roles: PolicyRole[] } {
    const projectRoles = new Set(this.servedB2B.roles.map((r) => r.role_id))
    const resources = new Map(this.servedB2B.resources.map((r) => [r.resource_id, r.actions]))
    const seen = new Set<string>()
    const bad = (message: string) => new StytchError('invalid_argument', message)
    for (const role of roles) {
      if (projectRoles.has(role.role_id))
        throw bad(`Role ${role.role_id} is already defined in the project's RBAC policy.`)
      if (seen.has(role.role_id)) throw bad(`Role ${role.role_id} is defined twice.`)
      seen.add(role.role_id)
      for (const { resource_id, actions } of role.permissions) {
        const declared = resources.get(resource_id)
        if (!declared)
          throw bad(`Resource ${resource_id} is not defined in the project's RBAC policy.`)
        if (actions.includes('*') && actions.length > 1)
          throw bad(`Role ${role.role_id}: "*" must be the only action on ${resource_id}.`)
        const unknown = actions.find((a) => a !== '*' && !declared.includes(a))
        if (unknown !== undefined)
          throw bad(`Action ${unknown} is not defined on resource ${resource_id}.`)
      }
    }
    const stored = roles.map((r) => ({
      role_id: r.role_id,
      description: r.description ?? '',
      permissions: r.permissions.map((p) => ({ resource_id: p.resource_id, actions: p.actions })),
    }))
    this.#set.run(organizationId, JSON.stringify(stored))
    // The organization object carries them too (custom_roles): the frontend SDK merges them into
    // its local checks from there.
    const org = this.orgs.organization(organizationId)
    if (org) this.orgs.updateOrganization({ ...org, custom_roles: stored })
    return { roles: stored }
  }

  /**
   * The verdict for a session's roles: a user's by the project's roles; a member's (an
   * organization given) by the B2B policy's and the organization's own.
   */
  authorize(
    roles: string[],
    check: AuthorizationCheck,
    organizationId: string | null,
    denied: Denied,
  ) {
    const policy: RbacPolicy = organizationId
      ? { roles: [...this.#b2b.roles, ...this.orgPolicy(organizationId).roles] }
      : this.project
    return authorize(policy, roles, check, denied)
  }

  /**
   * Roles to give a member (or assign by email domain): each must be the B2B project's (Stytch's
   * defaults included) or the organization's own (400 invalid_rbac_role_id).
   */
  checkRoles(organizationId: string, roles: string[]): void {
    const known = new Set([
      ...this.servedB2B.roles.map((r) => r.role_id),
      ...this.orgPolicy(organizationId).roles.map((r) => r.role_id),
    ])
    const unknown = roles.find((role) => !known.has(role))
    if (unknown !== undefined)
      throw new StytchError(
        'invalid_rbac_role_id',
        `Role ${unknown} is not defined in the project's or the organization's RBAC policy.`,
      )
  }

  /**
   * A frontend SDK write (or a backend call with a member session) on one of Stytch's own
   * resources: allowed if one of the member's roles grants the action, else Stytch's 403
   * `session_authorization_error`.
   */
  require(
    member: { roles: string[]; organization_id: string },
    resource_id: BuiltinResource,
    action: string,
  ): void {
    this.authorize(
      member.roles,
      { resource_id, action },
      member.organization_id,
      'session_authorization_error',
    )
  }
}
