// B2B member sessions: /v1/b2b/sessions (authenticate, revoke, exchange between organizations,
// list, the JWKS) and their /sdk/v1 twins; revoke/{member_id}, the frontend's revokeForMember.
// Revoking every session of a member is RBAC-checked (stytch.member revoke-sessions) when a
// member asks: the frontend caller, or the backend call's X-Stytch-Member-Session header.
import { Hono } from 'hono'
import type { Platform } from '../../platform/platform.js'
import { StytchError } from '../../errors.js'
import {
  accessInput,
  jsonBody,
  queryInput,
  readInput,
  type AccessBody,
} from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import type { SessionArguments } from '../../platform/sessions/core.js'
import type { AuthorizationCheck } from '../../platform/sessions/rbac.js'
import { jwksHandler } from '../../platform/tokens/jwks-route.js'
import type { MemberActions } from './member-actions.js'

export function b2bSessionRoutes(world: Platform & { memberActions: MemberActions }) {
  const { members, memberActions } = world
  /**
   * A member's every session, revoked once the caller (if a member asks) may: `revoke-sessions`
   * on stytch.member, or on stytch.self for its own. Whether the caller was that member.
   */
  const revokeAll = async (memberId: string, caller: SessionArguments | undefined) => {
    const target = world.orgs.member(memberId)
    if (!target) throw new StytchError('member_not_found')
    const actor = caller ? await memberActions.actor(caller) : null
    memberActions.within(actor, target.organization_id)
    memberActions.onMember(actor, target.member_id, 'revoke-sessions')
    await members.revoke({ member_id: memberId })
    return actor?.member_id === memberId
  }
  const jwks = new Hono<AppEnv>().get('/v1/b2b/sessions/jwks/:project_id', jwksHandler(world))
  const api = new Hono<AppEnv>()

  api.post('/v1/b2b/sessions/authenticate', async (c) => {
    const body = await jsonBody<AccessBody & { authorization_check?: AuthorizationCheck }>(c)
    const result = await members.authenticate({
      ...accessInput(body),
      authorization_check: body.authorization_check,
    })
    const { member_session_id, member_id } = result.member_session
    c.set('subject', { session_id: member_session_id, member_id })
    return ok(c, result)
  })

  api.post('/v1/b2b/sessions/revoke', async (c) => {
    const body = await jsonBody<{
      member_session_id?: string
      session_token?: string
      session_jwt?: string
      member_id?: string
    }>(c)
    // The spec lets member_id come alone.
    if (body.member_id !== undefined) await revokeAll(body.member_id, memberActions.fromHeaders(c))
    else await members.revoke(body)
    return ok(c)
  })

  api.post('/v1/b2b/sessions/exchange', async (c) => {
    const body = await jsonBody<AccessBody & { organization_id: string }>(c)
    const result = await members.exchange({
      ...accessInput(body),
      organization_id: body.organization_id,
    })
    return ok(c, result)
  })

  api.get('/v1/b2b/sessions', async (c) => {
    const query = await queryInput<{ organization_id: string; member_id: string }>(c)
    return ok(c, { member_sessions: members.list(query.organization_id, query.member_id) })
  })

  const sdk = new Hono<AppEnv>()
  const { data, caller, handOver, clearCookies } = sdkCaller(world.config)
  const authenticated = {
    intermediate_session_token: '',
    member_authenticated: true,
    mfa_required: null,
    primary_required: null,
  }

  sdk.post('/sdk/v1/b2b/sessions/authenticate', async (c) => {
    const session = caller(c, 'B2B')
    const body = await jsonBody<{ session_duration_minutes?: number }>(c)
    const result = await members.authenticate({
      ...session,
      session_duration_minutes: body.session_duration_minutes,
    })
    const { member_session_id, member_id, expires_at } = result.member_session
    c.set('subject', { session_id: member_session_id, member_id })
    return data(c, { member_id, ...authenticated, ...handOver(c, result, expires_at) })
  })

  sdk.post('/sdk/v1/b2b/sessions/exchange', async (c) => {
    const session = caller(c, 'B2B')
    const body = await jsonBody<{ organization_id: string; session_duration_minutes?: number }>(c)
    const result = await members.exchange({
      ...session,
      organization_id: body.organization_id,
      session_duration_minutes: body.session_duration_minutes,
    })
    const expires = 'member_session' in result ? result.member_session.expires_at : undefined
    return data(c, handOver(c, result, expires))
  })

  sdk.post('/sdk/v1/b2b/sessions/revoke', async (c) => {
    const session = caller(c, 'B2B')
    await members.revoke(session)
    clearCookies(c)
    return data(c)
  })

  sdk.post('/sdk/v1/b2b/sessions/revoke/:member_id', async (c) => {
    const session = caller(c, 'B2B')
    const { params } = await readInput(c)
    // Its own sessions ended: the caller's cookies go too (HttpOnly mode).
    if (await revokeAll(params.member_id!, session)) clearCookies(c)
    return data(c)
  })

  return { public: jwks, api, sdk }
}
