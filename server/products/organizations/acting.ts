// Who an organization or member write runs as, and what Stytch's RBAC lets it do. From the
// backend API: the project (no check), or the member whose session the X-Stytch-Member-Session
// (-SessionJWT) header names; from the frontend SDK: always the caller's member session. A member
// is held to Stytch's built-in resources (stytch.organization, stytch.member, stytch.self) in its
// organization's policy, and may only act inside its own organization.
import { StytchError } from '../../errors.js'
import type { MemberSessions } from '../../platform/sessions/b2b.js'
import type { SessionArguments } from '../../platform/sessions/core.js'
import type { RbacPolicies } from '../../platform/sessions/rbac-policies.js'
import type { BuiltinResource } from '../../platform/sessions/rbac-builtins.js'

export interface Actor {
  member_id: string
  organization_id: string
  /** The session's roles. */
  roles: string[]
}

/** The member a session names, as an actor (its session must be live). */
export async function actorOf(members: MemberSessions, session: SessionArguments): Promise<Actor> {
  const { member_session } = await members.authenticate(session)
  return {
    member_id: member_session.member_id,
    organization_id: member_session.organization_id,
    roles: member_session.roles,
  }
}

export class Permissions {
  constructor(private readonly rbac: RbacPolicies) {}

  /** A member acts only inside its own organization (403 session_authorization_tenancy_error). */
  within(actor: Actor | null, organizationId: string): void {
    if (actor && actor.organization_id !== organizationId)
      throw new StytchError('session_authorization_tenancy_error')
  }

  /** The actor's roles must grant the action on the resource. */
  require(actor: Actor | null, resource: BuiltinResource, action: string): void {
    if (actor) this.rbac.require(actor, resource, action)
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
    this.rbac.require(actor, 'stytch.member', action)
  }

  /** Trusted metadata is the backend's alone: never written as a member. */
  noTrustedMetadata(actor: Actor | null, given: unknown): void {
    if (actor && given !== undefined) throw new StytchError('cannot_update_trusted_metadata')
  }

  private allows(actor: Actor, resource: BuiltinResource, action: string): boolean {
    try {
      this.rbac.require(actor, resource, action)
      return true
    } catch (err) {
      if (err instanceof StytchError) return false
      throw err
    }
  }
}
