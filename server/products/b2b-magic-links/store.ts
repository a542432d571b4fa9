// B2B magic links' own table: invite links (b2b/magic_links/email/invite), in login_secrets'
// columns so OneTimeSecrets' rules (single use, expiry) apply unchanged and no other flow redeems
// them.
import { secretsTable } from '../../platform/db.js'

export const INVITES_TABLE = 'b2b_magic_link_invites'

/** Its tables, made when the database opens (products/registry.ts). */
export const SCHEMA = `
-- B2B magic links (server/products/b2b-magic-links/): invite links to join an organization
-- (subject_id the invited member, address its email, lower case).
${secretsTable(INVITES_TABLE, ['b2b_magic_link'])}
`
