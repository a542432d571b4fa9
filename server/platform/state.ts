// Reset to the fixtures, and snapshots of the whole state for per-test isolation.
import { randomUUID } from 'node:crypto'
import { type Clock, isoMs } from '../clock.js'
import { StytchError } from '../errors.js'
import {
  FixtureError,
  loadFixtures,
  seedFixtures,
  type Fixtures,
  type SeedDeps,
} from './sessions/fixtures.js'
import type { SnapshotStore, TableDump } from './snapshots.js'
import type { KeyManager } from './tokens/key-manager.js'
import type { Faults } from './journal/faults.js'
import type { Journal } from './journal/journal.js'

interface Snapshot {
  tables: TableDump
  clock: ReturnType<Clock['save']>
  created_at: string
}

export interface StateDeps {
  snapshots: SnapshotStore
  fixturesPath: string
  seed: SeedDeps
  keys: KeyManager
  clock: Clock
  faults: Faults
  journal: Journal
}

const MAX_SNAPSHOTS = 100

/** What a product seeds of the fixtures (its own part of them), in the same transaction. */
export type ProductSeeder = (fixtures: Fixtures) => void

/** A fixture file that no longer loads, as the API error a reset answers; other errors as they are. */
const unloadable = (err: unknown) =>
  err instanceof FixtureError
    ? new StytchError('internal_server_error', `The fixtures no longer load: ${err.message}`)
    : err

export class StateControl {
  #saved = new Map<string, Snapshot>()
  readonly #seeders: ProductSeeder[] = []

  constructor(private readonly deps: StateDeps) {}

  /**
   * Back to the fixture state: real time, the configured signing key only, no faults, an empty
   * journal, and the fixtures seeded afresh (their expiry counts from now).
   */
  async reset(): Promise<void> {
    const { clock, keys, faults, journal, snapshots, fixturesPath } = this.deps
    let fixtures
    try {
      fixtures = await loadFixtures(fixturesPath)
    } catch (err) {
      // Nothing was cleared: the state stays as it was, and the message says which file broke.
      throw unloadable(err)
    }
    const before = clock.save()
    clock.reset()
    try {
      // One transaction: fixtures a product's seeding refuses (a Connected App's settings, say)
      // leave every row as it was.
      this.deps.seed.db.transaction(() => {
        snapshots.clearData()
        keys.reset()
        this.seed(fixtures)
      })()
    } catch (err) {
      clock.load(before)
      keys.reload()
      throw unloadable(err)
    }
    faults.clear()
    journal.clear()
  }

  /** A product's part of seeding: run after the platform's, at start-up and on every reset. */
  addSeeder(seeder: ProductSeeder): void {
    this.#seeders.push(seeder)
  }

  /** The fixtures into the (empty) database: the platform's part, then each product's. */
  seed(fixtures: Fixtures): void {
    const { seed } = this.deps
    seed.db.transaction(() => {
      seedFixtures(fixtures, seed)
      for (const seeder of this.#seeders) seeder(fixtures)
      // Seeded: a restart on this database keeps its state, whatever it holds.
      seed.db.pragma('user_version = 1')
    })()
  }

  snapshot(): { snapshot_id: string; created_at: string } {
    const snapshot_id = `snapshot-${randomUUID()}`
    const created_at = isoMs(this.deps.clock.nowMs())
    this.#saved.set(snapshot_id, {
      tables: this.deps.snapshots.dump(),
      clock: this.deps.clock.save(),
      created_at,
    })
    // Why: snapshots live in memory; keep the newest ones so a long suite cannot exhaust it.
    if (this.#saved.size > MAX_SNAPSHOTS) this.#saved.delete(this.#saved.keys().next().value!)
    return { snapshot_id, created_at }
  }

  restore(snapshotId: string): void {
    const snapshot = this.#saved.get(snapshotId)
    if (!snapshot) throw new StytchError('snapshot_not_found')
    this.deps.snapshots.restore(snapshot.tables)
    this.deps.clock.load(snapshot.clock)
    this.deps.keys.reload()
  }
}
