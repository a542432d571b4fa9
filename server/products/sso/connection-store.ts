// SSO connections as stored: Stytch's SAML, OIDC and external connection objects (JSON bodies),
// by organization. Their URLs (acs_url, audience_uri, redirect_url) are not stored: they name the
// mock's origin as the caller sees it, and are filled in when answering (connections.ts).
// SQL only.
import type { Db } from '../../platform/db.js'

export const CONNECTION_SCHEMA = `
-- SSO (server/products/sso/): an organization's SAML, OIDC and external connections.
CREATE TABLE IF NOT EXISTS sso_connections (
  connection_id   TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  kind            TEXT NOT NULL,        -- saml | oidc | external
  body            TEXT NOT NULL         -- the connection object, URLs left out
) STRICT;
CREATE INDEX IF NOT EXISTS sso_connections_by_org ON sso_connections (organization_id);
`

export type ConnectionKind = 'saml' | 'oidc' | 'external'

/** A stored connection: Stytch's object for its kind, without the origin-relative URLs. */
export type StoredConnection = Record<string, unknown> & {
  connection_id: string
  organization_id: string
  display_name: string
  status: string
}

export interface ConnectionRow {
  kind: ConnectionKind
  connection: StoredConnection
}

export class ConnectionStore {
  readonly #put
  readonly #get
  readonly #delete
  readonly #ofOrg
  readonly #deleteOrg
  readonly #externalsOf

  constructor(db: Db) {
    this.#put = db.prepare<[string, string, string, string]>(
      'INSERT OR REPLACE INTO sso_connections (connection_id, organization_id, kind, body) VALUES (?, ?, ?, ?)',
    )
    this.#get = db.prepare<[string], { kind: ConnectionKind; body: string }>(
      'SELECT kind, body FROM sso_connections WHERE connection_id = ?',
    )
    this.#delete = db.prepare<[string]>('DELETE FROM sso_connections WHERE connection_id = ?')
    this.#ofOrg = db.prepare<[string], { kind: ConnectionKind; body: string }>(
      'SELECT kind, body FROM sso_connections WHERE organization_id = ? ORDER BY rowid',
    )
    this.#deleteOrg = db.prepare<[string]>('DELETE FROM sso_connections WHERE organization_id = ?')
    this.#externalsOf = db.prepare<[string], { kind: ConnectionKind; body: string }>(
      "SELECT kind, body FROM sso_connections WHERE kind = 'external' AND json_extract(body, '$.external_connection_id') = ? ORDER BY rowid",
    )
  }

  put(kind: ConnectionKind, connection: StoredConnection): void {
    this.#put.run(
      connection.connection_id,
      connection.organization_id,
      kind,
      JSON.stringify(connection),
    )
  }

  get(connectionId: string): ConnectionRow | null {
    return row(this.#get.get(connectionId))
  }

  /** The organization's connections, oldest first. */
  ofOrganization(organizationId: string): ConnectionRow[] {
    return this.#ofOrg.all(organizationId).map((r) => row(r)!)
  }

  /** The external connections (of other organizations) that log in through this connection. */
  externalsOf(connectionId: string): ConnectionRow[] {
    return this.#externalsOf.all(connectionId).map((r) => row(r)!)
  }

  delete(connectionId: string): void {
    this.#delete.run(connectionId)
  }

  deleteOrganization(organizationId: string): void {
    this.#deleteOrg.run(organizationId)
  }
}

const row = (r: { kind: ConnectionKind; body: string } | undefined): ConnectionRow | null =>
  r ? { kind: r.kind, connection: JSON.parse(r.body) as StoredConnection } : null
