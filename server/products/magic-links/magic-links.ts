// Consumer email magic links (magic_links/email/{login_or_create,send}, magic_links/authenticate):
// a link to the outbox (the signup URL for a new or pending user), redeemed once, PKCE checked,
// for a session with the magic_link factor. Stytch's sandbox tokens answer from the backend API.
import type { Clock } from '../../clock.js'
import type { RedirectUrls } from '../../config.js'
import { StytchError } from '../../errors.js'
import type { OneTimeSecrets } from '../../platform/login/one-time.js'
import type { Outbox } from '../../platform/login/outbox.js'
import type { Recipients, SendInput } from '../../platform/login/recipients.js'
import { normalEmail, linkUrl, SANDBOX } from '../../platform/login/rules.js'
import { methodIdOf } from '../../platform/login/user-records.js'
import type { ConsumerSessions } from '../../platform/sessions/consumer.js'
import { API, type AccessInput } from '../../platform/sessions/core.js'
import { loginFactor } from '../../platform/sessions/factors.js'

export interface MagicLinkInput extends SendInput {
  login_magic_link_url?: string | undefined
  signup_magic_link_url?: string | undefined
  login_expiration_minutes?: number | undefined
  signup_expiration_minutes?: number | undefined
  code_challenge?: string | undefined
}

export class MagicLinks {
  constructor(
    private readonly deps: {
      clock: Clock
      recipients: Recipients
      sessions: ConsumerSessions
      secrets: OneTimeSecrets
      outbox: Outbox
      /** The consumer project's default redirect URLs. */
      redirectUrls: RedirectUrls['consumer']
    },
  ) {}

  /** magic_links/email/{login_or_create,send}: a link to the outbox. */
  async send(email: string, input: MagicLinkInput, via = API) {
    const to = normalEmail(email)
    const known = this.deps.recipients.known(to, via)
    // A new or pending user gets the signup link, as Stytch sends.
    const signup = !known || known.status === 'pending'
    const url =
      (signup ? input.signup_magic_link_url : input.login_magic_link_url) ??
      this.deps.redirectUrls[signup ? 'signup' : 'login']
    const minutes = signup
      ? (input.signup_expiration_minutes ?? 10080)
      : (input.login_expiration_minutes ?? 60)
    const { user, method_id, created } = await this.deps.recipients.recipient(to, input, via)
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

  async authenticate(
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
      const user = this.deps.recipients.records.sandbox()
      ;[subject, address] = [user.user_id, SANDBOX.email]
      method_id = methodIdOf(user, SANDBOX.email)!
    } else if (via === API && token === SANDBOX.usedMagicLink) {
      throw new StytchError('unable_to_auth_magic_link')
    } else {
      const secret = this.deps.secrets.redeemLink('magic_link', token, codeVerifier)
      ;[subject, method_id, address] = [secret.subject_id, secret.method_id, secret.address]
    }
    const user = this.deps.recipients.records.verify(
      this.deps.recipients.records.byId(subject),
      method_id,
    )
    const factor = loginFactor(
      'magic_link',
      'email',
      {
        email_factor: { email_id: method_id, email_address: address },
      },
      this.deps.clock.nowSeconds(),
    )
    const result = await this.deps.sessions.login(user, factor, session, existing)
    return { ...result, user_id: user.user_id, method_id, reset_sessions: false }
  }
}
