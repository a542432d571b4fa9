// OAuth's tables (server/products/oauth/): starts waiting at the consent page, the one-time tokens a consent
// hands to the app's redirect URL, the answers tests queue for the next starts, and attach tokens.
// SQL only.
import type { Db } from '../../platform/db.js'
import { AnswerQueue, OneTimeGrants } from '../../platform/login/stand-in-tables.js'

/** Its tables, made when the database opens (products/registry.ts). */
export const SCHEMA = `
-- OAuth (server/products/oauth/): a start waiting at the local consent page, the one-time token a consent
-- hands to the app's redirect URL, and answers tests queue for the next starts (all JSON bodies).
CREATE TABLE IF NOT EXISTS oauth_requests (
  request_id TEXT PRIMARY KEY,
  body       TEXT NOT NULL,
  expires_at INTEGER NOT NULL          -- epoch seconds
) STRICT;
CREATE TABLE IF NOT EXISTS oauth_grants (
  token      TEXT PRIMARY KEY,
  body       TEXT NOT NULL,
  expires_at INTEGER NOT NULL,         -- epoch seconds
  used       INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE IF NOT EXISTS oauth_answers (
  seq  INTEGER PRIMARY KEY,
  body TEXT NOT NULL
) STRICT;
-- oauth/attach: the user a consumer start with this token logs in as (its provider registration
-- added to them), taken once by that provider's start.
CREATE TABLE IF NOT EXISTS oauth_attach_tokens (
  token      TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL,
  provider   TEXT NOT NULL,          -- the provider's id (google)
  expires_at INTEGER NOT NULL        -- epoch seconds
) STRICT;
`

/** Which authenticate a token is for: consumer, B2B organization, or B2B discovery. */
export type OAuthFlow = 'oauth' | 'b2b_oauth' | 'discovery_oauth'

/** A start at the consent page: what the app asked for, until the person answers. */
export interface OAuthRequest {
  request_id: string
  flow: OAuthFlow
  provider: string
  organization_id: string | null
  /** Consumer and B2B: the login and signup redirect URLs; discovery: both the discovery one. */
  login_redirect_url: string
  signup_redirect_url: string
  /** PKCE: base64url SHA-256 of the verifier, when the start sent one. */
  code_challenge: string | null
  scopes: string[]
  expires_at: number
  /** oauth/attach: the user the login is for, whatever the identity (absent: none). */
  attach_user_id?: string | null
}

/** The identity a consent chose, behind a token the app redeems once. */
export interface OAuthGrant {
  token: string
  flow: OAuthFlow
  provider: string
  organization_id: string | null
  email: string
  name: string
  provider_subject: string
  code_challenge: string | null
  scopes: string[]
  expires_at: number
  /** oauth/attach: the user the login is for, whatever the identity (absent: none). */
  attach_user_id?: string | null
}

/** What a test says the next consent answers, instead of a person on the page. */
export interface OAuthAnswer {
  /** Only a start for this provider takes it; any provider when absent. */
  provider: string | null
  email: string | null
  name: string | null
  deny: boolean
}

export class OAuthStore {
  /** The one-time tokens a consent hands to the app's redirect URL. */
  readonly grants: OneTimeGrants<OAuthGrant>
  /** Answers tests queue for the next starts (/_mock/oauth/answers). */
  readonly answers: AnswerQueue<OAuthAnswer>
  readonly #putRequest
  readonly #takeRequest
  readonly #getRequest
  readonly #users
  readonly #members
  readonly #memberEmails
  readonly #member
  readonly #anyMember
  readonly #sweepRequests
  readonly #putAttach
  readonly #takeAttach
  readonly #sweepAttach
  readonly #forgetAttach
  readonly #registrationOwner

