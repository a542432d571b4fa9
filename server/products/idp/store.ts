// The identity provider's tables: what a user or member granted each Connected App (the scopes,
// and whether they consented), and the authorization codes waiting for the token endpoint (only
// their SHA-256 hashes). SQL only.
import type { Db } from '../../platform/db.js'

/** Its tables, made when the database opens (products/registry.ts). */
export const SCHEMA = `
-- Connected App grants (server/products/idp/): one per client and user or member; subject_kind
-- 'consumer' (subject_id a user_id, organization_id '') or 'b2b' (a member_id and its
-- organization). consented: the subject said yes on a consent screen (remembered for later
-- authorizations of the same scopes).
CREATE TABLE IF NOT EXISTS idp_consents (
  client_id       TEXT NOT NULL,
  subject_kind    TEXT NOT NULL,
  subject_id      TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  scopes          TEXT NOT NULL,
  consented       INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  PRIMARY KEY (client_id, subject_kind, subject_id)
) STRICT;
CREATE INDEX IF NOT EXISTS idp_consents_subject ON idp_consents (subject_kind, subject_id);
CREATE INDEX IF NOT EXISTS idp_consents_org ON idp_consents (organization_id);
-- Authorization codes: the SHA-256 of the code (32 random bytes), the grant it stands for as
-- JSON (products/idp/types.ts CodeGrant), one use, until expires_at (unix seconds).
CREATE TABLE IF NOT EXISTS idp_authorization_codes (
  code_hash    TEXT PRIMARY KEY,
  client_id    TEXT NOT NULL,
  subject_kind TEXT NOT NULL,
  subject_id   TEXT NOT NULL,
  body         TEXT NOT NULL,
  expires_at   INTEGER NOT NULL
) STRICT;
`

export type SubjectKind = 'consumer' | 'b2b'

export interface GrantRow {
  client_id: string
  subject_kind: SubjectKind
  subject_id: string
  organization_id: string
  scopes: string[]
  consented: boolean
  created_at: number
}

type RawGrant = Omit<GrantRow, 'scopes' | 'consented'> & { scopes: string; consented: number }
const grant = (raw: RawGrant): GrantRow => ({
  ...raw,
  scopes: JSON.parse(raw.scopes) as string[],
  consented: raw.consented === 1,
})

export class IdpStore {
  readonly #upsertGrant
  readonly #grant
  readonly #grantsOfSubject
  readonly #grantsOfOrg
  readonly #grantsOfClient
  readonly #deleteGrant
  readonly #insertCode
  readonly #takeCode
  readonly #deleteCodes
  readonly #purgeCodes

  constructor(db: Db) {
    this.#upsertGrant = db.prepare<[string, string, string, string, string, number, number]>(
      'INSERT INTO idp_consents (client_id, subject_kind, subject_id, organization_id, scopes, ' +
        'consented, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT ' +
        '(client_id, subject_kind, subject_id) DO UPDATE SET scopes = excluded.scopes, ' +
        'consented = excluded.consented',
    )
    this.#grant = db.prepare<[string, string, string], RawGrant>(
      'SELECT * FROM idp_consents WHERE client_id = ? AND subject_kind = ? AND subject_id = ?',
    )
    this.#grantsOfSubject = db.prepare<[string, string], RawGrant>(
      'SELECT * FROM idp_consents WHERE subject_kind = ? AND subject_id = ? ORDER BY created_at, client_id',
    )
    this.#grantsOfOrg = db.prepare<[string], RawGrant>(
      "SELECT * FROM idp_consents WHERE subject_kind = 'b2b' AND organization_id = ? " +
        'ORDER BY created_at, client_id, subject_id',
    )
    this.#grantsOfClient = db.prepare<[string], RawGrant>(
      'SELECT * FROM idp_consents WHERE client_id = ?',
    )
    this.#deleteGrant = db.prepare<[string, string, string]>(
      'DELETE FROM idp_consents WHERE client_id = ? AND subject_kind = ? AND subject_id = ?',
    )
    this.#insertCode = db.prepare<[string, string, string, string, string, number]>(
      'INSERT INTO idp_authorization_codes (code_hash, client_id, subject_kind, subject_id, body, expires_at) ' +
        'VALUES (?, ?, ?, ?, ?, ?)',
    )
    this.#takeCode = db.prepare<[string], { body: string; expires_at: number }>(
      'DELETE FROM idp_authorization_codes WHERE code_hash = ? RETURNING body, expires_at',
    )
    this.#deleteCodes = db.prepare<[string, string, string]>(
      'DELETE FROM idp_authorization_codes WHERE client_id = ? AND subject_kind = ? AND subject_id = ?',
    )
    this.#purgeCodes = db.prepare<[number]>(
      'DELETE FROM idp_authorization_codes WHERE expires_at <= ?',
    )
  }

  saveGrant(row: GrantRow): void {
    this.#upsertGrant.run(
      row.client_id,
      row.subject_kind,
      row.subject_id,
      row.organization_id,
      JSON.stringify(row.scopes),
      row.consented ? 1 : 0,
      row.created_at,
    )
  }

  grant(clientId: string, kind: SubjectKind, subjectId: string): GrantRow | null {
    const raw = this.#grant.get(clientId, kind, subjectId)
    return raw ? grant(raw) : null
  }

  grantsOf(kind: SubjectKind, subjectId: string): GrantRow[] {
    return this.#grantsOfSubject.all(kind, subjectId).map(grant)
  }

  grantsOfOrganization(organizationId: string): GrantRow[] {
    return this.#grantsOfOrg.all(organizationId).map(grant)
  }

  grantsOfClient(clientId: string): GrantRow[] {
    return this.#grantsOfClient.all(clientId).map(grant)
  }

  /** The grant and the codes not yet spent for it, gone. Whether there was a grant. */
  deleteGrant(clientId: string, kind: SubjectKind, subjectId: string): boolean {
    this.#deleteCodes.run(clientId, kind, subjectId)
    return this.#deleteGrant.run(clientId, kind, subjectId).changes > 0
  }

  insertCode(
    hash: string,
    owner: { client_id: string; kind: SubjectKind; subject_id: string },
    body: string,
    expiresAt: number,
    now: number,
  ): void {
    this.#purgeCodes.run(now)
    this.#insertCode.run(hash, owner.client_id, owner.kind, owner.subject_id, body, expiresAt)
  }

  /** The code's grant, deleted as it is read (one use); null for none. */
  takeCode(hash: string): { body: string; expires_at: number } | null {
    return this.#takeCode.get(hash) ?? null
  }
}
