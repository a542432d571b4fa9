// Sessions from outside Stytch (sessions.attest and sessions.migrate, consumer and B2B):
// - attest: a JWT from a Trusted Auth Token profile (the fixtures' trusted_auth_token_profiles:
//   issuer, audience, a JWKS URL or public keys), verified for real; its mapped claims name the
//   email (the user or member, made if new by the usual rules) and the token id; the factor is
//   `trusted_auth_token` / `trusted_token_exchange`;
// - migrate: an access token of your previous provider, handed to its OIDC userinfo endpoint
//   (STYTCH_MOCK_SESSION_MIGRATION_URL) as Stytch does; the email it answers names the user.
import type { Clock } from '../../clock.js'
import { StytchError } from '../../errors.js'
import {
  shape,
  type B2BSessionInput,
  type MemberLogins,
} from '../../platform/login/member-logins.js'
import type { UserRecords } from '../../platform/login/user-records.js'
import { looksLikeEmail, normalEmail } from '../../platform/login/rules.js'
import type { MemberSessions } from '../../platform/sessions/b2b.js'
import type { ConsumerSessions } from '../../platform/sessions/consumer.js'
import { API, type AccessInput, type Factor, type LoginVia } from '../../platform/sessions/core.js'
import { loginFactor } from '../../platform/sessions/factors.js'
import type { TrustedTokenProfile } from '../../platform/sessions/fixtures.js'
import type { Directory } from '../../platform/sessions/directory.js'
import type { UserObject } from '../../platform/sessions/user-store.js'

export class ExternalSessions {
  readonly #keys = new Map<string, Promise<Parameters<typeof import('jose').jwtVerify>[1]>>()

  constructor(
    private readonly deps: {
      clock: Clock
      profiles: TrustedTokenProfile[]
      migrationUrl: string | undefined
      records: UserRecords
      consumer: ConsumerSessions
      members: MemberSessions
      memberLogins: MemberLogins
      directory: Directory
    },
  ) {}

  /** sessions.attest (consumer): the token's user, a session when asked or one sent along. */
  async attest(profileId: string, token: string, session: AccessInput, via: LoginVia = API) {
    const existing = await this.deps.consumer.prepareLogin(session, via)
    const { email, token_id } = await this.verify(profileId, token)
    const user = await this.user(email)
    const factor = this.factor('trusted_auth_token', 'trusted_token_exchange', {
      trusted_auth_token_factor: { token_id },
    })
    const result = await this.deps.consumer.login(user, factor, session, existing)
    return { ...result, user_id: user.user_id }
  }

  /** sessions.attest (B2B): the token's member of the organization (the body's or the token's). */
  async attestMember(
    profileId: string,
    token: string,
    organizationId: string | undefined,
    input: B2BSessionInput,
    via: LoginVia = API,
  ) {
    const prepared = await this.deps.members.prepareLogin(input, via)
    const { email, token_id, organization_id } = await this.verify(profileId, token)
    const orgId = organizationId ?? organization_id
    if (!orgId)
      throw new StytchError(
        'invalid_argument',
        'organization_id is required: the token has no organization claim.',
      )
    const { org, member } = this.deps.memberLogins.provision(orgId, email)
    const factor = this.factor('trusted_auth_token', 'trusted_token_exchange', {
      trusted_auth_token_factor: { token_id },
    })
    // A B2B attest makes a session even without a duration: 60 minutes (Stytch's B2B default).
    const withDuration = {
      ...input,
      session_duration_minutes: input.session_duration_minutes ?? 60,
    }
    return shape(await this.deps.members.login(member, org, factor, withDuration, prepared))
  }

  /**
   * sessions.migrate (consumer): the user your old provider's userinfo names, a session. The user
   * must exist: Stytch's docs say to create it before migrating.
   */
  async migrate(accessToken: string, session: AccessInput) {
    const email = await this.userinfoEmail(accessToken)
    const user = this.deps.records.byAddress(email)
    if (!user) throw new StytchError('user_not_found')
    const factor = this.factor('imported', 'imported_auth0', {})
    const result = await this.deps.consumer.login(user, factor, session, undefined)
    return { ...result, user_id: user.user_id }
  }

