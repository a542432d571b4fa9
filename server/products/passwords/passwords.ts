// Consumer passwords: a new user with a password, a login with one, the strength rule, every
// reset (by email, by the existing password, by a recent session), and hashes imported from
// another system (migrate). A reset logs in as a login does and revokes the user's other sessions,
// as Stytch documents for each.
import type { Clock } from '../../clock.js'
import type { RedirectUrls } from '../../config.js'
import { StytchError } from '../../errors.js'
import type { OneTimeSecrets } from '../../platform/login/one-time.js'
import type { Outbox } from '../../platform/login/outbox.js'
import type { PasswordPolicy } from '../../platform/login/password-policy.js'
import type { PasswordResets } from '../../platform/login/password-resets.js'
import type { Recipients } from '../../platform/login/recipients.js'
import { linkUrl, normalEmail, SANDBOX } from '../../platform/login/rules.js'
import { methodIdOf } from '../../platform/login/user-records.js'
import type { ConsumerSessions } from '../../platform/sessions/consumer.js'
import {
  API,
  type AccessInput,
  type Factor,
  type SessionCore,
} from '../../platform/sessions/core.js'
import { loginFactor } from '../../platform/sessions/factors.js'
import type { UserObject } from '../../platform/sessions/user-store.js'
import { checkStoredPassword } from '../../platform/login/password-login.js'
import { importHash, type MigrateInput } from '../../platform/tokens/migrated-hash.js'
import { hashPassword } from '../../platform/tokens/password-hash.js'

/** A session reset needs one of these factors from the last 5 minutes (Stytch). */
const RECENT_SECONDS = 5 * 60
const RESET_FACTORS = (f: Factor) =>
  f.type === 'password' ||
  ((f.type === 'magic_link' || f.type === 'otp') && f.delivery_method === 'email')

export interface ResetStartInput {
  reset_password_redirect_url?: string | undefined
  login_redirect_url?: string | undefined
  reset_password_expiration_minutes?: number | undefined
  code_challenge?: string | undefined
}

export interface ConsumerMigrateInput extends MigrateInput {
  email: string
  name?: UserObject['name']
  trusted_metadata?: Record<string, unknown> | undefined
  untrusted_metadata?: Record<string, unknown> | undefined
  set_email_verified?: boolean | undefined
  phone_number?: string | undefined
  set_phone_number_verified?: boolean | undefined
}

export class Passwords {
  constructor(
    private readonly deps: {
      clock: Clock
      recipients: Recipients
      sessions: ConsumerSessions
      core: SessionCore
      policy: PasswordPolicy
      secrets: OneTimeSecrets
      resets: PasswordResets
      outbox: Outbox
      /** The consumer project's default redirect URLs (reset, login). */
      redirectUrls: RedirectUrls['consumer']
    },
  ) {}

  private get records() {
    return this.deps.recipients.records
  }

  /** passwords (create): a new user with a password, and a session when asked. */
  async create(
    email: string,
    password: string,
    input: {
      name?: UserObject['name']
      trusted_metadata?: Record<string, unknown> | undefined
      untrusted_metadata?: Record<string, unknown> | undefined
    } & AccessInput,
    via = API,
  ) {
    const to = normalEmail(email)
    const sandbox = via === API && to === SANDBOX.email
    if (!sandbox) {
      if (this.records.byAddress(to)) throw new StytchError('duplicate_email')
      await this.deps.policy.require(password, to)
    }
    const existing = await this.deps.sessions.prepareLogin(input, via)
    const hash = await hashPassword(password)
    // Again after the awaits: a concurrent create (or migrate) may have taken the email.
    if (!sandbox && this.records.byAddress(to)) throw new StytchError('duplicate_email')
    const made = sandbox
      ? this.records.sandbox()
      : this.records.create(to, {
          name: input.name,
          trusted_metadata: input.trusted_metadata,
          untrusted_metadata: input.untrusted_metadata,
        })
    const user = this.records.setPasswordHash(made, hash)
    const email_id = methodIdOf(user, to)!
    const result = await this.deps.sessions.login(user, this.factor(), input, existing)
    return { ...result, user_id: user.user_id, email_id }
  }

