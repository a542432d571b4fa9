import type { Db } from './db.js'

export type UserObject = Record<string, unknown> & { user_id: string }

export class UserStore {
  readonly #insert
  readonly #byId
  readonly #byEmail
  readonly #byExternalId
  readonly #count

  constructor(db: Db) {
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

  byId(userId: string): UserObject | null {
    return parse(this.#byId.get(userId))
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
