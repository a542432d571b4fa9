// B2B organizations managed as apps manage them (organizations.create, update, delete, search,
// metrics, deleteExternalId; the frontend's organization.update and delete): each setting kept
// where the login flows read it (auth methods, MFA policy, JIT provisioning by domain, implicit
// roles by email domain), the slug and external id unique in the project, and a deleted
// organization's members gone with every session of theirs.
import { type Clock, rfc3339 } from '../../clock.js'
import { StytchError } from '../../errors.js'
import { COMMON_EMAIL_DOMAINS } from '../../platform/login/rules.js'
import type { PasswordStore } from '../../platform/login/store.js'
import type { Totps } from '../../platform/login/totp.js'
import type { SessionCore } from '../../platform/sessions/core.js'
import type { Directory } from '../../platform/sessions/directory.js'
import type {
  OrganizationObject,
  OrganizationStore,
} from '../../platform/sessions/organization-store.js'
import { buildOrganization, type NewOrganization } from '../../platform/sessions/organizations.js'
import type { RbacPolicies } from '../../platform/sessions/rbac-policies.js'
import type { Actor, MemberActions } from '../b2b-sessions/member-actions.js'
import { mergeMetadata } from '../../platform/sessions/metadata.js'
import { matching, organizationFilters, page, type SearchPage } from './search.js'
import type { ProviderTokenStore } from './store.js'

/** The settings create and update take, as the SDKs send them. */
export type OrganizationSettings = Omit<
  NewOrganization,
  'organization_id' | 'organization_slug'
> & {
  organization_slug?: string | undefined
  sso_default_connection_id?: string | undefined
  sso_jit_provisioning_allowed_connections?: string[] | undefined
}

/**
 * A rule a product below keeps on the settings it owns (SSO: the default and JIT-allowed
 * connections must be the organization's): checked on the result of every create and update.
 */
export type SettingRule = (
  org: OrganizationObject,
  input: OrganizationSettings,
  creating: boolean,
) => void

/** Which stytch.organization action each update field needs of a member (Stytch's SDK docs). */
export const UPDATE_ACTIONS: Partial<Record<keyof OrganizationSettings, string>> = {
  organization_name: 'update.info.name',
  organization_slug: 'update.info.slug',
  organization_logo_url: 'update.info.logo-url',
  sso_default_connection_id: 'update.settings.default-sso-connection',
  sso_jit_provisioning: 'update.settings.sso-jit-provisioning',
  sso_jit_provisioning_allowed_connections: 'update.settings.sso-jit-provisioning',
  email_allowed_domains: 'update.settings.allowed-domains',
  email_jit_provisioning: 'update.settings.email-jit-provisioning',
  email_invites: 'update.settings.email-invites',
  auth_methods: 'update.settings.allowed-auth-methods',
  allowed_auth_methods: 'update.settings.allowed-auth-methods',
  mfa_policy: 'update.settings.mfa-policy',
  rbac_email_implicit_role_assignments: 'update.settings.implicit-roles',
  mfa_methods: 'update.settings.allowed-mfa-methods',
  allowed_mfa_methods: 'update.settings.allowed-mfa-methods',
  oauth_tenant_jit_provisioning: 'update.settings.oauth-tenant-jit-provisioning',
  allowed_oauth_tenants: 'update.settings.allowed-oauth-tenants',
}

/** The authentication settings whose presence makes email_invites default to NOT_ALLOWED. */
const AUTH_SETTINGS: (keyof OrganizationSettings)[] = [
  'sso_jit_provisioning',
  'email_allowed_domains',
  'email_jit_provisioning',
  'auth_methods',
  'allowed_auth_methods',
  'mfa_policy',
  'mfa_methods',
  'allowed_mfa_methods',
  'oauth_tenant_jit_provisioning',
  'allowed_oauth_tenants',
]

export class OrganizationAdmin {
  readonly #rules: SettingRule[] = []

