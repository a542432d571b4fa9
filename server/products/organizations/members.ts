// B2B members managed as apps manage them (organizations.members.create, update, delete,
// reactivate, search, dangerouslyGet, deleteExternalId; the frontend's organization.members.* and
// self.*): every change stored on the member object the sessions read, a deleted member's sessions
// revoked at once and its logins refused until it is reactivated.
import { randomUUID } from 'node:crypto'
import { type Clock, rfc3339 } from '../../clock.js'
import { StytchError } from '../../errors.js'
import type { OneTimeSecrets } from '../../platform/login/one-time.js'
import { normalEmail } from '../../platform/login/rules.js'
import type { PasswordStore } from '../../platform/login/store.js'
import type { Totps } from '../../platform/login/totp.js'
import type { SessionCore } from '../../platform/sessions/core.js'
import type { Directory } from '../../platform/sessions/directory.js'
import {
  checkPhoneFree,
  defaultMfaMethod,
  hasMfaMethod,
  smsPasscodeOf,
  withNewMfaPhone,
} from '../../platform/sessions/member-mfa.js'
import type {
  MemberObject,
  OrganizationObject,
  OrganizationStore,
} from '../../platform/sessions/organization-store.js'
import { buildMember, directRoles } from '../../platform/sessions/organizations.js'
import type { RbacPolicies } from '../../platform/sessions/rbac-policies.js'
import type { Actor, MemberActions } from '../b2b-sessions/member-actions.js'
import { checkMetadata, mergeMetadata } from '../../platform/sessions/metadata.js'
import { MEMBER_FILTERS, matching, page, type SearchPage } from './search.js'

type Metadata = Record<string, unknown>

export interface NewMemberInput {
  email_address: string
  name?: string | undefined
  trusted_metadata?: Metadata | undefined
  untrusted_metadata?: Metadata | undefined
  create_member_as_pending?: boolean | undefined
  is_breakglass?: boolean | undefined
  mfa_phone_number?: string | undefined
  mfa_enrolled?: boolean | undefined
  roles?: string[] | undefined
  external_id?: string | undefined
}

export interface MemberUpdate {
  name?: string | undefined
  trusted_metadata?: Metadata | undefined
  untrusted_metadata?: Metadata | undefined
  is_breakglass?: boolean | undefined
  mfa_phone_number?: string | undefined
  mfa_enrolled?: boolean | undefined
  roles?: string[] | undefined
  preserve_existing_sessions?: boolean | undefined
  default_mfa_method?: string | undefined
  email_address?: string | undefined
  external_id?: string | undefined
  unlink_email?: boolean | undefined
}

/** Each update field's stytch.member action, and whether stytch.self grants it on oneself. */
const UPDATE_ACTIONS: [keyof MemberUpdate, string, boolean][] = [
  ['name', 'update.info.name', true],
  ['untrusted_metadata', 'update.info.untrusted-metadata', true],
  ['mfa_phone_number', 'update.info.mfa-phone', true],
  ['mfa_enrolled', 'update.settings.mfa-enrolled', true],
  ['default_mfa_method', 'update.settings.default-mfa-method', true],
  ['is_breakglass', 'update.settings.is-breakglass', false],
  ['roles', 'update.settings.roles', false],
  ['email_address', 'update.info.email', false],
]

export interface Found {
  member: MemberObject
  organization: OrganizationObject
}

export class MemberAdmin {
  constructor(
    private readonly deps: {
      clock: Clock
      orgs: OrganizationStore
      directory: Directory
      core: SessionCore
      rbac: RbacPolicies
      passwords: PasswordStore
      /** Authenticator-app registrations: a member's go with its TOTP and with it. */
      totps: Pick<Totps, 'deleteOwner'>
      /** One-time secrets: a deleted member's pending SMS passcode goes with it. */
      secrets: Pick<OneTimeSecrets, 'revokePasscode'>
      permissions: MemberActions
    },
  ) {}

  /** The organization's member (by member_id or external_id), checked for the actor's tenancy. */
  find(organizationId: string, memberId: string, actor: Actor | null, includeDeleted = false) {
    const organization = this.deps.directory.organization(organizationId)
    this.deps.permissions.within(actor, organization.organization_id)
    const member = this.deps.directory.memberOf(organization, memberId, includeDeleted)
    return { member, organization }
  }

