// B2B passwords: a member's password in one organization (authenticate, the three resets,
// migrate, require_reset), and discovery's password flows across the organizations an email
// belongs to. Each login ends as every B2B login does (MemberSessions.login): a member session, or
// an intermediate session while the organization's auth methods or MFA policy ask for more. A
// reset revokes the member's other sessions. Discovery and require_reset behave as a project with
// cross-organization passwords: a discovery reset sets the password of every membership of the
// email (openapi.yaml marks this Unverified).
import type { Clock } from '../../clock.js'
import type { RedirectUrls } from '../../config.js'
import { StytchError } from '../../errors.js'
import {
  type B2BSessionInput,
  type MemberLogins,
  shape,
} from '../../platform/login/member-logins.js'
import type { OneTimeSecrets } from '../../platform/login/one-time.js'
import type { Outbox } from '../../platform/login/outbox.js'
import { checkStoredPassword } from '../../platform/login/password-login.js'
import type { PasswordPolicy } from '../../platform/login/password-policy.js'
import type { PasswordResets } from '../../platform/login/password-resets.js'
import { discoveryEmailId, linkUrl, normalEmail } from '../../platform/login/rules.js'
import type { PasswordStore } from '../../platform/login/store.js'
import type { MemberSessions, PreparedLogin } from '../../platform/sessions/b2b.js'
import { API, type Factor, type SessionCore } from '../../platform/sessions/core.js'
import type { Directory } from '../../platform/sessions/directory.js'
import { loginFactor } from '../../platform/sessions/factors.js'
import type {
  MemberObject,
  OrganizationObject,
  OrganizationStore,
} from '../../platform/sessions/organization-store.js'
import { buildMember, memberFactorEmail } from '../../platform/sessions/organizations.js'
import type { JsonObject } from '../../platform/sessions/claims.js'
import { rfc3339 } from '../../clock.js'
import type { DiscoveryEntry } from '../discovery/logins.js'
import { importHash, type MigrateInput } from '../../platform/tokens/migrated-hash.js'
import { hashPassword } from '../../platform/tokens/password-hash.js'
import { newId } from '../../platform/tokens/ids.js'
import type { ResetRequired } from './store.js'

/** A session reset needs a factor authenticated in the last 5 minutes (Stytch: any factor). */
const RECENT_SECONDS = 5 * 60
const MEMBERSHIPS = new Set(['active', 'pending', 'invited'])

export interface MemberResetStart {
  organization_id: string
  email_address: string
  reset_password_redirect_url?: string | undefined
  reset_password_expiration_minutes?: number | undefined
  code_challenge?: string | undefined
}

export interface DiscoveryResetStart {
  email_address: string
  reset_password_redirect_url?: string | undefined
  reset_password_expiration_minutes?: number | undefined
  pkce_code_challenge?: string | undefined
}

export interface MemberMigrateInput extends MigrateInput {
  organization_id: string
  email_address: string
  name?: string | undefined
  trusted_metadata?: JsonObject | undefined
  untrusted_metadata?: JsonObject | undefined
  mfa_phone_number?: string | undefined
}

export class MemberPasswords {
  constructor(
    private readonly deps: {
      clock: Clock
      orgs: OrganizationStore
      directory: Directory
      members: MemberSessions
      memberLogins: MemberLogins
      core: SessionCore
      passwords: PasswordStore
      policy: PasswordPolicy
      resets: PasswordResets
      /** This product's own (b2b_password_reset_secrets). */
      secrets: OneTimeSecrets
      required: ResetRequired
      outbox: Outbox
      discovery: DiscoveryEntry
      /** The B2B project's default redirect URLs (reset). */
      redirectUrls: RedirectUrls['b2b']
    },
  ) {}

  /** b2b/passwords/authenticate */
  async authenticate(
    input: { organization_id: string; email_address: string; password: string },
    session: B2BSessionInput,
    via = API,
  ) {
    const { org, member } = this.memberOf(input.organization_id, input.email_address)
    const prepared = await this.deps.members.prepareLogin(session, via)
    await this.check(member, input.password)
    const factor = this.factor()
    const result = await this.deps.members.login(member, org, factor, session, prepared)
    return { ...shape(result), organization_id: org.organization_id }
  }

