// The login flows' tables: one-time secrets (passcodes, magic-link tokens), password hashes and
// the outbox. SQL only; the rules are in login/.
import type { Db } from '../db.js'

export type SecretKind = 'otp' | 'magic_link' | 'b2b_otp' | 'b2b_magic_link'

export interface SecretRow {
  secret_id: string
  kind: SecretKind
  subject_id: string
  organization_id: string | null
  method_id: string
  address: string
  code: string | null
  code_challenge: string | null
  expires_at: number
  attempts: number
  used: number
}

/**
 * One-time secrets in `login_secrets`, or in a product's own table of the same columns (discovery's,
 * password resets'), so no flow can redeem another's link or passcode while OneTimeSecrets' rules
 * (single use, expiry, PKCE, five attempts) apply unchanged.
 */
export class LoginSecretStore {
  readonly #put
  readonly #get
  readonly #attempt
  readonly #use

  constructor(db: Db, table = 'login_secrets') {
    this.#put = db.prepare<[SecretRow]>(
      `INSERT OR REPLACE INTO ${table} (secret_id, kind, subject_id, organization_id, method_id, address, code, code_challenge, expires_at, attempts, used)
       VALUES (@secret_id, @kind, @subject_id, @organization_id, @method_id, @address, @code, @code_challenge, @expires_at, @attempts, @used)`,
    )
    this.#get = db.prepare<[string], SecretRow>(`SELECT * FROM ${table} WHERE secret_id = ?`)
    this.#attempt = db.prepare<[string]>(
      `UPDATE ${table} SET attempts = attempts + 1 WHERE secret_id = ?`,
    )
    this.#use = db.prepare<[string]>(
      `UPDATE ${table} SET used = 1 WHERE secret_id = ? AND used = 0`,
    )
  }

  /** Stores a secret; one for the same id (a passcode to the same method) replaces it. */
  put(row: SecretRow): void {
    this.#put.run(row)
  }

  get(secretId: string): SecretRow | null {
    return this.#get.get(secretId) ?? null
  }

  countAttempt(secretId: string): void {
    this.#attempt.run(secretId)
  }

  /** Marks it used; false when it already was (two redemptions racing: one wins). */
  use(secretId: string): boolean {
    return this.#use.run(secretId).changes === 1
  }
}

/** Password hashes of users and members (keyed by user_id or member_id). */
export class PasswordStore {
  readonly #put
  readonly #get
  readonly #delete

  constructor(db: Db) {
    this.#put = db.prepare<[string, string]>(
      'INSERT OR REPLACE INTO passwords (user_id, hash) VALUES (?, ?)',
    )
    this.#get = db.prepare<[string], { hash: string }>(
      'SELECT hash FROM passwords WHERE user_id = ?',
    )
    this.#delete = db.prepare<[string]>('DELETE FROM passwords WHERE user_id = ?')
  }

  put(userId: string, hash: string): void {
    this.#put.run(userId, hash)
  }

  hashOf(userId: string): string | null {
    return this.#get.get(userId)?.hash ?? null
  }

  delete(userId: string): void {
    this.#delete.run(userId)
  }
}

export class OutboxStore {
  readonly #insert
  readonly #forRecipient
  readonly #all
  readonly #clear

  constructor(db: Db) {
    this.#insert = db.prepare<[string, string, string]>(
      'INSERT INTO outbox (message_id, recipient, body) VALUES (?, ?, ?)',
    )
    // Newest last, the last `limit` of them.
    this.#forRecipient = db.prepare<[string, number], { body: string }>(
      'SELECT body FROM (SELECT seq, body FROM outbox WHERE recipient = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
    )
    this.#all = db.prepare<[number], { body: string }>(
      'SELECT body FROM (SELECT seq, body FROM outbox ORDER BY seq DESC LIMIT ?) ORDER BY seq',
    )
    this.#clear = db.prepare('DELETE FROM outbox')
  }

  insert(messageId: string, recipient: string, body: object): void {
    this.#insert.run(messageId, recipient, JSON.stringify(body))
  }

  list(recipient: string | undefined, limit: number): unknown[] {
    const rows =
      recipient === undefined ? this.#all.all(limit) : this.#forRecipient.all(recipient, limit)
    return rows.map((r) => JSON.parse(r.body) as unknown)
  }

  clear(): void {
    this.#clear.run()
  }
}
