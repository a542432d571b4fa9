// Consumer login flows (/v1/otps, /v1/magic_links, /v1/passwords and their /sdk/v1 twins): find
// or make the user, send the passcode or link to the outbox, and end in an ordinary session with
// the factor Stytch records. Every input is checked before anything is written or spent.
import type { Clock } from '../clock.js'
import { StytchError } from '../errors.js'
import type { ConsumerSessions } from '../sessions/consumer.js'
import { loginFactor } from '../sessions/factors.js'
import { API, type AccessInput, type Factor, type LoginVia } from '../sessions/core.js'
import type { UserObject } from '../store/users.js'
import { verifyPassword } from '../tokens/password-hash.js'
import type { Channel } from './message.js'
import type { OneTimeSecrets } from './one-time.js'
import type { Outbox } from './outbox.js'
import { passwordStrength } from './passwords.js'
import { checkEmail, checkExpiration, checkPhone, checkUrl, linkUrl, SANDBOX } from './rules.js'
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

export interface MagicLinkInput extends SendInput {
  login_magic_link_url?: string | undefined
  signup_magic_link_url?: string | undefined
  login_expiration_minutes?: number | undefined
  signup_expiration_minutes?: number | undefined
  code_challenge?: string | undefined
}

export class ConsumerLogins {
  constructor(
    private readonly deps: {
      clock: Clock
      records: UserRecords
      sessions: ConsumerSessions
      secrets: OneTimeSecrets
      outbox: Outbox
      /** The project's default login and signup redirect URL (STYTCH_MOCK_REDIRECT_URL). */
      redirectUrl: string
    },
  ) {}

  /** otps/{email,sms}/{login_or_create,send}: a passcode to the outbox. */
  async sendPasscode(channel: Channel, address: string, input: SendInput, via = API) {
    const to = channel === 'email' ? checkEmail(address) : checkPhone(address)
    const minutes = checkExpiration('expiration_minutes', input.expiration_minutes, 2, 1, 10)
    const found = await this.recipient(to, input, via)
    const { user, method_id, created } = found
    const sandbox = via === API && (to === SANDBOX.email || to === SANDBOX.phone)
    const { code, expires_at } = this.deps.secrets.passcode('otp', method_id, {
      subject_id: user.user_id,
      method_id,
      address: to,
      expiration_minutes: minutes,
      ...(sandbox ? { code: SANDBOX.code } : {}),
    })
    this.deps.outbox.send({
      channel,
      to,
      kind: 'otp',
      text: `Your passcode is ${code}. It expires in ${minutes} minutes.`,
      otp_code: code,
      method_id,
      user_id: user.user_id,
      expires_at,
    })
    return {
      user_id: user.user_id,
      ...(channel === 'email' ? { email_id: method_id } : { phone_id: method_id }),
      method_id,
      user_created: created,
    }
  }

  async authenticatePasscode(method_id: string, code: string, session: AccessInput, via = API) {
    const existing = await this.deps.sessions.prepareLogin(session, via)
    const secret = this.deps.secrets.redeemPasscode('otp', method_id, code)
    const user = this.deps.records.verify(this.deps.records.byId(secret.subject_id), method_id)
    const factor = secret.address.includes('@')
      ? this.factor('otp', 'email', {
          email_factor: { email_id: method_id, email_address: secret.address },
        })
      : this.factor('otp', 'sms', {
          phone_number_factor: { phone_id: method_id, phone_number: secret.address },
        })
    const result = await this.deps.sessions.login(user, factor, session, existing)
    return { ...result, user_id: user.user_id, method_id, reset_sessions: false }
  }

  /** magic_links/email/{login_or_create,send}: a link to the outbox. */
  async sendMagicLink(email: string, input: MagicLinkInput, via = API) {
    const to = checkEmail(email)
    const known = this.known(to, via)
    // A new or pending user gets the signup link, as Stytch sends.
    const signup = !known || known.status === 'pending'
    const url = checkUrl(
      (signup ? input.signup_magic_link_url : input.login_magic_link_url) ?? this.deps.redirectUrl,
    )
    const minutes = signup
      ? checkExpiration(
          'signup_expiration_minutes',
          input.signup_expiration_minutes,
          10080,
          5,
          10080,
        )
      : checkExpiration('login_expiration_minutes', input.login_expiration_minutes, 60, 5, 10080)
    const { user, method_id, created } = await this.recipient(to, input, via)
    const { token, expires_at } = this.deps.secrets.link('magic_link', {
      subject_id: user.user_id,
      method_id,
      address: to,
      expiration_minutes: minutes,
      code_challenge: input.code_challenge,
    })
    const link = linkUrl(url, 'magic_links', token)
    this.deps.outbox.send({
      channel: 'email',
      to,
      kind: 'magic_link',
      text: `${signup ? 'Finish signing up' : 'Log in'}: ${link}`,
      token,
      url: link,
      method_id,
      user_id: user.user_id,
      expires_at,
    })
    return { user_id: user.user_id, email_id: method_id, user_created: created }
  }

