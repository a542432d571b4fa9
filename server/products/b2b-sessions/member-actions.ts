// Member actions Stytch checks against the RBAC policy: a frontend SDK call runs as its session's
// member, a backend call as the member of the X-Stytch-Member-Session (or -SessionJWT) header when
// it sends one. The member must be of the organization acted on (403
// session_authorization_tenancy_error) and hold a role granting the action (403
// session_authorization_error). Products below this one in the registry use it as
// `memberActions`.
import type { Context } from 'hono'
import { header } from '../../platform/http/request.js'
import type { MemberSessions } from '../../platform/sessions/b2b.js'
import type { SessionArguments } from '../../platform/sessions/core.js'
import type { Directory } from '../../platform/sessions/directory.js'
import type { RbacPolicies } from '../../platform/sessions/rbac-policies.js'
import { StytchError } from '../../errors.js'

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

  /**
   * The session's member, allowed `action` on `resource_id` in the organization (an id or a
   * slug; none: the session's own); Stytch's 401, 403 and 404 otherwise.
   */
  async authorize(
    session: SessionArguments,
    check: { organization_id?: string | undefined; resource_id: string; action: string },
  ) {
    const { member, organization, member_session } = await this.deps.members.authenticate(session)
    const target =
      check.organization_id === undefined
        ? organization
        : this.deps.directory.organization(check.organization_id)
    if (target.organization_id !== organization.organization_id)
      throw new StytchError('session_authorization_tenancy_error')
    this.deps.rbac.authorize(
      member_session.roles,
      { ...check, organization_id: organization.organization_id },
      organization.organization_id,
      'session_authorization_error',
    )
    return { member, organization }
  }
}