  constructor(db: Db) {
    this.grants = new OneTimeGrants(db, 'oauth_grants')
    this.answers = new AnswerQueue(db, 'oauth_answers')
    // The consent page's accounts to pick: the newest users; an organization's members; for
    // discovery, every member email once.
    this.#users = db.prepare<[number], AccountRow>(
      `SELECT email, trim(replace(coalesce(json_extract(body, '$.name.first_name'), '') || ' ' || coalesce(json_extract(body, '$.name.middle_name'), '') || ' ' || coalesce(json_extract(body, '$.name.last_name'), ''), '  ', ' ')) AS name FROM users WHERE email IS NOT NULL ORDER BY rowid DESC LIMIT ?`,
    )
    this.#members = db.prepare<[string, number], AccountRow>(
      `SELECT email, json_extract(body, '$.name') AS name FROM members WHERE organization_id = ? AND json_extract(body, '$.status') != 'deleted' ORDER BY rowid LIMIT ?`,
    )
    this.#member = db.prepare<[string, string], AccountRow>(
      `SELECT email, json_extract(body, '$.name') AS name FROM members WHERE organization_id = ? AND email = ? AND json_extract(body, '$.status') != 'deleted'`,
    )
    this.#anyMember = db.prepare<[string], AccountRow>(
      `SELECT email, json_extract(body, '$.name') AS name FROM members WHERE email = ? AND json_extract(body, '$.status') != 'deleted' ORDER BY rowid LIMIT 1`,
    )
    this.#memberEmails = db.prepare<[number], AccountRow>(
      `SELECT email, max(json_extract(body, '$.name')) AS name FROM members WHERE json_extract(body, '$.status') != 'deleted' GROUP BY email ORDER BY min(rowid) LIMIT ?`,
    )
    this.#putRequest = db.prepare<[string, string, number]>(
      'INSERT INTO oauth_requests (request_id, body, expires_at) VALUES (?, ?, ?)',
    )
    this.#getRequest = db.prepare<[string], { body: string }>(
      'SELECT body FROM oauth_requests WHERE request_id = ?',
    )
    this.#takeRequest = db.prepare<[string]>('DELETE FROM oauth_requests WHERE request_id = ?')
    this.#sweepRequests = db.prepare<[number]>('DELETE FROM oauth_requests WHERE expires_at <= ?')
    this.#putAttach = db.prepare<[string, string, string, number]>(
      'INSERT INTO oauth_attach_tokens (token, user_id, provider, expires_at) VALUES (?, ?, ?, ?)',
    )
    this.#takeAttach = db.prepare<[string, number], { user_id: string; provider: string }>(
      'DELETE FROM oauth_attach_tokens WHERE token = ? AND expires_at > ? RETURNING user_id, provider',
    )
    this.#sweepAttach = db.prepare<[number]>(
      'DELETE FROM oauth_attach_tokens WHERE expires_at <= ?',
    )
    this.#forgetAttach = db.prepare<[string]>('DELETE FROM oauth_attach_tokens WHERE user_id = ?')
    // The user one of whose providers[] is this registration (provider_type and subject).
    this.#registrationOwner = db.prepare<[string, string], { user_id: string }>(
      `SELECT user_id FROM users WHERE EXISTS (SELECT 1 FROM json_each(users.body, '$.providers') p WHERE json_extract(p.value, '$.provider_type') = ? AND json_extract(p.value, '$.provider_subject') = ?) LIMIT 1`,
    )
  }

  /** A deleted user's attach tokens. */
  forgetUser(userId: string): void {
    this.#forgetAttach.run(userId)
  }

  putAttach(token: string, userId: string, provider: string, expiresAt: number): void {
    this.#putAttach.run(token, userId, provider, expiresAt)
  }

  /** An attach token, used up: null when unknown, taken or expired. */
  takeAttach(token: string, now: number): { user_id: string; provider: string } | null {
    return this.#takeAttach.get(token, now) ?? null
  }

  /** The user who has this provider registration, if anyone does. */
  registrationOwner(providerType: string, providerSubject: string): string | null {
    return this.#registrationOwner.get(providerType, providerSubject)?.user_id ?? null
  }

  putRequest(request: OAuthRequest): void {
    this.#putRequest.run(request.request_id, JSON.stringify(request), request.expires_at)
  }

  request(requestId: string): OAuthRequest | null {
    const row = this.#getRequest.get(requestId)
    return row ? (JSON.parse(row.body) as OAuthRequest) : null
  }

  /** Answered once: false when another answer took it first. */
  takeRequest(requestId: string): boolean {
    return this.#takeRequest.run(requestId).changes === 1
  }

  /** Accounts the consent page offers: newest users, an organization's members, or all member emails. */
  accounts(of: { users: true } | { organization_id: string } | { members: true }, limit: number) {
    const rows =
      'users' in of
        ? this.#users.all(limit)
        : 'organization_id' in of
          ? this.#members.all(of.organization_id, limit)
          : this.#memberEmails.all(limit)
    return rows.map((r) => ({ email: r.email, name: r.name ?? '' }))
  }

  /** The organization's member with this email, or (discovery) any member with it; not deleted. */
  memberByEmail(of: { organization_id: string } | { members: true }, email: string) {
    const row =
      'organization_id' in of
        ? this.#member.get(of.organization_id, email)
        : this.#anyMember.get(email)
    return row ? { email: row.email, name: row.name ?? '' } : null
  }

  /** Deletes starts and tokens past their expiry: nothing can use them any more. */
  sweep(now: number): void {
    this.#sweepRequests.run(now)
    this.grants.sweep(now)
    this.#sweepAttach.run(now)
  }
}

/** The account's name as plain text (a user's name object joined: "Ada Lovelace"). */
interface AccountRow {
  email: string
  name: string | null
}