  async authenticateMagicLink(
    token: string,
    codeVerifier: string | undefined,
    session: AccessInput,
    via = API,
  ) {
    const existing = await this.deps.sessions.prepareLogin(session, via)
    let subject: string
    let method_id: string
    let address: string
    if (via === API && token === SANDBOX.magicLink) {
      const user = this.deps.records.sandbox()
      ;[subject, address] = [user.user_id, SANDBOX.email]
      method_id = methodIdOf(user, SANDBOX.email)!
    } else if (via === API && token === SANDBOX.usedMagicLink) {
      throw new StytchError('unable_to_auth_magic_link')
    } else {
      const secret = this.deps.secrets.redeemLink('magic_link', token, codeVerifier)
      ;[subject, method_id, address] = [secret.subject_id, secret.method_id, secret.address]
    }
    const user = this.deps.records.verify(this.deps.records.byId(subject), method_id)
    const factor = this.factor('magic_link', 'email', {
      email_factor: { email_id: method_id, email_address: address },
    })
    const result = await this.deps.sessions.login(user, factor, session, existing)
    return { ...result, user_id: user.user_id, method_id, reset_sessions: false }
  }

  /** passwords (create): a new user with a password, and a session when asked. */
  async createPassword(
    email: string,
    password: string,
    input: { name?: UserObject['name'] } & AccessInput,
    via = API,
  ) {
    const to = checkEmail(email)
    const sandbox = via === API && to === SANDBOX.email
    if (!sandbox) {
      if (this.deps.records.byAddress(to)) throw new StytchError('duplicate_email')
      if (!passwordStrength(password, to).valid_password) throw new StytchError('weak_password')
    }
    const existing = await this.deps.sessions.prepareLogin(input, via)
    const made = sandbox
      ? this.deps.records.sandbox()
      : this.deps.records.create(to, { name: input.name })
    const user = await this.deps.records.setPassword(made, password)
    const email_id = methodIdOf(user, to)!
    const result = await this.deps.sessions.login(user, this.passwordFactor(), input, existing)
    return { ...result, user_id: user.user_id, email_id }
  }

  async authenticatePassword(email: string, password: string, session: AccessInput, via = API) {
    const to = checkEmail(email)
    const sandbox = via === API && to === SANDBOX.email
    const user = sandbox ? this.deps.records.sandbox() : this.deps.records.byAddress(to)
    if (!user) throw new StytchError('email_not_found')
    const existing = await this.deps.sessions.prepareLogin(session, via)
    if (!sandbox) {
      const hash = this.deps.records.passwordHash(user.user_id)
      if (!hash) throw new StytchError('no_user_password')
      if (!(await verifyPassword(password, hash))) throw new StytchError('unauthorized_credentials')
    }
    const current = this.deps.records.byId(user.user_id)
    const result = await this.deps.sessions.login(current, this.passwordFactor(), session, existing)
    return { ...result, user_id: user.user_id }
  }

  strength(password: string, email?: string) {
    return passwordStrength(password, email === undefined ? undefined : checkEmail(email))
  }

  /** users/search (frontend): which password screen the pre-built UI shows for an email. */
  userType(email: string): 'new' | 'password' | 'passwordless' {
    const user = this.deps.records.byAddress(checkEmail(email))
    if (!user) return 'new'
    return this.deps.records.passwordHash(user.user_id) ? 'password' : 'passwordless'
  }

  /** Test control: a user with this email (made if new, verified), a phone number, a password. */
  async seedUser(input: {
    email: string
    password?: string | undefined
    phone_number?: string | undefined
    name?: UserObject['name']
  }): Promise<UserObject> {
    const email = checkEmail(input.email)
    const phone = input.phone_number === undefined ? undefined : checkPhone(input.phone_number)
    const { records } = this.deps
    let user = records.byAddress(email) ?? records.create(email, { name: input.name })
    user = records.verify(user, methodIdOf(user, email)!)
    if (phone !== undefined) {
      user = records.withAddress(user, phone)
      user = records.verify(user, methodIdOf(user, phone)!)
    }
    if (input.password !== undefined) user = await records.setPassword(user, input.password)
    return user
  }

  /** The existing user this address belongs to (the sandbox's from the backend API). */
  private known(to: string, via: LoginVia): UserObject | null {
    if (via === API && (to === SANDBOX.email || to === SANDBOX.phone))
      return this.deps.records.sandbox()
    return this.deps.records.byAddress(to)
  }

  /**
   * Who a passcode or link goes to: the address's user; for send, the named user or the session's
   * user (the address added to them if new); for login_or_create, a new user if there is none.
   */
  private async recipient(to: string, input: SendInput, via: LoginVia) {
    const { records } = this.deps
    let user: UserObject | null
    if (input.user_id !== undefined) user = records.byId(input.user_id)
    else if (input.session_token !== undefined || input.session_jwt !== undefined)
      user = records.byId((await this.deps.sessions.userOf(input)).user_id)
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

  private passwordFactor(): Factor {
    return this.factor('password', 'knowledge', {})
  }

  private factor(type: string, delivery_method: string, details: object): Factor {
    return loginFactor(type, delivery_method, details, this.deps.clock.nowSeconds())
  }
}
