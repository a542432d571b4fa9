// OAuth's authenticate calls: the one-time token a consent handed to the app, redeemed once for
// an ordinary session of the mock. Consumer (oauth/authenticate): the user who has the provider
// registration, else the user with the email, made if new; or, for a start with an attach token
// (oauth/attach), the user it named; the registration added to them. B2B
// (b2b/oauth/authenticate): the organization's member, found or provisioned by its domain, under
// the organization's auth-method and MFA policy. Discovery (b2b/oauth/discovery/authenticate):
// a discovery intermediate session.
import { createHash } from 'node:crypto'
import { type Clock, rfc3339 } from '../../clock.js'
import { StytchError } from '../../errors.js'
import {
  shape,
  type B2BSessionInput,
  type MemberLogins,
} from '../../platform/login/member-logins.js'
import { COMMON_EMAIL_DOMAINS } from '../../platform/login/rules.js'
import type { MemberProviderTokens } from '../organizations/provider-tokens.js'
import type { DiscoveryEntry } from '../discovery/logins.js'
import { methodIdOf, type UserRecords } from '../../platform/login/user-records.js'
import type { MemberSessions } from '../../platform/sessions/b2b.js'
import type { ConsumerSessions } from '../../platform/sessions/consumer.js'
import {
  API,
  type AccessInput,
  type Factor,
  type SessionArguments,
} from '../../platform/sessions/core.js'
import { loginFactor } from '../../platform/sessions/factors.js'
import { memberFactorEmail, withOAuthRegistration } from '../../platform/sessions/organizations.js'
import type { OrganizationStore } from '../../platform/sessions/organization-store.js'
import type { OAuthFlow, OAuthGrant, OAuthStore } from './store.js'
import type { UserObject } from '../../platform/sessions/user-store.js'
import { newSessionToken } from '../../platform/tokens/ids.js'
import { verifierMatches } from '../../platform/tokens/pkce.js'
import {
  B2B_PROVIDERS,
  CONSUMER_PROVIDERS,
  deliveryMethod,
  factorKey,
  findProvider,
  type Provider,
} from '../../platform/login/oauth-providers.js'

/** How long the provider's access token in provider_values lives. */
const ACCESS_TOKEN_SECONDS = 3600
/** How long an attach token waits for its start (unverified: Stytch documents none). */
const ATTACH_MINUTES = 10

interface Registration {
  provider_type: string
  provider_subject: string
  profile_picture_url: string
  locale: string
}

export class OAuthLogins {
  constructor(
    private readonly deps: {
      clock: Clock
      store: OAuthStore
      records: UserRecords
      consumer: ConsumerSessions
      members: MemberSessions
      memberLogins: MemberLogins
      orgs: OrganizationStore
      discovery: DiscoveryEntry
      providerTokens: MemberProviderTokens
    },
  ) {}

  /**
   * oauth/attach: a token a start of this provider takes, so that its login is this user's (by
   * user_id, or the user of a live session).
   */
  async attach(provider: string, who: { user_id?: string | undefined } & SessionArguments) {
    const userId =
      who.user_id !== undefined
        ? this.deps.records.byId(who.user_id).user_id
        : (await this.deps.consumer.userOf(who)).user_id
    const token = newSessionToken()
    this.deps.store.putAttach(
      token,
      userId,
      provider,
      this.deps.clock.nowSeconds() + ATTACH_MINUTES * 60,
    )
    return { oauth_attach_token: token }
  }

