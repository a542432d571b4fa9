// The SSO login journey's tables: starts waiting at the identity provider, the one-time tokens the
// ACS / callback hands to the app, answers tests queue, assertions already seen (replay), the
// stand-in identity provider's key, its OIDC codes, and the tokens OIDC logins leave. SQL only.
import type { Db } from '../../platform/db.js'
import { AnswerQueue, OneTimeGrants } from '../../platform/login/stand-in-tables.js'

export const JOURNEY_SCHEMA = `
-- SSO logins (server/products/sso/): a start waiting for the identity provider's answer (its
-- request_id is the RelayState / OIDC state; authn_request_id the AuthnRequest's ID).
CREATE TABLE IF NOT EXISTS sso_requests (
  request_id       TEXT PRIMARY KEY,
  authn_request_id TEXT NOT NULL,
  body             TEXT NOT NULL,
  expires_at       INTEGER NOT NULL      -- epoch seconds
) STRICT;
CREATE INDEX IF NOT EXISTS sso_requests_by_authn ON sso_requests (authn_request_id);
-- The one-time token the ACS / callback hands to the app (stytch_token_type=sso).
CREATE TABLE IF NOT EXISTS sso_grants (
  token      TEXT PRIMARY KEY,
  body       TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used       INTEGER NOT NULL DEFAULT 0
) STRICT;
-- Answers tests queue for the next starts (/_mock/sso/answers).
CREATE TABLE IF NOT EXISTS sso_answers (
  seq  INTEGER PRIMARY KEY,
  body TEXT NOT NULL
) STRICT;
-- SAML assertion IDs the ACS accepted, until they expire: a second use is a replay.
CREATE TABLE IF NOT EXISTS sso_assertions_seen (
  assertion_id TEXT PRIMARY KEY,
  expires_at   INTEGER NOT NULL
) STRICT;
-- The stand-in identity provider's signing key and self-signed certificate (PEM), made once.
CREATE TABLE IF NOT EXISTS sso_idp_keys (
  name        TEXT PRIMARY KEY,
  private_key TEXT NOT NULL,
  certificate TEXT NOT NULL
) STRICT;
-- The stand-in OIDC provider's authorization codes: the identity its page answered.
CREATE TABLE IF NOT EXISTS sso_oidc_codes (
  code       TEXT PRIMARY KEY,
  body       TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
-- organizations.members.oidcProviders: the tokens a member's last OIDC login left, per connection.
CREATE TABLE IF NOT EXISTS sso_oidc_tokens (
  member_id       TEXT NOT NULL,
  connection_id   TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  body            TEXT NOT NULL,
  PRIMARY KEY (member_id, connection_id)
) STRICT;
`

/** An identity an identity provider vouches for, in Stytch's terms (after the mapping). */
export interface SsoIdentity {
  email: string
  /** The member's name from the mapping ('' when the IdP sent none). */
  name: string
  /** sso_registrations[].external_id: the idp_user_id attribute, else the NameID / OIDC sub. */
  external_id: string
  /** The attributes as the IdP sent them, by the IdP's names (sso_attributes). */
  attributes: Record<string, string[]>
  /** The mapping's other keys: they go to trusted_metadata. */
  trusted: Record<string, string>
}

/** A start waiting for the identity provider. */
export interface SsoRequest {
  request_id: string
  authn_request_id: string
  /** The connection logged in with (an external connection, or the IdP's own). */
  connection_id: string
  /** The SAML or OIDC connection whose identity provider answers. */
  source_connection_id: string
  organization_id: string
  kind: 'saml' | 'oidc'
  login_redirect_url: string
  signup_redirect_url: string
  code_challenge: string | null
  scopes: string[]
  provider_params: Record<string, string>
  expires_at: number
}

/** A verified login behind a token the app redeems once. */
export interface SsoGrant {
  token: string
  connection_id: string
  source_connection_id: string
  organization_id: string
  kind: 'saml' | 'oidc'
  identity: SsoIdentity
  code_challenge: string | null
  scopes: string[]
  expires_at: number
}

/** What a test says the next start answers, instead of a person at the identity provider. */
export interface SsoAnswer {
  connection_id: string | null
  deny: boolean
  email: string | null
  first_name: string | null
  last_name: string | null
  name: string | null
  groups: string[]
  external_id: string | null
  attributes: Record<string, string[]>
}

export interface OidcTokens {
  provider_subject: string
  id_token: string
  access_token: string
  refresh_token: string
  scopes: string[]
  access_token_expires_at: number
}

export class JourneyStore {
  /** The one-time tokens the ACS / callback hands to the app's redirect URL. */
  readonly grants: OneTimeGrants<SsoGrant>
  /** Answers tests queue for the next starts (/_mock/sso/answers). */
  readonly answers: AnswerQueue<SsoAnswer>
  readonly #putRequest
  readonly #getRequest
  readonly #byAuthn
  readonly #takeRequest
  readonly #seen
  readonly #getKey
  readonly #putKey
  readonly #putCode
  readonly #takeCode
  readonly #putTokens
  readonly #tokens
  readonly #forgetOrg
  readonly #sweeps

