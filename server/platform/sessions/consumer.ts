// Consumer sessions (/v1/sessions): the wire shapes around the shared session core.
import { StytchError } from '../../errors.js'
import { type AnswerCache, credentialKey, type ReadyAnswer } from './answer-cache.js'
import type { SessionRow } from './session-store.js'
import type { UserObject, UserStore } from './user-store.js'
import {
  type AccessInput,
  checkSessionInput,
  type Factor,
  type LoginVia,
  type NewSession,
  type SessionArguments,
  type SessionCore,
  timestamps,
} from './core.js'
import type { AuthorizationCheck } from './rbac.js'
import type { RbacPolicies } from './rbac-policies.js'

/** A new session for a user; roles default to stytch_user. */
export type CreateInput = Omit<NewSession, 'kind' | 'subject_id' | 'organization_id' | 'roles'> & {
  user_id: string
  roles?: string[] | undefined
}

export interface AuthenticateInput extends AccessInput {
  authorization_check?: AuthorizationCheck | undefined
}

export class ConsumerSessions {
  readonly #answers: AnswerCache

  constructor(
    private readonly core: SessionCore,
    private readonly users: UserStore,
    private readonly rbac: RbacPolicies,
  ) {
    this.#answers = core.answerCache()
  }

  async create(input: CreateInput) {
    const row = this.insert(input)
    return this.result(row, this.users.byId(row.subject_id)!, true, input.jwt_issued_at)
  }

  /** Stores a new session synchronously (fixtures seed through this inside one transaction). */
  insert(input: CreateInput): SessionRow {
    if (!this.users.byId(input.user_id)) throw new StytchError('user_not_found')
    const roles = input.roles ?? ['stytch_user']
    return this.core.insert({ ...input, kind: 'consumer', subject_id: input.user_id, roles })
  }

  async authenticate(input: AuthenticateInput) {
    const { accessed, user, verdict } = await this.#access(input)
    return { ...(await this.result(accessed, user, false)), ...(verdict ? { verdict } : {}) }
  }

  /**
   * authenticate's answer as the JSON text of its fields (`"session":...,"user":{...}`), what
   * JSON.stringify of authenticate's result writes between its braces. Made once per session
   * state and second (answer-cache.ts).
   */
  async authenticateJson(input: AuthenticateInput) {
    // A plain call (the credential alone) promises its answer before it reads anything: calls
    // with the same credential in the same second get it without reading (before-router.ts).
    const credential = credentialKey(input)
    const settle =
      credential !== undefined &&
      input.session_duration_minutes === undefined &&
      input.session_custom_claims === undefined &&
      input.authorization_check === undefined
        ? this.#answers.expect(credential, this.core.now())
        : undefined
    try {
      const { accessed, user, verdict } = await this.#access(input)
      // One reading of the clock for the key and the JWT: the answer is the one made at that second.
      const iat = this.core.now()
      const key = this.#answers.key(accessed, [user], iat)
      let text = key && this.#answers.get(key)
      if (text === undefined) {
        const r = await this.result(accessed, user, false, iat)
        text = `"session":${JSON.stringify(r.session)},"session_token":${JSON.stringify(r.session_token)},"session_jwt":${JSON.stringify(r.session_jwt)},"user":${jsonOf(user)}`
        if (key) this.#answers.set(key, text)
      }
      if (verdict) text += `,"verdict":${JSON.stringify(verdict)}`
      const answer = { text, session_id: accessed.session_id, user_id: accessed.subject_id }
      // Only an answer for the second its access was recorded in.
      settle?.(answer, accessed.last_accessed_at === iat ? iat : undefined)
      return answer
    } catch (err) {
      settle?.(undefined)
      throw err
    }
  }

  /**
   * What authenticateJson answers now for a call naming this session token or JWT alone (its
   * credentialKey), when that is known (or being worked out) without reading the database:
   * answer-cache.ts's ready answers.
   */
  readyAnswer(credential: string): Promise<ReadyAnswer | undefined> | undefined {
    return this.#answers.ready(credential, this.core.now())
  }

