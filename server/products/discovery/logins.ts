// B2B discovery (/v1/b2b/magic_links/email/discovery, /v1/b2b/otps/email/discovery,
// /v1/b2b/discovery): an email address proven by a magic link or passcode, before any
// organization. Its discovery intermediate session lists the organizations that email can enter,
// and is used up entering one of them (exchange) or creating a new one (create), where the
// organization's policies decide between a member session and an organization-scoped
// intermediate session exactly as MemberSessions.exchange does.
import { type Clock, rfc3339 } from '../../clock.js'
import { StytchError } from '../../errors.js'
import type { MemberSessions } from '../../platform/sessions/b2b.js'
import type { JsonObject } from '../../platform/sessions/claims.js'
import { API, checkSessionInput, type Factor } from '../../platform/sessions/core.js'
import { loginFactor } from '../../platform/sessions/factors.js'
import {
  buildMember,
  buildOrganization,
  memberFactorEmail,
  provisionedMember,
  withOAuthRegistration,
  type NewOrganization,
} from '../../platform/sessions/organizations.js'
import type { DiscoverySessionRow, DiscoverySessionStore } from './store.js'
import type {
  MemberObject,
  OrganizationObject,
  OrganizationStore,
} from '../../platform/sessions/organization-store.js'
import { newSessionToken, SESSION_TOKEN_FORMAT } from '../../platform/tokens/ids.js'
import { B2B_PROVIDERS, findProvider } from '../../platform/login/oauth-providers.js'
import type { OneTimeSecrets } from '../../platform/login/one-time.js'
import type { Outbox } from '../../platform/login/outbox.js'
import { discoveryEmailId, normalEmail, linkUrl, SANDBOX } from '../../platform/login/rules.js'
import { COMMON_EMAIL_DOMAINS } from '../../platform/login/rules.js'

/** Discovery intermediate sessions last 10 minutes, as Stytch documents for every IST. */
export const DISCOVERY_SESSION_MINUTES = 10

const SLUG = /^[A-Za-z0-9._~-]{2,128}$/
const MEMBERSHIP_STATUSES = new Set(['active', 'pending', 'invited'])

export interface DiscoverySessionInput {
  session_duration_minutes?: number | undefined
  session_custom_claims?: JsonObject | undefined
}

export interface CreateOrganizationInput extends DiscoverySessionInput {
  intermediate_session_token: string
  organization_name?: string | undefined
  organization_slug?: string | undefined
  organization_logo_url?: string | undefined
  trusted_metadata?: JsonObject | undefined
  sso_jit_provisioning?: string | undefined
  email_allowed_domains?: string[] | undefined
  email_jit_provisioning?: string | undefined
  email_invites?: string | undefined
  auth_methods?: string | undefined
  allowed_auth_methods?: string[] | undefined
  mfa_policy?: string | undefined
  mfa_methods?: string | undefined
  allowed_mfa_methods?: string[] | undefined
}

/** What other products use of discovery: a discovery intermediate session for a proven email. */
export type DiscoveryEntry = Pick<DiscoveryLogins, 'discovered'>

export class DiscoveryLogins {
  constructor(
    private readonly deps: {
      clock: Clock
      orgs: OrganizationStore
      members: MemberSessions
      /** Discovery's own secrets (the discovery_secrets table). */
      secrets: OneTimeSecrets
      sessions: DiscoverySessionStore
      outbox: Outbox
      /** The B2B project's default discovery redirect URL. */
      redirectUrl: string
    },
  ) {}

  /** b2b/magic_links/email/discovery/send */
  sendMagicLink(input: {
    email_address: string
    discovery_redirect_url?: string | undefined
    pkce_code_challenge?: string | undefined
    discovery_expiration_minutes?: number | undefined
  }): void {
    const email = normalEmail(input.email_address)
    const url = input.discovery_redirect_url ?? this.deps.redirectUrl
    const minutes = input.discovery_expiration_minutes ?? 60
    // Stytch's sandbox address: 200, nothing sent.
    if (email === SANDBOX.email) return
    const method_id = discoveryEmailId(email)
    const { token, expires_at } = this.deps.secrets.link('b2b_magic_link', {
      subject_id: email,
      method_id,
      address: email,
      expiration_minutes: minutes,
      code_challenge: input.pkce_code_challenge,
    })
    const link = linkUrl(url, 'discovery', token)
    this.deps.outbox.send({
      channel: 'email',
      to: email,
      kind: 'magic_link',
      text: `Log in to find your organizations: ${link}`,
      token,
      url: link,
      method_id,
      expires_at,
    })
  }

