// B2B login flows (/v1/b2b/magic_links, /v1/b2b/otps/email and their /sdk/v1 twins): a member of
// one organization, found or provisioned, and the organization's auth-method and MFA policies
// deciding between a member session and an intermediate session (as exchange does).
import type { Clock } from '../clock.js'
import { StytchError } from '../errors.js'
import { memberSessionObject, type MemberSessions } from '../sessions/b2b.js'
import type { JsonObject } from '../sessions/claims.js'
import { API, type Factor, type SessionArguments } from '../sessions/core.js'
import { loginFactor } from '../sessions/factors.js'
import { memberFactorEmail, provisionedMember } from '../sessions/organizations.js'
import type { MemberObject, OrganizationObject, OrganizationStore } from '../store/organizations.js'
import type { OneTimeSecrets } from './one-time.js'
import type { Outbox } from './outbox.js'
import { checkEmail, checkExpiration, checkUrl, linkUrl } from './rules.js'

export interface B2BSessionInput extends SessionArguments {
  intermediate_session_token?: string | undefined
  session_duration_minutes?: number | undefined
  session_custom_claims?: JsonObject | undefined
}

export class MemberLogins {
  constructor(
    private readonly deps: {
      clock: Clock
      orgs: OrganizationStore
      members: MemberSessions
      secrets: OneTimeSecrets
      outbox: Outbox
      redirectUrl: string
    },
  ) {}