  /** organizations.members.create */
  create(organizationId: string, input: NewMemberInput, actor: Actor | null): Found {
    const organization = this.deps.directory.organization(organizationId)
    const { permissions } = this.deps
    permissions.within(actor, organization.organization_id)
    permissions.require(actor, 'stytch.member', 'create')
    permissions.noTrustedMetadata(actor, input.trusted_metadata)
    const email = normalEmail(input.email_address)
    this.freeEmail(organization, email, null)
    this.freeExternalId(organization, input.external_id, null)
    if (input.mfa_phone_number !== undefined)
      checkPhoneFree(this.deps.orgs, organization.organization_id, input.mfa_phone_number, null)
    this.deps.rbac.checkRoles(organization.organization_id, input.roles ?? [])
    checkMetadata(input.trusted_metadata)
    checkMetadata(input.untrusted_metadata)
    const member: MemberObject = {
      ...buildMember(
        {
          organization_id: organization.organization_id,
          email_address: email,
          name: input.name,
          roles: input.roles,
          mfa_enrolled: input.mfa_enrolled,
          mfa_phone_number: input.mfa_phone_number,
          is_breakglass: input.is_breakglass,
          external_id: input.external_id,
          trusted_metadata: mergeMetadata({}, input.trusted_metadata),
          untrusted_metadata: mergeMetadata({}, input.untrusted_metadata),
        },
        this.deps.clock.nowSeconds(),
      ),
      // Nothing has proven the address or the phone yet.
      status: input.create_member_as_pending ? 'pending' : 'active',
      email_address_verified: false,
      mfa_phone_number_verified: false,
    }
    this.deps.orgs.insertMember(member)
    return this.answer(member.member_id, organization)
  }

