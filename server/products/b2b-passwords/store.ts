// B2B passwords' tables: their reset links (login_secrets' columns, apart from the magic links so
// neither redeems the other) and the members whose password must be reset before it logs in again
// (email/require_reset). The hashes themselves are in the platform's passwords table.
import { secretsTable, type Db } from '../../platform/db.js'

export const RESET_SECRETS_TABLE = 'b2b_password_reset_secrets'

export const SCHEMA = `
-- B2B passwords (server/products/b2b-passwords/): reset links, organization-scoped (organization_id
-- set, subject_id the member) or discovery (organization_id NULL, subject_id the email address).
${secretsTable(RESET_SECRETS_TABLE, ['b2b_magic_link'])}
-- Members whose password logs in only after a reset (require_reset, or a breached imported one).
CREATE TABLE IF NOT EXISTS b2b_password_resets_required (
  member_id TEXT PRIMARY KEY
) STRICT;
`

export class ResetRequired {
  readonly #add
  readonly #has
  readonly #clear

  constructor(db: Db) {
    this.#add = db.prepare<[string]>(
      'INSERT OR IGNORE INTO b2b_password_resets_required (member_id) VALUES (?)',
    )
    this.#has = db.prepare<[string], { member_id: string }>(
      'SELECT member_id FROM b2b_password_resets_required WHERE member_id = ?',
    )
    this.#clear = db.prepare<[string]>(
      'DELETE FROM b2b_password_resets_required WHERE member_id = ?',
    )
  }

  add(memberId: string): void {
    this.#add.run(memberId)
  }

  has(memberId: string): boolean {
    return this.#has.get(memberId) !== undefined
  }

  clear(memberId: string): void {
    this.#clear.run(memberId)
  }
}
