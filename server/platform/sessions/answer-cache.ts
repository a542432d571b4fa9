// Answers built once per session state and second, not once per call. A busy test suite
// authenticates the same session many times a second, and within one second each answer is the
// same text but its request_id: the session as stored, the user, and a JWT whose iat is that
// second (signed by the same key, so the same bytes: see jwt.ts). Building that answer (the
// session object, the JWT's claim set and the JSON of both and of the user) was about a fifth of
// an authenticate's CPU (#31). An answer is reused only while everything it was made from is
// unchanged: the session's stored text and the row's fields, the user object (the stores hand out
// a new one when its stored text changes), the signing key and the second.
import type { RawSessionRow, SessionRow, SessionStore } from './session-store.js'

/** What one answer was made from. */
export interface AnswerKey {
  session_id: string
  raw: RawSessionRow
  row: Pick<
    SessionRow,
    | 'kind'
    | 'session_token'
    | 'subject_id'
    | 'organization_id'
    | 'started_at'
    | 'last_accessed_at'
    | 'expires_at'
  >
  /** Compared by identity: the user (or member and organization) the answer shows. */
  owner: readonly object[]
  kid: string
  iat: number
}

/**
 * What a ready answer is kept by: the field and its value, when a call names exactly one of
 * session_token and session_jwt (the same text in the other field is another call: the routes
 * refuse a JWT as a token, and a token as a JWT).
 */
export function credentialKey(input: {
  session_token?: unknown
  session_jwt?: unknown
}): string | undefined {
  const { session_token: token, session_jwt: jwt } = input
  if (typeof token === 'string' && jwt === undefined) return `session_token:${token}`
  if (typeof jwt === 'string' && token === undefined) return `session_jwt:${jwt}`
  return undefined
}

/** An answer to a plain authenticate (the credential alone), ready to be handed out again. */
export interface ReadyAnswer {
  text: string
  session_id: string
  user_id: string
}

interface Ready {
  /** The second it is the answer for. */
  second: number
  /** The database's write count before its call read anything (db.ts's writeCount). */
  writes: number
  /** Settled when its call has answered: undefined if that call failed. */
  answer: Promise<ReadyAnswer | undefined>
}

/** Enough for the sessions a busy test suite touches within one second. */
const SIZE = 2048

export class AnswerCache {
  readonly #answers = new Map<string, { key: AnswerKey; text: string }>()
  readonly #ready = new Map<string, Ready>()

  constructor(
    private readonly store: SessionStore,
    private readonly activeKid: () => string,
  ) {}

  /** The key of an answer about this row, or undefined when the row is not as it was stored. */
  key(row: SessionRow, owner: readonly object[], iat: number): AnswerKey | undefined {
    const raw = this.store.readFrom(row)
    if (!raw) return undefined
    return {
      session_id: row.session_id,
      raw,
      row: {
        kind: row.kind,
        session_token: row.session_token,
        subject_id: row.subject_id,
        organization_id: row.organization_id,
        started_at: row.started_at,
        last_accessed_at: row.last_accessed_at,
        expires_at: row.expires_at,
      },
      owner,
      kid: this.activeKid(),
      iat,
    }
  }

  /**
   * The answer to a plain authenticate with this session token or JWT, when it can be handed out
   * without reading anything: made (or being made) in this second, and nothing written to the
   * database since its call started reading. Whatever changes an answer (a revoke, an expiry, a
   * user's update, a key rotation, a reset or a restored snapshot) is a write; the access a call
   * records in a new second is not counted, and changes the second anyway. A call that arrives
   * while the answer is being made waits for it: it would read what that call read.
   */
  ready(credential: string, second: number): Promise<ReadyAnswer | undefined> | undefined {
    const hit = this.#ready.get(credential)
    return hit && hit.second === second && hit.writes === this.store.writes()
      ? hit.answer
      : undefined
  }

  /**
   * Promises the answer a plain authenticate is about to make, before it reads anything; it
   * settles the promise with its answer and the second that answer is for (or undefined).
   */
  expect(
    credential: string,
    second: number,
  ): (answer: ReadyAnswer | undefined, answerSecond?: number) => void {
    let settle!: (answer: ReadyAnswer | undefined) => void
    const answer = new Promise<ReadyAnswer | undefined>((resolve) => (settle = resolve))
    this.#ready.delete(credential)
    this.#ready.set(credential, { second, writes: this.store.writes(), answer })
    if (this.#ready.size > SIZE) this.#ready.delete(this.#ready.keys().next().value!)
    return (ready, answerSecond) => {
      if (answerSecond !== second) {
        // Not this second's answer after all: nobody waits for it again.
        if (this.#ready.get(credential)?.answer === answer) this.#ready.delete(credential)
        settle(undefined)
      } else settle(ready)
    }
  }

  get(key: AnswerKey): string | undefined {
    const hit = this.#answers.get(key.session_id)
    return hit && same(hit.key, key) ? hit.text : undefined
  }

  set(key: AnswerKey, text: string): void {
    this.#answers.delete(key.session_id)
    this.#answers.set(key.session_id, { key, text })
    if (this.#answers.size > SIZE) this.#answers.delete(this.#answers.keys().next().value!)
  }
}

function same(a: AnswerKey, b: AnswerKey): boolean {
  if (a.iat !== b.iat || a.kid !== b.kid || a.owner.length !== b.owner.length) return false
  for (let i = 0; i < a.owner.length; i++) if (a.owner[i] !== b.owner[i]) return false
  const [x, y] = [a.row, b.row]
  return (
    x.last_accessed_at === y.last_accessed_at &&
    x.expires_at === y.expires_at &&
    x.kind === y.kind &&
    x.session_token === y.session_token &&
    x.subject_id === y.subject_id &&
    x.organization_id === y.organization_id &&
    x.started_at === y.started_at &&
    a.raw.authentication_factors === b.raw.authentication_factors &&
    a.raw.attributes === b.raw.attributes &&
    a.raw.custom_claims === b.raw.custom_claims &&
    a.raw.roles === b.raw.roles
  )
}