  /** b2b/magic_links/discovery/authenticate */
  authenticateMagicLink(token: string, verifier: string | undefined, via = API) {
    // Stytch's sandbox tokens (backend only): 200 for sandbox@stytch.com, 401 used (unknown ones
    // are 404 anyway).
    if (via === API && token === SANDBOX.usedMagicLink)
      throw new StytchError('unable_to_auth_magic_link')
    if (via === API && token === SANDBOX.magicLink) {
      const email = SANDBOX.email
      return this.discovered(email, this.factor('magic_link', discoveryEmailId(email), email))
    }
    const secret = this.deps.secrets.redeemLink('b2b_magic_link', token, verifier)
    return this.discovered(
      secret.address,
      this.factor('magic_link', secret.method_id, secret.address),
    )
  }

  /** b2b/otps/email/discovery/send */
  sendPasscode(input: {
    email_address: string
    discovery_expiration_minutes?: number | undefined
  }): void {
    const email = normalEmail(input.email_address)
    const minutes = input.discovery_expiration_minutes ?? 10
    const method_id = discoveryEmailId(email)
    const { code, expires_at } = this.deps.secrets.passcode('b2b_otp', email, {
      subject_id: email,
      method_id,
      address: email,
      expiration_minutes: minutes,
    })
    this.deps.outbox.send({
      channel: 'email',
      to: email,
      kind: 'otp',
      text: `Your passcode to find your organizations is ${code}. It expires in ${minutes} minutes.`,
      otp_code: code,
      method_id,
      expires_at,
    })
  }

  /** b2b/otps/email/discovery/authenticate */
  authenticatePasscode(input: { email_address: string; code: string }) {
    const email = normalEmail(input.email_address)
    const secret = this.deps.secrets.redeemPasscode('b2b_otp', email, input.code)
    return this.discovered(email, this.factor('email_otp', secret.method_id, email))
  }

  /**
   * b2b/discovery/organizations: by a discovery intermediate session, or a member session
   * (the organizations its member's email can enter).
   */
  async organizations(input: {
    intermediate_session_token?: string | undefined
    session_token?: string | undefined
    session_jwt?: string | undefined
  }) {
    const given = [input.intermediate_session_token, input.session_token, input.session_jwt]
    const count = given.filter((v) => v !== undefined).length
    if (count > 1) throw new StytchError('too_many_session_arguments')
    if (count === 0)
      throw new StytchError(
        'invalid_argument',
        'One of intermediate_session_token, session_token or session_jwt is required.',
      )
    let email: string
    let factors: Factor[]
    if (input.intermediate_session_token !== undefined) {
      // A malformed token is 400 here (recorded from Stytch), 404 on exchange and create.
      if (!SESSION_TOKEN_FORMAT.test(input.intermediate_session_token))
        throw new StytchError('invalid_session_token')
      const ist = this.live(input.intermediate_session_token)
      email = ist.email_address
      factors = ist.authentication_factors as Factor[]
    } else {
      const { member, member_session } = await this.deps.members.authenticate({
        session_token: input.session_token,
        session_jwt: input.session_jwt,
      })
      email = member.email_address
      factors = member_session.authentication_factors as Factor[]
    }
    return {
      email_address: email,
      discovered_organizations: this.list(email, factors),
      organization_id_hint: null,
    }
  }

  /** b2b/discovery/intermediate_sessions/exchange */
  async exchange(
    input: { intermediate_session_token: string; organization_id: string } & DiscoverySessionInput,
  ) {
    // Stytch checks the organization first (recorded: an unknown one with a bad IST is 404
    // organization_not_found).
    const org = this.deps.orgs.organization(input.organization_id)
    if (!org) throw new StytchError('organization_not_found')
    const ist = this.live(input.intermediate_session_token)
    checkSessionInput(input)
    const known = this.deps.orgs.memberByEmail(org.organization_id, ist.email_address)
    if (!known && !joinsByDomain(org, ist.email_address))
      throw new StytchError('email_jit_provisioning_not_allowed')
    this.useUp(ist)
    const member = this.verified(known ?? this.join(org, ist.email_address))
    return this.enter(member, org, ist, input)
  }