  constructor(db: Db) {
    this.grants = new OneTimeGrants(db, 'sso_grants')
    this.answers = new AnswerQueue(db, 'sso_answers')
    this.#putRequest = db.prepare<[string, string, string, number]>(
      'INSERT INTO sso_requests (request_id, authn_request_id, body, expires_at) VALUES (?, ?, ?, ?)',
    )
    this.#getRequest = db.prepare<[string], { body: string }>(
      'SELECT body FROM sso_requests WHERE request_id = ?',
    )
    this.#byAuthn = db.prepare<[string], { body: string }>(
      'SELECT body FROM sso_requests WHERE authn_request_id = ?',
    )
    this.#takeRequest = db.prepare<[string]>('DELETE FROM sso_requests WHERE request_id = ?')
    this.#seen = db.prepare<[string, number]>(
      'INSERT OR IGNORE INTO sso_assertions_seen (assertion_id, expires_at) VALUES (?, ?)',
    )
    this.#getKey = db.prepare<[string], { private_key: string; certificate: string }>(
      'SELECT private_key, certificate FROM sso_idp_keys WHERE name = ?',
    )
    this.#putKey = db.prepare<[string, string, string]>(
      'INSERT OR IGNORE INTO sso_idp_keys (name, private_key, certificate) VALUES (?, ?, ?)',
    )
    this.#putCode = db.prepare<[string, string, number]>(
      'INSERT INTO sso_oidc_codes (code, body, expires_at) VALUES (?, ?, ?)',
    )
    this.#takeCode = db.prepare<[string, number], { body: string }>(
      'DELETE FROM sso_oidc_codes WHERE code = ? AND expires_at > ? RETURNING body',
    )
    this.#putTokens = db.prepare<[string, string, string, string]>(
      'INSERT OR REPLACE INTO sso_oidc_tokens (member_id, connection_id, organization_id, body) VALUES (?, ?, ?, ?)',
    )
    this.#tokens = db.prepare<[string], { connection_id: string; body: string }>(
      'SELECT connection_id, body FROM sso_oidc_tokens WHERE member_id = ? ORDER BY rowid',
    )
    this.#forgetOrg = db.prepare<[string]>('DELETE FROM sso_oidc_tokens WHERE organization_id = ?')
    this.#sweeps = [
      db.prepare<[number]>('DELETE FROM sso_requests WHERE expires_at <= ?'),
      db.prepare<[number]>('DELETE FROM sso_assertions_seen WHERE expires_at <= ?'),
      db.prepare<[number]>('DELETE FROM sso_oidc_codes WHERE expires_at <= ?'),
    ]
  }

  putRequest(request: SsoRequest): void {
    this.#putRequest.run(
      request.request_id,
      request.authn_request_id,
      JSON.stringify(request),
      request.expires_at,
    )
  }

  request(requestId: string): SsoRequest | null {
    return parse(this.#getRequest.get(requestId))
  }

  /** The start an AuthnRequest ID (a response's InResponseTo) belongs to. */
  requestByAuthn(authnRequestId: string): SsoRequest | null {
    return parse(this.#byAuthn.get(authnRequestId))
  }

  /** Answered once: false when another answer took it first. */
  takeRequest(requestId: string): boolean {
    return this.#takeRequest.run(requestId).changes === 1
  }

  /** Notes an assertion as used until it expires; false when it already was (a replay). */
  firstUse(assertionId: string, expiresAt: number): boolean {
    return this.#seen.run(assertionId, expiresAt).changes === 1
  }

  idpKey(name: string): { private_key: string; certificate: string } | null {
    return this.#getKey.get(name) ?? null
  }

  /** Stores the key unless one is there already (then that one stays). */
  putIdpKey(name: string, privateKey: string, certificate: string): void {
    this.#putKey.run(name, privateKey, certificate)
  }

  putCode(code: string, body: object, expiresAt: number): void {
    this.#putCode.run(code, JSON.stringify(body), expiresAt)
  }

  /** An OIDC code, used up: null when unknown, taken or expired. */
  takeCode<T>(code: string, now: number): T | null {
    const row = this.#takeCode.get(code, now)
    return row ? (JSON.parse(row.body) as T) : null
  }

  putTokens(memberId: string, connectionId: string, organizationId: string, tokens: OidcTokens) {
    this.#putTokens.run(memberId, connectionId, organizationId, JSON.stringify(tokens))
  }

  tokens(memberId: string): { connection_id: string; tokens: OidcTokens }[] {
    return this.#tokens
      .all(memberId)
      .map((r) => ({ connection_id: r.connection_id, tokens: JSON.parse(r.body) as OidcTokens }))
  }

  forgetOrganization(organizationId: string): void {
    this.#forgetOrg.run(organizationId)
  }

  /** Deletes starts, tokens, codes and replay records past their expiry. */
  sweep(now: number): void {
    for (const sweep of this.#sweeps) sweep.run(now)
    this.grants.sweep(now)
  }
}

const parse = <T>(row: { body: string } | undefined): T | null =>
  row ? (JSON.parse(row.body) as T) : null
