import type { Db } from '../db.js'

export type UserObject = Record<string, unknown> & { user_id: string }

export class UserStore {
  readonly #insert
  readonly #byId
  readonly #byEmail
  readonly #byExternalId
  readonly #count
  readonly #update
  readonly #byPhone
  readonly #byAnyEmail

  constructor(db: Db) {
    this.#byAnyEmail = db.prepare<[string, string], { body: string }>(
      `SELECT body FROM users WHERE email = ? OR EXISTS (SELECT 1 FROM json_each(users.body, '$.emails') e WHERE json_extract(e.value, '$.email') = ?) LIMIT 1`,
    )
    this.#update = db.prepare<[string, string | null, string]>(
      'UPDATE users SET body = ?, email = ? WHERE user_id = ?',
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

  /** Replaces the stored user object (its email column follows the primary email). */
  update(user: UserObject, email: string | null): void {
    this.#update.run(JSON.stringify(user), email, user.user_id)
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
}

const parse = (row: { body: string } | undefined): UserObject | null =>
  row ? (JSON.parse(row.body) as UserObject) : null
