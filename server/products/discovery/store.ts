// B2B discovery's tables: discovery intermediate sessions (an email address and the factor that
// proved it, no organization or member yet) and discovery's one-time secrets, kept apart from the
// organization-scoped ones so neither flow can redeem the other's link or passcode.
import { secretsTable, type Db } from '../../platform/db.js'

/** Its tables, made when the database opens (products/registry.ts). */
export const SCHEMA = `
-- B2B discovery (server/products/discovery/): intermediate sessions that name only an email address
-- and the factor that proved it, until exchanged for an organization or expired; and discovery's
-- magic-link tokens and passcodes (login_secrets' columns; secret_id 'b2b_otp:' + email for codes).
CREATE TABLE IF NOT EXISTS discovery_sessions (
  token                  TEXT PRIMARY KEY,
  email_address          TEXT NOT NULL,     -- lower case
  authentication_factors TEXT NOT NULL,     -- JSON
  expires_at             INTEGER NOT NULL   -- epoch seconds
) STRICT;
${secretsTable('discovery_secrets', ['b2b_otp', 'b2b_magic_link'])}
`

export interface DiscoverySessionRow {
  token: string
  email_address: string
  authentication_factors: unknown[]
  expires_at: number
}

export class DiscoverySessionStore {
  readonly #insert
  readonly #get
  readonly #delete

  constructor(db: Db) {
    this.#insert = db.prepare<[string, string, string, number]>(
      'INSERT INTO discovery_sessions (token, email_address, authentication_factors, expires_at) VALUES (?, ?, ?, ?)',
    )
    this.#get = db.prepare<
      [string],
      Omit<DiscoverySessionRow, 'authentication_factors'> & { authentication_factors: string }
    >('SELECT * FROM discovery_sessions WHERE token = ?')
    this.#delete = db.prepare<[string]>('DELETE FROM discovery_sessions WHERE token = ?')
  }

  insert(row: DiscoverySessionRow): void {
    this.#insert.run(
      row.token,
      row.email_address,
      JSON.stringify(row.authentication_factors),
      row.expires_at,
    )
  }

  get(token: string): DiscoverySessionRow | null {
    const row = this.#get.get(token)
    return row
      ? { ...row, authentication_factors: JSON.parse(row.authentication_factors) as unknown[] }
      : null
  }

  /** Uses it up; false when it was already gone (two exchanges racing: one wins). */
  delete(token: string): boolean {
    return this.#delete.run(token).changes === 1
  }
}
