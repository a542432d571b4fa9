// Impersonation tokens: what the Stytch dashboard's "Impersonate user/member" button mints, minted
// here by test control (/_mock/impersonation). Single use, five minutes. SQL only.
import type { Db } from '../../platform/db.js'

/** Its table, made when the database opens (products/registry.ts). */
export const SCHEMA = `
-- Impersonation tokens (server/products/impersonation/): for a user (organization_id NULL) or a
-- member, by an impersonator; single use, until expires_at.
CREATE TABLE IF NOT EXISTS impersonation_tokens (
  token            TEXT PRIMARY KEY,
  subject_id       TEXT NOT NULL,      -- user_id or member_id
  organization_id  TEXT,
  impersonator_id  TEXT NOT NULL,
  impersonator_email_address TEXT NOT NULL,
  expires_at       INTEGER NOT NULL,   -- epoch seconds
  used             INTEGER NOT NULL DEFAULT 0
) STRICT;
`

export interface ImpersonationToken {
  token: string
  subject_id: string
  organization_id: string | null
  impersonator_id: string
  impersonator_email_address: string
  expires_at: number
}

export class ImpersonationTokenStore {
  readonly #insert
  readonly #take

  constructor(db: Db) {
    this.#insert = db.prepare<[string, string, string | null, string, string, number]>(
      'INSERT INTO impersonation_tokens (token, subject_id, organization_id, impersonator_id, impersonator_email_address, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    this.#take = db.prepare<[string, number, number], ImpersonationToken>(
      'UPDATE impersonation_tokens SET used = 1 WHERE token = ? AND used = 0 AND expires_at > ? AND (organization_id IS NOT NULL) = ? RETURNING *',
    )
  }

  insert(t: ImpersonationToken): void {
    this.#insert.run(
      t.token,
      t.subject_id,
      t.organization_id,
      t.impersonator_id,
      t.impersonator_email_address,
      t.expires_at,
    )
  }

  /** The token of a user (or a member), used up now; null if unknown, used, expired or the other's. */
  take(token: string, now: number, member: boolean): ImpersonationToken | null {
    return this.#take.get(token, now, member ? 1 : 0) ?? null
  }
}
