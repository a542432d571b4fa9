// Injected faults: the next calls matching a method and path fail with a Stytch error, stall, or both.
import { StytchError, type ErrorType, ERRORS } from '../../errors.js'

export interface FaultInput {
  method?: string | undefined
  /** An exact path, or a prefix ending in `*` (e.g. `/v1/sessions/jwks/*`). */
  path: string
  status?: number | undefined
  error_type?: string | undefined
  delay_ms?: number | undefined
  /** How many matching calls it affects; -1 for every one until cleared. Default 1. */
  times?: number | undefined
  /** Only calls about this subject (resolved from the call's token, JWT, body or query). */
  match?: FaultMatch | undefined
}

export const MATCH_KEYS = [
  'session_id',
  'user_id',
  'member_id',
  'organization_id',
  'client_id',
] as const
export type FaultMatch = Partial<Record<(typeof MATCH_KEYS)[number], string>>

export interface Fault {
  fault_id: string
  method: string | null
  path: string
  status: number | null
  error_type: string | null
  delay_ms: number
  remaining: number
  match: FaultMatch | null
}

const DEFAULT_TYPE: Record<number, ErrorType> = {
  400: 'bad_request',
  401: 'unauthorized_credentials',
  404: 'route_not_found',
  413: 'request_too_large',
  429: 'too_many_requests',
  500: 'internal_server_error',
  503: 'service_unavailable',
}

export class Faults {
  #faults: Fault[] = []
  #next = 1

  /** A fault as the spec's rules allow it (POST /_mock/faults in openapi.yaml). */
  add(input: FaultInput): Fault {
    const times = input.times ?? 1
    const delay = input.delay_ms ?? 0
    let errorType = input.error_type ?? null
    const status =
      input.status ?? (errorType ? ERRORS[errorType as ErrorType]?.[0] : undefined) ?? null
    if (status !== null && errorType === null)
      errorType = DEFAULT_TYPE[status] ?? 'internal_server_error'
    const match = input.match ?? null
    const fault: Fault = {
      fault_id: `fault-${this.#next++}`,
      method: input.method?.toUpperCase() ?? null,
      path: input.path,
      status,
      error_type: errorType,
      delay_ms: delay,
      remaining: times,
      match,
    }
    this.#faults.push(fault)
    return fault
  }

  list(): Fault[] {
    return this.#faults.map((f) => ({ ...f }))
  }

  clear(): void {
    this.#faults = []
  }

  /** Removes one fault (a test's own, in a run other workers share); false if there is none. */
  remove(faultId: string): boolean {
    const before = this.#faults.length
    this.#faults = this.#faults.filter((f) => f.fault_id !== faultId)
    return this.#faults.length < before
  }

  /** No fault is set: no call needs looking at. */
  get none(): boolean {
    return this.#faults.length === 0
  }

  /** Whether a fault scoped to a subject could apply to this call (then the subject is needed). */
  scoped(method: string, path: string): boolean {
    return this.#faults.some((f) => f.match !== null && applies(f, method, path))
  }

  /** The first fault matching this call (and its subject, for scoped faults), counted as used. */
  take(method: string, path: string, subject: FaultMatch = {}): Fault | undefined {
    const fault = this.#faults.find(
      (f) =>
        applies(f, method, path) &&
        (f.match === null ||
          Object.entries(f.match).every(([k, v]) => subject[k as keyof FaultMatch] === v)),
    )
    if (!fault) return undefined
    if (fault.remaining > 0 && --fault.remaining === 0)
      this.#faults = this.#faults.filter((f) => f !== fault)
    return { ...fault }
  }
}

function applies(f: Fault, method: string, path: string): boolean {
  return (
    (f.method === null || f.method === method) &&
    (f.path.endsWith('*') ? path.startsWith(f.path.slice(0, -1)) : f.path === path)
  )
}

/** The error a fault answers with, if it has one. */
export function faultError(fault: Fault): StytchError | undefined {
  if (fault.status === null) return undefined
  return new StytchError(fault.error_type as ErrorType, undefined, fault.status)
}
