// B2B email magic links (b2b/magic_links/email/login_or_signup and authenticate): a link to the
// outbox for a member of one organization, redeemed once for a member or intermediate session.
import type { RedirectUrls } from '../../config.js'
import { API } from '../../platform/sessions/core.js'
import type { MemberSessions } from '../../platform/sessions/b2b.js'
import { memberFactorEmail } from '../../platform/sessions/organizations.js'
import {
  shape,
  type B2BSessionInput,
  type MemberLogins,
} from '../../platform/login/member-logins.js'
import type { OneTimeSecrets } from '../../platform/login/one-time.js'
import type { Outbox } from '../../platform/login/outbox.js'
import { linkUrl } from '../../platform/login/rules.js'

export class MemberMagicLinks {
  constructor(
    private readonly deps: {
      core: MemberLogins
      members: MemberSessions
      secrets: OneTimeSecrets
      outbox: Outbox
      /** The B2B project's default redirect URLs. */
      redirectUrls: RedirectUrls['b2b']
    },
  ) {}

  /** b2b/magic_links/email/login_or_signup */
  async send(input: {
    organization_id: string
    email_address: string
    login_redirect_url?: string | undefined
    signup_redirect_url?: string | undefined
    login_expiration_minutes?: number | undefined
    signup_expiration_minutes?: number | undefined
    pkce_code_challenge?: string | undefined
  }) {
    const { org, member, created, signup } = this.deps.core.recipient(
      input.organization_id,
      input.email_address,
    )
    const url =
      (signup ? input.signup_redirect_url : input.login_redirect_url) ??
      this.deps.redirectUrls[signup ? 'signup' : 'login']
    const minutes = signup
      ? (input.signup_expiration_minutes ?? 60)
      : (input.login_expiration_minutes ?? 60)
    const { email_id } = memberFactorEmail(member)
    const { token, expires_at } = this.deps.secrets.link('b2b_magic_link', {
      subject_id: member.member_id,
      organization_id: org.organization_id,
      method_id: email_id,
      address: member.email_address,
      expiration_minutes: minutes,
      code_challenge: input.pkce_code_challenge,
    })
    const link = linkUrl(url, 'multi_tenant_magic_links', token)
    this.deps.outbox.send({
      channel: 'email',
      to: member.email_address,
      kind: 'magic_link',
      text: `Log in to ${String(org.organization_name)}: ${link}`,
      token,
      url: link,
      method_id: email_id,
      member_id: member.member_id,
      organization_id: org.organization_id,
      expires_at,
    })
    return { member_id: member.member_id, member_created: created, member, organization: org }
  }

  async authenticate(
    token: string,
    verifier: string | undefined,
    input: B2BSessionInput,
    via = API,
  ) {
    const prepared = await this.deps.members.prepareLogin(input, via)
    const secret = this.deps.secrets.redeemLink('b2b_magic_link', token, verifier)
    const { org, member } = this.deps.core.existing(secret.organization_id!, secret.subject_id)
    const factor = this.deps.core.factor('magic_link', member)
    const result = await this.deps.members.login(member, org, factor, input, prepared)
    return {
      ...shape(result),
      method_id: secret.method_id,
      reset_sessions: false,
      organization_id: org.organization_id,
    }
  }
}
