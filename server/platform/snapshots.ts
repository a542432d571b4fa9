// Whole-database copies for snapshots: every row of every table, restored in one transaction.
import type { Db } from './db.js'

/** Parents before children, so restoring in this order satisfies the foreign keys. */
const TABLES = [
  'users',
  'organizations',
  'members',
  'sessions',
  'intermediate_sessions',
  'discovery_sessions',
  'discovery_secrets',
  'login_secrets',
  'passwords',
  'outbox',
  'oauth_requests',
  'oauth_grants',
  'oauth_answers',
  'signing_keys',
] as const

export type TableDump = Record<(typeof TABLES)[number], Record<string, unknown>[]>

export class SnapshotStore {
  readonly #select
  readonly #delete
  readonly #restore

  constructor(private readonly db: Db) {
    this.#select = TABLES.map((t) => db.prepare(`SELECT * FROM ${t}`))
    this.#delete = new Map(TABLES.map((t) => [t, db.prepare(`DELETE FROM ${t}`)]))
    this.#restore = db.transaction((dump: TableDump) => {
      for (const table of [...TABLES].reverse()) this.#delete.get(table)!.run()
      for (const table of TABLES) {
        const rows = dump[table]
        if (rows.length === 0) continue
        const columns = Object.keys(rows[0]!)
        const insert = this.db.prepare(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
        )
        for (const row of rows) insert.run(row)
      }
    })
  }

  dump(): TableDump {
    return Object.fromEntries(TABLES.map((t, i) => [t, this.#select[i]!.all()])) as TableDump
  }

  restore(dump: TableDump): void {
    this.#restore(dump)
  }

  /** Deletes every row but the signing keys (reset re-seeds fixtures after this). */
  clearData(): void {
    this.db.transaction(() => {
      for (const table of [...TABLES].reverse())
        if (table !== 'signing_keys') this.#delete.get(table)!.run()
    })()
  }
}
