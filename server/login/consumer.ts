// Consumer login flows (/v1/otps, /v1/magic_links, /v1/passwords and their /sdk/v1 twins): find
// or create the user, send the passcode or link to the outbox, and end in an ordinary session
// with the factor Stytch records.
import { rfc3339, type Clock } from '../clock.js'
import { StytchError } from '../errors.js'
import type { AccessInput, Factor } from '../sessions/core.js'
import type { ConsumerSessions } from '../sessions/consumer.js'
import { buildUser } from '../sessions/users.js'
import type { PasswordStore } from '../store/login.js'
import type { UserObject, UserStore } from '../store/users.js'
import { newId } from '../tokens/ids.js'
import type { OneTimeSecrets } from './one-time.js'
import type { Channel } from './message.js'
import type { Outbox } from './outbox.js'
import { hashPassword, verifyPassword } from '../tokens/password-hash.js'
import { passwordStrength } from './passwords.js'
import { checkEmail, checkExpiration, checkPhone, checkUrl, linkUrl, SANDBOX } from './rules.js'

interface EmailRecord {
  email_id: string
  email: string
  verified: boolean
}
interface PhoneRecord {
  phone_id: string
  phone_number: string
  verified: boolean
}

export interface SendInput {
  /** login_or_create may create the user; send needs one (or attaches the address to user_id). */
  create: boolean
  create_user_as_pending?: boolean | undefined
  user_id?: string | undefined
  expiration_minutes?: number | undefined
}

export interface MagicLinkInput extends SendInput {
  login_magic_link_url?: string | undefined
  signup_magic_link_url?: string | undefined
  login_expiration_minutes?: number | undefined
  signup_expiration_minutes?: number | undefined
  code_challenge?: string | undefined
}

/** How a login was called: the frontend SDK's stale session or IST does not block it. */
export const API = { ifLive: false }
export const SDK = { ifLive: true }

export class ConsumerLogins {
  constructor(
    private readonly deps: {
      clock: Clock
      users: UserStore
      sessions: ConsumerSessions
      secrets: OneTimeSecrets
      passwords: PasswordStore
      outbox: Outbox
      /** The project's default login and signup redirect URL (STYTCH_MOCK_REDIRECT_URL). */
      redirectUrl: string
    },
  ) {}