  /** oauth/authenticate */
  async authenticate(token: string, verifier: string | undefined, session: AccessInput, via = API) {
    const existing = await this.deps.consumer.prepareLogin(session, via)
    const grant = this.redeem('oauth', token, verifier, (g) => {
      // Attach links a provider to a user; it never moves one from another user (Stytch's docs).
      const owner = this.deps.store.registrationOwner(providerOf(g).name, g.provider_subject)
      if (g.attach_user_id && owner && owner !== g.attach_user_id)
        throw new StytchError(
          'invalid_oauth_attach_token',
          'This provider account is already linked to another user; attach cannot merge users.',
        )
    })
    const provider = providerOf(grant)
    const { records } = this.deps
    const owner = this.deps.store.registrationOwner(provider.name, grant.provider_subject)
    const linked = grant.attach_user_id ?? owner
    let user = linked
      ? records.byId(linked)
      : (records.byAddress(grant.email) ??
        records.create(grant.email, { name: userName(grant.name) }))
    // The provider's (verified) email joins the user, unless it is another user's.
    const emailOwner = records.byAddress(grant.email)
    if (!emailOwner || emailOwner.user_id === user.user_id) {
      user = records.withAddress(user, grant.email)
      user = records.verify(user, methodIdOf(user, grant.email)!)
    }
    const registration = registrationOf(provider, grant)
    const { user: registered, id } = records.withProvider(user, registration)
    const factor = this.factor(provider, {
      id,
      provider_subject: grant.provider_subject,
      email_id: methodIdOf(registered, grant.email) ?? '',
    })
    const { session: user_session, ...result } = await this.deps.consumer.login(
      registered,
      factor,
      session,
      existing,
    )
    return {
      ...result,
      ...(user_session ? { user_session } : {}),
      user_id: registered.user_id,
      oauth_user_registration_id: id,
      provider_subject: grant.provider_subject,
      provider_type: provider.name,
      provider_values: this.providerValues(grant),
      reset_sessions: false,
    }
  }

  /** b2b/oauth/authenticate */
  async authenticateMember(
    token: string,
    verifier: string | undefined,
    input: B2BSessionInput,
    via = API,
  ) {
    const prepared = await this.deps.members.prepareLogin(input, via)
    const grant = this.redeem('b2b_oauth', token, verifier, (g) =>
      // Checked before the token is spent: the member exists or may join.
      this.deps.memberLogins.check(g.organization_id!, g.email),
    )
    const provider = providerOf(grant)
    const { org, member: found } = this.deps.memberLogins.provision(
      grant.organization_id!,
      grant.email,
    )
    const registered = withOAuthRegistration(found, registrationOf(provider, grant))
    if (registered.changed) this.deps.orgs.updateMember(registered.member)
    const { member } = registered
    const factor = this.factor(provider, {
      id: registered.id,
      provider_subject: grant.provider_subject,
      email_id: memberFactorEmail(member).email_id,
    })
    const result = await this.deps.members.login(member, org, factor, input, prepared)
    const values = this.providerValues(grant)
    // What organizations.members.oauthProviders answers from: this login's tokens.
    const tenant = tenantOf(provider, grant.email)
    this.deps.providerTokens.record(member.member_id, grant.provider, {
      provider_subject: grant.provider_subject,
      access_token: values.access_token,
      refresh_token: values.refresh_token,
      id_token: values.id_token,
      scopes: values.scopes,
      access_token_expires_at: this.deps.clock.nowSeconds() + ACCESS_TOKEN_SECONDS,
      provider_tenant_ids: tenant ? [tenant] : [],
    })
    return {
      ...shape(result),
      organization_id: org.organization_id,
      provider_subject: grant.provider_subject,
      provider_type: provider.name,
      provider_values: values,
      reset_sessions: false,
    }
  }

  /** b2b/oauth/discovery/authenticate */
  authenticateDiscovery(token: string, verifier: string | undefined) {
    const grant = this.redeem('discovery_oauth', token, verifier)
    const provider = providerOf(grant)
    // No member yet: the registration (and its id) is made when the session enters an
    // organization (login/discovery.ts).
    const factor = this.factor(provider, {
      id: '',
      provider_subject: grant.provider_subject,
      email_id: '',
    })
    const tenant = tenantOf(provider, grant.email)
    return {
      ...this.deps.discovery.discovered(grant.email, factor),
      provider_type: provider.name,
      provider_tenant_id: tenant,
      provider_tenant_ids: tenant ? [tenant] : [],
      full_name: grant.name,
    }
  }

