// Read-only queries for the inspector page (server/inspector/): pages of sessions, users and
// organizations with who they belong to, and every signing key including retired ones. Nothing
// here writes; the page changes state only through the same code paths as the /_mock API.
import type { Db } from '../platform/db.js'
import {
  parseSessionRow,
  type RawSessionRow,
  type SessionKind,
  type SessionRow,
} from '../platform/sessions/session-store.js'

/** A stored session with the email and organization slug of whoever it belongs to. */
export interface SessionListRow extends SessionRow {
  email: string | null
  organization_slug: string | null
}

export interface SessionFilter {
  /** active: expires_at > now; expired: expires_at <= now; any: both. */
  state: 'any' | 'active' | 'expired'
  /** Epoch seconds: the mock's now. */
  now: number
  /** Part of a session id, user or member id, token, email or organization slug; '' for all. */
  q: string
  /** Only sessions whose last access (so their current JWT) falls in [fromMs, toMs). */
  accessedFromMs: number | null
  accessedToMs: number | null
}

export interface UserListRow {
  body: Record<string, unknown> & { user_id: string }
  active: number
  expired: number
}

export interface OrganizationListRow {
  body: Record<string, unknown> & { organization_id: string; organization_slug: string }
  members: number
}

export interface MemberListRow {
  body: Record<string, unknown> & { member_id: string; email_address: string }
  active: number
  expired: number
}

/** Every signing key ever stored (retired ones too), without its private key. */
export interface KeyHistoryRow {
  kid: string
  certificate_pem: string
  created_at: number
  retired_at: number | null
}

/** A session row as stored: its JSON columns unparsed (cheap to read on a hot path). */
export type StoredSession = RawSessionRow

type RawSession = RawSessionRow & Pick<SessionListRow, 'email' | 'organization_slug'>

const COLUMNS =
  's.session_id, s.kind, s.session_token, s.subject_id, s.organization_id, s.started_at, s.last_accessed_at, s.expires_at, s.authentication_factors, s.attributes, s.custom_claims, s.roles'
const WHO = `CASE s.kind WHEN 'consumer' THEN u.email ELSE m.email END AS email, o.organization_slug`
const JOINS = `LEFT JOIN users u ON s.kind = 'consumer' AND u.user_id = s.subject_id
  LEFT JOIN members m ON s.kind = 'member' AND m.member_id = s.subject_id
  LEFT JOIN organizations o ON o.organization_id = s.organization_id`
// The state and the access window need no join; the search does.
const STATE_WHERE = `(@state = 'any' OR (@state = 'active' AND s.expires_at > @now) OR (@state = 'expired' AND s.expires_at <= @now))
  AND (@from IS NULL OR s.last_accessed_at * 1000 + 999 >= @from)
  AND (@to IS NULL OR s.last_accessed_at * 1000 + 999 < @to)`
const SEARCH_WHERE = `(@q = '' OR instr(s.session_id, @q) > 0 OR instr(s.subject_id, @q) > 0
  OR s.session_token = @q OR instr(lower(coalesce(u.email, m.email, '')), lower(@q)) > 0
  OR coalesce(o.organization_slug, '') = @q OR coalesce(s.organization_id, '') = @q)`

export class InspectorStore {
  readonly #page
  readonly #count
  readonly #countSearch
  readonly #stateCounts
  readonly #byId
  readonly #byToken
  readonly #forSubject
  readonly #users
  readonly #countUsers
  readonly #orgs
  readonly #countOrgs
  readonly #members
  readonly #keys
  readonly #storedByToken
  readonly #storedById
  readonly #storedOf
  readonly #owner

