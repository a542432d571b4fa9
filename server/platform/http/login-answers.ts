// What every login route shares, backend and frontend: the session input of a B2B login, and the
// user or member (and session) a login answered about, noted for the request journal.
import type { Context } from 'hono'
import type { JsonObject } from '../sessions/claims.js'
import type { AppEnv } from './env.js'

export interface B2BSessionBody {
  session_token?: string
  session_jwt?: string
  intermediate_session_token?: string
  session_duration_minutes?: number
  session_custom_claims?: JsonObject
}

export const b2bSessionInput = (body: B2BSessionBody) => ({
  session_token: body.session_token,
  session_jwt: body.session_jwt,
  // An empty intermediate session token is none (the SDK sends "" when it holds none).
  intermediate_session_token: body.intermediate_session_token || undefined,
  session_duration_minutes: body.session_duration_minutes,
  session_custom_claims: body.session_custom_claims,
})

/** The session of a consumer login's answer, for the request journal. */
export function noteSubject(
  c: Context<AppEnv>,
  result: { user_id: string; session?: { session_id: string } | undefined },
) {
  c.set('subject', {
    user_id: result.user_id,
    ...(result.session ? { session_id: result.session.session_id } : {}),
  })
}

/** The member (and session) a B2B login answered about, for the request journal. */
export function noteMember(
  c: Context<AppEnv>,
  result: { member_id: string; member_session?: { member_session_id: string } | null },
) {
  c.set('subject', {
    member_id: result.member_id,
    ...(result.member_session ? { session_id: result.member_session.member_session_id } : {}),
  })
}

/** What a backend consumer send (otps, magic links) says of whom it is for. */
export interface SendBody {
  create_user_as_pending?: boolean
  user_id?: string
  session_token?: string
  session_jwt?: string
}

/**
 * Whom a backend send is for: login_or_create anyone (a user made if new, pending if asked);
 * send an existing user, or the named user or session's user the address is added to.
 */
export const sendFor = (body: SendBody, create: boolean) => ({
  create,
  create_user_as_pending: body.create_user_as_pending,
  ...(create
    ? {}
    : { user_id: body.user_id, session_token: body.session_token, session_jwt: body.session_jwt }),
})
