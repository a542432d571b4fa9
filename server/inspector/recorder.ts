// What only the inspector keeps, in memory: the sessions revoke deleted (a revoke removes the row,
// so without this record the page could only say "not found"), the test-control calls (/_mock is
// not in the request journal), and the snapshots taken. Reset empties it; a restart forgets it.
import type { StoredSession } from './store.js'

export interface Revocation {
  /** The session as it was just before the revoke (as stored: parsed only when shown). */
  row: StoredSession
  /** On the mock's clock, and real time; epoch milliseconds. */
  virtual_ms: number
  wall_ms: number
  /** The call that revoked it, e.g. `POST /v1/sessions/revoke`. */
  via: string
  /** What the call named the session by: session_token, session_jwt, session_id, member_id... */
  by: string
}

export interface ControlCall {
  method: string
  path: string
  status: number
  error_type: string | null
  wall_ms: number
  /** The mock's clock before and after the call (they differ when it moved the clock). */
  virtual_before_ms: number
  virtual_after_ms: number
}

export interface SnapshotTaken {
  snapshot_id: string
  created_at: string
  wall_ms: number
}

const MAX_REVOKED = 10_000
const MAX_CONTROL = 1_000
const MAX_SNAPSHOTS = 100

export class Recorder {
  readonly #revoked = new Map<string, Revocation>()
  readonly #tokens = new Map<string, string>()
  #control: ControlCall[] = []
  #snapshots: SnapshotTaken[] = []

  revoked(revocation: Revocation): void {
    const id = revocation.row.session_id
    this.#revoked.delete(id)
    this.#revoked.set(id, revocation)
    this.#tokens.set(revocation.row.session_token, id)
    if (this.#revoked.size > MAX_REVOKED) {
      const [oldest] = this.#revoked.values()
      this.#revoked.delete(oldest!.row.session_id)
      this.#tokens.delete(oldest!.row.session_token)
    }
  }

  revocation(sessionId: string): Revocation | undefined {
    return this.#revoked.get(sessionId)
  }

  revocationByToken(token: string): Revocation | undefined {
    const id = this.#tokens.get(token)
    return id === undefined ? undefined : this.#revoked.get(id)
  }

  /** Newest first; only those matching `keep`. */
  revocations(keep: (r: Revocation) => boolean = () => true): Revocation[] {
    return [...this.#revoked.values()].filter(keep).reverse()
  }

  get revokedCount(): number {
    return this.#revoked.size
  }

  control(call: ControlCall): void {
    this.#control.push(call)
    if (this.#control.length >= MAX_CONTROL * 1.5) this.#control = this.#control.slice(-MAX_CONTROL)
  }

  /** Oldest first. */
  controlCalls(): ControlCall[] {
    return this.#control.slice(-MAX_CONTROL)
  }

  snapshot(taken: SnapshotTaken): void {
    this.#snapshots.push(taken)
    // StateControl keeps the newest 100 too; older ids answer 404 snapshot_not_found.
    if (this.#snapshots.length > MAX_SNAPSHOTS) this.#snapshots.shift()
  }

  /** Newest first. */
  snapshots(): SnapshotTaken[] {
    return [...this.#snapshots].reverse()
  }

  /** After a reset: the fixtures are back, so earlier revocations and control calls are history. */
  reset(): void {
    this.#revoked.clear()
    this.#tokens.clear()
    this.#control = []
  }
}