  async strength(password: string, email?: string) {
    // The B2B API answers the two feedbacks side by side.
    const { zxcvbn, luds, ...s } = await this.deps.policy.check(password, email)
    return { ...s, zxcvbn_feedback: zxcvbn, luds_feedback: luds }
  }

  /** b2b/passwords/email/reset/start: a reset link for a member of the organization. */
  resetStart(input: MemberResetStart) {
    const { org, member } = this.memberOf(input.organization_id, input.email_address)
    const { email_id } = memberFactorEmail(member)
    this.sendReset('organization', input.reset_password_redirect_url, {
      subject_id: member.member_id,
      organization_id: org.organization_id,
      method_id: email_id,
      address: member.email_address,
      expiration_minutes: input.reset_password_expiration_minutes ?? 30,
      code_challenge: input.code_challenge,
    })
    return { member_id: member.member_id, member_email_id: email_id, member }
  }

  /** b2b/passwords/email/reset: the link's member gets the password and logs in. */
  async resetByEmail(
    token: string,
    password: string,
    verifier: string | undefined,
    session: B2BSessionInput,
    via = API,
  ) {
    const prepared = await this.deps.members.prepareLogin(session, via)
    // The rule and the hash first: a weak password does not use the link up, and from the
    // redemption on nothing awaits before the reset is written.
    await this.deps.policy.require(password)
    const hash = await hashPassword(password)
    const secret = this.deps.resets.redeem(this.deps.secrets, 'organization', token, verifier)
    const found = this.deps.memberLogins.existing(secret.organization_id!, secret.subject_id)
    const member = this.storeHash(found.member, hash)
    const factor = this.factor('email', member)
    const result = await this.loginAfterReset(member, found.org, factor, session, prepared)
    return {
      ...result,
      member_email_id: secret.method_id,
      organization_id: found.org.organization_id,
    }
  }

  /** b2b/passwords/existing_password/reset */
  async resetByExistingPassword(
    input: {
      organization_id: string
      email_address: string
      existing_password: string
      new_password: string
    },
    session: B2BSessionInput,
    via = API,
  ) {
    const { org, member } = this.memberOf(input.organization_id, input.email_address)
    const prepared = await this.deps.members.prepareLogin(session, via)
    // A password that must be reset by email (member_reset_password) cannot change itself.
    await this.check(member, input.existing_password)
    await this.deps.policy.require(input.new_password, member.email_address)
    const updated = this.storeHash(member, await hashPassword(input.new_password))
    return this.loginAfterReset(updated, org, this.factor(), session, prepared)
  }

  /** b2b/passwords/session/reset: the session's member, authenticated in the last 5 minutes. */
  async resetBySession(
    input: { organization_id?: string | undefined; password: string },
    session: B2BSessionInput,
  ) {
    const row = await this.deps.core.access('member', {
      session_token: session.session_token,
      session_jwt: session.session_jwt,
    })
    if (input.organization_id !== undefined) {
      const named = this.deps.directory.organization(input.organization_id)
      if (named.organization_id !== row.organization_id)
        throw new StytchError(
          'invalid_argument',
          "organization_id is not the organization of the session's member.",
        )
    }
    const now = this.deps.clock.nowSeconds()
    const recent = (row.authentication_factors as Factor[]).some(
      (f) => now - Date.parse(String(f.last_authenticated_at)) / 1000 <= RECENT_SECONDS,
    )
    if (!recent) throw new StytchError('session_too_old_to_reset_password')
    const org = this.deps.directory.organization(row.organization_id!)
    const current = this.deps.orgs.member(row.subject_id)
    if (!current) throw new StytchError('member_not_found')
    await this.deps.policy.require(input.password, current.email_address)
    const hash = await hashPassword(input.password)
    // Nothing is written unless the session is still live now that the hash is made.
    const live = this.deps.core.current(row)
    if (!live) throw new StytchError('session_not_found')
    const member = this.storeHash(current, hash)
    return this.loginAfterReset(member, org, this.factor(), session, { session: live })
  }

