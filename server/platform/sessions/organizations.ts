// Stytch organization and member objects (reference §2.5), every required field present.
import { randomUUID } from 'node:crypto'
import { rfc3339 } from '../../clock.js'
import { newId } from '../tokens/ids.js'
import type { MemberObject, OrganizationObject } from './organization-store.js'

export interface NewOrganization {
  organization_id?: string | undefined
  organization_slug: string
  organization_name?: string | undefined
  organization_logo_url?: string | undefined
  organization_external_id?: string | undefined
  mfa_policy?: 'OPTIONAL' | 'REQUIRED_FOR_ALL' | undefined
  auth_methods?: 'ALL_ALLOWED' | 'RESTRICTED' | undefined
  allowed_auth_methods?: string[] | undefined
  mfa_methods?: 'ALL_ALLOWED' | 'RESTRICTED' | undefined
  allowed_mfa_methods?: string[] | undefined
  trusted_metadata?: Record<string, unknown> | undefined
  email_jit_provisioning?: 'RESTRICTED' | 'NOT_ALLOWED' | undefined
  email_allowed_domains?: string[] | undefined
  email_invites?: string | undefined
  sso_jit_provisioning?: string | undefined
  rbac_email_implicit_role_assignments?: { domain: string; role_id: string }[] | undefined
  oauth_tenant_jit_provisioning?: string | undefined
  allowed_oauth_tenants?: Record<string, string[]> | undefined
  claimed_email_domains?: string[] | undefined
  first_party_connected_apps_allowed_type?: string | undefined
  allowed_first_party_connected_apps?: string[] | undefined
  third_party_connected_apps_allowed_type?: string | undefined
  allowed_third_party_connected_apps?: string[] | undefined
}

export interface NewMember {
  member_id?: string | undefined
  organization_id: string
  email_address: string
  name?: string | undefined
  is_admin?: boolean | undefined
  mfa_enrolled?: boolean | undefined
  mfa_phone_number?: string | undefined
  totp_registration_id?: string | undefined
  roles?: string[] | undefined
  trusted_metadata?: Record<string, unknown> | undefined
  untrusted_metadata?: Record<string, unknown> | undefined
  is_breakglass?: boolean | undefined
  external_id?: string | undefined
}

export function buildOrganization(input: NewOrganization, nowSeconds: number): OrganizationObject {
  const at = rfc3339(nowSeconds)
  return {
    organization_id: input.organization_id ?? `organization-test-${randomUUID()}`,
    organization_name: input.organization_name ?? input.organization_slug,
    organization_logo_url: input.organization_logo_url ?? '',
    organization_slug: input.organization_slug,
    sso_jit_provisioning: input.sso_jit_provisioning ?? 'ALL_ALLOWED',
    sso_jit_provisioning_allowed_connections: [],
    sso_active_connections: [],
    email_allowed_domains: input.email_allowed_domains ?? [],
    email_jit_provisioning: input.email_jit_provisioning ?? 'NOT_ALLOWED',
    email_invites: input.email_invites ?? 'ALL_ALLOWED',
    auth_methods: input.auth_methods ?? 'ALL_ALLOWED',
    allowed_auth_methods: input.allowed_auth_methods ?? [],
    mfa_policy: input.mfa_policy ?? 'OPTIONAL',
    rbac_email_implicit_role_assignments: input.rbac_email_implicit_role_assignments ?? [],
    mfa_methods: input.mfa_methods ?? 'ALL_ALLOWED',
    allowed_mfa_methods: input.allowed_mfa_methods ?? [],
    oauth_tenant_jit_provisioning: input.oauth_tenant_jit_provisioning ?? 'NOT_ALLOWED',
    // Stytch's spec makes it optional; its admin portal reads it unguarded.
    allowed_oauth_tenants: input.allowed_oauth_tenants ?? {},
    claimed_email_domains: input.claimed_email_domains ?? [],
    first_party_connected_apps_allowed_type:
      input.first_party_connected_apps_allowed_type ?? 'ALL_ALLOWED',
    allowed_first_party_connected_apps: input.allowed_first_party_connected_apps ?? [],
    third_party_connected_apps_allowed_type:
      input.third_party_connected_apps_allowed_type ?? 'ALL_ALLOWED',
    allowed_third_party_connected_apps: input.allowed_third_party_connected_apps ?? [],
    custom_roles: [],
    trusted_metadata: input.trusted_metadata ?? {},
    ...(input.organization_external_id
      ? { organization_external_id: input.organization_external_id }
      : {}),
    created_at: at,
    updated_at: at,
  }
}

