// Connected App clients' tables: each client as Stytch answers it, the hashes of its secret and,
// during a rotation, of its next one; and the project's Connected Apps settings. SQL only.
import type { Db } from '../../platform/db.js'
import type { ConnectedApp } from './types.js'

/** Its tables, made when the database opens (products/registry.ts). */
export const SCHEMA = `
-- Connected App clients (server/products/connected-apps/): the client object as JSON; secrets
-- only as SHA-256 hashes (a secret is 48 random characters, so a fast hash is enough), none for
-- a public client. registration_key: for a public client made by dynamic registration, the hash
-- of the metadata it was registered with (the same metadata registers the same client again).
CREATE TABLE IF NOT EXISTS connected_apps (
  seq              INTEGER PRIMARY KEY,
  client_id        TEXT NOT NULL UNIQUE,
  body             TEXT NOT NULL,
  secret_hash      TEXT,
  next_secret_hash TEXT,
  registration_key TEXT UNIQUE
) STRICT;
-- The project's Connected Apps settings (the dashboard's), by name: a JSON value each.
CREATE TABLE IF NOT EXISTS connected_app_settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`

export interface ConnectedAppRow {
  seq: number
  client: ConnectedApp
  secret_hash: string | null
  next_secret_hash: string | null
}

type Raw = Omit<ConnectedAppRow, 'client'> & { body: string }
const row = (raw: Raw | undefined): ConnectedAppRow | null =>
  raw
    ? {
        seq: raw.seq,
        client: JSON.parse(raw.body) as ConnectedApp,
        secret_hash: raw.secret_hash,
        next_secret_hash: raw.next_secret_hash,
      }
    : null

export class ConnectedAppStore {
  readonly #insert
  readonly #get
  readonly #byRegistration
  readonly #update
  readonly #delete
  readonly #page
  readonly #count
  readonly #setting
  readonly #setSetting

  constructor(private readonly db: Db) {
    this.#insert = db.prepare<[string, string, string | null, string | null]>(
      'INSERT INTO connected_apps (client_id, body, secret_hash, registration_key) VALUES (?, ?, ?, ?)',
    )
    this.#get = db.prepare<[string], Raw>(
      'SELECT seq, body, secret_hash, next_secret_hash FROM connected_apps WHERE client_id = ?',
    )
    this.#byRegistration = db.prepare<[string], Raw>(
      'SELECT seq, body, secret_hash, next_secret_hash FROM connected_apps WHERE registration_key = ?',
    )
    this.#update = db.prepare<[string, string | null, string | null, string]>(
      'UPDATE connected_apps SET body = ?, secret_hash = ?, next_secret_hash = ? WHERE client_id = ?',
    )
    this.#delete = db.prepare<[string]>('DELETE FROM connected_apps WHERE client_id = ?')
    this.#page = db.prepare<[number, number], Raw>(
      'SELECT seq, body, secret_hash, next_secret_hash FROM connected_apps WHERE seq > ? ORDER BY seq LIMIT ?',
    )
    this.#count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM connected_apps')
    this.#setting = db.prepare<[string], { value: string }>(
      'SELECT value FROM connected_app_settings WHERE name = ?',
    )
    this.#setSetting = db.prepare<[string, string]>(
      'INSERT INTO connected_app_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    )
  }

  insert(client: ConnectedApp, secretHash: string | null, registrationKey: string | null): void {
    this.#insert.run(client.client_id, JSON.stringify(client), secretHash, registrationKey)
  }

  get(clientId: string): ConnectedAppRow | null {
    return row(this.#get.get(clientId))
  }

  byRegistration(key: string): ConnectedAppRow | null {
    return row(this.#byRegistration.get(key))
  }

  save(r: Omit<ConnectedAppRow, 'seq'>): void {
    this.#update.run(
      JSON.stringify(r.client),
      r.secret_hash,
      r.next_secret_hash,
      r.client.client_id,
    )
  }

  delete(clientId: string): boolean {
    return this.#delete.run(clientId).changes > 0
  }

  count(): number {
    return this.#count.get()!.n
  }

  /** Clients after `afterSeq`, in creation order, at most `limit`. */
  page(afterSeq: number, limit: number): ConnectedAppRow[] {
    return this.#page.all(afterSeq, limit).map((r) => row(r)!)
  }

  setting<T>(name: string, fallback: T): T {
    const found = this.#setting.get(name)
    return found ? (JSON.parse(found.value) as T) : fallback
  }

  setSetting(name: string, value: unknown): void {
    this.#setSetting.run(name, JSON.stringify(value))
  }

  /** Runs `work` in one transaction (a delete and what its hooks forget, together). */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)()
  }
}