  constructor(
    private readonly deps: {
      clock: Clock
      orgs: OrganizationStore
      directory: Directory
      core: SessionCore
      rbac: RbacPolicies
      passwords: PasswordStore
      /** Authenticator-app registrations: the members' go with the organization. */
      totps: Pick<Totps, 'deleteOwner'>
      tokens: ProviderTokenStore
      permissions: MemberActions
    },
  ) {}

  /** A product's rule on the settings it owns (see SettingRule). */
  addSettingRule(rule: SettingRule): void {
    this.#rules.push(rule)
  }

  /** organizations.create */
  create(input: OrganizationSettings & { organization_name: string }): OrganizationObject {
    const slug =
      input.organization_slug !== undefined
        ? this.freeSlug(input.organization_slug.toLowerCase(), null)
        : this.derivedSlug(input.organization_name)
    this.freeExternalId(input.organization_external_id, null)
    // Stytch: with no authentication setting given, email invites are allowed so the
    // organization has a way to add members; with any, they default to NOT_ALLOWED.
    const anySetting = AUTH_SETTINGS.some((k) => input[k] !== undefined)
    const org = buildOrganization(
      {
        ...settings(input),
        organization_slug: slug,
        email_invites: input.email_invites ?? (anySetting ? 'NOT_ALLOWED' : 'ALL_ALLOWED'),
        trusted_metadata: mergeMetadata({}, input.trusted_metadata),
      },
      this.deps.clock.nowSeconds(),
    )
    this.check(org, input, true)
    this.deps.orgs.insertOrganization(org)
    return org
  }

  /** organizations.update (organization.update from the frontend: `actor` is the caller). */
  update(
    organizationId: string,
    input: OrganizationSettings,
    actor: Actor | null,
  ): OrganizationObject {
    const current = this.deps.directory.organization(organizationId)
    const { permissions } = this.deps
    permissions.within(actor, current.organization_id)
    permissions.noTrustedMetadata(actor, input.trusted_metadata)
    for (const [field, action] of Object.entries(UPDATE_ACTIONS))
      if (input[field as keyof OrganizationSettings] !== undefined)
        permissions.require(actor, 'stytch.organization', action)
    const slug =
      input.organization_slug === undefined
        ? current.organization_slug
        : this.freeSlug(input.organization_slug.toLowerCase(), current.organization_id)
    this.freeExternalId(input.organization_external_id, current.organization_id)
    const given = Object.fromEntries(
      Object.entries(settings(input)).filter(([, v]) => v !== undefined),
    )
    const org: OrganizationObject = {
      ...current,
      ...given,
      organization_slug: slug,
      trusted_metadata: mergeMetadata(current.trusted_metadata, input.trusted_metadata),
      updated_at: rfc3339(this.deps.clock.nowSeconds()),
    }
    // An empty sso_default_connection_id clears the default (null reads as absent).
    if (org.sso_default_connection_id === '') delete org.sso_default_connection_id
    this.check(org, input, false)
    this.deps.orgs.updateOrganization(org, input.rbac_email_implicit_role_assignments !== undefined)
    return this.deps.directory.organization(org.organization_id)
  }

  /**
   * organizations.delete: the organization and its members are gone, every session of theirs
   * revoked at once, their passwords and TOTP registrations with them.
   */
  delete(organizationId: string, actor: Actor | null): string {
    const org = this.deps.directory.organization(organizationId)
    this.deps.permissions.within(actor, org.organization_id)
    this.deps.permissions.require(actor, 'stytch.organization', 'delete')
    for (const member of this.deps.orgs.membersOf(org.organization_id)) {
      this.deps.core.revokeAllOf('member', member.member_id, 'organizations.delete')
      this.deps.passwords.delete(member.member_id)
      this.deps.totps.deleteOwner(member.member_id)
      this.deps.tokens.forget(member.member_id)
    }
    this.deps.orgs.deleteOrganization(org.organization_id)
    return org.organization_id
  }

  /** organizations.search */
  search(input: SearchPage) {
    const { orgs } = this.deps
    const found = matching(
      orgs.organizations(),
      input.query,
      organizationFilters((id) => orgs.membersOf(id)),
    )
    const { items, results_metadata } = page(found, input)
    return { organizations: items, results_metadata }
  }