export function buildMember(input: NewMember, nowSeconds: number): MemberObject {
  const at = rfc3339(nowSeconds)
  const direct = (role_id: string) => ({
    role_id,
    sources: [{ type: 'direct_assignment', details: {} }],
  })
  const roleIds = [
    ...new Set([
      'stytch_member',
      ...(input.is_admin ? ['stytch_admin'] : []),
      ...(input.roles ?? []),
    ]),
  ]
  return {
    organization_id: input.organization_id,
    member_id: input.member_id ?? `member-test-${randomUUID()}`,
    email_address: input.email_address.toLowerCase(),
    status: 'active',
    name: input.name ?? '',
    sso_registrations: [],
    is_breakglass: input.is_breakglass ?? false,
    member_password_id: '',
    oauth_registrations: [],
    email_address_verified: true,
    mfa_phone_number_verified: Boolean(input.mfa_phone_number),
    is_admin: input.is_admin ?? false,
    totp_registration_id: input.totp_registration_id ?? '',
    retired_email_addresses: [],
    is_locked: false,
    mfa_enrolled: input.mfa_enrolled ?? false,
    mfa_phone_number: input.mfa_phone_number ?? '',
    default_mfa_method: input.totp_registration_id
      ? 'totp'
      : input.mfa_phone_number
        ? 'sms_otp'
        : '',
    roles: roleIds.map(direct),
    trusted_metadata: input.trusted_metadata ?? {},
    untrusted_metadata: input.untrusted_metadata ?? {},
    ...(input.external_id ? { external_id: input.external_id } : {}),
    created_at: at,
    updated_at: at,
  }
}

/** A member provisioned by its email domain (JIT): pending and unverified until a login works. */
export function provisionedMember(
  organizationId: string,
  email: string,
  nowSeconds: number,
): MemberObject {
  return {
    ...buildMember({ organization_id: organizationId, email_address: email }, nowSeconds),
    status: 'pending',
    email_address_verified: false,
  }
}

export const memberRoleIds = (member: MemberObject): string[] =>
  (member.roles as { role_id: string }[]).map((r) => r.role_id)

/** A member's email as a factor names it, with an email_id stable per member. */
export function memberFactorEmail(member: MemberObject) {
  return {
    email_id: `member-email-test-${member.member_id.replace(/^member-(test|live)-/, '')}`,
    email_address: member.email_address,
  }
}

export interface OAuthRegistration {
  provider_type: string
  provider_subject: string
  profile_picture_url: string
  locale: string
  member_oauth_registration_id: string
}

/**
 * The member with this OAuth provider registration: the one it has for the provider and
 * subject, or a new one added (`changed`: the member must be stored again).
 */
export function withOAuthRegistration(
  member: MemberObject,
  registration: Omit<OAuthRegistration, 'member_oauth_registration_id'>,
): { member: MemberObject; id: string; changed: boolean } {
  const registrations = member.oauth_registrations as OAuthRegistration[]
  const found = registrations.find(
    (r) =>
      r.provider_type === registration.provider_type &&
      r.provider_subject === registration.provider_subject,
  )
  if (found) return { member, id: found.member_oauth_registration_id, changed: false }
  const id = newId('member-oauth-registration')
  const added = { ...registration, member_oauth_registration_id: id }
  return {
    member: { ...member, oauth_registrations: [...registrations, added] },
    id,
    changed: true,
  }
}