  /**
   * The grant behind a token of this flow, used up: unknown, another flow's, used or expired are
   * all oauth_token_not_found; PKCE checked when the start sent a challenge. `check` runs before
   * it is spent.
   */
  private redeem(
    flow: OAuthFlow,
    token: string,
    verifier: string | undefined,
    check?: (grant: OAuthGrant) => void,
  ): OAuthGrant {
    const found = this.deps.store.grants.get(token)
    if (
      !found ||
      found.grant.flow !== flow ||
      found.used ||
      found.grant.expires_at <= this.deps.clock.nowSeconds()
    )
      throw new StytchError('oauth_token_not_found')
    const { grant } = found
    if (grant.code_challenge !== null) {
      if (verifier === undefined) throw new StytchError('pkce_expected_code_verifier')
      if (!verifierMatches(verifier, grant.code_challenge)) throw new StytchError('pkce_mismatch')
    }
    check?.(grant)
    if (!this.deps.store.grants.use(token)) throw new StytchError('oauth_token_not_found')
    return grant
  }

  private factor(
    provider: Provider,
    details: { id: string; provider_subject: string; email_id: string },
  ): Factor {
    const { email_id, ...rest } = details
    return loginFactor(
      'oauth',
      deliveryMethod(provider),
      { [factorKey(provider)]: email_id ? details : rest },
      this.deps.clock.nowSeconds(),
    )
  }

  /**
   * What the provider would have given Stytch: stable per person and provider (the same login
   * gets the same tokens), shaped like the real ones, usable with no provider at all.
   */
  private providerValues(grant: OAuthGrant) {
    const seed = (what: string) =>
      createHash('sha256')
        .update(`${what}:${grant.provider}:${grant.provider_subject}`)
        .digest('base64url')
    return {
      access_token: `mock-${grant.provider}-access-${seed('access').slice(0, 32)}`,
      refresh_token: `mock-${grant.provider}-refresh-${seed('refresh').slice(0, 32)}`,
      id_token: idToken(grant, seed('id')),
      scopes: grant.scopes,
      expires_at: rfc3339(this.deps.clock.nowSeconds() + ACCESS_TOKEN_SECONDS),
    }
  }
}

function providerOf(grant: OAuthGrant): Provider {
  return findProvider(grant.flow === 'oauth' ? CONSUMER_PROVIDERS : B2B_PROVIDERS, grant.provider)!
}

function registrationOf(provider: Provider, grant: OAuthGrant): Registration {
  return {
    provider_type: provider.name,
    provider_subject: grant.provider_subject,
    profile_picture_url: '',
    locale: 'en',
  }
}

/** A user's name object from the provider's full name: "Ada King Lovelace" → first, middle, last. */
function userName(name: string): UserObject['name'] {
  const parts = name.trim().split(/\s+/).filter(Boolean)
  const first_name = parts.shift() ?? ''
  const last_name = parts.pop() ?? ''
  return { first_name, middle_name: parts.join(' '), last_name }
}

/**
 * Google's hosted domain and Microsoft's tenant stand for the organization's: the email domain,
 * none for a personal address (gmail.com and the like carry no hosted domain).
 */
function tenantOf(provider: Provider, email: string): string {
  const domain = email.split('@')[1]!
  if (COMMON_EMAIL_DOMAINS.has(domain)) return ''
  return provider.id === 'google' || provider.id === 'microsoft' ? domain : ''
}

/**
 * An OpenID Connect id_token as the provider would issue it: the person's claims, signed by no
 * one (its signature part is a digest; nothing can verify it, nothing should need to).
 */
function idToken(grant: OAuthGrant, signature: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return [
    part({ alg: 'RS256', kid: 'stytch-mock-provider', typ: 'JWT' }),
    part({
      iss: `https://${grant.provider}.stytch-mock.invalid`,
      aud: 'stytch-mock',
      sub: grant.provider_subject,
      email: grant.email,
      email_verified: true,
      name: grant.name,
    }),
    signature,
  ].join('.')
}