  /** organizations.members.update (organization.members.update, self.update) */
  async update(
    organizationId: string,
    memberId: string,
    input: MemberUpdate,
    actor: Actor | null,
  ): Promise<Found> {
    const { member, organization } = this.find(organizationId, memberId, actor)
    const { permissions } = this.deps
    permissions.noTrustedMetadata(actor, input.trusted_metadata)
    if (input.email_address !== undefined && actor?.member_id === member.member_id)
      throw new StytchError('member_cannot_update_their_email_address')
    for (const [field, action, selfToo] of UPDATE_ACTIONS)
      if (input[field] !== undefined) permissions.onMember(actor, member.member_id, action, selfToo)

    let next: MemberObject = {
      ...member,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.is_breakglass !== undefined ? { is_breakglass: input.is_breakglass } : {}),
      ...(input.mfa_enrolled !== undefined ? { mfa_enrolled: input.mfa_enrolled } : {}),
      trusted_metadata: mergeMetadata(member.trusted_metadata, input.trusted_metadata),
      untrusted_metadata: mergeMetadata(member.untrusted_metadata, input.untrusted_metadata),
    }
    if (input.external_id !== undefined) {
      this.freeExternalId(organization, input.external_id, member.member_id)
      next.external_id = input.external_id
    }
    if (input.mfa_phone_number !== undefined && input.mfa_phone_number !== member.mfa_phone_number)
      next = withNewMfaPhone(this.deps.orgs, next, input.mfa_phone_number)
    if (input.roles !== undefined) {
      this.deps.rbac.checkRoles(organization.organization_id, input.roles)
      const others = (next.roles as { role_id: string; sources: { type: string }[] }[])
        .map((r) => ({ ...r, sources: r.sources.filter((s) => s.type !== 'direct_assignment') }))
        .filter((r) => r.sources.length > 0)
      next.roles = [...directRoles(input.roles), ...others]
    }
    if (input.default_mfa_method !== undefined) {
      const method = input.default_mfa_method === 'sms_otp' ? 'sms_otp' : 'totp'
      if (!hasMfaMethod(next, method)) throw new StytchError('default_mfa_member_missing_factor')
      next.default_mfa_method = method
    }
    if (input.email_address !== undefined)
      next = this.withEmail(
        organization,
        next,
        normalEmail(input.email_address),
        input.unlink_email,
      )
    const found = this.save(next, organization)
    if (input.roles !== undefined && !input.preserve_existing_sessions)
      await this.revokeSsoSessions(member, found.member, input.roles)
    return found
  }

  /**
   * Roles taken from a member's explicit assignments that an SSO connection or group still
   * grants it: its sessions holding an SSO factor of such a connection are revoked (Stytch's
   * default; `preserve_existing_sessions` keeps them).
   */
  private async revokeSsoSessions(before: MemberObject, after: MemberObject, kept: string[]) {
    type Role = { role_id: string; sources: { type: string; details?: Record<string, unknown> }[] }
    const removed = (before.roles as Role[])
      .filter((r) => r.sources.some((s) => s.type === 'direct_assignment'))
      .map((r) => r.role_id)
      .filter((id) => id !== 'stytch_member' && !kept.includes(id))
    const connections = new Set<unknown>()
    for (const role of after.roles as Role[])
      if (removed.includes(role.role_id))
        for (const source of role.sources)
          if (source.type === 'sso_connection' || source.type === 'sso_connection_group')
            connections.add(source.details?.connection_id)
    if (connections.size === 0) return
    type SsoFactor = { provider_id?: string }
    for (const session of this.deps.core.active('member', after.member_id)) {
      const factors = session.authentication_factors as {
        saml_sso_factor?: SsoFactor
        oidc_sso_factor?: SsoFactor
      }[]
      const affected = factors.some((f) =>
        connections.has((f.saml_sso_factor ?? f.oidc_sso_factor)?.provider_id),
      )
      if (affected) await this.deps.core.revoke('member', { session_id: session.session_id })
    }
  }

  /**
   * organizations.members.delete: deleted, its sessions revoked at once, its TOTP registrations
   * (and their recovery codes) and its pending SMS passcode gone.
   */
  delete(organizationId: string, memberId: string, actor: Actor | null): string {
    const { member } = this.find(organizationId, memberId, actor)
    this.deps.permissions.onMember(actor, member.member_id, 'delete')
    this.deps.totps.deleteOwner(member.member_id)
    this.deps.secrets.revokePasscode(...smsPasscodeOf(member.member_id))
    const gone = { ...member, totp_registration_id: '' }
    this.deps.orgs.updateMember({
      ...gone,
      default_mfa_method: defaultMfaMethod(gone),
      status: 'deleted',
      updated_at: this.now(),
    })
    this.deps.core.revokeAllOf('member', member.member_id, 'organizations.members.delete')
    return member.member_id
  }

  /** organizations.members.reactivate: a deleted member active again (its own member_id only). */
  reactivate(organizationId: string, memberId: string, actor: Actor | null): Found {
    const organization = this.deps.directory.organization(organizationId)
    this.deps.permissions.within(actor, organization.organization_id)
    this.deps.permissions.require(actor, 'stytch.member', 'create')
    const member = this.deps.orgs.member(memberId, true)
    if (!member || member.organization_id !== organization.organization_id)
      throw new StytchError('member_not_found')
    if (member.status !== 'deleted')
      throw new StytchError('no_deleted_member_found_for_reactivation')
    if (member.email_address_verified !== true)
      throw new StytchError('email_unverified_for_reactivation')
    if (this.deps.orgs.memberByEmail(organization.organization_id, member.email_address))
      throw new StytchError('reactivation_email_belongs_to_another_member')
    return this.save({ ...member, status: 'active' }, organization)
  }

  /**
   * organizations.members.search, across the given organizations; deleted members only when the
   * query asks for that status.
   */
  search(input: SearchPage & { organization_ids: string[] }, actor: Actor | null) {
    const orgs = input.organization_ids.map((id) => this.deps.directory.organization(id))
    for (const org of orgs) this.deps.permissions.within(actor, org.organization_id)
    this.deps.permissions.require(actor, 'stytch.member', 'search')
    const askDeleted = (input.query?.operands ?? []).some(
      (o) => o.filter_name === 'statuses' && (o.filter_value as string[]).includes('deleted'),
    )
    const all = [...new Map(orgs.map((o) => [o.organization_id, o])).values()].flatMap((org) =>
      this.deps.orgs
        .membersOf(org.organization_id)
        .filter((m) => askDeleted || m.status !== 'deleted'),
    )
    const { items, results_metadata } = page(matching(all, input.query, MEMBER_FILTERS), input)
    const organizations = Object.fromEntries(
      orgs
        .filter((o) => items.some((m) => m.organization_id === o.organization_id))
        .map((o) => [o.organization_id, o]),
    )
    return { members: items, results_metadata, organizations }
  }

  /** organizations.members.dangerouslyGet: by member_id alone, in any organization. */
  dangerouslyGet(memberId: string, includeDeleted: boolean): Found {
    const member = this.deps.orgs.member(memberId, includeDeleted)
    if (!member) throw new StytchError('member_not_found')
    return { member, organization: this.deps.directory.organization(member.organization_id) }
  }

  /** organizations.members.deletePassword: the member with this password loses it. */
  deletePassword(organizationId: string, passwordId: string, actor: Actor | null): Found {
    const organization = this.deps.directory.organization(organizationId)
    this.deps.permissions.within(actor, organization.organization_id)
    const member = this.deps.orgs
      .membersOf(organization.organization_id)
      .find((m) => m.status !== 'deleted' && m.member_password_id === passwordId)
    if (!member || passwordId === '') throw new StytchError('member_password_not_found')
    this.deps.permissions.onMember(actor, member.member_id, 'update.info.delete.password')
    this.deps.passwords.delete(member.member_id)
    return this.save({ ...member, member_password_id: '' }, organization)
  }

  /** organizations.members.deleteMFAPhoneNumber */
  deleteMFAPhoneNumber(organizationId: string, memberId: string, actor: Actor | null): Found {
    const { member, organization } = this.find(organizationId, memberId, actor)
    this.deps.permissions.onMember(actor, member.member_id, 'update.info.delete.mfa-phone')
    if (member.mfa_phone_number === '') throw new StytchError('member_phone_number_not_found')
    const next = { ...member, mfa_phone_number: '', mfa_phone_number_verified: false }
    return this.save({ ...next, default_mfa_method: defaultMfaMethod(next) }, organization)
  }

  /** organizations.members.deleteTOTP: the registration, and its recovery codes, gone. */
  deleteTOTP(organizationId: string, memberId: string, actor: Actor | null): Found {
    const { member, organization } = this.find(organizationId, memberId, actor)
    this.deps.permissions.onMember(actor, member.member_id, 'update.info.delete.mfa-totp')
    if (member.totp_registration_id === '') throw new StytchError('totp_not_found')
    this.deps.totps.deleteOwner(member.member_id)
    const next = { ...member, totp_registration_id: '' }
    return this.save({ ...next, default_mfa_method: defaultMfaMethod(next) }, organization)
  }

  /** organizations.members.unlinkRetiredEmail: a retired address free for others again. */
  unlinkRetiredEmail(
    organizationId: string,
    memberId: string,
    by: { email_id?: string | undefined; email_address?: string | undefined },
    actor: Actor | null,
  ): Found {
    const { member, organization } = this.find(organizationId, memberId, actor)
    this.deps.permissions.onMember(actor, member.member_id, 'update.info.unlink.retired-email')
    const retired = member.retired_email_addresses as { email_id: string; email_address: string }[]
    const address = by.email_address === undefined ? undefined : normalEmail(by.email_address)
    const found = retired.find(
      (r) =>
        (by.email_id === undefined || r.email_id === by.email_id) &&
        (address === undefined || r.email_address === address),
    )
    if (!found) throw new StytchError('email_not_found')
    return this.save(
      { ...member, retired_email_addresses: retired.filter((r) => r !== found) },
      organization,
    )
  }

  /** organizations.members.deleteExternalId */
  deleteExternalId(organizationId: string, memberId: string, actor: Actor | null): Found {
    const { member, organization } = this.find(organizationId, memberId, actor)
    const { external_id: _, ...rest } = member
    return this.save(rest as MemberObject, organization)
  }

  /** The answer every member write gives: the member as stored now, and its organization. */
  answer(memberId: string, organization: OrganizationObject): Found {
    return { member: this.deps.orgs.member(memberId, true)!, organization }
  }

  /** The member stored with its new updated_at. */
  save(member: MemberObject, organization: OrganizationObject): Found {
    this.deps.orgs.updateMember({ ...member, updated_at: this.now() })
    return this.answer(member.member_id, organization)
  }

  /**
   * The address is free in the organization: no member has it, and none has it retired (Stytch
   * keeps a retired address for its member until it is unlinked).
   */
  freeEmail(organization: OrganizationObject, email: string, self: string | null): void {
    const holder = this.deps.orgs.memberByEmail(organization.organization_id, email)
    if (holder && holder.member_id !== self) throw new StytchError('duplicate_member_email')
    const retiredBy = this.deps.orgs
      .membersOf(organization.organization_id)
      .find(
        (m) =>
          m.member_id !== self &&
          m.status !== 'deleted' &&
          (m.retired_email_addresses as { email_address: string }[]).some(
            (r) => r.email_address === email,
          ),
      )
    if (retiredBy) throw new StytchError('retired_member_email')
  }

  private freeExternalId(
    org: OrganizationObject,
    externalId: string | undefined,
    self: string | null,
  ) {
    if (externalId === undefined) return
    const holder = this.deps.orgs.memberByExternalId(org.organization_id, externalId, true)
    if (holder && holder.member_id !== self) throw new StytchError('duplicate_member_external_id')
  }

  /**
   * A new email address: unverified, the password cleared, the old address retired (deleted with
   * `unlink`); updating back to a retired address of its own takes it out of the list.
   */
  private withEmail(
    org: OrganizationObject,
    member: MemberObject,
    email: string,
    unlink: boolean | undefined,
  ): MemberObject {
    if (email === member.email_address) return member
    this.freeEmail(org, email, member.member_id)
    const retired = (member.retired_email_addresses as { email_address: string }[]).filter(
      (r) => r.email_address !== email,
    )
    if (!unlink) retired.push(retiredEmail(member))
    this.deps.passwords.delete(member.member_id)
    return {
      ...member,
      email_address: email,
      email_address_verified: false,
      member_password_id: '',
      retired_email_addresses: retired,
    }
  }

  private now(): string {
    return rfc3339(this.deps.clock.nowSeconds())
  }
}

/** A retired address with an email_id of its own (the member's current one is another). */
function retiredEmail(member: MemberObject) {
  return { email_id: `member-email-test-${randomUUID()}`, email_address: member.email_address }
}
