// The organizations product's tables: the OAuth provider tokens each member's B2B OAuth logins
// left (what oauthProviders.* answer), and the self-serve email updates under way. SQL only.
import type { Db } from '../../platform/db.js'

export const SCHEMA = `
-- Organizations (server/products/organizations/): a member's tokens from its last OAuth login
-- with each provider, as the provider issued them (JSON); and email updates started and not yet
-- proven (two members cannot update to the same address at once).
CREATE TABLE IF NOT EXISTS member_provider_tokens (
  member_id TEXT NOT NULL,
  provider  TEXT NOT NULL,             -- google, microsoft, hubspot, slack, github
  body      TEXT NOT NULL,
  PRIMARY KEY (member_id, provider)
) STRICT;
CREATE TABLE IF NOT EXISTS member_email_updates (
  member_id       TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  email           TEXT NOT NULL,       -- lower case
  expires_at      INTEGER NOT NULL     -- epoch seconds
) STRICT;
CREATE INDEX IF NOT EXISTS member_email_updates_email ON member_email_updates (organization_id, email);
`

/** What a provider issued at a member's OAuth login (the mock's stable fakes). */
export interface ProviderTokens {
  provider_subject: string
  access_token: string
  refresh_token: string
  id_token: string
  scopes: string[]
  /** Epoch seconds. */
  access_token_expires_at: number
  provider_tenant_ids: string[]
}

export class ProviderTokenStore {
  readonly #put
  readonly #get
  readonly #forget
  constructor(db: Db) {
    this.#put = db.prepare<[string, string, string]>(
      'INSERT OR REPLACE INTO member_provider_tokens (member_id, provider, body) VALUES (?, ?, ?)',
    )
    this.#get = db.prepare<[string, string], { body: string }>(
      'SELECT body FROM member_provider_tokens WHERE member_id = ? AND provider = ?',
    )
    this.#forget = db.prepare<[string]>('DELETE FROM member_provider_tokens WHERE member_id = ?')
  }

  put(memberId: string, provider: string, tokens: ProviderTokens): void {
    this.#put.run(memberId, provider, JSON.stringify(tokens))
  }

  get(memberId: string, provider: string): ProviderTokens | null {
    const row = this.#get.get(memberId, provider)
    return row ? (JSON.parse(row.body) as ProviderTokens) : null
  }

  forget(memberId: string): void {
    this.#forget.run(memberId)
  }
}

export class EmailUpdateStore {
  readonly #put
  readonly #holder
  constructor(db: Db) {
    this.#put = db.prepare<[string, string, string, number]>(
      'INSERT OR REPLACE INTO member_email_updates (member_id, organization_id, email, expires_at) VALUES (?, ?, ?, ?)',
    )
    this.#holder = db.prepare<[string, string, number], { member_id: string }>(
      'SELECT member_id FROM member_email_updates WHERE organization_id = ? AND email = ? AND expires_at > ?',
    )
    this.#take = db.prepare<[string, string]>(
      'DELETE FROM member_email_updates WHERE member_id = ? AND email = ?',
    )
  }

  readonly #take
  /** Was the member updating its email to this address: the update done with, if so. */
  take(memberId: string, email: string): boolean {
    return this.#take.run(memberId, email.toLowerCase()).changes > 0
  }

  start(memberId: string, organizationId: string, email: string, expiresAt: number): void {
    this.#put.run(memberId, organizationId, email.toLowerCase(), expiresAt)
  }

  /** The member updating to this address now, if any. */
  holder(organizationId: string, email: string, now: number): string | null {
    return this.#holder.get(organizationId, email.toLowerCase(), now)?.member_id ?? null
  }
}
