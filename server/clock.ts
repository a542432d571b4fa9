// The one source of "now". Virtual time is an offset from (or a freeze of) the wall clock, so
// a test can move time forward and watch JWTs and sessions expire without sleeping.

/** Virtual time stays within what RFC 3339 timestamps and JWT claims can express. */
export const MIN_MS = 0
export const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59)

export class Clock {
  #offsetMs = 0
  #frozenAt: number | undefined

  constructor(private readonly wall: () => number = Date.now) {}

  nowMs(): number {
    return this.#frozenAt ?? this.wall() + this.#offsetMs
  }

  /** Real time, for the journal's wall_time and nothing else. */
  wallMs(): number {
    return this.wall()
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000)
  }

  /** Move virtual time by a number of seconds (may be negative). */
  advance(seconds: number): void {
    if (this.#frozenAt !== undefined) this.#frozenAt += seconds * 1000
    else this.#offsetMs += seconds * 1000
  }

  /** Jump to an absolute instant; time keeps running from there. */
  set(ms: number): void {
    this.#frozenAt = undefined
    this.#offsetMs = ms - this.wall()
  }

  /** Stop time at the current virtual instant, or at `atMs` (useful for deterministic tests). */
  freeze(atMs: number = this.nowMs()): void {
    this.#frozenAt = atMs
  }

  /** Back to the wall clock. */
  reset(): void {
    this.#offsetMs = 0
    this.#frozenAt = undefined
  }

  /** The clock's settings, for snapshots. */
  save(): { offsetMs: number; frozenAt: number | undefined } {
    return { offsetMs: this.#offsetMs, frozenAt: this.#frozenAt }
  }

  load(state: { offsetMs: number; frozenAt: number | undefined }): void {
    this.#offsetMs = state.offsetMs
    this.#frozenAt = state.frozenAt
  }

  get offsetSeconds(): number {
    return Math.round((this.nowMs() - this.wall()) / 1000)
  }

  get frozen(): boolean {
    return this.#frozenAt !== undefined
  }
}

/** Timestamps already rendered: an authenticate renders the same few again and again. */
const rendered = new Map<number, string>()

/** RFC 3339 UTC with seconds precision, as Stytch renders session timestamps. */
export function rfc3339(seconds: number): string {
  let text = rendered.get(seconds)
  if (text === undefined) {
    text = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    if (rendered.size >= 4096) rendered.clear()
    rendered.set(seconds, text)
  }
  return text
}

/** RFC 3339 UTC with milliseconds, for the mock's own bookkeeping (journal, keys, snapshots). */
export function isoMs(ms: number): string {
  return new Date(ms).toISOString()
}
