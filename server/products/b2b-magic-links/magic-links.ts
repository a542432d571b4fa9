// B2B email magic links (b2b/magic_links/email/login_or_signup and authenticate): a link to the
// outbox for a member of one organization, redeemed once for a member or intermediate session.
// Invites (b2b/magic_links/email/invite): the member made (or made again) `invited`, the invite
// link to the outbox, redeemed by the same authenticate from its own table.
import type { Clock } from '../../clock.js'
import { rfc3339 } from '../../clock.js'
import type { RedirectUrls } from '../../config.js'
import { StytchError } from '../../errors.js'
import { API } from '../../platform/sessions/core.js'
import type { MemberSessions } from '../../platform/sessions/b2b.js'
import type { Directory } from '../../platform/sessions/directory.js'
import {
  buildMember,
  memberFactorEmail,
  type NewMember,
} from '../../platform/sessions/organizations.js'
import type {
  MemberObject,
  OrganizationObject,
  OrganizationStore,
} from '../../platform/sessions/organization-store.js'
import type { RbacPolicies } from '../../platform/sessions/rbac-policies.js'
import {
  shape,
  type B2BSessionInput,
  type MemberLogins,
} from '../../platform/login/member-logins.js'
import type { OneTimeSecrets } from '../../platform/login/one-time.js'
import type { Outbox } from '../../platform/login/outbox.js'
import { linkUrl, normalEmail } from '../../platform/login/rules.js'
import type { LoginSecretStore } from '../../platform/login/store.js'

export interface InviteInput {
  organization_id: string
  email_address: string
  invite_redirect_url?: string | undefined
  invited_by_member_id?: string | undefined
  name?: string | undefined
  trusted_metadata?: Record<string, unknown> | undefined
  untrusted_metadata?: Record<string, unknown> | undefined
  roles?: string[] | undefined
  invite_expiration_minutes?: number | undefined
}

/** An invite link lasts a week unless the call says otherwise (Stytch's docs). */
const INVITE_MINUTES = 10080

export class MemberMagicLinks {
  constructor(
    private readonly deps: {
      core: MemberLogins
      members: MemberSessions
      secrets: OneTimeSecrets
      outbox: Outbox
      /** The B2B project's default redirect URLs. */
      redirectUrls: RedirectUrls['b2b']
      clock: Clock
      orgs: OrganizationStore
      directory: Directory
      rbac: RbacPolicies
      invites: { secrets: OneTimeSecrets; store: LoginSecretStore }
    },
  ) {}

  /**
   * b2b/magic_links/email/invite: a new member, `invited` until the link works (a deleted
   * member's email is free: its invite makes a new member); a pending or invited one invited
   * again (name, roles and metadata given replace theirs); an active one cannot be. The
   * organization's email_invites setting decides who may be invited.
   */
  invite(input: InviteInput) {
    const org = this.deps.directory.organization(input.organization_id)
    const email = normalEmail(input.email_address)
    checkInvitable(org, email)
    const inviter =
      input.invited_by_member_id === undefined
        ? undefined
        : this.deps.directory.member(org.organization_id, { member_id: input.invited_by_member_id })
            .member
    this.deps.rbac.checkRoles(org.organization_id, input.roles ?? [])
    const known = this.deps.orgs.memberByEmail(org.organization_id, email)
    if (known?.status === 'active') throw new StytchError('duplicate_member_email')
    const details: NewMember = {
      organization_id: org.organization_id,
      email_address: email,
      name: input.name,
      roles: input.roles,
      trusted_metadata: input.trusted_metadata,
      untrusted_metadata: input.untrusted_metadata,
    }
    const now = this.deps.clock.nowSeconds()
    let member: MemberObject
    if (known) {
      const given = buildMember(details, now)
      member = {
        ...known,
        status: 'invited',
        ...(input.name === undefined ? {} : { name: given.name }),
        ...(input.roles === undefined ? {} : { roles: given.roles }),
        ...(input.trusted_metadata === undefined
          ? {}
          : { trusted_metadata: given.trusted_metadata }),
        ...(input.untrusted_metadata === undefined
          ? {}
          : { untrusted_metadata: given.untrusted_metadata }),
        updated_at: rfc3339(now),
      }
      this.deps.orgs.updateMember(member)
    } else {
      member = { ...buildMember(details, now), status: 'invited', email_address_verified: false }
      this.deps.orgs.insertMember(member)
    }
    const { email_id } = memberFactorEmail(member)
    const { token, expires_at } = this.deps.invites.secrets.link('b2b_magic_link', {
      subject_id: member.member_id,
      organization_id: org.organization_id,
      method_id: email_id,
      address: email,
      expiration_minutes: input.invite_expiration_minutes ?? INVITE_MINUTES,
    })
    const link = linkUrl(
      input.invite_redirect_url ?? this.deps.redirectUrls.invite,
      'multi_tenant_magic_links',
      token,
    )
    const by = inviter
      ? `${String(inviter.name) || inviter.email_address} invited you`
      : 'You are invited'
    this.deps.outbox.send({
      channel: 'email',
      to: email,
      kind: 'magic_link',
      text: `${by} to join ${String(org.organization_name)}: ${link}`,
      token,
      url: link,
      method_id: email_id,
      member_id: member.member_id,
      organization_id: org.organization_id,
      expires_at,
    })
    return { member_id: member.member_id, member, organization: org }
  }

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
    const { invites } = this.deps
    const secret = (invites.store.get(token) ? invites.secrets : this.deps.secrets).redeemLink(
      'b2b_magic_link',
      token,
      verifier,
    )
    const { org, member } = this.deps.core.existing(
      secret.organization_id!,
      secret.subject_id,
      secret.address,
    )
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

/**
 * The organization's email_invites setting: ALL_ALLOWED, RESTRICTED (to email_allowed_domains) or
 * NOT_ALLOWED.
 */
function checkInvitable(org: OrganizationObject, email: string) {
  const setting = org.email_invites
  if (setting === 'NOT_ALLOWED')
    throw new StytchError(
      'invalid_email_for_invites',
      'This organization does not allow email invites (email_invites is NOT_ALLOWED).',
    )
  if (
    setting === 'RESTRICTED' &&
    !(org.email_allowed_domains as string[]).some((d) => d.toLowerCase() === email.split('@')[1])
  )
    throw new StytchError('invalid_email_for_invites')
}