  async #access(input: AuthenticateInput) {
    const accessed = await this.core.access('consumer', input)
    const user = this.users.byId(accessed.subject_id)
    if (!user) throw new StytchError('session_not_found')
    const verdict = input.authorization_check
      ? this.rbac.authorize(
          withUserRoles(accessed, user).roles,
          input.authorization_check,
          null,
          'consumer_session_authorization_error',
        )
      : undefined
    return { accessed, user, verdict }
  }

  /** The user of the live session a call names (send adds an address to them). */
  async userOf(input: SessionArguments): Promise<{ user_id: string }> {
    return { user_id: (await this.core.find('consumer', input)).subject_id }
  }

  /**
   * A login's session arguments, checked before its passcode or link is spent: the duration, and
   * the session the call names (which must be live, unless the frontend SDK sent it along).
   */
  async prepareLogin(input: AccessInput, via: LoginVia): Promise<SessionRow | undefined> {
    checkSessionInput(input)
    if (input.session_token === undefined && input.session_jwt === undefined) return undefined
    return this.core.find('consumer', input).catch((err: unknown) => {
      if (via.ifLive && err instanceof StytchError) return undefined
      throw err
    })
  }

  /**
   * The end of a login flow: the factor added to the caller's live session (what prepareLogin
   * found, when it is this user's), or a new session with it; with neither a session nor
   * session_duration_minutes, no session at all: empty tokens, as Stytch answers.
   */
  async login(
    user: UserObject,
    factor: Factor,
    input: AccessInput,
    existing: SessionRow | undefined,
  ) {
    if (existing?.subject_id === user.user_id) {
      this.core.addFactor(existing, factor, input.session_duration_minutes)
      return this.result(existing, user, false)
    }
    if (input.session_duration_minutes === undefined)
      return { session: undefined, session_token: '', session_jwt: '', user }
    const row = this.insert({
      user_id: user.user_id,
      duration_minutes: input.session_duration_minutes,
      authentication_factors: [factor],
      custom_claims: input.session_custom_claims,
    })
    return this.result(row, user, true)
  }

  revoke(input: {
    session_id?: string
    session_token?: string
    session_jwt?: string
  }): Promise<void> {
    return this.core.revoke('consumer', input)
  }

  /** Active sessions of a user, found by user_id or external_id. */
  list(userId: string) {
    const user = this.users.byId(userId) ?? this.users.byExternalId(userId)
    if (!user) throw new StytchError('user_not_found')
    return this.core.active('consumer', user.user_id).map(sessionObject)
  }

  private async result(
    accessed: SessionRow,
    user: UserObject,
    created: boolean,
    issuedAt?: number,
  ) {
    const row = withUserRoles(accessed, user)
    const session = sessionObject(row)
    const session_jwt = await this.core.mint(
      row,
      {
        id: row.session_id,
        ...timestamps(row),
        attributes: row.attributes,
        authentication_factors: row.authentication_factors,
        roles: row.roles,
      },
      {},
      created,
      issuedAt,
    )
    return { session, session_token: row.session_token, session_jwt, user }
  }
}

/**
 * A user object's JSON, made once per object: the stores hand out the same object while its
 * stored text is unchanged, and a new one after (user-store.ts), and nothing changes one.
 */
const userJson = new WeakMap<UserObject, string>()
function jsonOf(user: UserObject): string {
  let text = userJson.get(user)
  if (text === undefined) userJson.set(user, (text = JSON.stringify(user)))
  return text
}

/**
 * The session with its user's roles as they are now (users.update), beside those it was made
 * with (stytch_user, or a seeded session's): Stytch's session roles follow the user.
 */
function withUserRoles(row: SessionRow, user: UserObject): SessionRow {
  const extra = ((user.roles as string[] | undefined) ?? []).filter((r) => !row.roles.includes(r))
  return extra.length ? { ...row, roles: [...row.roles, ...extra] } : row
}

/** The wire `session` object. */
export function sessionObject(row: SessionRow) {
  return {
    session_id: row.session_id,
    user_id: row.subject_id,
    ...timestamps(row),
    attributes: row.attributes,
    authentication_factors: row.authentication_factors,
    custom_claims: row.custom_claims,
    roles: row.roles,
  }
}
