// Consumer magic links' own tables: invite links (magic_links/email/invite), which revoke_invite
// deletes by address, and embeddable tokens (POST /v1/magic_links), which log in without
// verifying any address. login_secrets' columns, so OneTimeSecrets' rules (single use, expiry)
// apply unchanged and no other flow redeems them.
import { secretsTable, type Db } from '../../platform/db.js'

export const INVITES_TABLE = 'magic_link_invites'
export const EMBEDDED_TABLE = 'embedded_magic_links'

/** Its tables, made when the database opens (products/registry.ts). */
export const SCHEMA = `
-- Consumer magic links (server/products/magic-links/): invite links (subject_id the invited user,
-- method_id the email_id it went to, address that email, lower case) and embeddable magic-link
-- tokens (method_id the factor's embedded_id, address empty), in login_secrets' columns.
${secretsTable(INVITES_TABLE, ['magic_link'])}
${secretsTable(EMBEDDED_TABLE, ['magic_link'])}
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
