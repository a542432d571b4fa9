// The request journal: what API calls reached the mock, for tests to assert on.
import { isoMs } from '../../clock.js'

export interface JournalEntry {
  method: string
  path: string
  status: number
  error_type: string | null
  /** Virtual time (the mock's clock) and wall time, RFC 3339 with milliseconds. */
  virtual_time: string
  wall_time: string
  duration_ms: number
  session_id: string | null
  user_id: string | null
  member_id: string | null
}

/** As recorded: the two times as epoch milliseconds, made into text only when listed. */
export type JournalRecord = Omit<JournalEntry, 'virtual_time' | 'wall_time'> & {
  virtual_ms: number
  wall_ms: number
}

const MAX_ENTRIES = 10_000

export class Journal {
  #entries: JournalRecord[] = []

  record(entry: JournalRecord): void {
    this.#entries.push(entry)
    // Trim in batches: dropping one entry per request would move 10,000 on every call.
    if (this.#entries.length >= MAX_ENTRIES * 1.5) this.#entries = this.#entries.slice(-MAX_ENTRIES)
  }

  /** Newest last. `path`: an exact path, or a prefix ending in `*`. */
  list(filter: {
    path?: string | undefined
    method?: string | undefined
    limit?: number | undefined
  }): JournalEntry[] {
    const { path, method } = filter
    const matches = this.#entries
      .slice(-MAX_ENTRIES)
      .filter(
        (e) =>
          (!method || e.method === method.toUpperCase()) &&
          (!path || (path.endsWith('*') ? e.path.startsWith(path.slice(0, -1)) : e.path === path)),
      )
    return (filter.limit === undefined ? matches : matches.slice(-filter.limit)).map(
      ({ virtual_ms, wall_ms, ...entry }) => ({
        method: entry.method,
        path: entry.path,
        status: entry.status,
        error_type: entry.error_type,
        virtual_time: isoMs(virtual_ms),
        wall_time: isoMs(wall_ms),
        duration_ms: entry.duration_ms,
        session_id: entry.session_id,
        user_id: entry.user_id,
        member_id: entry.member_id,
      }),
    )
  }

  clear(): void {
    this.#entries = []
  }
}
