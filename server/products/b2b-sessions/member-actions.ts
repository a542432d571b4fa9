// Member actions Stytch checks against the RBAC policy: who a write runs as, and what its roles
// let it do. A frontend SDK call runs as its session's member; a backend call as the member of the
// X-Stytch-Member-Session (or -SessionJWT) header when it sends one, else as the project (no
// check). A member acts only inside its own organization (403
// session_authorization_tenancy_error) and only as a role grants (403
// session_authorization_error), held to Stytch's built-in resources (stytch.organization,
// stytch.member, stytch.self, ...) in its organization's policy. Products below this one in the
// registry use it as `memberActions`.
import type { Context } from 'hono'
import { StytchError } from '../../errors.js'
import { header } from '../../platform/http/request.js'
import type { MemberSessions } from '../../platform/sessions/b2b.js'
import type { SessionArguments } from '../../platform/sessions/core.js'
import type { Directory } from '../../platform/sessions/directory.js'
import type { BuiltinResource } from '../../platform/sessions/rbac-builtins.js'
import type { RbacPolicies } from '../../platform/sessions/rbac-policies.js'

/** The member a write runs as: null for the project itself (a backend call without a session). */
export interface Actor {
  member_id: string
  organization_id: string
  /** The session's roles. */
  roles: string[]
}

export class MemberActions {
  constructor(
    private readonly deps: { members: MemberSessions; rbac: RbacPolicies; directory: Directory },
  ) {}

  /** The member session a backend call runs as (the Node SDK's `authorization` option), if any. */
  fromHeaders(c: Context): SessionArguments | undefined {
    const token = header(c, 'x-stytch-member-session')
    if (token) return { session_token: token }
    const jwt = header(c, 'x-stytch-member-sessionjwt')
    return jwt ? { session_jwt: jwt } : undefined
  }

  /** The member a session names, as an actor (its session must be live). */
  async actor(session: SessionArguments): Promise<Actor> {
    const { member_session } = await this.deps.members.authenticate(session)
    return {
      member_id: member_session.member_id,
      organization_id: member_session.organization_id,
      roles: member_session.roles,
    }
  }

  /** A member acts only inside its own organization. */
  within(actor: Actor | null, organizationId: string): void {
    if (actor && actor.organization_id !== organizationId)
      throw new StytchError('session_authorization_tenancy_error')
  }

  /** The actor's roles must grant the action on the resource. */
  require(actor: Actor | null, resource: BuiltinResource, action: string): void {
    if (actor) this.deps.rbac.require(actor, resource, action)
  }

  /**
   * An action on a member: granted on stytch.member, or, when the target is the actor itself
   * and the action is one stytch.self has, on stytch.self (Stytch's "Alternatively, if the
   * Member Session matches the Member ..." rule).
   */
  onMember(actor: Actor | null, targetMemberId: string, action: string, selfToo = true): void {
    if (!actor) return
    if (selfToo && actor.member_id === targetMemberId && this.allows(actor, 'stytch.self', action))
      return
    this.deps.rbac.require(actor, 'stytch.member', action)
  }

  /** Trusted metadata is the backend's alone: never written as a member. */
  noTrustedMetadata(actor: Actor | null, given: unknown): void {
    if (actor && given !== undefined) throw new StytchError('cannot_update_trusted_metadata')
  }

  /**
   * The session's member, allowed `action` on `resource_id` in the organization (an id or a
   * slug; none: the session's own); Stytch's 401, 403 and 404 otherwise.
   */
  async authorize(
    session: SessionArguments,
    check: { organization_id?: string | undefined; resource_id: BuiltinResource; action: string },
  ) {
    const { member, organization, member_session } = await this.deps.members.authenticate(session)
    const target =
      check.organization_id === undefined
        ? organization
        : this.deps.directory.organization(check.organization_id)
    const actor = member_session
    this.within(actor, target.organization_id)
    this.require(actor, check.resource_id, check.action)
    return { member, organization }
  }

  private allows(actor: Actor, resource: BuiltinResource, action: string): boolean {
    try {
      this.deps.rbac.require(actor, resource, action)
      return true
    } catch (err) {
      if (err instanceof StytchError) return false
      throw err
    }
  }
}
