// SSO logins: the start and the stand-in identity provider (journey-start.ts, idp.ts), the ACS /
// callback (journey-acs.ts), and here sso.authenticate (the token redeemed once, every check
// before it is spent; the member found by its registration or email, or JIT-provisioned by the
// organization's sso_jit_provisioning; its registration, name, email and trusted_metadata from
// the mapped attributes; the `sso` factor; a member or intermediate session by the MFA policy),
// sso.discoverConnections, and organizations.members.oidcProviders.
import { createHash } from 'node:crypto'
import { type Clock, rfc3339 } from '../../clock.js'
import { StytchError } from '../../errors.js'
import { shape, type B2BSessionInput } from '../../platform/login/member-logins.js'
import type { Platform } from '../../platform/platform.js'
import { API, type Factor } from '../../platform/sessions/core.js'
import { loginFactor } from '../../platform/sessions/factors.js'
import type {
  MemberObject,
  OrganizationObject,
} from '../../platform/sessions/organization-store.js'
import { buildMember, withProvenEmail } from '../../platform/sessions/organizations.js'
import { newId } from '../../platform/tokens/ids.js'
import { verifierMatches } from '../../platform/tokens/pkce.js'
import type { ConnectionRow, SsoConnections } from './connections.js'
import { registrations, StandInIdp } from './idp.js'
import { SsoCallbacks } from './journey-acs.js'
import { SsoStarts } from './journey-start.js'
import { JourneyStore, type SsoGrant } from './journey-store.js'

export { JOURNEY_SCHEMA } from './journey-store.js'

/** How long the access token an OIDC login leaves lives. */
const ACCESS_TOKEN_SECONDS = 3600

export class SsoLogins {
  readonly store: JourneyStore
  readonly idp: StandInIdp
  readonly starts: SsoStarts
  readonly callbacks: SsoCallbacks
  readonly #clock: Clock

  constructor(readonly deps: Platform & { connections: SsoConnections }) {
    const { clock, orgs, connections, config } = deps
    this.#clock = clock
    const store = (this.store = new JourneyStore(deps.db))
    orgs.onOrganizationDeleted((id) => store.forgetOrganization(id))
    this.idp = new StandInIdp({ clock, store, orgs, connections })
    this.starts = new SsoStarts({
      clock,
      store,
      orgs,
      connections,
      redirectUrls: config.redirectUrls,
      allowedOrigins: config.allowedOrigins,
    })
    this.callbacks = new SsoCallbacks({
      clock,
      store,
      connections,
      idp: this.idp,
      starts: this.starts,
    })
  }

  /** sso.authenticate */
  async authenticate(
    token: string,
    verifier: string | undefined,
    input: B2BSessionInput,
    via = API,
  ) {
    const prepared = await this.deps.members.prepareLogin(input, via)
    const grant = this.redeem(token, verifier, (g) => this.resolve(g))
    const { org, member: found } = this.resolve(grant)
    const { member, registrationId } = this.registered(org, grant, found)
    const factor = this.factor(grant, registrationId)
    const result = await this.deps.members.login(member, org, factor, input, prepared)
    if (grant.kind === 'oidc') this.recordTokens(member, grant)
    return { ...shape(result), organization_id: org.organization_id, reset_session: false }
  }

  /**
   * sso.discoverConnections: the active connections of the organizations where the email is a
   * member; none there: those of organizations it could join by SSO JIT (its domain allowed or
   * claimed, the connection allowed by sso_jit_provisioning).
   */
  discoverConnections(emailAddress: string) {
    const { orgs, connections } = this.deps
    const email = emailAddress.toLowerCase()
    const memberOf = [...new Set(orgs.membersByEmail(email).map((m) => m.organization_id))]
    let found = memberOf.flatMap((id) => connections.activeOf(id))
    if (found.length === 0) {
      const domain = email.split('@')[1] ?? ''
      found = orgs
        .organizations()
        .filter((o) =>
          [...(o.email_allowed_domains as string[]), ...(o.claimed_email_domains as string[])]
            .map((d) => d.toLowerCase())
            .includes(domain),
        )
        .flatMap((o) => connections.activeOf(o.organization_id).filter((r) => jitAllows(o, r)))
    }
    return {
      connections: found.map((row) => ({
        connection_id: row.connection.connection_id,
        display_name: row.connection.display_name,
        identity_provider: String(
          (connections.sourceOf(row) ?? row).connection.identity_provider ?? 'generic',
        ),
      })),
    }
  }

