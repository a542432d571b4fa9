// B2B magic links' own table: invite links (b2b/magic_links/email/invite), in login_secrets'
// columns so OneTimeSecrets' rules (single use, expiry) apply unchanged and no other flow redeems
// them.

export const INVITES_TABLE = 'b2b_magic_link_invites'

/** Its tables, made when the database opens (products/registry.ts). */
export const SCHEMA = `
-- B2B magic links (server/products/b2b-magic-links/): invite links to join an organization.
CREATE TABLE IF NOT EXISTS ${INVITES_TABLE} (
  secret_id       TEXT PRIMARY KEY,    -- the token
  kind            TEXT NOT NULL CHECK (kind = 'b2b_magic_link'),
  subject_id      TEXT NOT NULL,       -- the invited member_id
  organization_id TEXT,
  method_id       TEXT NOT NULL,       -- the member's email_id
  address         TEXT NOT NULL,       -- the invited email address, lower case
  code            TEXT,
  code_challenge  TEXT,
  expires_at      INTEGER NOT NULL,    -- epoch seconds
  attempts        INTEGER NOT NULL DEFAULT 0,
  used            INTEGER NOT NULL DEFAULT 0
) STRICT;
`