  /** b2b/passwords/migrate: a hash from another system for a member (made if new, verified). */
  migrate(input: MemberMigrateInput) {
    const org = this.deps.directory.organization(input.organization_id)
    const email = normalEmail(input.email_address)
    const stored = importHash(input)
    const known = this.deps.orgs.memberByEmail(org.organization_id, email)
    if (known && this.deps.passwords.hashOf(known.member_id))
      throw new StytchError('password_already_exists')
    let member: MemberObject
    if (known) {
      member = known
    } else {
      member = buildMember(
        {
          organization_id: org.organization_id,
          email_address: email,
          name: input.name,
          trusted_metadata: input.trusted_metadata,
          untrusted_metadata: input.untrusted_metadata,
          mfa_phone_number: input.mfa_phone_number,
        },
        this.deps.clock.nowSeconds(),
      )
      this.deps.orgs.insertMember(member)
    }
    // Stytch: the member's email is marked verified.
    member = this.deps.memberLogins.existing(org.organization_id, member.member_id).member
    member = this.storeHash(member, stored)
    return { member_id: member.member_id, member_created: !known, member, organization: org }
  }

  /**
   * b2b/passwords/email/require_reset: when only one active member uses the email, its password
   * is deleted; otherwise each of the email's passwords must be reset before it logs in again
   * (Stytch, for cross-organization passwords).
   */
  requireReset(input: {
    email_address: string
    organization_id?: string | undefined
    member_id?: string | undefined
  }) {
    const email = normalEmail(input.email_address)
    let named: { member: MemberObject; organization: OrganizationObject } | undefined
    if (input.organization_id !== undefined) {
      named = this.deps.directory.member(input.organization_id, {
        member_id: input.member_id,
        email_address: input.member_id === undefined ? email : undefined,
      })
      if (named.member.email_address !== email) throw new StytchError('member_not_found')
    }
    const active = this.deps.orgs.membersByEmail(email).filter((m) => m.status === 'active')
    const withPassword = active.filter((m) => this.deps.passwords.hashOf(m.member_id))
    if (withPassword.length === 0) throw new StytchError('member_password_not_found')
    if (active.length === 1) {
      const only = withPassword[0]!
      this.deps.passwords.delete(only.member_id)
      this.deps.required.clear(only.member_id)
      this.deps.orgs.updateMember(this.touched({ ...only, member_password_id: '' }))
    } else for (const m of withPassword) this.deps.required.add(m.member_id)
    if (!named) return {}
    const member = this.deps.orgs.member(named.member.member_id)!
    return { member_id: member.member_id, member, organization: named.organization }
  }

  /** b2b/passwords/discovery/authenticate: any membership's password, for a discovery session. */
  async discoveryAuthenticate(emailAddress: string, password: string) {
    const email = normalEmail(emailAddress)
    const candidates = this.memberships(email).flatMap((member) => {
      const hash = this.deps.passwords.hashOf(member.member_id)
      return hash ? [{ member, hash }] : []
    })
    if (candidates.length === 0) throw new StytchError('member_password_not_found')
    let matched: MemberObject | undefined
    for (const { member, hash } of candidates) {
      const checked = await checkStoredPassword(password, hash, this.deps.policy)
      if (checked.verdict === 'wrong') continue
      this.afterCheck(member, checked)
      matched = member
      break
    }
    if (!matched) throw new StytchError('unauthorized_credentials')
    return this.deps.discovery.discovered(email, this.factor())
  }

  /** b2b/passwords/discovery/email/reset/start */
  discoveryResetStart(input: DiscoveryResetStart): void {
    const email = normalEmail(input.email_address)
    if (this.memberships(email).length === 0) throw new StytchError('member_not_found')
    this.sendReset('discovery', input.reset_password_redirect_url, {
      subject_id: email,
      method_id: discoveryEmailId(email),
      address: email,
      expiration_minutes: input.reset_password_expiration_minutes ?? 30,
      code_challenge: input.pkce_code_challenge,
    })
  }

  /** b2b/passwords/discovery/email/reset: every membership of the email gets the password. */
  async discoveryReset(token: string, password: string, verifier: string | undefined) {
    await this.deps.policy.require(password)
    const hash = await hashPassword(password)
    const secret = this.deps.resets.redeem(this.deps.secrets, 'discovery', token, verifier)
    const email = secret.address
    for (const found of this.memberships(email)) {
      const { member } = this.deps.memberLogins.existing(found.organization_id, found.member_id)
      this.storeHash(member, hash)
      this.deps.core.revokeAllOf('member', member.member_id, 'a discovery password reset')
    }
    return this.deps.discovery.discovered(email, this.factor())
  }

