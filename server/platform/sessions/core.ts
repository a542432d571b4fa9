// What consumer and member sessions share: finding a live session by token or JWT, recording an
// access, creating, revoking and minting its JWT. Knows nothing of HTTP.
import { type Clock, rfc3339 } from '../../clock.js'
import { StytchError } from '../../errors.js'
import type { SessionKind, SessionRow, SessionStore } from './session-store.js'
import { newId, newSessionToken, SESSION_TOKEN_FORMAT, UUID } from '../tokens/ids.js'
import type { Claims, SessionJwts } from '../tokens/jwt.js'
import { AnswerCache } from './answer-cache.js'
import { isObject, mergeClaims, type JsonObject } from './claims.js'

export const SESSION_CLAIM = 'https://stytch.com/session'
export const MIN_DURATION = 5
export const MAX_DURATION = 527040

export interface SessionArguments {
  session_token?: string | undefined
  session_jwt?: string | undefined
}

export interface AccessInput extends SessionArguments {
  session_duration_minutes?: number | undefined
  session_custom_claims?: JsonObject | undefined
}

export interface NewSession {
  kind: SessionKind
  subject_id: string
  organization_id?: string | null
  session_token?: string | undefined
  session_id?: string | undefined
  duration_minutes: number
  /** Test control only: an expiry in epoch seconds instead of now + duration_minutes. */
  expires_at?: number | undefined
  /** Test control only: the first JWT's iat, for a JWT minted in the past. */
  jwt_issued_at?: number | undefined
  started_at?: string | undefined
  authentication_factors: unknown[]
  attributes?: JsonObject | undefined
  custom_claims?: JsonObject | undefined
  roles: string[]
}

/**
 * How a login was called. The frontend SDK sends the session and intermediate session it has
 * stored along with every login: a stale one must not block the login (`ifLive`); from the
 * backend API a session named in the call must be live.
 */
export interface LoginVia {
  ifLive: boolean
}
export const API: LoginVia = { ifLive: false }
export const SDK: LoginVia = { ifLive: true }

/** A factor replaces one of the same type and delivery method. */
export const mergeFactors = (factors: Factor[], factor: Factor): Factor[] => [
  ...factors.filter((f) => f.type !== factor.type || f.delivery_method !== factor.delivery_method),
  factor,
]

/** An authentication factor as sessions record it: a type, a delivery method and its details. */
export interface Factor {
  type: string
  delivery_method: string
  [detail: string]: unknown
}

/**
 * What a new session will take from a call, checked before anything is spent or written: custom
 * claims (their size) as a session would merge them. (The duration's range is the spec's rule.)
 */
export function checkSessionInput(input: {
  session_duration_minutes?: number | undefined
  session_custom_claims?: JsonObject | undefined
}): void {
  if (input.session_custom_claims !== undefined) mergeClaims({}, input.session_custom_claims)
}

export const SESSION_ID_FORMAT = new RegExp(`^(member-)?session-(test|live)-${UUID}$`)

/** A session an impersonation started: its expiry is fixed. */
const impersonated = (row: SessionRow) =>
  (row.authentication_factors as { type?: string }[]).some((f) => f.type === 'impersonated')

export class SessionCore {
  constructor(
    private readonly store: SessionStore,
    private readonly jwts: SessionJwts,
    private readonly clock: Clock,
  ) {}

  now(): number {
    return this.clock.nowSeconds()
  }

  insert(input: NewSession): SessionRow {
    const now = this.now()
    const row: SessionRow = {
      session_id:
        input.session_id ??
        (input.kind === 'member' ? `member-${newId('session')}` : newId('session')),
      kind: input.kind,
      session_token: input.session_token ?? newSessionToken(),
      subject_id: input.subject_id,
      organization_id: input.organization_id ?? null,
      started_at: input.started_at ?? rfc3339(now),
      last_accessed_at: now,
      expires_at: input.expires_at ?? now + input.duration_minutes * 60,
      authentication_factors: input.authentication_factors,
      attributes: input.attributes ?? { ip_address: '', user_agent: '' },
      custom_claims: input.custom_claims ? mergeClaims({}, input.custom_claims) : {},
      roles: input.roles,
    }
    this.store.insert(row)
    return row
  }

