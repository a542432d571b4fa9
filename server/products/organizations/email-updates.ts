// A member's self-serve email update (organizations.members.startEmailUpdate, the frontend's
// organization.members.startEmailUpdate and self.startEmailUpdate): a magic link (or a passcode,
// EMAIL_OTP) to the new address, valid 5 minutes, through the outbox. The link and the passcode
// are the organization login's own (b2b_magic_link, b2b_otp: authenticated as any login), for the
// member, at the new address; while they live no other member may update to that address.
import { type Clock } from '../../clock.js'
import type { RedirectUrls } from '../../config.js'
import { StytchError } from '../../errors.js'
import type { OneTimeSecrets } from '../../platform/login/one-time.js'
import type { Outbox } from '../../platform/login/outbox.js'
import { linkUrl, normalEmail } from '../../platform/login/rules.js'
import { newId } from '../../platform/tokens/ids.js'
import type { Actor, MemberActions } from '../b2b-sessions/member-actions.js'
import type { Found, MemberAdmin } from './members.js'
import type { EmailUpdateStore } from './store.js'

/** Stytch: the link or passcode expires in 5 minutes. */
const UPDATE_MINUTES = 5

export interface EmailUpdateInput {
  email_address: string
  login_redirect_url?: string | undefined
  delivery_method?: 'EMAIL_MAGIC_LINK' | 'EMAIL_OTP' | undefined
}

export class EmailUpdates {
  constructor(
    private readonly deps: {
      clock: Clock
      admin: MemberAdmin
      permissions: MemberActions
      secrets: OneTimeSecrets
      outbox: Outbox
      updates: EmailUpdateStore
      redirectUrls: RedirectUrls['b2b']
    },
  ) {}

  start(
    organizationId: string,
    memberId: string,
    input: EmailUpdateInput,
    actor: Actor | null,
  ): Found {
    const { admin, updates, clock } = this.deps
    const { member, organization } = admin.find(organizationId, memberId, actor)
    this.deps.permissions.onMember(actor, member.member_id, 'update.info.email')
    if (member.status !== 'active')
      throw new StytchError('email_updates_available_only_for_active_members')
    if (member.email_address_verified !== true)
      throw new StytchError('member_has_no_active_verified_email')
    const email = normalEmail(input.email_address)
    const orgId = organization.organization_id
    const now = clock.nowSeconds()
    if (email !== member.email_address) {
      try {
        admin.freeEmail(organization, email, member.member_id)
      } catch (err) {
        // A retired address of another member: "deactivated by a different member".
        if (err instanceof StytchError && err.errorType === 'retired_member_email')
          throw new StytchError('desired_email_deactivated_by_different_member')
        throw err
      }
    }
    const holder = updates.holder(orgId, email, now)
    if (holder !== null && holder !== member.member_id)
      throw new StytchError('desired_email_updating_for_different_member')

    const method_id = newId('email').replace(/^email-/, 'member-email-')
    const issue = {
      subject_id: member.member_id,
      organization_id: orgId,
      method_id,
      address: email,
      expiration_minutes: UPDATE_MINUTES,
    }
    const about = {
      channel: 'email' as const,
      to: email,
      method_id,
      member_id: member.member_id,
      organization_id: orgId,
    }
    if (input.delivery_method === 'EMAIL_OTP') {
      const { code, expires_at } = this.deps.secrets.passcode('b2b_otp', `${orgId}:${email}`, issue)
      this.deps.outbox.send({
        ...about,
        kind: 'otp',
        text: `Your code to confirm ${email} for ${String(organization.organization_name)} is ${code}.`,
        otp_code: code,
        expires_at,
      })
      updates.start(member.member_id, orgId, email, expires_at)
    } else {
      const { token, expires_at } = this.deps.secrets.link('b2b_magic_link', issue)
      const url = linkUrl(
        input.login_redirect_url ?? this.deps.redirectUrls.login,
        'multi_tenant_magic_links',
        token,
      )
      this.deps.outbox.send({
        ...about,
        kind: 'magic_link',
        text: `Confirm ${email} as your email address for ${String(organization.organization_name)}: ${url}`,
        token,
        url,
        expires_at,
      })
      updates.start(member.member_id, orgId, email, expires_at)
    }
    return admin.answer(member.member_id, organization)
  }
}