  /** sessions.migrate (B2B): the organization's member the userinfo's email is (who must exist). */
  async migrateMember(accessToken: string, organizationId: string, input: B2BSessionInput) {
    const email = await this.userinfoEmail(accessToken)
    this.deps.directory.member(organizationId, { email_address: email })
    const { org, member } = this.deps.memberLogins.provision(organizationId, email)
    const factor = this.factor('imported', 'imported_auth0', {})
    const withDuration = {
      ...input,
      session_duration_minutes: input.session_duration_minutes ?? 60,
    }
    return shape(await this.deps.members.login(member, org, factor, withDuration, {}))
  }

  /** The profile's JWT verified (signature, issuer, audience, expiry on the mock's clock). */
  private async verify(profileId: string, token: string) {
    const profile = this.deps.profiles.find((p) => p.profile_id === profileId)
    if (!profile) throw new StytchError('trusted_auth_token_profile_not_found')
    const { jwtVerify } = await import('jose')
    let claims: Record<string, unknown>
    try {
      const keys = await this.keys(profile)
      ;({ payload: claims } = await jwtVerify(token, keys, {
        issuer: profile.issuer,
        audience: profile.audience,
        // The token's exp and nbf on the mock's clock, as every expiry here.
        currentDate: new Date(this.deps.clock.nowMs()),
      }))
    } catch (err) {
      throw new StytchError(
        'invalid_trusted_auth_token',
        `The token does not verify against profile ${profileId}: ${(err as Error).message}`,
      )
    }
    const { email: emailClaim, token_id, organization_id } = profile.attribute_mapping
    const email = claims[emailClaim]
    if (typeof email !== 'string' || !looksLikeEmail(email))
      throw new StytchError(
        'invalid_trusted_auth_token',
        `The token's ${emailClaim} claim (mapped to email) is not an email address.`,
      )
    const org = organization_id === undefined ? undefined : claims[organization_id]
    return {
      email: normalEmail(email),
      token_id: String(claims[token_id] ?? ''),
      organization_id: typeof org === 'string' ? org : undefined,
    }
  }

  /** The profile's key set: its JWKS URL (fetched as jose does, cached) or its PEM keys. */
  private keys(profile: TrustedTokenProfile) {
    let keys = this.#keys.get(profile.profile_id)
    if (!keys) {
      keys = import('jose').then(
        async ({ createRemoteJWKSet, importSPKI, exportJWK, createLocalJWKSet }) => {
          if (profile.jwks_url) return createRemoteJWKSet(new URL(profile.jwks_url))
          const jwks = await Promise.all(
            (profile.public_key_pems ?? []).map(async (pem) =>
              exportJWK(await importSPKI(pem, 'RS256', { extractable: true })),
            ),
          )
          return createLocalJWKSet({ keys: jwks })
        },
      )
      this.#keys.set(profile.profile_id, keys)
    }
    return keys
  }

  /** The email your old provider's userinfo endpoint answers for this access token. */
  private async userinfoEmail(accessToken: string): Promise<string> {
    const url = this.deps.migrationUrl
    if (!url)
      throw new StytchError(
        'session_migration_not_configured',
        'Set STYTCH_MOCK_SESSION_MIGRATION_URL to your old provider’s OIDC userinfo URL.',
      )
    let res: Response
    try {
      res = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } })
    } catch (err) {
      throw new StytchError(
        'invalid_session_migration',
        `The userinfo endpoint did not answer: ${(err as Error).message}`,
      )
    }
    const body = (await res.json().catch(() => null)) as { email?: unknown } | null
    if (!res.ok || typeof body?.email !== 'string' || !looksLikeEmail(body.email))
      throw new StytchError(
        'invalid_session_migration',
        `The userinfo endpoint answered ${res.status} without an email for this token.`,
      )
    return normalEmail(body.email)
  }

  /** The user with this email, made (verified) if new. */
  private async user(email: string): Promise<UserObject> {
    return this.deps.records.byAddress(email) ?? (await this.deps.records.seed({ email }))
  }

  private factor(type: string, delivery: string, details: object): Factor {
    return loginFactor(type, delivery, details, this.deps.clock.nowSeconds()) as Factor
  }
}