  /** organizations.metrics: how many members (not deleted) the organization has. */
  metrics(organizationId: string) {
    const org = this.deps.directory.organization(organizationId)
    return { member_count: this.deps.orgs.countMembersOf(org.organization_id) }
  }

  /** organizations.deleteExternalId */
  deleteExternalId(organizationId: string, actor: Actor | null): OrganizationObject {
    const current = this.deps.directory.organization(organizationId)
    this.deps.permissions.within(actor, current.organization_id)
    const { organization_external_id: _, ...org } = current
    this.deps.orgs.updateOrganization({
      ...org,
      updated_at: rfc3339(this.deps.clock.nowSeconds()),
    })
    return this.deps.directory.organization(org.organization_id)
  }

  /** The rules between settings that no single field's schema can state. */
  private check(org: OrganizationObject, input: OrganizationSettings, creating: boolean): void {
    if (org.auth_methods === 'RESTRICTED' && (org.allowed_auth_methods as string[]).length === 0)
      throw new StytchError('allowed_auth_methods_required_for_restricted')
    if (org.mfa_methods === 'RESTRICTED' && (org.allowed_mfa_methods as string[]).length === 0)
      throw new StytchError('allowed_mfa_methods_required_for_restricted')
    const common = (org.email_allowed_domains as string[]).find((d) => COMMON_EMAIL_DOMAINS.has(d))
    if (common !== undefined)
      throw new StytchError(
        'organization_settings_domain_too_common',
        `${common} is too common a domain to allow: anyone could join with it.`,
      )
    this.deps.rbac.checkRoles(
      org.organization_id,
      (org.rbac_email_implicit_role_assignments as { role_id: string }[]).map((a) => a.role_id),
    )
    for (const rule of this.#rules) rule(org, input, creating)
  }

  /** The slug, unless another organization has it (400 organization_slug_already_used). */
  private freeSlug(slug: string, self: string | null): string {
    const holder = this.deps.orgs.organizationBySlug(slug)
    if (holder && holder.organization_id !== self)
      throw new StytchError('organization_slug_already_used')
    return slug
  }

  private freeExternalId(externalId: string | undefined, self: string | null): void {
    if (externalId === undefined) return
    const holder = this.deps.orgs.organizationByExternalId(externalId)
    if (holder && holder.organization_id !== self)
      throw new StytchError('organization_external_id_already_used')
  }

  /** A slug from the name, with -2, -3, ... added while it is taken. */
  private derivedSlug(name: string): string {
    const base = name
      .toLowerCase()
      .replace(/[^a-z0-9._~-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120)
    const slug = base.length >= 2 ? base : `${base || 'org'}-org`
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? slug : `${slug}-${n}`
      if (!this.deps.orgs.organization(candidate)) return candidate
    }
  }
}

/** Every setting an organization keeps: a request's other fields are not stored. */
const SETTINGS = new Set<string>([
  ...Object.keys(UPDATE_ACTIONS),
  'organization_external_id',
  'trusted_metadata',
  'claimed_email_domains',
  'first_party_connected_apps_allowed_type',
  'allowed_first_party_connected_apps',
  'third_party_connected_apps_allowed_type',
  'allowed_third_party_connected_apps',
])

/** The stored settings of a create or update: domains in lower case, as Stytch answers them. */
function settings(input: OrganizationSettings): Omit<OrganizationSettings, 'organization_slug'> {
  const { organization_slug: _, ...given } = input
  const rest = Object.fromEntries(Object.entries(given).filter(([key]) => SETTINGS.has(key)))
  const lowered = (list: string[] | undefined) => list?.map((d) => d.toLowerCase())
  return {
    ...rest,
    email_allowed_domains: lowered(input.email_allowed_domains),
    claimed_email_domains: lowered(input.claimed_email_domains),
    rbac_email_implicit_role_assignments: input.rbac_email_implicit_role_assignments?.map((a) => ({
      domain: a.domain.toLowerCase(),
      role_id: a.role_id,
    })),
    trusted_metadata: undefined,
  }
}
