// The token endpoint's tables: each grant a spent code began (whom, to which client, which
// scopes, the code's hash so a replay finds it), its refresh tokens (hashed) and the ids of its
// access tokens (a JWT verifies by itself; its row says it is still live). SQL only.
import type { Db } from '../../platform/db.js'

/** Its tables, made when the database opens (products/registry.ts). */
export const SCHEMA = `
-- Connected Apps grants (server/products/idp-tokens/): one per authorization code spent, the
-- code kept only as a SHA-256 hash (a replay revokes what it issued).
CREATE TABLE IF NOT EXISTS idp_grants (
  grant_id        TEXT PRIMARY KEY,
  client_id       TEXT NOT NULL,
  subject_kind    TEXT NOT NULL,
  subject_id      TEXT NOT NULL,
  organization_id TEXT,
  scopes          TEXT NOT NULL,
  code_hash       TEXT UNIQUE,
  created_at      INTEGER NOT NULL,
  -- The session the subject authorized from (its id), and when it authenticated (unix seconds):
  -- the ID tokens' auth_time, and what sessions.exchangeAccessToken needs.
  session_id      TEXT,
  auth_time       INTEGER,
  revoked         INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX IF NOT EXISTS idp_grants_by_client ON idp_grants (client_id, subject_id);
CREATE INDEX IF NOT EXISTS idp_grants_by_subject ON idp_grants (subject_id);
-- Refresh tokens, as SHA-256 hashes (44 random characters: a fast hash is enough). A public
-- client's are rotated: the used one stays, marked, so that its reuse revokes the grant.
CREATE TABLE IF NOT EXISTS idp_refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  grant_id   TEXT NOT NULL,
  scopes     TEXT NOT NULL,
  issued_at  INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used       INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX IF NOT EXISTS idp_refresh_by_grant ON idp_refresh_tokens (grant_id);
-- Access tokens by their jti: live while the row is (revocation deletes it), exchanged once.
CREATE TABLE IF NOT EXISTS idp_access_tokens (
  jti          TEXT PRIMARY KEY,
  grant_id     TEXT NOT NULL,
  refresh_hash TEXT,
  expires_at   INTEGER NOT NULL,
  exchanged    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX IF NOT EXISTS idp_access_by_grant ON idp_access_tokens (grant_id);
CREATE INDEX IF NOT EXISTS idp_access_by_refresh ON idp_access_tokens (refresh_hash);
-- The project's Connected Apps settings (Stytch's dashboard's): the Authorization URL.
CREATE TABLE IF NOT EXISTS idp_settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`

export interface GrantRow {
  grant_id: string
  client_id: string
  subject_kind: 'consumer' | 'b2b'
  subject_id: string
  organization_id: string | null
  scopes: string
  code_hash: string | null
  created_at: number
  session_id: string | null
  auth_time: number | null
  revoked: number
}

export interface RefreshRow {
  token_hash: string
  grant_id: string
  scopes: string
  issued_at: number
  expires_at: number
  used: number
}

export interface AccessRow {
  jti: string
  grant_id: string
  refresh_hash: string | null
  expires_at: number
  exchanged: number
}

export class IdpTokenStore {
  readonly #insertGrant
  readonly #grant
  readonly #grantByCode
  readonly #revokeGrant
  readonly #grantsOf
  readonly #grantsOfClient
  readonly #insertRefresh
  readonly #refresh
  readonly #useRefresh
  readonly #extendRefresh
  readonly #deleteRefresh
  readonly #deleteRefreshOf
  readonly #insertAccess
  readonly #access
  readonly #exchange
  readonly #deleteAccess
  readonly #deleteAccessOf
  readonly #deleteAccessOfRefresh