export type RoleSource = { type: string; details?: Record<string, unknown> }
type MemberRole = { role_id: string; sources: RoleSource[] }

/** A role a product grants a member (an SSO connection's or SCIM group's assignment). */
export interface RoleGrant {
  role_id: string
  source: RoleSource
}

const direct = (): RoleSource => ({ type: 'direct_assignment', details: {} })

/** Role ids as directly assigned roles (stytch_member, which every member has, first). */
export function directRoles(roleIds: string[]): MemberRole[] {
  return [...new Set(['stytch_member', ...roleIds])].map((role_id) => ({
    role_id,
    sources: [direct()],
  }))
}

/**
 * A member's roles as Stytch reports them: its own assignments (`direct_assignment`, stored), and
 * the implicit ones, worked out again on every write: the roles the organization grants its email
 * domain (rbac_email_implicit_role_assignments, source `email_assignment`) and those products grant
 * (`grants`: SSO connections and SCIM groups). is_admin says whether stytch_admin is among them.
 */
export function withImplicitRoles(
  member: MemberObject,
  org: OrganizationObject,
  grants: RoleGrant[] = [],
): MemberObject {
  const domain = member.email_address.split('@')[1]?.toLowerCase() ?? ''
  const implicit = (
    (org.rbac_email_implicit_role_assignments ?? []) as { domain: string; role_id: string }[]
  )
    .filter((a) => a.domain.toLowerCase() === domain)
    .map(({ role_id }) => ({
      role_id,
      source: { type: 'email_assignment', details: { email_domain: domain } },
    }))
  const roles = new Map<string, RoleSource[]>()
  for (const role of member.roles as MemberRole[]) {
    const kept = role.sources.filter((s) => s.type === 'direct_assignment')
    if (kept.length) roles.set(role.role_id, kept)
  }
  if (!roles.has('stytch_member')) roles.set('stytch_member', [direct()])
  for (const { role_id, source } of [...implicit, ...grants]) {
    const sources = roles.get(role_id) ?? []
    const same = JSON.stringify(source)
    if (!sources.some((s) => JSON.stringify(s) === same)) roles.set(role_id, [...sources, source])
  }
  const resolved = [...roles].map(([role_id, sources]) => ({ role_id, sources }))
  return { ...member, roles: resolved, is_admin: roles.has('stytch_admin') }
}

/** Sources that count only in a session proving a login through their SSO connection. */
const SSO_SOURCES = new Set(['sso_connection', 'sso_connection_group'])

/**
 * The roles a member session holds: the member's, except a role whose only sources are SSO
 * connections the session holds no factor of ("the Member will only be granted the Role if their
 * session contains an authentication factor with the specified SAML connection").
 */
export function sessionRoleIds(member: MemberObject, factors: unknown[]): string[] {
  const proven = new Set<unknown>()
  for (const f of factors as { saml_sso_factor?: { provider_id?: string } }[])
    if (f.saml_sso_factor?.provider_id) proven.add(f.saml_sso_factor.provider_id)
  return (member.roles as MemberRole[])
    .filter((r) =>
      r.sources.some((s) => !SSO_SOURCES.has(s.type) || proven.has(s.details?.connection_id)),
    )
    .map((r) => r.role_id)
}

/**
 * The member once a login link or passcode sent to `address` worked (self-serve email update,
 * organizations.members.startEmailUpdate): an address other than its email becomes its email,
 * verified, the old one retired. The caller checks that no other member of the organization has
 * the address (else 400 unable_to_verify_member_email_update).
 */
export function withProvenEmail(member: MemberObject, address: string): MemberObject {
  const email = address.toLowerCase()
  if (email === member.email_address) return member
  const retired = (member.retired_email_addresses as { email_address: string }[]).filter(
    (r) => r.email_address !== email,
  )
  return {
    ...member,
    email_address: email,
    email_address_verified: true,
    retired_email_addresses: [
      ...retired,
      { email_id: `member-email-test-${randomUUID()}`, email_address: member.email_address },
    ],
  }
}
