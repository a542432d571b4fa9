import type { Db } from './db.js'

/** A consumer session as stored; timestamps in epoch seconds except the verbatim started_at. */
export interface SessionRow {
  session_id: string
  session_token: string
  user_id: string
  started_at: string
  last_accessed_at: number
  expires_at: number
  authentication_factors: unknown[]
  attributes: Record<string, unknown>
  custom_claims: Record<string, unknown>
  roles: string[]
}

interface RawRow {
  session_id: string
  session_token: string
  user_id: string
  started_at: string
  last_accessed_at: number
  expires_at: number
  authentication_factors: string
  attributes: string
  custom_claims: string
  roles: string
}

const COLUMNS =
  'session_id, session_token, user_id, started_at, last_accessed_at, expires_at, authentication_factors, attributes, custom_claims, roles'

export class SessionStore {
  readonly #insert
  readonly #byToken
  readonly #byId
  readonly #touch
  readonly #delete
  readonly #activeForUser

  constructor(db: Db) {
    this.#insert = db.prepare(
      `INSERT INTO sessions (${COLUMNS}) VALUES (@session_id, @session_token, @user_id, @started_at, @last_accessed_at, @expires_at, @authentication_factors, @attributes, @custom_claims, @roles)`,
    )
    this.#byToken = db.prepare<[string], RawRow>(`SELECT ${COLUMNS} FROM sessions WHERE session_token = ?`)
    this.#byId = db.prepare<[string], RawRow>(`SELECT ${COLUMNS} FROM sessions WHERE session_id = ?`)
    this.#touch = db.prepare<[number, number, string, string]>(
      'UPDATE sessions SET last_accessed_at = ?, expires_at = ?, custom_claims = ? WHERE session_id = ?',
    )
    this.#delete = db.prepare<[string]>('DELETE FROM sessions WHERE session_id = ?')
    this.#activeForUser = db.prepare<[string, number], RawRow>(
      `SELECT ${COLUMNS} FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY started_at, session_id`,
    )
  }

  insert(row: SessionRow): void {
    this.#insert.run({
      ...row,
      authentication_factors: JSON.stringify(row.authentication_factors),
      attributes: JSON.stringify(row.attributes),
      custom_claims: JSON.stringify(row.custom_claims),
      roles: JSON.stringify(row.roles),
    })
  }

  byToken(token: string): SessionRow | null {
    return fromRaw(this.#byToken.get(token))
  }

  byId(sessionId: string): SessionRow | null {
    return fromRaw(this.#byId.get(sessionId))
  }

  /** Records an access (last_accessed_at, expiry, custom claims); false if the session is gone. */
  touch(row: SessionRow): boolean {
    const { changes } = this.#touch.run(
      row.last_accessed_at,
      row.expires_at,
      JSON.stringify(row.custom_claims),
      row.session_id,
    )
    return changes > 0
  }

  /** Returns whether a session was deleted. */
  delete(sessionId: string): boolean {
    return this.#delete.run(sessionId).changes > 0
  }

  activeForUser(userId: string, nowSeconds: number): SessionRow[] {
    return this.#activeForUser.all(userId, nowSeconds).map((r) => fromRaw(r)!)
  }
}

function fromRaw(raw: RawRow | undefined): SessionRow | null {
  if (!raw) return null
  return {
    ...raw,
    authentication_factors: JSON.parse(raw.authentication_factors) as unknown[],
    attributes: JSON.parse(raw.attributes) as Record<string, unknown>,
    custom_claims: JSON.parse(raw.custom_claims) as Record<string, unknown>,
    roles: JSON.parse(raw.roles) as string[],
  }
}
