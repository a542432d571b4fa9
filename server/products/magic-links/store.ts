// Consumer magic links' own tables: invite links (magic_links/email/invite), which revoke_invite
// deletes by address, and embeddable tokens (POST /v1/magic_links), which log in without
// verifying any address. login_secrets' columns, so OneTimeSecrets' rules (single use, expiry)
// apply unchanged and no other flow redeems them.
import type { Db } from '../../platform/db.js'

export const INVITES_TABLE = 'magic_link_invites'
export const EMBEDDED_TABLE = 'embedded_magic_links'

const secretsTable = (name: string, subject: string, method: string) => `
CREATE TABLE IF NOT EXISTS ${name} (
  secret_id       TEXT PRIMARY KEY,    -- the token
  kind            TEXT NOT NULL CHECK (kind = 'magic_link'),
  subject_id      TEXT NOT NULL,       -- ${subject}
  organization_id TEXT,                -- always NULL
  method_id       TEXT NOT NULL,       -- ${method}
  address         TEXT NOT NULL,
  code            TEXT,
  code_challenge  TEXT,
  expires_at      INTEGER NOT NULL,    -- epoch seconds
  attempts        INTEGER NOT NULL DEFAULT 0,
  used            INTEGER NOT NULL DEFAULT 0
) STRICT;`

/** Its tables, made when the database opens (products/registry.ts). */
export const SCHEMA = `
-- Consumer magic links (server/products/magic-links/): invite links (address: the invited email,
-- lower case) and embeddable magic-link tokens (address empty), in login_secrets' columns.
${secretsTable(INVITES_TABLE, 'the invited user_id', 'the email_id the invite went to')}
${secretsTable(EMBEDDED_TABLE, 'the user_id', "the factor's embedded_id")}
`

/** What revoke_invite needs beyond OneTimeSecrets: every invite link to an address, gone. */
export class InviteLinks {
  readonly #revoke
  readonly #forget

  constructor(db: Db) {
    this.#revoke = db.prepare<[string]>(`DELETE FROM ${INVITES_TABLE} WHERE address = ?`)
    const invites = db.prepare<[string]>(`DELETE FROM ${INVITES_TABLE} WHERE subject_id = ?`)
    const embedded = db.prepare<[string]>(`DELETE FROM ${EMBEDDED_TABLE} WHERE subject_id = ?`)
    this.#forget = db.transaction((userId: string) => {
      invites.run(userId)
      embedded.run(userId)
    })
    this.#forgetMethod = db.prepare<[string]>(`DELETE FROM ${INVITES_TABLE} WHERE method_id = ?`)
  }

  readonly #forgetMethod
  /** A deleted user's invite links and embeddable tokens, or a deleted email's invite links. */
  forget(gone: { user_id: string } | { method_id: string }): void {
    if ('user_id' in gone) this.#forget(gone.user_id)
    else this.#forgetMethod.run(gone.method_id)
  }

  /** Deletes the address's invite links; how many there were. */
  revoke(address: string): number {
    return this.#revoke.run(address).changes
  }
}
