import type { KeyMaterial } from './keys.js'
import type { Db } from '../db.js'

export interface KeyRow extends KeyMaterial {
  kid: string
  created_at: number
  retired_at: number | null
}

export class KeyStore {
  readonly #insert
  readonly #live
  readonly #has
  readonly #retireAllBut
  readonly #deleteAllBut
  readonly #unretire

  constructor(db: Db) {
    this.#insert = db.prepare<[string, string, string, number]>(
      'INSERT INTO signing_keys (kid, private_key_pem, certificate_pem, created_at) VALUES (?, ?, ?, ?)',
    )
    this.#live = db.prepare<
      [],
      {
        kid: string
        private_key_pem: string
        certificate_pem: string
        created_at: number
        retired_at: number | null
      }
    >(
      'SELECT kid, private_key_pem, certificate_pem, created_at, retired_at FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at, kid',
    )
    this.#has = db.prepare<[string], { kid: string }>('SELECT kid FROM signing_keys WHERE kid = ?')
    this.#retireAllBut = db.prepare<[number, string]>(
      'UPDATE signing_keys SET retired_at = ? WHERE kid != ? AND retired_at IS NULL',
    )
    this.#deleteAllBut = db.prepare<[string]>('DELETE FROM signing_keys WHERE kid != ?')
    this.#unretire = db.prepare<[string]>('UPDATE signing_keys SET retired_at = NULL WHERE kid = ?')
  }

  /** Retires every live key except `kid`; returns how many. */
  retireAllBut(kid: string, nowMs: number): number {
    return this.#retireAllBut.run(nowMs, kid).changes
  }

  /** Forgets every key except `kid`, which is live again (reset to the configured key). */
  keepOnly(kid: string): void {
    this.#deleteAllBut.run(kid)
    this.#unretire.run(kid)
  }

  has(kid: string): boolean {
    return this.#has.get(kid) !== undefined
  }

  insert(kid: string, material: KeyMaterial, createdAtMs: number): void {
    this.#insert.run(kid, material.privateKeyPem, material.certificatePem, createdAtMs)
  }

  /** Keys not retired, oldest first (the last one signs). */
  live(): KeyRow[] {
    return this.#live.all().map((r) => ({
      kid: r.kid,
      privateKeyPem: r.private_key_pem,
      certificatePem: r.certificate_pem,
      created_at: r.created_at,
      retired_at: r.retired_at,
    }))
  }
}