  constructor(db: Db) {
    // Plain, join-free reads by unique keys: what the API observers run around a revoke.
    const STORED = `SELECT ${COLUMNS} FROM sessions s`
    this.#storedByToken = db.prepare<[string], StoredSession>(`${STORED} WHERE s.session_token = ?`)
    this.#storedById = db.prepare<[string], StoredSession>(`${STORED} WHERE s.session_id = ?`)
    this.#storedOf = db.prepare<[string, SessionKind], StoredSession>(
      `${STORED} WHERE s.subject_id = ? AND s.kind = ?`,
    )
    this.#owner = db.prepare<
      [SessionKind, string, string, string | null],
      { email: string | null; organization_slug: string | null }
    >(
      `SELECT CASE ? WHEN 'consumer' THEN (SELECT email FROM users WHERE user_id = ?)
         ELSE (SELECT email FROM members WHERE member_id = ?) END AS email,
         (SELECT organization_slug FROM organizations WHERE organization_id = ?) AS organization_slug`,
    )
    this.#page = db.prepare<[Record<string, unknown>], RawSession>(
      `SELECT ${COLUMNS}, ${WHO} FROM sessions s ${JOINS}
       WHERE ${STATE_WHERE} AND ${SEARCH_WHERE}
       ORDER BY s.rowid DESC LIMIT @limit OFFSET @offset`,
    )
    this.#count = db.prepare<[Record<string, unknown>], { n: number }>(
      `SELECT count(*) AS n FROM sessions s WHERE ${STATE_WHERE}`,
    )
    this.#countSearch = db.prepare<[Record<string, unknown>], { n: number }>(
      `SELECT count(*) AS n FROM sessions s ${JOINS} WHERE ${STATE_WHERE} AND ${SEARCH_WHERE}`,
    )
    this.#stateCounts = db.prepare<[number], { total: number; active: number | null }>(
      'SELECT count(*) AS total, sum(expires_at > ?) AS active FROM sessions',
    )
    this.#byId = db.prepare<[string], RawSession>(
      `SELECT ${COLUMNS}, ${WHO} FROM sessions s ${JOINS} WHERE s.session_id = ?`,
    )
    this.#byToken = db.prepare<[string], RawSession>(
      `SELECT ${COLUMNS}, ${WHO} FROM sessions s ${JOINS} WHERE s.session_token = ?`,
    )
    this.#forSubject = db.prepare<[string, SessionKind, number], RawSession>(
      `SELECT ${COLUMNS}, ${WHO} FROM sessions s ${JOINS}
       WHERE s.subject_id = ? AND s.kind = ? ORDER BY s.rowid DESC LIMIT ?`,
    )
    const userSearch = `(@q = '' OR instr(lower(coalesce(u.email, '')), lower(@q)) > 0
      OR instr(u.user_id, @q) > 0 OR coalesce(u.external_id, '') = @q)`
    this.#users = db.prepare<
      [Record<string, unknown>],
      { body: string; active: number; expired: number }
    >(
      `SELECT u.body,
         (SELECT count(*) FROM sessions s WHERE s.subject_id = u.user_id AND s.kind = 'consumer' AND s.expires_at > @now) AS active,
         (SELECT count(*) FROM sessions s WHERE s.subject_id = u.user_id AND s.kind = 'consumer' AND s.expires_at <= @now) AS expired
       FROM users u WHERE ${userSearch} ORDER BY u.rowid DESC LIMIT @limit OFFSET @offset`,
    )
    this.#countUsers = db.prepare<[Record<string, unknown>], { n: number }>(
      `SELECT count(*) AS n FROM users u WHERE ${userSearch}`,
    )
    const orgSearch = `(@q = '' OR instr(o.organization_slug, lower(@q)) > 0 OR instr(o.organization_id, @q) > 0)`
    this.#orgs = db.prepare<[Record<string, unknown>], { body: string; members: number }>(
      `SELECT o.body, (SELECT count(*) FROM members m WHERE m.organization_id = o.organization_id) AS members
       FROM organizations o WHERE ${orgSearch} ORDER BY o.rowid DESC LIMIT @limit OFFSET @offset`,
    )
    this.#countOrgs = db.prepare<[Record<string, unknown>], { n: number }>(
      `SELECT count(*) AS n FROM organizations o WHERE ${orgSearch}`,
    )
    this.#members = db.prepare<
      [number, number, string, number],
      { body: string; active: number; expired: number }
    >(
      `SELECT m.body,
         (SELECT count(*) FROM sessions s WHERE s.subject_id = m.member_id AND s.kind = 'member' AND s.expires_at > ?) AS active,
         (SELECT count(*) FROM sessions s WHERE s.subject_id = m.member_id AND s.kind = 'member' AND s.expires_at <= ?) AS expired
       FROM members m WHERE m.organization_id = ? ORDER BY m.rowid LIMIT ?`,
    )
    this.#keys = db.prepare<[], KeyHistoryRow>(
      'SELECT kid, certificate_pem, created_at, retired_at FROM signing_keys ORDER BY created_at, kid',
    )
  }

  /** A page of sessions, newest first, and how many match. */
  sessions(
    filter: SessionFilter,
    limit: number,
    offset: number,
  ): { rows: SessionListRow[]; total: number } {
    const params = {
      state: filter.state,
      now: filter.now,
      q: filter.q,
      from: filter.accessedFromMs,
      to: filter.accessedToMs,
    }
    const rows = this.#page.all({ ...params, limit, offset }).map(fromRaw)
    const total = (filter.q === '' ? this.#count : this.#countSearch).get(params)!.n
    return { rows, total }
  }

  /** How many sessions are stored, and how many of them are active at `now`. */
  stateCounts(now: number): { total: number; active: number } {
    const row = this.#stateCounts.get(now)!
    return { total: row.total, active: row.active ?? 0 }
  }

  /** A stored session of either kind, live or not. */
  session(sessionId: string): SessionListRow | null {
    const raw = this.#byId.get(sessionId)
    return raw ? fromRaw(raw) : null
  }

  sessionByToken(token: string): SessionListRow | null {
    const raw = this.#byToken.get(token)
    return raw ? fromRaw(raw) : null
  }

  /** Every stored session of a user or member (live or not), newest first. */
  sessionsOf(kind: SessionKind, subjectId: string, limit = 200): SessionListRow[] {
    return this.#forSubject.all(subjectId, kind, limit).map(fromRaw)
  }

  users(
    q: string,
    now: number,
    limit: number,
    offset: number,
  ): { rows: UserListRow[]; total: number } {
    const rows = this.#users.all({ q, now, limit, offset }).map((r) => ({
      body: JSON.parse(r.body) as UserListRow['body'],
      active: r.active,
      expired: r.expired,
    }))
    return { rows, total: this.#countUsers.get({ q })!.n }
  }

  organizations(
    q: string,
    limit: number,
    offset: number,
  ): { rows: OrganizationListRow[]; total: number } {
    const rows = this.#orgs.all({ q, limit, offset }).map((r) => ({
      body: JSON.parse(r.body) as OrganizationListRow['body'],
      members: r.members,
    }))
    return { rows, total: this.#countOrgs.get({ q })!.n }
  }

  /** An organization's members (the first `limit`), with their session counts. */
  members(organizationId: string, now: number, limit = 200): MemberListRow[] {
    return this.#members.all(now, now, organizationId, limit).map((r) => ({
      body: JSON.parse(r.body) as MemberListRow['body'],
      active: r.active,
      expired: r.expired,
    }))
  }

  storedByToken(token: string): StoredSession | undefined {
    return this.#storedByToken.get(token)
  }

  storedById(sessionId: string): StoredSession | undefined {
    return this.#storedById.get(sessionId)
  }

  storedOf(kind: SessionKind, subjectId: string): StoredSession[] {
    return this.#storedOf.all(subjectId, kind)
  }

  /** A stored row, parsed, with its owner's email and organization slug (looked up now). */
  withOwner(stored: StoredSession): SessionListRow {
    const owner = this.#owner.get(
      stored.kind,
      stored.subject_id,
      stored.subject_id,
      stored.organization_id,
    )!
    return fromRaw({ ...stored, ...owner })
  }

  /** Every key, oldest first: live ones and retired ones (reset forgets all but the configured). */
  keyHistory(): KeyHistoryRow[] {
    return this.#keys.all()
  }
}

const fromRaw = (raw: RawSession): SessionListRow => parseSessionRow(raw)