  async authenticate(email: string, password: string, session: AccessInput, via = API) {
    const to = normalEmail(email)
    const sandbox = via === API && to === SANDBOX.email
    const user = sandbox ? this.records.sandbox() : this.records.byAddress(to)
    if (!user) throw new StytchError('email_not_found')
    const existing = await this.deps.sessions.prepareLogin(session, via)
    if (!sandbox) await this.check(user, password)
    const current = this.records.byId(user.user_id)
    const result = await this.deps.sessions.login(current, this.factor(), session, existing)
    return { ...result, user_id: user.user_id }
  }

  async strength(password: string, email?: string) {
    // The consumer API nests the feedback: zxcvbn's, with the LUDS requirements inside.
    const { zxcvbn, luds, ...s } = await this.deps.policy.check(password, email)
    return { ...s, feedback: { ...zxcvbn, luds_requirements: luds } }
  }

  /** passwords/email/reset/start: a reset link (and a login link) to the outbox. */
  async resetStart(email: string, input: ResetStartInput, via = API) {
    const to = normalEmail(email)
    const user = this.deps.recipients.known(to, via)
    if (!user) throw new StytchError('email_not_found')
    const email_id = methodIdOf(user, to)!
    const { token, expires_at } = this.deps.resets.issue(this.deps.secrets, 'consumer', {
      subject_id: user.user_id,
      method_id: email_id,
      address: to,
      expiration_minutes: input.reset_password_expiration_minutes ?? 30,
      code_challenge: input.code_challenge,
    })
    const url = linkUrl(
      input.reset_password_redirect_url ?? this.deps.redirectUrls.reset,
      'reset_password',
      token,
    )
    const login_url = linkUrl(
      input.login_redirect_url ?? this.deps.redirectUrls.login,
      'login',
      token,
    )
    this.deps.outbox.send({
      channel: 'email',
      to,
      kind: 'password_reset',
      text: `Reset your password: ${url}\nOr log in without a password: ${login_url}`,
      token,
      url,
      login_url,
      method_id: email_id,
      user_id: user.user_id,
      expires_at,
    })
    return { user_id: user.user_id, email_id }
  }

  /** passwords/email/reset: the link's user gets the new password, a verified email, a login. */
  async resetByEmail(
    token: string,
    password: string,
    verifier: string | undefined,
    session: AccessInput,
    via = API,
  ) {
    const existing = await this.deps.sessions.prepareLogin(session, via)
    // The rule and the hash first: a weak password does not use the link up, and from the
    // redemption on nothing awaits before the reset is written.
    await this.deps.policy.require(password)
    const hash = await hashPassword(password)
    const secret = this.deps.resets.redeem(this.deps.secrets, 'consumer', token, verifier)
    let user = this.records.verify(this.records.byId(secret.subject_id), secret.method_id)
    user = this.records.setPasswordHash(user, hash)
    const factor = loginFactor(
      'password',
      'email',
      { email_factor: { email_id: secret.method_id, email_address: secret.address } },
      this.deps.clock.nowSeconds(),
    )
    return this.loginAfterReset(user, factor, session, existing)
  }

  /** passwords/existing_password/reset */
  async resetByExistingPassword(
    email: string,
    existingPassword: string,
    newPassword: string,
    session: AccessInput,
    via = API,
  ) {
    const to = normalEmail(email)
    const user = this.records.byAddress(to)
    if (!user) throw new StytchError('email_not_found')
    const existing = await this.deps.sessions.prepareLogin(session, via)
    // A password that must be reset by email (reset_password) cannot be changed with itself.
    await this.check(user, existingPassword)
    await this.deps.policy.require(newPassword, to)
    const hash = await hashPassword(newPassword)
    const updated = this.records.setPasswordHash(this.records.byId(user.user_id), hash)
    return this.loginAfterReset(updated, this.factor(), session, existing)
  }