  /**
   * A reset link into the outbox: the redirect URL (the project's reset URL by default) with the
   * flow's token type and stytch_redirect_type=reset_password, which the pre-built B2B UI reads.
   */
  private sendReset(
    flow: 'organization' | 'discovery',
    redirect: string | undefined,
    link: Parameters<PasswordResets['issue']>[2],
  ) {
    const { token, expires_at } = this.deps.resets.issue(this.deps.secrets, flow, link)
    const url = new URL(
      linkUrl(
        redirect ?? this.deps.redirectUrls.reset,
        flow === 'organization' ? 'multi_tenant_passwords' : 'discovery',
        token,
      ),
    )
    url.searchParams.set('stytch_redirect_type', 'reset_password')
    const organization = link.organization_id
      ? this.deps.directory.organization(link.organization_id)
      : undefined
    this.deps.outbox.send({
      channel: 'email',
      to: link.address,
      kind: 'password_reset',
      text: `Reset your password${organization ? ` for ${String(organization.organization_name)}` : ''}: ${url}`,
      token,
      url: url.toString(),
      method_id: link.method_id,
      ...(organization
        ? { member_id: link.subject_id, organization_id: organization.organization_id }
        : {}),
      expires_at,
    })
  }

  private memberOf(organizationId: string, emailAddress: string) {
    const org = this.deps.directory.organization(organizationId)
    const member = this.deps.orgs.memberByEmail(org.organization_id, normalEmail(emailAddress))
    if (!member) throw new StytchError('member_not_found')
    return { org, member }
  }

  private memberships(email: string): MemberObject[] {
    return this.deps.orgs.membersByEmail(email).filter((m) => MEMBERSHIPS.has(String(m.status)))
  }

  /** The member's password is this one; a reset required, or a breached import: no login. */
  private async check(member: MemberObject, password: string) {
    const hash = this.deps.passwords.hashOf(member.member_id)
    if (!hash) throw new StytchError('member_password_not_found')
    const checked = await checkStoredPassword(password, hash, this.deps.policy)
    if (checked.verdict === 'wrong') throw new StytchError('unauthorized_credentials')
    this.afterCheck(member, checked)
  }

  private afterCheck(
    member: MemberObject,
    checked: Exclude<Awaited<ReturnType<typeof checkStoredPassword>>, { verdict: 'wrong' }>,
  ) {
    if (checked.verdict === 'reset') this.deps.required.add(member.member_id)
    if (checked.verdict === 'reset' || this.deps.required.has(member.member_id))
      throw new StytchError('member_reset_password')
    if (checked.verdict === 'ok' && checked.rehashed)
      this.deps.passwords.put(member.member_id, checked.rehashed)
  }

  private storeHash(member: MemberObject, hash: string): MemberObject {
    // Read again: another call may have changed the member while the hash was made.
    const current = this.deps.orgs.member(member.member_id) ?? member
    this.deps.passwords.put(member.member_id, hash)
    this.deps.required.clear(member.member_id)
    const updated = this.touched({ ...current, member_password_id: newId('member-password') })
    this.deps.orgs.updateMember(updated)
    return updated
  }

  private touched(member: MemberObject): MemberObject {
    return { ...member, updated_at: rfc3339(this.deps.clock.nowSeconds()) }
  }

  /**
   * The end of a reset: the member's other sessions revoked (the one the call names, if it is
   * the member's, keeps going with the factor added), then a login as any B2B login.
   */
  private async loginAfterReset(
    member: MemberObject,
    org: OrganizationObject,
    factor: Factor,
    session: B2BSessionInput,
    prepared: PreparedLogin,
  ) {
    // The session the call named, if it is the member's and still live (the hash was awaited).
    const kept =
      prepared.session?.subject_id === member.member_id
        ? this.deps.core.current(prepared.session)
        : undefined
    this.deps.core.revokeAllOf('member', member.member_id, 'a password reset', kept?.session_id)
    const result = await this.deps.members.login(
      member,
      org,
      factor,
      session,
      kept ? { ...prepared, session: kept } : { ...(prepared.ist ? { ist: prepared.ist } : {}) },
    )
    return shape(result)
  }

  private factor(delivery: 'knowledge' | 'email' = 'knowledge', member?: MemberObject): Factor {
    const details = member ? { email_factor: memberFactorEmail(member) } : {}
    return loginFactor('password', delivery, details, this.deps.clock.nowSeconds())
  }
}