  constructor(private readonly db: Db) {
    this.#insertGrant = db.prepare<
      [
        string,
        string,
        string,
        string,
        string | null,
        string,
        string | null,
        number,
        string | null,
        number | null,
      ]
    >(
      `INSERT INTO idp_grants (grant_id, client_id, subject_kind, subject_id, organization_id, scopes, code_hash, created_at, session_id, auth_time)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.#grant = db.prepare<[string], GrantRow>('SELECT * FROM idp_grants WHERE grant_id = ?')
    this.#grantByCode = db.prepare<[string], GrantRow>(
      'SELECT * FROM idp_grants WHERE code_hash = ?',
    )
    this.#revokeGrant = db.prepare<[string]>('UPDATE idp_grants SET revoked = 1 WHERE grant_id = ?')
    this.#grantsOf = db.prepare<[string, string], { grant_id: string }>(
      'SELECT grant_id FROM idp_grants WHERE client_id = ? AND subject_id = ? AND revoked = 0',
    )
    this.#grantsOfClient = db.prepare<[string], { grant_id: string }>(
      'SELECT grant_id FROM idp_grants WHERE client_id = ? AND revoked = 0',
    )
    this.#insertRefresh = db.prepare<[string, string, string, number, number]>(
      'INSERT INTO idp_refresh_tokens (token_hash, grant_id, scopes, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    )
    this.#refresh = db.prepare<[string], RefreshRow>(
      'SELECT * FROM idp_refresh_tokens WHERE token_hash = ?',
    )
    this.#useRefresh = db.prepare<[string]>(
      'UPDATE idp_refresh_tokens SET used = 1 WHERE token_hash = ? AND used = 0',
    )
    this.#extendRefresh = db.prepare<[number, string]>(
      'UPDATE idp_refresh_tokens SET expires_at = ? WHERE token_hash = ?',
    )
    this.#deleteRefresh = db.prepare<[string]>(
      'DELETE FROM idp_refresh_tokens WHERE token_hash = ?',
    )
    this.#deleteRefreshOf = db.prepare<[string]>(
      'DELETE FROM idp_refresh_tokens WHERE grant_id = ?',
    )
    this.#insertAccess = db.prepare<[string, string, string | null, number]>(
      'INSERT INTO idp_access_tokens (jti, grant_id, refresh_hash, expires_at) VALUES (?, ?, ?, ?)',
    )
    this.#access = db.prepare<[string], AccessRow>('SELECT * FROM idp_access_tokens WHERE jti = ?')
    this.#exchange = db.prepare<[string]>(
      'UPDATE idp_access_tokens SET exchanged = 1 WHERE jti = ? AND exchanged = 0',
    )
    this.#deleteAccess = db.prepare<[string]>('DELETE FROM idp_access_tokens WHERE jti = ?')
    this.#deleteAccessOf = db.prepare<[string]>('DELETE FROM idp_access_tokens WHERE grant_id = ?')
    this.#deleteAccessOfRefresh = db.prepare<[string]>(
      'DELETE FROM idp_access_tokens WHERE refresh_hash = ?',
    )
    // What can no longer matter: expired tokens, and grants an hour old with no token left (a
    // replayed code's grant is found within the code's ten minutes).
    const expiredAccess = db.prepare<[number]>('DELETE FROM idp_access_tokens WHERE expires_at < ?')
    const expiredRefresh = db.prepare<[number]>(
      'DELETE FROM idp_refresh_tokens WHERE expires_at < ?',
    )
    const idleGrants = db.prepare<[number]>(
      `DELETE FROM idp_grants WHERE created_at < ?
         AND NOT EXISTS (SELECT 1 FROM idp_refresh_tokens r WHERE r.grant_id = idp_grants.grant_id)
         AND NOT EXISTS (SELECT 1 FROM idp_access_tokens a WHERE a.grant_id = idp_grants.grant_id)`,
    )
    this.purgeBefore = (now: number) => {
      expiredAccess.run(now)
      expiredRefresh.run(now)
      idleGrants.run(now - 3600)
    }
  }

  /** Forgets what expired before `now` (run before each issue). */
  purgeBefore: (now: number) => void

  insertGrant(g: Omit<GrantRow, 'revoked'>): void {
    this.#insertGrant.run(
      g.grant_id,
      g.client_id,
      g.subject_kind,
      g.subject_id,
      g.organization_id,
      g.scopes,
      g.code_hash,
      g.created_at,
      g.session_id,
      g.auth_time,
    )
  }

  grant(grantId: string): GrantRow | null {
    return this.#grant.get(grantId) ?? null
  }

  grantByCode(codeHash: string): GrantRow | null {
    return this.#grantByCode.get(codeHash) ?? null
  }

  /** The live grants of a subject to a client (or, without a subject, all the client's). */
  liveGrants(clientId: string, subjectId?: string): string[] {
    const rows =
      subjectId === undefined
        ? this.#grantsOfClient.all(clientId)
        : this.#grantsOf.all(clientId, subjectId)
    return rows.map((r) => r.grant_id)
  }

  /** The grant revoked: its refresh and access tokens go at once. */
  revokeGrant(grantId: string): void {
    this.db.transaction(() => {
      this.#revokeGrant.run(grantId)
      this.#deleteRefreshOf.run(grantId)
      this.#deleteAccessOf.run(grantId)
    })()
  }

  insertRefresh(r: Omit<RefreshRow, 'used'>): void {
    this.#insertRefresh.run(r.token_hash, r.grant_id, r.scopes, r.issued_at, r.expires_at)
  }

  refresh(tokenHash: string): RefreshRow | null {
    return this.#refresh.get(tokenHash) ?? null
  }

  /** Marks a rotated refresh token used; false when it already was (a concurrent use). */
  useRefresh(tokenHash: string): boolean {
    return this.#useRefresh.run(tokenHash).changes > 0
  }

  extendRefresh(tokenHash: string, expiresAt: number): void {
    this.#extendRefresh.run(expiresAt, tokenHash)
  }

  /** A refresh token revoked, with the access tokens issued beside it. */
  deleteRefresh(tokenHash: string): void {
    this.db.transaction(() => {
      this.#deleteRefresh.run(tokenHash)
      this.#deleteAccessOfRefresh.run(tokenHash)
    })()
  }

  insertAccess(a: Omit<AccessRow, 'exchanged'>): void {
    this.#insertAccess.run(a.jti, a.grant_id, a.refresh_hash, a.expires_at)
  }

  access(jti: string): AccessRow | null {
    return this.#access.get(jti) ?? null
  }

  /** Marks an access token exchanged for a session; false when it already was. */
  exchange(jti: string): boolean {
    return this.#exchange.run(jti).changes > 0
  }

  deleteAccess(jti: string): void {
    this.#deleteAccess.run(jti)
  }
}
