// Consumer passwords (passwords, passwords/authenticate, passwords/strength_check, and the
// pre-built UI's user search): a new user with a password, a login with one, and the strength rule.
import type { Clock } from '../../clock.js'
import { StytchError } from '../../errors.js'
import type { Recipients } from '../../platform/login/recipients.js'
import { normalEmail, SANDBOX } from '../../platform/login/rules.js'
import { methodIdOf } from '../../platform/login/user-records.js'
import type { ConsumerSessions } from '../../platform/sessions/consumer.js'
import { API, type AccessInput, type Factor } from '../../platform/sessions/core.js'
import { loginFactor } from '../../platform/sessions/factors.js'
import type { UserObject } from '../../platform/sessions/user-store.js'
import { verifyPassword } from '../../platform/tokens/password-hash.js'
import { passwordStrength } from './strength.js'

export class Passwords {
  constructor(
    private readonly deps: {
      clock: Clock
      recipients: Recipients
      sessions: ConsumerSessions
    },
  ) {}

  /** passwords (create): a new user with a password, and a session when asked. */
  async create(
    email: string,
    password: string,
    input: { name?: UserObject['name'] } & AccessInput,
    via = API,
  ) {
    const to = normalEmail(email)
    const sandbox = via === API && to === SANDBOX.email
    if (!sandbox) {
      if (this.deps.recipients.records.byAddress(to)) throw new StytchError('duplicate_email')
      if (!passwordStrength(password, to).valid_password) throw new StytchError('weak_password')
    }
    const existing = await this.deps.sessions.prepareLogin(input, via)
    const made = sandbox
      ? this.deps.recipients.records.sandbox()
      : this.deps.recipients.records.create(to, { name: input.name })
    const user = await this.deps.recipients.records.setPassword(made, password)
    const email_id = methodIdOf(user, to)!
    const result = await this.deps.sessions.login(user, this.factor(), input, existing)
    return { ...result, user_id: user.user_id, email_id }
  }

  async authenticate(email: string, password: string, session: AccessInput, via = API) {
    const to = normalEmail(email)
    const sandbox = via === API && to === SANDBOX.email
    const user = sandbox
      ? this.deps.recipients.records.sandbox()
      : this.deps.recipients.records.byAddress(to)
    if (!user) throw new StytchError('email_not_found')
    const existing = await this.deps.sessions.prepareLogin(session, via)
    if (!sandbox) {
      const hash = this.deps.recipients.records.passwordHash(user.user_id)
      if (!hash) throw new StytchError('no_user_password')
      if (!(await verifyPassword(password, hash))) throw new StytchError('unauthorized_credentials')
    }
    const current = this.deps.recipients.records.byId(user.user_id)
    const result = await this.deps.sessions.login(current, this.factor(), session, existing)
    return { ...result, user_id: user.user_id }
  }

  strength(password: string, email?: string) {
    return passwordStrength(password, email === undefined ? undefined : normalEmail(email))
  }

  /** users/search (frontend): which password screen the pre-built UI shows for an email. */
  userType(email: string): 'new' | 'password' | 'passwordless' {
    const user = this.deps.recipients.records.byAddress(normalEmail(email))
    if (!user) return 'new'
    return this.deps.recipients.records.passwordHash(user.user_id) ? 'password' : 'passwordless'
  }

  private factor(): Factor {
    return loginFactor('password', 'knowledge', {}, this.deps.clock.nowSeconds())
  }
}
