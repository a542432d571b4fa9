import type { Db } from '../db.js'

export type UserObject = Record<string, unknown> & { user_id: string }

/**
 * The arrays of a user object that hold factors, with the key of each entry's id: what
 * users.delete<Factor> finds a user by.
 */
export const FACTOR_LISTS = {
  emails: 'email_id',
  phone_numbers: 'phone_id',
  webauthn_registrations: 'webauthn_registration_id',
  biometric_registrations: 'biometric_registration_id',
  totps: 'totp_id',
  crypto_wallets: 'crypto_wallet_id',
  providers: 'oauth_user_registration_id',
} as const
export type FactorList = keyof typeof FACTOR_LISTS

export class UserStore {
  readonly #insert
  readonly #byId
  readonly #byEmail
  readonly #byExternalId
  readonly #count
  readonly #update
  readonly #byPhone
  readonly #byAnyEmail
  readonly #all
  readonly #byPasswordId
  readonly #byFactor: Record<FactorList, (id: string) => Row | undefined>
  readonly #delete
  readonly #forgetMethod

  constructor(db: Db) {
    this.#byAnyEmail = db.prepare<[string, string], { body: string }>(
      `SELECT body FROM users WHERE email = ? OR EXISTS (SELECT 1 FROM json_each(users.body, '$.emails') e WHERE json_extract(e.value, '$.email') = ?) LIMIT 1`,
    )
    this.#update = db.prepare<[string, string | null, string | null, string]>(
      'UPDATE users SET body = ?, email = ?, external_id = ? WHERE user_id = ?',
    )
    // Few users have phones and tests hold few users: a scan over the JSON is enough.
    this.#byPhone = db.prepare<[string], { body: string }>(
      `SELECT body FROM users WHERE EXISTS (SELECT 1 FROM json_each(users.body, '$.phone_numbers') p WHERE json_extract(p.value, '$.phone_number') = ?)`,
    )
    this.#insert = db.prepare<[string, string | null, string | null, string]>(
      'INSERT INTO users (user_id, email, external_id, body) VALUES (?, ?, ?, ?)',
    )
    this.#byId = db.prepare<[string], { body: string }>('SELECT body FROM users WHERE user_id = ?')
    this.#byEmail = db.prepare<[string], { body: string }>('SELECT body FROM users WHERE email = ?')
    this.#byExternalId = db.prepare<[string], { body: string }>(
      'SELECT body FROM users WHERE external_id = ?',
    )
    this.#count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users')
    this.#all = db.prepare<[], { body: string }>('SELECT body FROM users')
    this.#byPasswordId = db.prepare<[string], { body: string }>(
      `SELECT body FROM users WHERE json_extract(body, '$.password.password_id') = ?`,
    )
    const factor = (list: FactorList) => {
      const statement = db.prepare<[string], Row>(
        `SELECT body FROM users WHERE EXISTS (SELECT 1 FROM json_each(users.body, '$.${list}') f WHERE json_extract(f.value, '$.${FACTOR_LISTS[list]}') = ?) LIMIT 1`,
      )
      return (id: string) => statement.get(id)
    }
    this.#byFactor = {
      emails: factor('emails'),
      phone_numbers: factor('phone_numbers'),
      webauthn_registrations: factor('webauthn_registrations'),
      biometric_registrations: factor('biometric_registrations'),
      totps: factor('totps'),
      crypto_wallets: factor('crypto_wallets'),
      providers: factor('providers'),
    }
    // What is stored for a user beside its row: its one-time secrets (passcodes and links, and
    // which of them are password resets). Its password hash is the PasswordStore's.
    const forget = (column: 'subject_id' | 'method_id') => {
      const consumer = `kind IN ('otp', 'magic_link') AND ${column} = ?`
      const resets = db.prepare<[string]>(
        `DELETE FROM password_resets WHERE secret_id IN (SELECT secret_id FROM login_secrets WHERE ${consumer})`,
      )
      const secrets = db.prepare<[string]>(`DELETE FROM login_secrets WHERE ${consumer}`)
      return (id: string) => {
        resets.run(id)
        secrets.run(id)
      }
    }
    const forgetSubject = forget('subject_id')
    const deleteRow = db.prepare<[string]>('DELETE FROM users WHERE user_id = ?')
    this.#delete = db.transaction((userId: string) => {
      forgetSubject(userId)
      return deleteRow.run(userId).changes === 1
    })
    this.#forgetMethod = db.transaction(forget('method_id'))
  }

  count(): number {
    return this.#count.get()!.n
  }

  insert(user: UserObject, email: string | null, externalId: string | null): void {
    this.#insert.run(user.user_id, email, externalId, JSON.stringify(user))
  }

  /** Parsed user objects by their stored text: authenticate reads the same user again and again. */
  readonly #parsed = new Map<string, { raw: string; user: UserObject }>()

  /** The stored user. Shared and read-only: callers serialize it, never change it. */
  byId(userId: string): UserObject | null {
    const row = this.#byId.get(userId)
    if (!row) return null
    const hit = this.#parsed.get(userId)
    if (hit?.raw === row.body) return hit.user
    const user = JSON.parse(row.body) as UserObject
    this.#parsed.set(userId, { raw: row.body, user })
    if (this.#parsed.size > 4096) this.#parsed.delete(this.#parsed.keys().next().value!)
    return user
  }

  /**
   * Replaces the stored user object (its email column follows the primary email, its
   * external_id column the object's external_id).
   */
  update(user: UserObject, email: string | null): void {
    const externalId = typeof user.external_id === 'string' ? user.external_id : null
    this.#update.run(JSON.stringify(user), email, externalId, user.user_id)
  }

  /** The user with this address among any of their emails, primary or added later. */
  byAnyEmail(email: string): UserObject | null {
    const lower = email.toLowerCase()
    return parse(this.#byAnyEmail.get(lower, lower))
  }

  byPhone(phoneNumber: string): UserObject | null {
    return parse(this.#byPhone.get(phoneNumber))
  }

  byEmail(email: string): UserObject | null {
    return parse(this.#byEmail.get(email.toLowerCase()))
  }

  byExternalId(externalId: string): UserObject | null {
    return parse(this.#byExternalId.get(externalId))
  }

  /** The user one of whose factors of this kind has this id. */
  byFactor(list: FactorList, id: string): UserObject | null {
    return parse(this.#byFactor[list](id))
  }

  byPasswordId(passwordId: string): UserObject | null {
    return parse(this.#byPasswordId.get(passwordId))
  }

  /** Every user (a search filters them; tests hold few). */
  all(): UserObject[] {
    return this.#all.all().map((row) => JSON.parse(row.body) as UserObject)
  }

  /** Deletes the user and its one-time secrets; false when there was no such user. */
  delete(userId: string): boolean {
    this.#parsed.delete(userId)
    return this.#delete(userId)
  }

  /** Forgets the passcodes and links sent to an email or phone (its id): they no longer work. */
  forgetMethod(methodId: string): void {
    this.#forgetMethod(methodId)
  }
}

type Row = { body: string }

const parse = (row: Row | undefined): UserObject | null =>
  row ? (JSON.parse(row.body) as UserObject) : null
