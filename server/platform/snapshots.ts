// Whole-database copies for snapshots: every row of every table, restored in one transaction.
import type { Db } from './db.js'

/** Every table's rows, by table name. */
export type TableDump = Record<string, Record<string, unknown>[]>

export class SnapshotStore {
  readonly #tables: string[]
  readonly #select
  readonly #delete
  readonly #restore

  /**
   * Every table there is once the database is open (the platform's and each product's), in the
   * order they were made: parents before children, so restoring in this order satisfies the
   * foreign keys.
   */
  constructor(private readonly db: Db) {
    const TABLES = (this.#tables = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
      )
      .all()
      .map((t) => t.name))
    this.#select = TABLES.map((t) => db.prepare<[], Record<string, unknown>>(`SELECT * FROM ${t}`))
    this.#delete = new Map(TABLES.map((t) => [t, db.prepare(`DELETE FROM ${t}`)]))
    this.#restore = db.transaction((dump: TableDump) => {
      for (const table of [...TABLES].reverse()) this.#delete.get(table)!.run()
      for (const table of TABLES) {
        const rows = dump[table] ?? []
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
    return Object.fromEntries(this.#tables.map((t, i) => [t, this.#select[i]!.all()]))
  }

  restore(dump: TableDump): void {
    this.#restore(dump)
  }

  /** Deletes every row but the signing keys (reset re-seeds fixtures after this). */
  clearData(): void {
    this.db.transaction(() => {
      for (const table of [...this.#tables].reverse())
        if (table !== 'signing_keys') this.#delete.get(table)!.run()
    })()
  }
}