  /** b2b/discovery/organizations/create: a new organization, its creator an admin member. */
  async create(input: CreateOrganizationInput) {
    const ist = this.live(input.intermediate_session_token)
    checkSessionInput(input)
    const email = ist.email_address
    const settings = organizationSettings(input)
    const organization_name = input.organization_name || defaultName(email)
    let slug: string
    if (input.organization_slug !== undefined) {
      // Stytch answers slugs in lower case, so two that differ only in case are one.
      slug = input.organization_slug.toLowerCase()
      if (!SLUG.test(slug)) throw new StytchError('invalid_organization_slug')
      if (this.deps.orgs.organization(slug)) throw new StytchError('organization_slug_already_used')
    } else {
      slug = this.freeSlug(slugify(organization_name))
    }
    this.useUp(ist)
    const now = this.deps.clock.nowSeconds()
    const org = {
      ...buildOrganization({ ...settings, organization_name, organization_slug: slug }, now),
      ...(input.organization_logo_url !== undefined
        ? { organization_logo_url: input.organization_logo_url }
        : {}),
      ...(input.sso_jit_provisioning !== undefined
        ? { sso_jit_provisioning: input.sso_jit_provisioning }
        : {}),
      ...(input.email_invites !== undefined ? { email_invites: input.email_invites } : {}),
    }
    this.deps.orgs.insertOrganization(org)
    const member = buildMember(
      { organization_id: org.organization_id, email_address: email, is_admin: true },
      now,
    )
    this.deps.orgs.insertMember(member)
    return this.enter(member, org, ist, input)
  }

  private async enter(
    member: MemberObject,
    org: OrganizationObject,
    ist: DiscoverySessionRow,
    input: DiscoverySessionInput,
  ) {
    const registered = this.registerOAuth(
      member,
      asMember(ist.authentication_factors as Factor[], member),
    )
    const result = await this.deps.members.enterFromDiscovery(
      registered.member,
      org,
      registered.factors,
      input,
    )
    return { member_session: null, ...result }
  }

  /**
   * An OAuth factor that proved the email, now the member's: the provider registered on the
   * member (as an organization OAuth login does), the factor naming that registration.
   */
  private registerOAuth(member: MemberObject, factors: Factor[]) {
    let current = member
    const mapped = factors.map((f) => {
      const key = Object.keys(f).find((k) => k.endsWith('_oauth_factor'))
      const provider = findProvider(B2B_PROVIDERS, f.delivery_method.replace(/^oauth_/, ''))
      if (!key || !provider) return f
      const details = (f as Record<string, unknown>)[key] as { provider_subject: string }
      const registered = withOAuthRegistration(current, {
        provider_type: provider.name,
        provider_subject: details.provider_subject,
        profile_picture_url: '',
        locale: 'en',
      })
      if (registered.changed) this.deps.orgs.updateMember(registered.member)
      current = registered.member
      return { ...f, [key]: { ...details, id: registered.id } } as Factor
    })
    return { member: current, factors: mapped }
  }

  /**
   * A new discovery intermediate session for this email, and what it can enter (the magic-link
   * and passcode flows here; OAuth discovery in oauth/).
   */
  discovered(email: string, factor: Factor) {
    const token = newSessionToken()
    const expires_at = this.deps.clock.nowSeconds() + DISCOVERY_SESSION_MINUTES * 60
    this.deps.sessions.insert({
      token,
      email_address: email,
      authentication_factors: [factor],
      expires_at,
    })
    return {
      intermediate_session_token: token,
      email_address: email,
      discovered_organizations: this.list(email, [factor]),
      intermediate_session_token_expires_at: rfc3339(expires_at),
    }
  }

  /**
   * The organizations this email is a member of (active, pending or invited), then those it may
   * join by its domain; each with what entering it would still ask for.
   */
  private list(email: string, factors: Factor[]) {
    const found = []
    const seen = new Set<string>()
    for (const member of this.deps.orgs.membersByEmail(email)) {
      const status = String(member.status)
      if (!MEMBERSHIP_STATUSES.has(status)) continue
      const org = this.deps.orgs.organization(member.organization_id)
      if (!org) continue
      seen.add(org.organization_id)
      found.push(
        this.entry(org, member, factors, { type: `${status}_member`, details: null, member }),
      )
    }
    const domain = email.split('@')[1]!
    for (const org of this.deps.orgs.organizationsAllowingDomain(domain)) {
      if (seen.has(org.organization_id) || !joinsByDomain(org, email)) continue
      // The member it would become: MFA asks what REQUIRED_FOR_ALL asks of anyone new.
      const prospect = buildMember(
        { organization_id: org.organization_id, email_address: email },
        this.deps.clock.nowSeconds(),
      )
      found.push(
        this.entry(org, prospect, factors, {
          type: 'eligible_to_join_by_email_domain',
          details: { domain },
          member: null,
        }),
      )
    }
    return found
  }

