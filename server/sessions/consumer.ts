// Consumer sessions: create, authenticate (by token or JWT), revoke, list. Knows nothing of HTTP.
import { type Clock, rfc3339 } from '../clock.js'
import { StytchError } from '../errors.js'
import type { SessionRow, SessionStore } from '../store/sessions.js'
import type { UserObject, UserStore } from '../store/users.js'
import { newId, newSessionToken, SESSION_TOKEN_FORMAT } from '../tokens/ids.js'
import type { SessionJwts } from '../tokens/jwt.js'
import { isObject, mergeClaims, type JsonObject } from './claims.js'

export const SESSION_CLAIM = 'https://stytch.com/session'
export const MIN_DURATION = 5
export const MAX_DURATION = 527040

export interface AuthenticateInput {
  session_token?: string | undefined
  session_jwt?: string | undefined
  session_duration_minutes?: number | undefined
  session_custom_claims?: JsonObject | undefined
}

export type RevokeInput = { session_id?: string; session_token?: string; session_jwt?: string }

export interface CreateInput {
  user_id: string
  session_token?: string | undefined
  session_id?: string | undefined
  duration_minutes: number
  started_at?: string | undefined
  authentication_factors: unknown[]
  attributes?: JsonObject | undefined
  custom_claims?: JsonObject | undefined
  roles?: string[] | undefined
}

export interface SessionResult {
  session: ReturnType<typeof sessionObject>
  session_token: string
  session_jwt: string
  user: UserObject
}

export class ConsumerSessions {
  constructor(
    private readonly store: SessionStore,
    private readonly users: UserStore,
    private readonly jwts: SessionJwts,
    private readonly clock: Clock,
  ) {}

  async create(input: CreateInput): Promise<SessionResult> {
    const row = this.insert(input)
    return this.result(row, this.users.byId(row.user_id)!, row.last_accessed_at)
  }

  /** Stores a new session synchronously (fixtures seed through this inside one transaction). */
  insert(input: CreateInput): SessionRow {
    const now = this.clock.nowSeconds()
    if (!this.users.byId(input.user_id)) throw new StytchError('user_not_found')
    const row: SessionRow = {
      session_id: input.session_id ?? newId('session'),
      session_token: input.session_token ?? newSessionToken(),
      user_id: input.user_id,
      started_at: input.started_at ?? rfc3339(now),
      last_accessed_at: now,
      expires_at: now + input.duration_minutes * 60,
      authentication_factors: input.authentication_factors,
      attributes: input.attributes ?? { ip_address: '', user_agent: '' },
      custom_claims: input.custom_claims ? mergeClaims({}, input.custom_claims) : {},
      roles: input.roles ?? ['stytch_user'],
    }
    this.store.insert(row)
    return row
  }

  async authenticate(input: AuthenticateInput): Promise<SessionResult> {
    const hasToken = input.session_token !== undefined
    const hasJwt = input.session_jwt !== undefined
    if (hasToken && hasJwt) throw new StytchError('too_many_session_arguments')
    if (!hasToken && !hasJwt) throw new StytchError('no_session_arguments')
    checkDuration(input.session_duration_minutes)

    const found = hasToken
      ? this.byToken(input.session_token!)
      : await this.byJwt(input.session_jwt!)
    const now = this.clock.nowSeconds()
    const row = this.live(found, now)
    row.last_accessed_at = now
    if (input.session_duration_minutes !== undefined) {
      row.expires_at = now + input.session_duration_minutes * 60
    }
    if (input.session_custom_claims !== undefined) {
      row.custom_claims = mergeClaims(row.custom_claims, input.session_custom_claims)
    }
    // A revoke that landed since the lookup makes this update touch nothing: then the session is gone.
    if (!this.store.touch(row)) throw new StytchError('session_not_found')
    const user = this.users.byId(row.user_id)
    if (!user) throw new StytchError('session_not_found')
    return this.result(row, user, now)
  }

  async revoke(input: RevokeInput): Promise<void> {
    const given = [input.session_id, input.session_token, input.session_jwt].filter((v) => v !== undefined)
    if (given.length === 0) throw new StytchError('no_session_revoke_arguments')
    if (given.length > 1) throw new StytchError('too_many_session_revoke_arguments')
    let row: SessionRow | null
    if (input.session_id !== undefined) {
      if (!SESSION_ID_FORMAT.test(input.session_id)) throw new StytchError('invalid_session_id')
      row = this.store.byId(input.session_id)
    } else if (input.session_token !== undefined) {
      row = this.byToken(input.session_token)
    } else {
      row = await this.byJwt(input.session_jwt!)
    }
    const live = this.live(row, this.clock.nowSeconds())
    if (!this.store.delete(live.session_id)) throw new StytchError('session_not_found')
  }

  /** Active sessions of a user, found by user_id or external_id. */
  list(userId: string): ReturnType<typeof sessionObject>[] {
    const user = this.users.byId(userId) ?? this.users.byExternalId(userId)
    if (!user) throw new StytchError('user_not_found')
    return this.store.activeForUser(user.user_id, this.clock.nowSeconds()).map(sessionObject)
  }

  private byToken(token: string): SessionRow | null {
    if (!SESSION_TOKEN_FORMAT.test(token)) throw new StytchError('invalid_session_token')
    return this.store.byToken(token)
  }

  private async byJwt(jwt: string): Promise<SessionRow | null> {
    const claims = await this.jwts.verify(jwt)
    const session = claims[SESSION_CLAIM]
    if (!isObject(session) || typeof session.id !== 'string' || typeof claims.sub !== 'string') {
      throw new StytchError('jwt_invalid_claims')
    }
    const row = this.store.byId(session.id)
    return row && row.user_id === claims.sub ? row : null
  }

  /** Unknown, revoked and expired sessions all answer 404 session_not_found, as Stytch does. */
  private live(row: SessionRow | null, now: number): SessionRow {
    if (!row || row.expires_at <= now) throw new StytchError('session_not_found')
    return row
  }

  private async result(row: SessionRow, user: UserObject, now: number): Promise<SessionResult> {
    const session = sessionObject(row)
    const session_jwt = await this.jwts.sign(row.user_id, now, {
      ...row.custom_claims,
      [SESSION_CLAIM]: {
        id: row.session_id,
        started_at: session.started_at,
        last_accessed_at: session.last_accessed_at,
        expires_at: session.expires_at,
        attributes: row.attributes,
        authentication_factors: row.authentication_factors,
        roles: row.roles,
      },
    })
    return { session, session_token: row.session_token, session_jwt, user }
  }
}

export const SESSION_ID_FORMAT = /^session-(test|live)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export function checkDuration(minutes: number | undefined): void {
  if (minutes === undefined) return
  if (!Number.isInteger(minutes) || minutes < MIN_DURATION || minutes > MAX_DURATION) {
    throw new StytchError('invalid_session_duration_minutes')
  }
}

/** The wire `session` object. */
export function sessionObject(row: SessionRow) {
  return {
    session_id: row.session_id,
    user_id: row.user_id,
    started_at: row.started_at,
    last_accessed_at: rfc3339(row.last_accessed_at),
    expires_at: rfc3339(row.expires_at),
    attributes: row.attributes,
    authentication_factors: row.authentication_factors,
    custom_claims: row.custom_claims,
    roles: row.roles,
  }
}
