// Consumer email magic links (magic_links/email/{login_or_create,send}, magic_links/authenticate):
// a link to the outbox (the signup URL for a new or pending user), redeemed once, PKCE checked,
// for a session with the magic_link factor. Stytch's sandbox tokens answer from the backend API.
// Invites (magic_links/email/{invite,revoke_invite}) make a pending user and send the invite link;
// embeddable tokens (POST /v1/magic_links) are handed to the app, not sent. Both are redeemed by
// the same authenticate, each from its own table.
import { randomUUID } from 'node:crypto'
import type { Clock } from '../../clock.js'
import type { RedirectUrls } from '../../config.js'
import { StytchError } from '../../errors.js'
import type { OneTimeSecrets } from '../../platform/login/one-time.js'
import type { LoginSecretStore, SecretRow } from '../../platform/login/store.js'
import type { Outbox } from '../../platform/login/outbox.js'
import type { Recipients, SendInput } from '../../platform/login/recipients.js'
import { normalEmail, linkUrl, SANDBOX } from '../../platform/login/rules.js'
import { methodIdOf } from '../../platform/login/user-records.js'
import type { ConsumerSessions } from '../../platform/sessions/consumer.js'
import { API, type AccessInput } from '../../platform/sessions/core.js'
import { loginFactor } from '../../platform/sessions/factors.js'
import type { UserObject } from '../../platform/sessions/user-store.js'
import type { InviteLinks } from './store.js'

export interface MagicLinkInput extends SendInput {
  login_magic_link_url?: string | undefined
  signup_magic_link_url?: string | undefined
  login_expiration_minutes?: number | undefined
  signup_expiration_minutes?: number | undefined
  code_challenge?: string | undefined
}

export interface InviteInput {
  name?: UserObject['name'] | undefined
  trusted_metadata?: Record<string, unknown> | undefined
  untrusted_metadata?: Record<string, unknown> | undefined
  invite_magic_link_url?: string | undefined
  invite_expiration_minutes?: number | undefined
}

/** A table of one-time links of its own: its rules (OneTimeSecrets) and its rows. */
export interface OwnLinks {
  secrets: OneTimeSecrets
  store: LoginSecretStore
}

/** Invite links last an hour unless the call says otherwise (the Node SDK's docs). */
const INVITE_MINUTES = 60
/** Embeddable tokens: an hour by default (the Node SDK's docs). */
const EMBEDDED_MINUTES = 60

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
      invites: OwnLinks & { links: InviteLinks }
      embedded: OwnLinks
    },
  ) {}

  /**
   * magic_links/email/invite: a new user, pending until the link works, or a pending one invited
   * again; an active user cannot be invited (Stytch's sandbox address always can).
   */
  invite(email: string, input: InviteInput) {
    const to = normalEmail(email)
    const { records } = this.deps.recipients
    let user = this.deps.recipients.known(to, API)
    if (user && user.status !== 'pending' && to !== SANDBOX.email)
      throw new StytchError('duplicate_email')
    user ??= records.create(to, {
      pending: true,
      name: input.name,
      trusted_metadata: input.trusted_metadata,
      untrusted_metadata: input.untrusted_metadata,
    })
    const method_id = methodIdOf(user, to)!
    const { token, expires_at } = this.deps.invites.secrets.link('magic_link', {
      subject_id: user.user_id,
      method_id,
      address: to,
      expiration_minutes: input.invite_expiration_minutes ?? INVITE_MINUTES,
    })
    const link = linkUrl(
      input.invite_magic_link_url ?? this.deps.redirectUrls.invite,
      'magic_links',
      token,
    )
    this.deps.outbox.send({
      channel: 'email',
      to,
      kind: 'magic_link',
      text: `You have been invited. Accept the invite: ${link}`,
      token,
      url: link,
      method_id,
      user_id: user.user_id,
      expires_at,
    })
    return { user_id: user.user_id, email_id: method_id }
  }

  /** magic_links/email/revoke_invite: the address's invite links stop working. */
  revokeInvite(email: string): void {
    const to = normalEmail(email)
    if (!this.deps.recipients.known(to, API)) throw new StytchError('email_not_found')
    this.deps.invites.links.revoke(to)
  }

  /** POST /v1/magic_links: an embeddable token for the user, for the app to deliver. */
  create(userId: string, expirationMinutes: number | undefined) {
    const user = this.deps.recipients.records.byId(userId)
    const { token } = this.deps.embedded.secrets.link('magic_link', {
      subject_id: user.user_id,
      method_id: `embedded-test-${randomUUID()}`,
      address: '',
      expiration_minutes: expirationMinutes ?? EMBEDDED_MINUTES,
    })
    return { user_id: user.user_id, token }
  }

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
    } else if (this.deps.embedded.store.get(token)) {
      return this.embeddedLogin(
        this.deps.embedded.secrets.redeemLink('magic_link', token, codeVerifier),
        session,
        existing,
      )
    } else {
      const { invites } = this.deps
      const secret = (invites.store.get(token) ? invites.secrets : this.deps.secrets).redeemLink(
        'magic_link',
        token,
        codeVerifier,
      )
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

  /**
   * An embeddable token's login: the user (a pending one made active), no address verified, as
   * Stytch documents; the factor names the token's embedded_id.
   */
  private async embeddedLogin(
    secret: SecretRow,
    session: AccessInput,
    existing: Awaited<ReturnType<ConsumerSessions['prepareLogin']>>,
  ) {
    const { records } = this.deps.recipients
    // verify() with an id no address has: only the status changes.
    const user = records.verify(records.byId(secret.subject_id), secret.method_id)
    const factor = loginFactor(
      'magic_link',
      'embedded',
      { embeddable_magic_link_factor: { embedded_id: secret.method_id } },
      this.deps.clock.nowSeconds(),
    )
    const result = await this.deps.sessions.login(user, factor, session, existing)
    return { ...result, user_id: user.user_id, method_id: secret.method_id, reset_sessions: false }
  }
}