  /** The live session named by exactly one of session_token / session_jwt. */
  async find(kind: SessionKind, input: SessionArguments): Promise<SessionRow> {
    const hasToken = input.session_token !== undefined
    const hasJwt = input.session_jwt !== undefined
    if (hasToken && hasJwt) throw new StytchError('too_many_session_arguments')
    if (!hasToken && !hasJwt) throw new StytchError('no_session_arguments')
    const row = hasToken
      ? this.byToken(kind, input.session_token!)
      : await this.byJwt(kind, input.session_jwt!)
    return this.live(row)
  }

  /** Authenticate: find, then record the access, extend and merge claims as asked. */
  async access(kind: SessionKind, input: AccessInput): Promise<SessionRow> {
    const row = await this.find(kind, input)
    const { last_accessed_at: lastAccess, expires_at: expiry } = row
    const now = this.now()
    row.last_accessed_at = now
    // Impersonated sessions cannot be extended (Stytch's impersonation docs).
    if (input.session_duration_minutes !== undefined && !impersonated(row)) {
      row.expires_at = now + input.session_duration_minutes * 60
    }
    if (input.session_custom_claims !== undefined) {
      row.custom_claims = mergeClaims(row.custom_claims, input.session_custom_claims)
    }
    // Nothing to write when the same second already recorded an access (a busy test suite
    // authenticates each session many times a second); only the access, when that is all.
    const accessOnly = row.expires_at === expiry && input.session_custom_claims === undefined
    // A revoke that landed since the lookup makes this update touch nothing: then the session is gone.
    const stored =
      accessOnly && row.last_accessed_at === lastAccess
        ? true
        : accessOnly
          ? this.store.seen(row)
          : this.store.touch(row)
    if (!stored) throw new StytchError('session_not_found')
    return row
  }

  /**
   * A login's factor added to a live session (Stytch's "existing session" on an authenticate):
   * a factor of the same type and delivery method is replaced, the access recorded, and the
   * expiry moved when a duration is given.
   */
  addFactor(row: SessionRow, factor: Factor, durationMinutes: number | undefined): SessionRow {
    const now = this.now()
    row.authentication_factors = mergeFactors(row.authentication_factors as Factor[], factor)
    row.last_accessed_at = now
    if (durationMinutes !== undefined && !impersonated(row))
      row.expires_at = now + durationMinutes * 60
    if (!this.store.setFactors(row)) throw new StytchError('session_not_found')
    return row
  }

  /** Revokes the session named by exactly one of its id, token or JWT. */
  async revoke(
    kind: SessionKind,
    input: { session_id?: string | undefined } & SessionArguments,
  ): Promise<void> {
    const given = [input.session_id, input.session_token, input.session_jwt].filter(
      (v) => v !== undefined,
    )
    if (given.length === 0) throw new StytchError('no_session_revoke_arguments')
    if (given.length > 1) throw new StytchError('too_many_session_revoke_arguments')
    let row: SessionRow | null
    if (input.session_id !== undefined) {
      if (!SESSION_ID_FORMAT.test(input.session_id)) throw new StytchError('invalid_session_id')
      row = this.store.byId(kind, input.session_id)
    } else if (input.session_token !== undefined) {
      row = this.byToken(kind, input.session_token)
    } else {
      row = await this.byJwt(kind, input.session_jwt!)
    }
    if (!this.store.delete(this.live(row).session_id)) throw new StytchError('session_not_found')
  }

  /**
   * Told before revokeAllOf deletes a subject's sessions, with why (the inspector keeps the
   * sessions a call revoked: the row is gone after).
   */
  readonly beforeRevokeAll: ((
    kind: SessionKind,
    subjectId: string,
    exceptSessionId: string | undefined,
    reason: string,
  ) => void)[] = []

