// B2B email passcodes (b2b/otps/email/login_or_signup and authenticate): a code to the outbox for
// a member of one organization, redeemed once for a member or intermediate session.
import { API } from '../../platform/sessions/core.js'
import type { MemberSessions } from '../../platform/sessions/b2b.js'
import type { Directory } from '../../platform/sessions/directory.js'
import { memberFactorEmail } from '../../platform/sessions/organizations.js'
import {
  shape,
  type B2BSessionInput,
  type MemberLogins,
} from '../../platform/login/member-logins.js'
import type { OneTimeSecrets } from '../../platform/login/one-time.js'
import type { Outbox } from '../../platform/login/outbox.js'
import { normalEmail } from '../../platform/login/rules.js'

export class MemberPasscodes {
  constructor(
    private readonly deps: {
      core: MemberLogins
      directory: Directory
      members: MemberSessions
      secrets: OneTimeSecrets
      outbox: Outbox
    },
  ) {}

  /** b2b/otps/email/login_or_signup */
  send(input: {
    organization_id: string
    email_address: string
    login_expiration_minutes?: number | undefined
    signup_expiration_minutes?: number | undefined
  }) {
    const { org, member, created, signup } = this.deps.core.recipient(
      input.organization_id,
      input.email_address,
    )
    const minutes = signup
      ? (input.signup_expiration_minutes ?? 10)
      : (input.login_expiration_minutes ?? 10)
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

  async authenticate(
    input: { organization_id: string; email_address: string; code: string } & B2BSessionInput,
    via = API,
  ) {
    const org = this.deps.directory.organization(input.organization_id)
    const email = normalEmail(input.email_address)
    const prepared = await this.deps.members.prepareLogin(input, via)
    const secret = this.deps.secrets.redeemPasscode(
      'b2b_otp',
      `${org.organization_id}:${email}`,
      input.code,
    )
    const { member } = this.deps.core.existing(
      org.organization_id,
      secret.subject_id,
      secret.address,
    )
    const factor = this.deps.core.factor('email_otp', member)
    const result = await this.deps.members.login(member, org, factor, input, prepared)
    return { ...shape(result), method_id: secret.method_id, organization_id: org.organization_id }
  }
}