  /** otps/{email,sms,whatsapp}/{login_or_create,send}: a passcode to the outbox. */
  sendPasscode(channel: Channel, address: string, input: SendInput) {
    const minutes = checkExpiration(input.expiration_minutes, 2, 1, 10)
    const found = this.findOrCreate(channel, address, input)
    const { user, method_id, to } = found
    const { code, expires_at } = this.deps.secrets.passcode('otp', method_id, {
      subject_id: user.user_id,
      method_id,
      address: to,
      expiration_minutes: minutes,
      ...(to === SANDBOX.email || to === SANDBOX.phone ? { code: SANDBOX.code } : {}),
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
      user_created: found.created,
    }
  }

  async authenticatePasscode(method_id: string, code: string, session: AccessInput, via = API) {
    const secret = this.deps.secrets.redeemPasscode('otp', method_id, code)
    const user = this.user(secret.subject_id)
    const isEmail = secret.address.includes('@')
    const factor = this.factor('otp', isEmail ? 'email' : 'sms', {
      ...(isEmail
        ? { email_factor: { email_id: method_id, email_address: secret.address } }
        : { phone_number_factor: { phone_id: method_id, phone_number: secret.address } }),
    })
    const verified = this.verify(user, method_id)
    const result = await this.deps.sessions.login(verified, factor, session, via)
    return { ...result, user_id: user.user_id, method_id, reset_sessions: false }
  }

  /** magic_links/email/{login_or_create,send}: a link to the outbox. */
  sendMagicLink(email: string, input: MagicLinkInput) {
    const found = this.findOrCreate('email', email, input)
    const { user, method_id, to, created } = found
    const url = checkUrl(
      (created ? input.signup_magic_link_url : input.login_magic_link_url) ?? this.deps.redirectUrl,
    )
    const minutes = created
      ? checkExpiration(input.signup_expiration_minutes, 10080, 5, 10080)
      : checkExpiration(input.login_expiration_minutes, 60, 5, 10080)
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
      text: `${created ? 'Finish signing up' : 'Log in'}: ${link}`,
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
    let subject: string
    let method_id: string
    let address: string
    if (token === SANDBOX.magicLink) {
      const user = this.sandboxUser()
      const email = (user.emails as EmailRecord[])[0]!
      ;[subject, method_id, address] = [user.user_id, email.email_id, email.email]
    } else if (token === SANDBOX.usedMagicLink) {
      throw new StytchError('unable_to_auth_magic_link')
    } else {
      const secret = this.deps.secrets.redeemLink('magic_link', token, codeVerifier)
      ;[subject, method_id, address] = [secret.subject_id, secret.method_id, secret.address]
    }
    const user = this.verify(this.user(subject), method_id)
    const factor = this.factor('magic_link', 'email', {
      email_factor: { email_id: method_id, email_address: address },
    })
    const result = await this.deps.sessions.login(user, factor, session, via)
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
    const existing = this.deps.users.byEmail(to)
    if (to !== SANDBOX.email) {
      if (existing) throw new StytchError('duplicate_email')
      const strength = passwordStrength(password, to)
      if (!strength.valid_password) throw new StytchError('weak_password')
    }
    const user = existing ?? this.insertUser({ email: to, name: input.name as never })
    const withPassword = await this.setPassword(user, password)
    const email_id = (withPassword.emails as EmailRecord[])[0]!.email_id
    const result = await this.deps.sessions.login(withPassword, this.passwordFactor(), input, via)
    return { ...result, user_id: user.user_id, email_id }
  }

  async authenticatePassword(email: string, password: string, session: AccessInput, via = API) {
    const to = checkEmail(email)
    const user = to === SANDBOX.email ? this.sandboxUser() : this.deps.users.byEmail(to)
    if (!user) throw new StytchError('email_not_found')
    if (to !== SANDBOX.email) {
      const hash = this.deps.passwords.hashOf(user.user_id)
      if (!hash) throw new StytchError('no_user_password')
      if (!(await verifyPassword(password, hash))) throw new StytchError('unauthorized_credentials')
    }
    const result = await this.deps.sessions.login(user, this.passwordFactor(), session, via)
    return { ...result, user_id: user.user_id }
  }

  strength(password: string, email?: string) {
    return passwordStrength(password, email === undefined ? undefined : checkEmail(email))
  }

  /** Test control: a user with this email (made if new), with a phone number and a password. */
  async seedUser(input: {
    email: string
    password?: string | undefined
    phone_number?: string | undefined
    name?: UserObject['name']
  }): Promise<UserObject> {
    const email = checkEmail(input.email)
    let user = this.deps.users.byEmail(email) ?? this.insertUser({ email, name: input.name })
    user = this.verify(user, (user.emails as EmailRecord[])[0]!.email_id)
    if (input.phone_number !== undefined)
      user = this.withAddress(user, 'sms', checkPhone(input.phone_number))
    if (input.password !== undefined) user = await this.setPassword(user, input.password)
    return user
  }

  async setPassword(user: UserObject, password: string): Promise<UserObject> {
    this.deps.passwords.put(user.user_id, await hashPassword(password))
    const updated = {
      ...user,
      password: { password_id: newId('password'), requires_reset: false },
    }
    this.deps.users.update(updated, (user.emails as EmailRecord[])[0]?.email ?? null)
    return updated
  }

  /** users/search (frontend): which password screen the pre-built UI shows for an email. */
  userType(email: string): 'new' | 'password' | 'passwordless' {
    const user = this.deps.users.byEmail(checkEmail(email))
    if (!user) return 'new'
    return this.deps.passwords.hashOf(user.user_id) ? 'password' : 'passwordless'
  }

  private findOrCreate(channel: Channel, address: string, input: SendInput) {
    const to = channel === 'email' ? checkEmail(address) : checkPhone(address)
    let user: UserObject | null
    if (input.user_id !== undefined) {
      user = this.deps.users.byId(input.user_id)
      if (!user) throw new StytchError('user_not_found')
    } else if (to === SANDBOX.email || to === SANDBOX.phone) {
      user = this.sandboxUser()
    } else {
      user = channel === 'email' ? this.deps.users.byEmail(to) : this.deps.users.byPhone(to)
    }
    let created = false
    if (!user) {
      if (!input.create)
        throw new StytchError(channel === 'email' ? 'email_not_found' : 'phone_number_not_found')
      user = this.insertUser(
        channel === 'email' ? { email: to } : { phone: to },
        input.create_user_as_pending,
      )
      created = true
    }
    user = this.withAddress(user, channel, to)
    return { user, to, created, method_id: methodIdOf(user, to)! }
  }

  private insertUser(
    input: { email?: string; phone?: string; name?: UserObject['name'] },
    pending = false,
  ): UserObject {
    const now = this.deps.clock.nowSeconds()
    const user = buildUser({ email: input.email, name: input.name as never }, now)
    if (input.email) (user.emails as EmailRecord[])[0]!.verified = false
    if (pending) user.status = 'pending'
    this.deps.users.insert(user, input.email ?? null, null)
    return input.phone ? this.withAddress(user, 'sms', input.phone) : user
  }

  /** The user, with the address added (unverified) when it is new to them. */
  private withAddress(user: UserObject, channel: Channel, to: string): UserObject {
    if (methodIdOf(user, to)) return user
    const updated: UserObject =
      channel === 'email'
        ? {
            ...user,
            emails: [
              ...(user.emails as EmailRecord[]),
              { email_id: newId('email'), email: to, verified: false },
            ],
          }
        : {
            ...user,
            phone_numbers: [
              ...(user.phone_numbers as PhoneRecord[]),
              { phone_id: newId('phone-number'), phone_number: to, verified: false },
            ],
          }
    this.deps.users.update(updated, (updated.emails as EmailRecord[])[0]?.email ?? null)
    return updated
  }

  /** A passcode or link that worked verifies its address (and activates a pending user). */
  private verify(user: UserObject, method_id: string): UserObject {
    const emails = (user.emails as EmailRecord[]).map((e) =>
      e.email_id === method_id ? { ...e, verified: true } : e,
    )
    const phones = (user.phone_numbers as PhoneRecord[]).map((p) =>
      p.phone_id === method_id ? { ...p, verified: true } : p,
    )
    const updated = { ...user, emails, phone_numbers: phones, status: 'active' }
    if (JSON.stringify(updated) === JSON.stringify(user)) return user
    this.deps.users.update(updated, emails[0]?.email ?? null)
    return updated
  }

  private user(userId: string): UserObject {
    const user = this.deps.users.byId(userId)
    if (!user) throw new StytchError('user_not_found')
    return user
  }

  /** Stytch's sandbox user (fixtures have it; made again when a test's own fixtures do not). */
  private sandboxUser(): UserObject {
    const user = this.deps.users.byId(SANDBOX.userId) ?? this.deps.users.byEmail(SANDBOX.email)
    if (user) return user
    const made = buildUser(
      { user_id: SANDBOX.userId, email: SANDBOX.email },
      this.deps.clock.nowSeconds(),
    )
    this.deps.users.insert(made, SANDBOX.email, null)
    return made
  }

  private passwordFactor(): Factor {
    return this.factor('password', 'knowledge', {})
  }

  private factor(type: string, delivery_method: string, details: object): Factor {
    const at = rfc3339(this.deps.clock.nowSeconds())
    return {
      type,
      delivery_method,
      last_authenticated_at: at,
      created_at: at,
      updated_at: at,
      ...details,
    }
  }
}

function methodIdOf(user: UserObject, to: string): string | undefined {
  return to.includes('@')
    ? (user.emails as EmailRecord[]).find((e) => e.email === to)?.email_id
    : (user.phone_numbers as PhoneRecord[]).find((p) => p.phone_number === to)?.phone_id
}