  private entry(
    organization: OrganizationObject,
    member: MemberObject,
    factors: Factor[],
    membership: { type: string; details: { domain: string } | null; member: MemberObject | null },
  ) {
    const { member_authenticated, primary_required, mfa_required } = this.deps.members.requirements(
      member,
      organization,
      asMember(factors, member),
    )
    return { member_authenticated, organization, membership, primary_required, mfa_required }
  }

  /** The discovery intermediate session, live: anything else is 404, malformed tokens too. */
  private live(token: string): DiscoverySessionRow {
    const row = this.deps.sessions.get(token)
    if (!row || row.expires_at <= this.deps.clock.nowSeconds())
      throw new StytchError('intermediate_session_not_found')
    return row
  }

  /** Single use: the first exchange or create wins, a second gets 404. */
  private useUp(ist: DiscoverySessionRow): void {
    if (!this.deps.sessions.delete(ist.token))
      throw new StytchError('intermediate_session_not_found')
  }

  /** A member the discovery factor just proved: active and verified (login/b2b.ts's rule). */
  private verified(member: MemberObject): MemberObject {
    if (member.status === 'active' && member.email_address_verified === true) return member
    const active = { ...member, status: 'active', email_address_verified: true }
    this.deps.orgs.updateMember(active)
    return active
  }

  /** A member provisioned by its email domain, pending until verified. */
  private join(org: OrganizationObject, email: string): MemberObject {
    const member = provisionedMember(org.organization_id, email, this.deps.clock.nowSeconds())
    this.deps.orgs.insertMember(member)
    return member
  }

  /** A derived slug, with -2, -3, ... added while it is taken. */
  private freeSlug(base: string): string {
    for (let n = 1; ; n++) {
      const slug = n === 1 ? base : `${base.slice(0, 120)}-${n}`
      if (!this.deps.orgs.organization(slug)) return slug
    }
  }

  private factor(type: 'magic_link' | 'email_otp', email_id: string, email_address: string) {
    return loginFactor(
      type,
      'email',
      { email_factor: { email_id, email_address } },
      this.deps.clock.nowSeconds(),
    ) as Factor
  }
}

/** May this email join the organization by its domain (email_jit_provisioning RESTRICTED)? */
function joinsByDomain(org: OrganizationObject, email: string): boolean {
  const domain = email.split('@')[1]!.toLowerCase()
  return (
    org.email_jit_provisioning === 'RESTRICTED' &&
    (org.email_allowed_domains as string[]).some((d) => d.toLowerCase() === domain)
  )
}

/**
 * The factors as this member's: an email factor names the member's email_id, and so does an
 * OAuth factor's (google_oauth_factor.email_id, ...).
 */
function asMember(factors: Factor[], member: MemberObject): Factor[] {
  const email = memberFactorEmail(member)
  return factors.map((f) => {
    if ('email_factor' in f) return { ...f, email_factor: email } as Factor
    const key = Object.keys(f).find((k) => k.endsWith('_oauth_factor'))
    if (!key) return f
    const details = (f as Record<string, unknown>)[key] as object
    return { ...f, [key]: { ...details, email_id: email.email_id } } as Factor
  })
}

/**
 * Stytch's default organization name: from the email's local part for common email providers
 * and .edu addresses, from the domain otherwise (its first label: acme.com gives "acme").
 */
export function defaultName(email: string): string {
  const [local, domain] = email.split('@') as [string, string]
  if (COMMON_EMAIL_DOMAINS.has(domain) || domain.endsWith('.edu')) return local
  return domain.split('.')[0]!
}

function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 128)
  return slug.length >= 2 ? slug : `${slug || 'org'}-org`
}

/** The create call's organization settings (their enums are the spec's rules). */
function organizationSettings(
  input: CreateOrganizationInput,
): Omit<NewOrganization, 'organization_slug'> {
  return {
    mfa_policy: input.mfa_policy as NewOrganization['mfa_policy'],
    auth_methods: input.auth_methods as NewOrganization['auth_methods'],
    allowed_auth_methods: input.allowed_auth_methods,
    mfa_methods: input.mfa_methods as NewOrganization['mfa_methods'],
    allowed_mfa_methods: input.allowed_mfa_methods,
    email_jit_provisioning:
      input.email_jit_provisioning as NewOrganization['email_jit_provisioning'],
    email_allowed_domains: input.email_allowed_domains?.map((d) => d.toLowerCase()),
    trusted_metadata: input.trusted_metadata,
  }
}
