// Who a consumer passcode or link goes to: the user an address belongs to (Stytch's sandbox user
// from the backend API), the user a send names or whose session it carries (the address added to
// them if new), or, for login_or_create, a new user. Shared by the consumer login products.
import { StytchError } from '../../errors.js'
import type { ConsumerSessions } from '../sessions/consumer.js'
import { API, type LoginVia } from '../sessions/core.js'
import type { UserObject } from '../sessions/user-store.js'
import { SANDBOX } from './rules.js'
import { methodIdOf, type UserRecords } from './user-records.js'

export interface SendInput {
  /** login_or_create may make the user; send needs one. */
  create: boolean
  create_user_as_pending?: boolean | undefined
  /** send: the user (or the session's user) the address is added to, when it is new to them. */
  user_id?: string | undefined
  session_token?: string | undefined
  session_jwt?: string | undefined
  expiration_minutes?: number | undefined
}

export class Recipients {
  constructor(
    readonly records: UserRecords,
    private readonly sessions: ConsumerSessions,
  ) {}

  /** The existing user this address belongs to (the sandbox's from the backend API). */
  known(to: string, via: LoginVia): UserObject | null {
    if (via === API && (to === SANDBOX.email || to === SANDBOX.phone)) return this.records.sandbox()
    return this.records.byAddress(to)
  }

  /**
   * Who a passcode or link goes to: the address's user; for send, the named user or the session's
   * user (the address added to them if new); for login_or_create, a new user if there is none.
   */
  async recipient(to: string, input: SendInput, via: LoginVia) {
    const { records } = this
    let user: UserObject | null
    if (input.user_id !== undefined) user = records.byId(input.user_id)
    else if (input.session_token !== undefined || input.session_jwt !== undefined)
      user = records.byId((await this.sessions.userOf(input)).user_id)
    else user = this.known(to, via)
    let created = false
    if (!user) {
      if (!input.create)
        throw new StytchError(to.includes('@') ? 'email_not_found' : 'phone_number_not_found')
      user = records.create(to, { pending: input.create_user_as_pending ?? false })
      created = true
    }
    user = records.withAddress(user, to)
    return { user, created, method_id: methodIdOf(user, to)! }
  }
}