  /** b2b/magic_links/email/login_or_signup */
  async sendMagicLink(input: {
    organization_id: string
    email_address: string
    login_redirect_url?: string | undefined
    signup_redirect_url?: string | undefined
    login_expiration_minutes?: number | undefined
    signup_expiration_minutes?: number | undefined
    pkce_code_challenge?: string | undefined
  }) {
    const { org, email, member: known } = this.find(input.organization_id, input.email_address)
    // A new or pending member gets the signup link, as Stytch sends.
    const signup = !known || known.status === 'pending'
    const url = checkUrl(
      (signup ? input.signup_redirect_url : input.login_redirect_url) ?? this.deps.redirectUrl,
    )
    const minutes = signup
      ? checkExpiration('signup_expiration_minutes', input.signup_expiration_minutes, 60, 5, 10080)
      : checkExpiration('login_expiration_minutes', input.login_expiration_minutes, 60, 5, 10080)
    const { member, created } = known ? { member: known, created: false } : this.join(org, email)
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

  async authenticateMagicLink(
    token: string,
    verifier: string | undefined,
    input: B2BSessionInput,
    via = API,
  ) {
    const prepared = await this.deps.members.prepareLogin(input, via)
    const secret = this.deps.secrets.redeemLink('b2b_magic_link', token, verifier)
    const { org, member } = this.existing(secret.organization_id!, secret.subject_id)
    const factor = this.factor('magic_link', member)
    const result = await this.deps.members.login(member, org, factor, input, prepared)
    return {
      ...shape(result),
      method_id: secret.method_id,
      reset_sessions: false,
      organization_id: org.organization_id,
    }
  }

  /** b2b/otps/email/login_or_signup */
  sendPasscode(input: {
    organization_id: string
    email_address: string
    login_expiration_minutes?: number | undefined
    signup_expiration_minutes?: number | undefined
  }) {
    const { org, email, member: known } = this.find(input.organization_id, input.email_address)
    const minutes =
      !known || known.status === 'pending'
        ? checkExpiration('signup_expiration_minutes', input.signup_expiration_minutes, 10, 2, 15)
        : checkExpiration('login_expiration_minutes', input.login_expiration_minutes, 10, 2, 15)
    const { member, created } = known ? { member: known, created: false } : this.join(org, email)
    const { email_id } = memberFactorEmail(member)
    const { code, expires_at } = this.deps.secrets.passcode(
      'b2b_otp',
      `${org.organization_id}:${member.email_address}`,
      {
        subject_id: member.member_id,
        organization_id: org.organization_id,
        method_id: email_id,
        address: member.email_address,
        expiration_minutes: minutes,
      },
    )
    this.deps.outbox.send({
      channel: 'email',
      to: member.email_address,
      kind: 'otp',
      text: `Your ${String(org.organization_name)} passcode is ${code}. It expires in ${minutes} minutes.`,
      otp_code: code,
      method_id: email_id,
      member_id: member.member_id,
      organization_id: org.organization_id,
      expires_at,
    })
    return { member_id: member.member_id, member_created: created, member, organization: org }
  }

  async authenticatePasscode(
    input: { organization_id: string; email_address: string; code: string } & B2BSessionInput,
    via = API,
  ) {
    const org = this.organization(input.organization_id)
    const email = checkEmail(input.email_address)
    const prepared = await this.deps.members.prepareLogin(input, via)
    const secret = this.deps.secrets.redeemPasscode(
      'b2b_otp',
      `${org.organization_id}:${email}`,
      input.code,
    )
    const { member } = this.existing(org.organization_id, secret.subject_id)
    const factor = this.factor('email_otp', member)
    const result = await this.deps.members.login(member, org, factor, input, prepared)
    return { ...shape(result), method_id: secret.method_id, organization_id: org.organization_id }
  }

  /** Would provision() succeed: the organization exists, the email is a member or may join. */
  check(organizationId: string, emailAddress: string): void {
    this.find(organizationId, emailAddress)
  }

  /**
   * The member a login proven elsewhere (OAuth) is for: the organization's member with this
   * email, or one it lets join by the email's domain; active and verified from now on.
   */
  provision(organizationId: string, emailAddress: string) {
    const { org, email, member: known } = this.find(organizationId, emailAddress)
    const member = known ?? this.join(org, email).member
    return this.existing(org.organization_id, member.member_id)
  }

  private organization(idOrSlug: string): OrganizationObject {
    const org = this.deps.orgs.organization(idOrSlug)
    if (!org) throw new StytchError('organization_not_found')
    return org
  }

  /** The member a secret names, made active and verified now that it worked (Stytch's rule). */
  private existing(organizationId: string, memberId: string) {
    const org = this.organization(organizationId)
    const member = this.deps.orgs.member(memberId)
    if (!member) throw new StytchError('member_not_found')
    if (member.status === 'active' && member.email_address_verified === true) return { org, member }
    const active = { ...member, status: 'active', email_address_verified: true }
    this.deps.orgs.updateMember(active)
    return { org, member: active }
  }

  /**
   * The organization and the member with this email there, if any; a new email must be one the
   * organization lets join (email_jit_provisioning RESTRICTED to email_allowed_domains).
   */
  private find(organizationId: string, emailAddress: string) {
    const org = this.organization(organizationId)
    const email = checkEmail(emailAddress)
    const member = this.deps.orgs.memberByEmail(org.organization_id, email)
    if (!member) {
      const allowed =
        org.email_jit_provisioning === 'RESTRICTED' &&
        (org.email_allowed_domains as string[]).includes(email.split('@')[1]!)
      if (!allowed) throw new StytchError('email_jit_provisioning_not_allowed')
    }
    return { org, email, member }
  }

  /** A provisioned member: pending, unverified, until its first login works. */
  private join(org: OrganizationObject, email: string) {
    const member = provisionedMember(org.organization_id, email, this.deps.clock.nowSeconds())
    this.deps.orgs.insertMember(member)
    return { member, created: true }
  }

  private factor(type: 'magic_link' | 'email_otp', member: MemberObject): Factor {
    return loginFactor(
      type,
      'email',
      { email_factor: memberFactorEmail(member) },
      this.deps.clock.nowSeconds(),
    )
  }
}

/** Every B2B authenticate answer carries these, null or empty when they do not apply. */
export function shape<T extends { member_id: string; session_token: string; session_jwt: string }>(
  result: T,
) {
  return { member_session: null, mfa_required: null, primary_required: null, ...result } as T & {
    member_session: ReturnType<typeof memberSessionObject> | null
  }
}