  /** passwords/session/reset: the session's user, authenticated in the last 5 minutes. */
  async resetBySession(password: string, session: AccessInput) {
    const row = await this.deps.core.access('consumer', {
      session_token: session.session_token,
      session_jwt: session.session_jwt,
    })
    const now = this.deps.clock.nowSeconds()
    const recent = (row.authentication_factors as Factor[]).some(
      (f) =>
        RESET_FACTORS(f) &&
        now - Date.parse(String(f.last_authenticated_at)) / 1000 <= RECENT_SECONDS,
    )
    if (!recent) throw new StytchError('session_too_old_to_reset_password')
    await this.deps.policy.require(password, primaryAddress(this.records.byId(row.subject_id)))
    const hash = await hashPassword(password)
    // Nothing is written unless the session is still live now that the hash is made.
    const live = this.deps.core.current(row)
    if (!live) throw new StytchError('session_not_found')
    const updated = this.records.setPasswordHash(this.records.byId(row.subject_id), hash)
    this.deps.core.revokeAllOf('consumer', updated.user_id, 'a password reset', live.session_id)
    const result = await this.deps.sessions.login(updated, this.factor(), session, live)
    return { ...result, user_id: updated.user_id }
  }

  /** passwords/migrate: a hash from another system, checked on the user's next login. */
  async migrate(input: ConsumerMigrateInput) {
    const to = normalEmail(input.email)
    const stored = importHash(input)
    let user = this.records.byAddress(to)
    if (user && this.records.passwordHash(user.user_id))
      throw new StytchError('password_already_exists')
    // The phone number is checked before anything is made: a refused import leaves nothing.
    const phoneOwner =
      input.phone_number === undefined ? null : this.records.byAddress(input.phone_number)
    if (phoneOwner && phoneOwner.user_id !== user?.user_id)
      throw new StytchError('duplicate_phone_number')
    const user_created = !user
    user ??= this.records.create(to, {
      name: input.name,
      trusted_metadata: input.trusted_metadata,
      untrusted_metadata: input.untrusted_metadata,
    })
    if (input.set_email_verified) user = this.records.verify(user, methodIdOf(user, to)!)
    if (input.phone_number !== undefined) {
      user = this.records.withAddress(user, input.phone_number)
      if (input.set_phone_number_verified)
        user = this.records.verify(user, methodIdOf(user, input.phone_number)!)
    }
    user = this.records.setPasswordHash(user, stored)
    return { user_id: user.user_id, email_id: methodIdOf(user, to)!, user_created, user }
  }

  /** users/search (frontend): which password screen the pre-built UI shows for an email. */
  userType(email: string): 'new' | 'password' | 'passwordless' {
    const user = this.records.byAddress(normalEmail(email))
    if (!user) return 'new'
    return this.records.passwordHash(user.user_id) ? 'password' : 'passwordless'
  }

  /**
   * The user's password is this one (platform/login/password-login.ts); a user flagged for a
   * reset, or whose imported password is a breached one, gets reset_password instead of a login.
   */
  private async check(user: UserObject, password: string) {
    const hash = this.records.passwordHash(user.user_id)
    if (!hash) throw new StytchError('no_user_password')
    const checked = await checkStoredPassword(password, hash, this.deps.policy)
    if (checked.verdict === 'wrong') throw new StytchError('unauthorized_credentials')
    if (checked.verdict === 'reset') this.records.requireReset(user.user_id)
    const current = this.records.byId(user.user_id)
    if ((current.password as { requires_reset?: boolean } | null)?.requires_reset)
      throw new StytchError('reset_password')
    if (checked.verdict === 'ok' && checked.rehashed)
      this.records.rehash(user.user_id, checked.rehashed)
  }

  /**
   * The end of a reset: every other session of the user revoked (the one the call names, if it
   * is the user's, keeps going with the factor added), then a login as any login.
   */
  private async loginAfterReset(
    user: UserObject,
    factor: Factor,
    session: AccessInput,
    existing: Awaited<ReturnType<ConsumerSessions['prepareLogin']>>,
  ) {
    // The session the call named, if it is the user's and still live (the hash was awaited).
    const kept =
      existing?.subject_id === user.user_id ? this.deps.core.current(existing) : undefined
    this.deps.core.revokeAllOf('consumer', user.user_id, 'a password reset', kept?.session_id)
    const result = await this.deps.sessions.login(user, factor, session, kept)
    return { ...result, user_id: user.user_id }
  }

  private factor(): Factor {
    return loginFactor('password', 'knowledge', {}, this.deps.clock.nowSeconds())
  }
}

const primaryAddress = (user: UserObject) =>
  (user.emails as { email: string }[])[0]?.email ?? undefined
