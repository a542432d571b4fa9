import { type Db, uncounted, writeCount } from '../db.js'

export type SessionKind = 'consumer' | 'member'

/** A session as stored; timestamps in epoch seconds except the verbatim started_at. */
export interface SessionRow {
  session_id: string
  kind: SessionKind
  session_token: string
  /** user_id for consumer sessions, member_id for member sessions. */
  subject_id: string
  organization_id: string | null
  started_at: string
  last_accessed_at: number
  expires_at: number
  authentication_factors: unknown[]
  attributes: Record<string, unknown>
  custom_claims: Record<string, unknown>
  roles: string[]
}

type JsonColumn = 'authentication_factors' | 'attributes' | 'custom_claims' | 'roles'

/** A session row as stored: its JSON columns unparsed. */
export type RawSessionRow = Omit<SessionRow, JsonColumn> & Record<JsonColumn, string>

/** A stored row with its JSON columns parsed (other columns, such as joined ones, kept). */
export function parseSessionRow<T extends RawSessionRow>(
  raw: T,
): Omit<T, JsonColumn> & Pick<SessionRow, JsonColumn> {
  return {
    ...raw,
    authentication_factors: JSON.parse(raw.authentication_factors) as unknown[],
    attributes: JSON.parse(raw.attributes) as Record<string, unknown>,
    custom_claims: JSON.parse(raw.custom_claims) as Record<string, unknown>,
    roles: JSON.parse(raw.roles) as string[],
  }
}

const COLUMNS =
  'session_id, kind, session_token, subject_id, organization_id, started_at, last_accessed_at, expires_at, authentication_factors, attributes, custom_claims, roles'

export class SessionStore {
  /** Each row this store handed out, with the stored text it was parsed from (answer-cache.ts). */
  readonly #readFrom = new WeakMap<SessionRow, ReadFrom>()
  readonly #insert
  readonly #byToken
  readonly #byId
  readonly #touch
  readonly #seen
  readonly #delete
  readonly #setFactors
  readonly #deleteForSubject
  readonly #activeFor
  readonly #tokenInUse
  readonly #expire

  constructor(private readonly db: Db) {
    this.#insert = db.prepare(
      `INSERT INTO sessions (${COLUMNS}) VALUES (@session_id, @kind, @session_token, @subject_id, @organization_id, @started_at, @last_accessed_at, @expires_at, @authentication_factors, @attributes, @custom_claims, @roles)`,
    )
    this.#byToken = db.prepare<[string, SessionKind], RawSessionRow>(
      `SELECT ${COLUMNS} FROM sessions WHERE session_token = ? AND kind = ?`,
    )
    this.#byId = db.prepare<[string, SessionKind], RawSessionRow>(
      `SELECT ${COLUMNS} FROM sessions WHERE session_id = ? AND kind = ?`,
    )
    this.#touch = db.prepare<[number, number, string, string]>(
      'UPDATE sessions SET last_accessed_at = ?, expires_at = ?, custom_claims = ? WHERE session_id = ?',
    )
    this.#seen = uncounted(
      db.prepare<[number, string]>('UPDATE sessions SET last_accessed_at = ? WHERE session_id = ?'),
    )
    this.#delete = db.prepare<[string]>('DELETE FROM sessions WHERE session_id = ?')
    this.#setFactors = db.prepare<[string, number, number, string]>(
      'UPDATE sessions SET authentication_factors = ?, last_accessed_at = ?, expires_at = ? WHERE session_id = ?',
    )
    this.#deleteForSubject = db.prepare<[string, SessionKind, string]>(
      'DELETE FROM sessions WHERE subject_id = ? AND kind = ? AND session_id != ?',
    )
    this.#activeFor = db.prepare<[string, SessionKind, number], RawSessionRow>(
      `SELECT ${COLUMNS} FROM sessions WHERE subject_id = ? AND kind = ? AND expires_at > ? ORDER BY started_at, session_id`,
    )
    this.#expire = db.prepare<[number, string, number]>(
      'UPDATE sessions SET expires_at = ? WHERE session_id = ? AND expires_at > ?',
    )
    this.#tokenInUse = db.prepare<[string], { x: number }>(
      'SELECT 1 AS x FROM sessions WHERE session_token = ?',
    )
  }

  tokenInUse(token: string): boolean {
    return this.#tokenInUse.get(token) !== undefined
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

  byToken(kind: SessionKind, token: string): SessionRow | null {
    return this.#read(this.#byToken.get(token, kind))
  }

  byId(kind: SessionKind, sessionId: string): SessionRow | null {
    return this.#read(this.#byId.get(sessionId, kind))
  }

  #read(raw: RawSessionRow | undefined): SessionRow | null {
    if (!raw) return null
    const row = parseSessionRow(raw)
    this.#readFrom.set(row, {
      raw,
      authentication_factors: row.authentication_factors,
      attributes: row.attributes,
      custom_claims: row.custom_claims,
      roles: row.roles,
    })
    return row
  }

  /**
   * The stored text a row was read from, while the row's JSON fields are still the very values
   * parsed from it (no caller replaced one); else undefined. Its scalar fields may have moved
   * since: compare them.
   */
  readFrom(row: SessionRow): RawSessionRow | undefined {
    const from = this.#readFrom.get(row)
    return from &&
      from.authentication_factors === row.authentication_factors &&
      from.attributes === row.attributes &&
      from.custom_claims === row.custom_claims &&
      from.roles === row.roles
      ? from.raw
      : undefined
  }

  /** After a login added a factor to a live session: its factors, access and expiry. */
  setFactors(row: SessionRow): boolean {
    const { changes } = this.#setFactors.run(
      JSON.stringify(row.authentication_factors),
      row.last_accessed_at,
      row.expires_at,
      row.session_id,
    )
    return changes > 0
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

  /**
   * Records an access and nothing else: last_accessed_at moved to a new second. Not counted as a
   * write (db.ts's writeCount): an answer about this session made before it is of an earlier
   * second, which nobody hands out again, and no other answer shows this row.
   */
  seen(row: SessionRow): boolean {
    return this.#seen.run(row.last_accessed_at, row.session_id).changes > 0
  }

  /** The database's write count (db.ts), for answers made from what the stores read. */
  writes(): number {
    return writeCount(this.db)
  }

  /**
   * Ends a live session (of either kind): its expiry becomes the epoch, before any time the
   * mock's clock can show, so no later clock change revives it. False if there is none.
   */
  expire(sessionId: string, nowSeconds: number): boolean {
    return this.#expire.run(0, sessionId, nowSeconds).changes > 0
  }

  /** Returns whether a session was deleted. */
  delete(sessionId: string): boolean {
    return this.#delete.run(sessionId).changes > 0
  }

  /** Deletes every session of a user or member; returns how many. */
  /** Every session of the subject, but the one named `except` (if any). */
  deleteForSubject(kind: SessionKind, subjectId: string, except = ''): number {
    return this.#deleteForSubject.run(subjectId, kind, except).changes
  }

  activeFor(kind: SessionKind, subjectId: string, nowSeconds: number): SessionRow[] {
    return this.#activeFor.all(subjectId, kind, nowSeconds).map((r) => fromRaw(r)!)
  }
}

const fromRaw = (raw: RawSessionRow | undefined): SessionRow | null =>
  raw ? parseSessionRow(raw) : null

/** A row's stored text, and the values its JSON fields were parsed into. */
type ReadFrom = { raw: RawSessionRow } & Pick<SessionRow, JsonColumn>