  /** Revokes every session of the user or member, but the one named `exceptSessionId`. */
  revokeAllOf(
    kind: SessionKind,
    subjectId: string,
    reason: string,
    exceptSessionId?: string,
  ): number {
    for (const listener of this.beforeRevokeAll) listener(kind, subjectId, exceptSessionId, reason)
    return this.store.deleteForSubject(kind, subjectId, exceptSessionId)
  }

  active(kind: SessionKind, subjectId: string): SessionRow[] {
    return this.store.activeFor(kind, subjectId, this.now())
  }

  /** Signs a fresh JWT for the session, iat = now; `extra` are claims beside the session claim. */
  mint(
    row: SessionRow,
    sessionClaim: JsonObject,
    extra: Claims,
    firstJwt: boolean,
    issuedAt = this.now(),
  ): Promise<string> {
    const claims = { ...row.custom_claims, ...extra, [SESSION_CLAIM]: sessionClaim }
    return this.jwts.sign(row.subject_id, issuedAt, claims, !firstJwt)
  }

  /** A cache of answers about sessions, each made once per session state and second. */
  answerCache(): AnswerCache {
    return new AnswerCache(this.store, () => this.jwts.activeKid)
  }

  /** Test control: ends a live session now, on the mock's clock. */
  expire(sessionId: string): void {
    if (!this.store.expire(sessionId, this.now())) throw new StytchError('session_not_found')
  }

  /**
   * Whose session a token or JWT names, live or not and without checking the JWT's signature:
   * scoped faults match on it before the call is handled.
   */
  subjectOf(input: SessionArguments): Subject | undefined {
    let row: SessionRow | null = null
    if (input.session_token !== undefined)
      row =
        this.store.byToken('consumer', input.session_token) ??
        this.store.byToken('member', input.session_token)
    else if (input.session_jwt !== undefined) {
      const id = sessionIdOfJwt(input.session_jwt)
      if (id) row = this.store.byId('consumer', id) ?? this.store.byId('member', id)
    }
    if (!row) return undefined
    return {
      session_id: row.session_id,
      ...(row.kind === 'consumer' ? { user_id: row.subject_id } : { member_id: row.subject_id }),
      ...(row.organization_id ? { organization_id: row.organization_id } : {}),
    }
  }

  private byToken(kind: SessionKind, token: string): SessionRow | null {
    if (!SESSION_TOKEN_FORMAT.test(token)) throw new StytchError('invalid_session_token')
    return this.store.byToken(kind, token)
  }

  private async byJwt(kind: SessionKind, jwt: string): Promise<SessionRow | null> {
    const claims = await this.jwts.verify(jwt)
    const session = claims[SESSION_CLAIM]
    if (!isObject(session) || typeof session.id !== 'string' || typeof claims.sub !== 'string') {
      throw new StytchError('jwt_invalid_claims')
    }
    const row = this.store.byId(kind, session.id)
    return row && row.subject_id === claims.sub ? row : null
  }

  /** Unknown, revoked and expired sessions all answer 404 session_not_found, as Stytch does. */
  /** The session as stored now, if it is still live (read again after a call awaited). */
  current(row: SessionRow): SessionRow | undefined {
    const now = this.store.byId(row.kind, row.session_id)
    return now && now.expires_at > this.now() ? now : undefined
  }

  private live(row: SessionRow | null): SessionRow {
    if (!row || row.expires_at <= this.now()) throw new StytchError('session_not_found')
    return row
  }
}

/** Who a call concerns, as far as the mock can tell. */
export interface Subject {
  session_id?: string
  user_id?: string
  member_id?: string
  organization_id?: string
}

/** The session id in a JWT's payload, read without verifying anything. */
function sessionIdOfJwt(jwt: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'))
    const id = (payload as Record<string, { id?: unknown }>)[SESSION_CLAIM]?.id
    return typeof id === 'string' ? id : undefined
  } catch {
    return undefined
  }
}

/** started_at / last_accessed_at / expires_at as Stytch renders them. */
export function timestamps(row: SessionRow) {
  return {
    started_at: row.started_at,
    last_accessed_at: rfc3339(row.last_accessed_at),
    expires_at: rfc3339(row.expires_at),
  }
}
