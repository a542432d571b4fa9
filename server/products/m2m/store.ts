// M2M clients' table: each client as Stytch answers it, plus the hashes of its secret and, during
// a rotation, of its next one. SQL only.
import type { Db } from '../../platform/db.js'

/** Its table, made when the database opens (products/registry.ts). */
export const SCHEMA = `
-- M2M clients (server/products/m2m/): the client object as JSON; the secrets only as SHA-256
-- hashes (a secret is 44 random characters, so a fast hash is enough), never the secrets.
CREATE TABLE IF NOT EXISTS m2m_clients (
  seq              INTEGER PRIMARY KEY,
  client_id        TEXT NOT NULL UNIQUE,
  body             TEXT NOT NULL,
  secret_hash      TEXT NOT NULL,
  next_secret_hash TEXT
) STRICT;
`

export interface M2MClient {
  client_id: string
  client_name: string
  client_description: string
  status: 'active' | 'inactive'
  scopes: string[]
  client_secret_last_four: string
  next_client_secret_last_four?: string
  trusted_metadata: Record<string, unknown>
}

export interface M2MClientRow {
  seq: number
  client: M2MClient
  secret_hash: string
  next_secret_hash: string | null
}

type Raw = Omit<M2MClientRow, 'client'> & { body: string }
const row = (raw: Raw | undefined): M2MClientRow | null =>
  raw
    ? {
        seq: raw.seq,
        client: JSON.parse(raw.body) as M2MClient,
        secret_hash: raw.secret_hash,
        next_secret_hash: raw.next_secret_hash,
      }
    : null

export class M2MClientStore {
  readonly #insert
  readonly #get
  readonly #update
  readonly #delete
  readonly #all
  readonly #count

  constructor(db: Db) {
    this.#insert = db.prepare<[string, string, string, string | null]>(
      'INSERT INTO m2m_clients (client_id, body, secret_hash, next_secret_hash) VALUES (?, ?, ?, ?)',
    )
    this.#get = db.prepare<[string], Raw>('SELECT * FROM m2m_clients WHERE client_id = ?')
    this.#update = db.prepare<[string, string, string | null, string]>(
      'UPDATE m2m_clients SET body = ?, secret_hash = ?, next_secret_hash = ? WHERE client_id = ?',
    )
    this.#delete = db.prepare<[string]>('DELETE FROM m2m_clients WHERE client_id = ?')
    this.#count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM m2m_clients')
    this.#all = db.prepare<[number, number], Raw>(
      'SELECT * FROM m2m_clients WHERE seq > ? ORDER BY seq LIMIT ?',
    )
  }

  insert(client: M2MClient, secretHash: string): void {
    this.#insert.run(client.client_id, JSON.stringify(client), secretHash, null)
  }

  get(clientId: string): M2MClientRow | null {
    return row(this.#get.get(clientId))
  }

  save(r: Omit<M2MClientRow, 'seq'>): void {
    this.#update.run(
      JSON.stringify(r.client),
      r.secret_hash,
      r.next_secret_hash,
      r.client.client_id,
    )
  }

  count(): number {
    return this.#count.get()!.n
  }

  delete(clientId: string): boolean {
    return this.#delete.run(clientId).changes > 0
  }

  /** Clients after `afterSeq`, in creation order, a page at a time. */
  page(afterSeq: number, limit: number): M2MClientRow[] {
    return this.#all.all(afterSeq, limit).map((r) => row(r)!)
  }
}