  /** organizations.members.oidcProviders: the tokens each OIDC connection's last login left. */
  oidcProviders(organizationId: string, memberId: string, includeRefreshToken: boolean) {
    const org = this.deps.directory.organization(organizationId)
    const member = this.deps.directory.memberOf(org, memberId)
    const rows = this.store.tokens(member.member_id)
    if (rows.length === 0) throw new StytchError('member_oidc_token_not_found')
    const now = this.#clock.nowSeconds()
    return {
      registrations: rows.map(({ connection_id, tokens }) => ({
        connection_id,
        provider_subject: tokens.provider_subject,
        id_token: tokens.id_token,
        access_token: tokens.access_token,
        access_token_expires_in: Math.max(0, tokens.access_token_expires_at - now),
        scopes: tokens.scopes,
        ...(includeRefreshToken ? { refresh_token: tokens.refresh_token } : {}),
      })),
    }
  }

  /**
   * The grant behind a token, used up: unknown, used or expired are all sso_token_not_found;
   * PKCE checked when the start sent a challenge. `check` runs before it is spent.
   */
  private redeem(token: string, verifier: string | undefined, check: (g: SsoGrant) => void) {
    const found = this.store.grants.get(token)
    if (!found || found.used || found.grant.expires_at <= this.#clock.nowSeconds())
      throw new StytchError('sso_token_not_found')
    const { grant } = found
    if (grant.code_challenge !== null) {
      if (verifier === undefined) throw new StytchError('pkce_expected_code_verifier')
      if (!verifierMatches(verifier, grant.code_challenge)) throw new StytchError('pkce_mismatch')
    }
    check(grant)
    if (!this.store.grants.use(token)) throw new StytchError('sso_token_not_found')
    return grant
  }

  /**
   * The organization, connection and member a login is for: the member with this connection's
   * registration of the person, else the member with the email; none: JIT, if the organization
   * allows it for this connection. A registration a deleted member holds logs in no one.
   */
  private resolve(grant: SsoGrant) {
    const { directory, orgs, connections } = this.deps
    const org = directory.organization(grant.organization_id)
    const row = connections.connection(grant.connection_id)
    const { email, external_id } = grant.identity
    const holds = (m: MemberObject) =>
      registrations(m).some(
        (r) => r.connection_id === grant.connection_id && r.external_id === external_id,
      )
    const all = orgs.membersOf(org.organization_id)
    const member =
      all.find((m) => m.status !== 'deleted' && holds(m)) ??
      orgs.memberByEmail(org.organization_id, email)
    if (!member) {
      if (all.some((m) => m.status === 'deleted' && holds(m)))
        throw new StytchError(
          'member_not_found',
          'The member this identity provider account belongs to is deleted: reactivate it first.',
        )
      if (!jitAllows(org, row))
        throw new StytchError(
          'invalid_connection_for_jit_provisioning',
          `The organization's sso_jit_provisioning (${String(org.sso_jit_provisioning)}) does not let this connection provision new members.`,
        )
    }
    return { org, row, member }
  }

  /**
   * The member once the login is theirs: made if new (active, verified), else active and
   * verified now; its registration with the connection (the attributes of this login), a new
   * email from the identity provider taking the place of the old, the name when it had none, and
   * the mapping's other attributes in trusted_metadata. Its roles are worked out again on write.
   */
  private registered(
    org: OrganizationObject,
    grant: SsoGrant,
    found: MemberObject | null,
  ): { member: MemberObject; registrationId: string } {
    const { orgs } = this.deps
    const { identity } = grant
    const now = this.#clock.nowSeconds()
    let member =
      found ??
      buildMember(
        {
          organization_id: org.organization_id,
          email_address: identity.email,
          name: identity.name,
        },
        now,
      )
    if (!found) orgs.insertMember(member)
    const existing = registrations(member).find((r) => r.connection_id === grant.connection_id)
    const registrationId =
      existing?.registration_id ??
      newId(grant.kind === 'saml' ? 'saml-member-registration' : 'oidc-member-registration')
    const registration = {
      connection_id: grant.connection_id,
      external_id: identity.external_id,
      registration_id: registrationId,
      sso_attributes: identity.attributes,
    }
    if (
      identity.email !== member.email_address &&
      !orgs.memberByEmail(org.organization_id, identity.email)
    )
      member = withProvenEmail(member, identity.email)
    member = {
      ...member,
      status: 'active',
      email_address_verified: true,
      name: String(member.name ?? '') || identity.name,
      trusted_metadata: {
        ...((member.trusted_metadata ?? {}) as Record<string, unknown>),
        ...identity.trusted,
      },
      sso_registrations: [
        ...registrations(member).filter((r) => r.connection_id !== grant.connection_id),
        registration,
      ],
      updated_at: rfc3339(now),
    }
    orgs.updateMember(member)
    return { member: orgs.member(member.member_id)!, registrationId }
  }

  private factor(grant: SsoGrant, registrationId: string): Factor {
    const key = grant.kind === 'saml' ? 'saml_sso_factor' : 'oidc_sso_factor'
    return loginFactor(
      'sso',
      grant.kind === 'saml' ? 'sso_saml' : 'sso_oidc',
      {
        [key]: {
          id: registrationId,
          provider_id: grant.connection_id,
          external_id: grant.identity.external_id,
        },
      },
      this.#clock.nowSeconds(),
    )
  }

  /**
   * What the OIDC provider would have given Stytch: stable per connection and person (the same
   * login gets the same tokens), shaped like the real ones.
   */
  private recordTokens(member: MemberObject, grant: SsoGrant) {
    const subject = grant.identity.external_id
    const seed = (what: string) =>
      createHash('sha256')
        .update(`${what}:${grant.source_connection_id}:${subject}`)
        .digest('base64url')
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
    const now = this.#clock.nowSeconds()
    const idToken = [
      part({ alg: 'RS256', kid: 'stytch-mock-oidc', typ: 'JWT' }),
      part({
        iss: `https://oidc.stytch-mock.invalid/${grant.source_connection_id}`,
        aud: 'stytch-mock',
        sub: subject,
        email: grant.identity.email,
        email_verified: true,
        name: grant.identity.name,
        iat: now,
        exp: now + ACCESS_TOKEN_SECONDS,
      }),
      seed('id'),
    ].join('.')
    this.store.putTokens(member.member_id, grant.connection_id, member.organization_id, {
      provider_subject: subject,
      id_token: idToken,
      access_token: `mock-oidc-access-${seed('access').slice(0, 32)}`,
      refresh_token: `mock-oidc-refresh-${seed('refresh').slice(0, 32)}`,
      scopes: grant.scopes,
      access_token_expires_at: now + ACCESS_TOKEN_SECONDS,
    })
  }
}

/**
 * Whether the organization lets this connection provision new members: ALL_ALLOWED (any of its
 * active connections), RESTRICTED (those in sso_jit_provisioning_allowed_connections), or
 * NOT_ALLOWED. No email-domain rule applies to SSO (Stytch's JIT docs).
 */
function jitAllows(org: OrganizationObject, row: ConnectionRow): boolean {
  const setting = org.sso_jit_provisioning ?? 'ALL_ALLOWED'
  if (setting === 'ALL_ALLOWED') return true
  if (setting === 'RESTRICTED')
    return ((org.sso_jit_provisioning_allowed_connections ?? []) as string[]).includes(
      row.connection.connection_id,
    )
  return false
}
