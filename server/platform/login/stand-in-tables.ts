// What the flows where the mock stands in for another party (OAuth's provider, SSO's identity
// provider) keep: the one-time grants an app redeems once, and the answers tests queue for the
// next starts. Each product names its own tables (its SCHEMA makes them); SQL only.
import type { Db } from '../db.js'

/**
 * One-time grants: (token PRIMARY KEY, body JSON, expires_at, used), in the product's table.
 * Redeeming is get (every check), then use (false when a racing redemption won).
 */
export class OneTimeGrants<T extends { token: string; expires_at: number }> {
  readonly #put
  readonly #get
  readonly #use
  readonly #sweep

  constructor(db: Db, table: string) {
    this.#put = db.prepare<[string, string, number]>(
      `INSERT INTO ${table} (token, body, expires_at) VALUES (?, ?, ?)`,
    )
    this.#get = db.prepare<[string], { body: string; used: number }>(
      `SELECT body, used FROM ${table} WHERE token = ?`,
    )
    this.#use = db.prepare<[string]>(`UPDATE ${table} SET used = 1 WHERE token = ? AND used = 0`)
    this.#sweep = db.prepare<[number]>(`DELETE FROM ${table} WHERE expires_at <= ?`)
  }

  put(grant: T): void {
    this.#put.run(grant.token, JSON.stringify(grant), grant.expires_at)
  }

  get(token: string): { grant: T; used: boolean } | null {
    const row = this.#get.get(token)
    return row ? { grant: JSON.parse(row.body) as T, used: row.used === 1 } : null
  }

  /** Marks it used; false when it already was (two redemptions racing: one wins). */
  use(token: string): boolean {
    return this.#use.run(token).changes === 1
  }

  sweep(now: number): void {
    this.#sweep.run(now)
  }
}

/** Answers tests queue for the next starts: (seq INTEGER PRIMARY KEY, body JSON). */
export class AnswerQueue<T> {
  readonly #put
  readonly #all
  readonly #delete
  readonly #clear

  constructor(db: Db, table: string) {
    this.#put = db.prepare<[string]>(`INSERT INTO ${table} (body) VALUES (?)`)
    this.#all = db.prepare<[], { seq: number; body: string }>(
      `SELECT seq, body FROM ${table} ORDER BY seq`,
    )
    this.#delete = db.prepare<[number]>(`DELETE FROM ${table} WHERE seq = ?`)
    this.#clear = db.prepare(`DELETE FROM ${table}`)
  }

  queue(answer: T): void {
    this.#put.run(JSON.stringify(answer))
  }

  /** The queued answers, oldest first. */
  list(): T[] {
    return this.#all.all().map((r) => JSON.parse(r.body) as T)
  }

  /** The oldest answer that fits, taken (another start may take one first: then the next). */
  take(fits: (answer: T) => boolean): T | undefined {
    for (const row of this.#all.all()) {
      const answer = JSON.parse(row.body) as T
      if (fits(answer) && this.#delete.run(row.seq).changes === 1) return answer
    }
    return undefined
  }

  clear(): void {
    this.#clear.run()
  }
}
