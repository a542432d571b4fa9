// Connected Apps' tokens, as Stytch issues and reads them:
// - the token endpoint's authorization_code grant (the client authenticated: a confidential one
//   by its secret, in Basic auth or the body; the code spent once, for the client it was issued
//   to, with the same redirect_uri; PKCE S256 checked, and a verifier without a challenge refused;
//   a replayed code revokes what it issued) and refresh_token grant (a public client's refresh
//   token rotates, a reuse revokes the grant; a confidential one's stays and lives 3 more months);
// - access tokens: RS256 JWTs from the JWKS (iss, sub, aud [project_id, custom audience], client_id,
//   scope, jti, iat, nbf, exp per the client's access_token_expiry_minutes, the member's
//   organization claim, the client's template claims), live while their row is;
// - ID tokens (`openid`): an hour, aud [client_id], nonce, the scopes' profile claims and the
//   client's template claims; refresh tokens (`offline_access`): opaque, stored hashed;
// - introspection, revocation (RFC 7009), userinfo, and an access token exchanged for a session.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto'
import type { Clock } from '../../clock.js'
import type { Config } from '../../config.js'
import { StytchError } from '../../errors.js'
import type { MemberSessions } from '../../platform/sessions/b2b.js'
import type { ConsumerSessions } from '../../platform/sessions/consumer.js'
import type { AccessInput, Factor } from '../../platform/sessions/core.js'
import { loginFactor } from '../../platform/sessions/factors.js'
import type {
  MemberObject,
  OrganizationObject,
  OrganizationStore,
} from '../../platform/sessions/organization-store.js'
import type { UserObject, UserStore } from '../../platform/sessions/user-store.js'
import type { KeyManager } from '../../platform/tokens/key-manager.js'
import { newSessionToken } from '../../platform/tokens/ids.js'
import type { ConnectedApp, ConnectedAppClients } from '../connected-apps/types.js'
import type { CodeGrant, GrantSubject, IdentityProvider } from '../idp/types.js'
import type { GrantRow, IdpTokenStore } from './store.js'

/** ID tokens live an hour (Stytch's docs). */
export const ID_TOKEN_SECONDS = 3600
/** Refresh tokens live three months from issue, or from their last use (confidential clients). */
export const REFRESH_TOKEN_SECONDS = 90 * 24 * 3600
/** An access token is exchanged for a session within five minutes of its issue. */
export const EXCHANGE_MAX_AGE_SECONDS = 300
export const ORGANIZATION_CLAIM = 'https://stytch.com/organization'

/** An OAuth 2.0 error (RFC 6749 §5.2, RFC 7009, RFC 6750), as Stytch's OAuth endpoints answer. */
export class OAuthError extends Error {
  constructor(
    readonly error:
      | 'invalid_request'
      | 'invalid_client'
      | 'invalid_grant'
      | 'invalid_scope'
      | 'unauthorized_client'
      | 'unsupported_grant_type'
      | 'unsupported_token_type'
      | 'invalid_token',
    readonly description: string,
    readonly status = error === 'invalid_client' || error === 'invalid_token' ? 401 : 400,
  ) {
    super(description)
  }
}

export interface ClientCredentials {
  client_id?: string | undefined
  client_secret?: string | undefined
}

export interface TokenRequest extends ClientCredentials {
  grant_type?: string | undefined
  code?: string | undefined
  redirect_uri?: string | undefined
  code_verifier?: string | undefined
  refresh_token?: string | undefined
  scope?: string | undefined
}

export interface TokenAnswer {
  access_token: string
  token_type: 'bearer'
  expires_in: number
  scope: string
  refresh_token?: string
  id_token?: string
}

type Claims = Record<string, unknown>

/** A subject as it is now: the user, or the member and its organization. */
type Subject =
  | { kind: 'consumer'; id: string; user: UserObject }
  | { kind: 'b2b'; id: string; member: MemberObject; org: OrganizationObject }

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url')
const sameText = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
const scopeList = (scope: string) => scope.split(' ').filter(Boolean)
const isPublic = (client: ConnectedApp) => client.client_type.endsWith('_public')

/** Claims no template may set: the registered ones, the token's own and Stytch's namespace. */
const RESERVED = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'scope', 'client_id'])
/**
 * And in an ID token, OpenID Connect's protocol claims (a `nonce` the client never sent fails its
 * check); an access token's template may set them (RFC 9068 access tokens carry acr, amr, auth_time).
 */
const ID_TOKEN_RESERVED = new Set([
  'nonce',
  'azp',
  'auth_time',
  'at_hash',
  'c_hash',
  'acr',
  'amr',
  'sid',
])
const reserved = (name: string, idToken: boolean) =>
  RESERVED.has(name) ||
  (idToken && ID_TOKEN_RESERVED.has(name)) ||
  name.startsWith('https://stytch.com/')

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export class IdpTokens {
  constructor(
    private readonly deps: {
      config: Config
      clock: Clock
      keys: KeyManager
      store: IdpTokenStore
      users: UserStore
      orgs: OrganizationStore
      consumer: ConsumerSessions
      members: MemberSessions
      connectedApps: ConnectedAppClients
      idp: IdentityProvider
    },
  ) {}

  /** Every grant of a subject to a client ends (consent withdrawn, subject or client gone). */
  revokeGrants(clientId: string, subject?: GrantSubject): void {
    const subjectId =
      subject === undefined
        ? undefined
        : subject.kind === 'consumer'
          ? subject.user_id
          : subject.member_id
    for (const grantId of this.deps.store.liveGrants(clientId, subjectId))
      this.deps.store.revokeGrant(grantId)
  }

  /** The client a request names, authenticated: a confidential client by its secret. */
  authenticateClient(creds: ClientCredentials): ConnectedApp {
    if (!creds.client_id) throw new OAuthError('invalid_client', 'client_id is required.')
    const client = this.deps.connectedApps.find(creds.client_id)
    if (!client) throw new OAuthError('invalid_client', 'The client_id is not valid.')
    if (isPublic(client)) return client
    if (!creds.client_secret)
      throw new OAuthError('invalid_client', 'A confidential client must send its client_secret.')
    if (!this.deps.connectedApps.secretMatches(client.client_id, creds.client_secret))
      throw new OAuthError('invalid_client', 'The client_id or client_secret is not valid.')
    return client
  }

  /** The token endpoint's user grants: authorization_code and refresh_token. */
  async token(input: TokenRequest, issuer: string): Promise<TokenAnswer> {
    if (input.grant_type === 'authorization_code') return this.codeGrant(input, issuer)
    if (input.grant_type === 'refresh_token') return this.refreshGrant(input, issuer)
    throw new OAuthError(
      'unsupported_grant_type',
      `grant_type ${input.grant_type} is not supported.`,
    )
  }

  private async codeGrant(input: TokenRequest, issuer: string): Promise<TokenAnswer> {
    const client = this.authenticateClient(input)
    if (!input.code) throw new OAuthError('invalid_request', 'code is required.')
    if (!input.redirect_uri) throw new OAuthError('invalid_request', 'redirect_uri is required.')
    const codeHash = sha256(input.code)
    const code = this.deps.idp.takeCode(input.code)
    if (!code) {
      // A code spent before: what it issued is revoked (RFC 6749 §4.1.2).
      const spent = this.deps.store.grantByCode(codeHash)
      if (spent && !spent.revoked && spent.client_id === client.client_id)
        this.deps.store.revokeGrant(spent.grant_id)
      throw new OAuthError('invalid_grant', 'The authorization code is invalid, expired or used.')
    }
    if (code.client_id !== client.client_id)
      throw new OAuthError('invalid_grant', 'The authorization code was issued to another client.')
    if (code.redirect_uri !== input.redirect_uri)
      throw new OAuthError(
        'invalid_grant',
        'redirect_uri does not match the authorization request.',
      )
    checkPkce(client, code, input.code_verifier)
    const subject = this.subjectOf(code.subject)
    if (!subject) throw new OAuthError('invalid_grant', 'The user or member is gone.')
    const now = this.deps.clock.nowSeconds()
    this.deps.store.purgeBefore(now)
    const grant: GrantRow = {
      grant_id: randomUUID(),
      client_id: client.client_id,
      subject_kind: subject.kind,
      subject_id: subject.id,
      organization_id: subject.kind === 'b2b' ? subject.org.organization_id : null,
      scopes: [...new Set(code.scopes)].join(' '),
      code_hash: codeHash,
      created_at: now,
      session_id: code.session_id,
      auth_time: code.session_id === null ? null : code.auth_time,
      revoked: 0,
    }
    this.deps.store.insertGrant(grant)
    return this.issue(client, subject, grant, grant.scopes, issuer, { nonce: code.nonce })
  }

  private async refreshGrant(input: TokenRequest, issuer: string): Promise<TokenAnswer> {
    const client = this.authenticateClient(input)
    if (!input.refresh_token) throw new OAuthError('invalid_request', 'refresh_token is required.')
    const now = this.deps.clock.nowSeconds()
    const hash = sha256(input.refresh_token)
    const row = this.deps.store.refresh(hash)
    const grant = row && this.deps.store.grant(row.grant_id)
    if (!row || !grant || grant.revoked || grant.client_id !== client.client_id)
      throw new OAuthError('invalid_grant', 'The refresh token is invalid or revoked.')
    if (row.used) {
      // A rotated-out token used again: someone holds a copy; the grant ends (RFC 9700 §4.14.2).
      this.deps.store.revokeGrant(grant.grant_id)
      throw new OAuthError('invalid_grant', 'The refresh token was already used.')
    }
    if (row.expires_at <= now) throw new OAuthError('invalid_grant', 'The refresh token expired.')
    const subject = this.subjectOf(grantSubject(grant))
    if (!subject) throw new OAuthError('invalid_grant', 'The user or member is gone.')
    const granted = scopeList(row.scopes)
    const asked = input.scope === undefined ? granted : scopeList(input.scope)
    const beyond = asked.filter((s) => !granted.includes(s))
    if (beyond.length > 0)
      throw new OAuthError('invalid_scope', `The grant does not include ${beyond.join(', ')}.`)
    const scope = [...new Set(asked)].join(' ')
    this.deps.store.purgeBefore(now)
    if (isPublic(client)) {
      if (!this.deps.store.useRefresh(hash))
        throw new OAuthError('invalid_grant', 'The refresh token was already used.')
      return this.issue(client, subject, grant, scope, issuer, { rotateFrom: row.scopes })
    }
    this.deps.store.extendRefresh(hash, now + REFRESH_TOKEN_SECONDS)
    return this.issue(client, subject, grant, scope, issuer, { keepRefresh: hash })
  }

  /** Access token, ID token (openid) and refresh token (offline_access) for a grant. */
  private async issue(
    client: ConnectedApp,
    subject: Subject,
    grant: GrantRow,
    scope: string,
    issuer: string,
    how: { nonce?: string | null; rotateFrom?: string; keepRefresh?: string },
  ): Promise<TokenAnswer> {
    const now = this.deps.clock.nowSeconds()
    const scopes = scopeList(scope)
    const grantScopes = how.rotateFrom ?? grant.scopes
    let refresh_token: string | undefined
    let refreshHash: string | null = how.keepRefresh ?? null
    // A new refresh token: on the code grant with offline_access, and on each public refresh.
    if (how.keepRefresh === undefined && scopeList(grantScopes).includes('offline_access')) {
      refresh_token = newSessionToken()
      refreshHash = sha256(refresh_token)
      this.deps.store.insertRefresh({
        token_hash: refreshHash,
        grant_id: grant.grant_id,
        scopes: grantScopes,
        issued_at: now,
        expires_at: now + REFRESH_TOKEN_SECONDS,
      })
    }
    const expires_in = client.access_token_expiry_minutes * 60
    const jti = newSessionToken()
    const templated = this.templateClaims(client.access_token_template_content, subject, false)
    const access_token = await this.sign({
      ...templated,
      ...(subject.kind === 'b2b'
        ? {
            [ORGANIZATION_CLAIM]: orgClaim(subject.org),
          }
        : {}),
      aud: [
        this.deps.config.projectId,
        ...(client.access_token_custom_audience ? [client.access_token_custom_audience] : []),
      ],
      client_id: client.client_id,
      exp: now + expires_in,
      iat: now,
      iss: issuer,
      jti,
      nbf: now,
      scope,
      sub: subject.id,
    })
    this.deps.store.insertAccess({
      jti,
      grant_id: grant.grant_id,
      refresh_hash: refreshHash,
      expires_at: now + expires_in,
    })
    const answer: TokenAnswer = { access_token, token_type: 'bearer', expires_in, scope }
    if (refresh_token) answer.refresh_token = refresh_token
    if (scopes.includes('openid'))
      answer.id_token = await this.sign({
        ...this.templateClaims(client.id_token_template_content, subject, true),
        ...this.profileClaims(subject, scopes),
        aud: [client.client_id],
        exp: now + ID_TOKEN_SECONDS,
        iat: now,
        iss: issuer,
        ...(how.nonce ? { nonce: how.nonce } : {}),
        // When the subject authenticated, for an authorization made from a session (OIDC Core §2).
        ...(grant.auth_time === null ? {} : { auth_time: grant.auth_time }),
        nbf: now,
        sub: subject.id,
      })
    return answer
  }

  /**
   * RFC 7662 introspection for the client the token was issued to: an access token (a JWT of
   * ours, unexpired, its row live) or a refresh token; anything else is inactive.
   */
  async introspect(
    input: ClientCredentials & { token: string; token_type_hint?: string | undefined },
    /** The issuer of the domain asked, as a refresh token's answer names it (access tokens carry theirs). */
    issuer: string,
  ) {
    const client = this.authenticateClient(input)
    const access = await this.liveAccessToken(input.token)
    if (access && access.grant.client_id === client.client_id) {
      // Its claims (custom ones included) but jti, which the SDKs' local introspection drops too;
      // `active` and `token_type` after them, so that no template claim overrides them.
      const { jti: _, ...claims } = access.claims
      return { ...claims, active: true as const, token_type: 'access_token' }
    }
    const refresh = this.liveRefresh(input.token)
    if (refresh && refresh.grant.client_id === client.client_id) {
      const subject = this.subjectOf(grantSubject(refresh.grant))
      if (subject)
        return {
          active: true as const,
          ...(subject.kind === 'b2b' ? { [ORGANIZATION_CLAIM]: orgClaim(subject.org) } : {}),
          aud: [this.deps.config.projectId],
          client_id: client.client_id,
          exp: refresh.row.expires_at,
          iat: refresh.row.issued_at,
          iss: issuer,
          nbf: refresh.row.issued_at,
          scope: refresh.row.scopes,
          sub: subject.id,
          token_type: 'refresh_token',
        }
    }
    return { active: false as const }
  }

  /**
   * RFC 7009: the client's token revoked (an unknown one too: 200); a refresh token takes the
   * access tokens issued beside it along.
   */
  async revoke(input: ClientCredentials & { token: string; token_type_hint?: string | undefined }) {
    const client = this.authenticateClient(input)
    const access = await this.liveAccessToken(input.token)
    if (access) {
      if (access.grant.client_id === client.client_id)
        this.deps.store.deleteAccess(access.claims.jti as string)
      return
    }
    const refresh = this.liveRefresh(input.token)
    if (refresh && refresh.grant.client_id === client.client_id)
      this.deps.store.deleteRefresh(refresh.row.token_hash)
  }

  /** OIDC userinfo: `sub` and the claims the access token's scopes allow, as the subject is now. */
  async userinfo(accessToken: string | undefined) {
    const access = accessToken ? await this.liveAccessToken(accessToken) : null
    if (!access) throw new OAuthError('invalid_token', 'The access token is invalid or expired.')
    const subject = this.subjectOf(grantSubject(access.grant))
    if (!subject) throw new OAuthError('invalid_token', 'The user or member is gone.')
    return {
      sub: subject.id,
      ...this.profileClaims(subject, scopeList(String(access.claims.scope))),
    }
  }

  /**
   * sessions.exchangeAccessToken: a live access token with the `full_access` scope, at most five
   * minutes old and used once, becomes a session of its user (consumer) or member (B2B).
   */
  async exchange(vertical: 'consumer', token: string, input: AccessInput): Promise<ConsumerExchange>
  async exchange(vertical: 'b2b', token: string, input: AccessInput): Promise<MemberExchange>
  async exchange(vertical: 'consumer' | 'b2b', token: string, input: AccessInput) {
    const access = await this.liveAccessToken(token)
    if (!access || access.grant.subject_kind !== vertical)
      throw new StytchError('oauth_access_token_exchange_token_invalid_grant')
    const client = this.deps.connectedApps.find(access.grant.client_id)
    if (
      !client ||
      !client.full_access_allowed ||
      !scopeList(String(access.claims.scope)).includes('full_access')
    )
      throw new StytchError('oauth_access_token_exchange_missing_full_access')
    if (this.deps.clock.nowSeconds() - Number(access.claims.iat) > EXCHANGE_MAX_AGE_SECONDS)
      throw new StytchError('oauth_access_token_exchange_token_too_old')
    // The SDKs: a session_token or session_jwt at the authorize step "must be used if the
    // Connected App intends to complete the Exchange Access Token flow".
    if (access.grant.session_id === null)
      throw new StytchError(
        'oauth_access_token_exchange_token_invalid_grant',
        'The access token was not granted from a session: authorize with a session_token or session_jwt, not a user_id or member_id, to exchange it.',
      )
    const subject = this.subjectOf(grantSubject(access.grant))
    if (!subject) throw new StytchError('oauth_access_token_exchange_token_invalid_grant')
    if (!this.deps.store.exchange(access.claims.jti as string))
      throw new StytchError('oauth_access_token_exchange_token_invalid_grant')
    const factor = loginFactor(
      'oauth',
      'oauth_access_token_exchange',
      { oauth_access_token_exchange_factor: { client_id: client.client_id } },
      this.deps.clock.nowSeconds(),
    ) as Factor
    const duration_minutes = input.session_duration_minutes ?? 60
    if (subject.kind === 'consumer') {
      const result = await this.deps.consumer.create({
        user_id: subject.id,
        duration_minutes,
        authentication_factors: [factor],
        custom_claims: input.session_custom_claims,
      })
      return { ...result, user_id: subject.id }
    }
    const result = await this.deps.members.create({
      member_id: subject.id,
      duration_minutes,
      authentication_factors: [factor],
      custom_claims: input.session_custom_claims,
    })
    return { ...result, member_id: subject.id }
  }

  /** An access token of ours: signature, audience, expiry on the mock's clock, and its row. */
  private async liveAccessToken(token: string) {
    if (token.split('.').length !== 3 || token.length > 16_384) return null
    const { compactVerify, decodeProtectedHeader } = await import('jose')
    let claims: Claims
    try {
      const header = decodeProtectedHeader(token)
      const key =
        header.alg === 'RS256' && header.kid ? this.deps.keys.ring.byKid(header.kid) : undefined
      if (!key) return null
      const { payload } = await compactVerify(token, key.publicKey, { algorithms: ['RS256'] })
      claims = JSON.parse(decoder.decode(payload)) as Claims
    } catch {
      return null
    }
    if (typeof claims !== 'object' || claims === null || typeof claims.jti !== 'string') return null
    const aud = claims.aud
    if (!Array.isArray(aud) || !aud.includes(this.deps.config.projectId)) return null
    if (typeof claims.exp !== 'number' || claims.exp <= this.deps.clock.nowSeconds()) return null
    const row = this.deps.store.access(claims.jti)
    const grant = row && this.deps.store.grant(row.grant_id)
    if (!row || !grant || grant.revoked) return null
    // A deleted user or member's tokens end with it, whatever told this product of it.
    if (!this.subjectOf(grantSubject(grant))) return null
    return { claims, row, grant }
  }

  private liveRefresh(token: string) {
    const row = this.deps.store.refresh(sha256(token))
    const grant = row && this.deps.store.grant(row.grant_id)
    if (!row || !grant || grant.revoked || row.used) return null
    if (row.expires_at <= this.deps.clock.nowSeconds()) return null
    return { row, grant }
  }

  /** The subject as it is now, or null when it is gone (deleted, or moved organizations). */
  private subjectOf(subject: GrantSubject): Subject | null {
    if (subject.kind === 'consumer') {
      const user = this.deps.users.byId(subject.user_id)
      return user ? { kind: 'consumer', id: user.user_id, user } : null
    }
    const member = this.deps.orgs.member(subject.member_id)
    const org = member && this.deps.orgs.organization(member.organization_id)
    if (!member || !org || member.organization_id !== subject.organization_id) return null
    return { kind: 'b2b', id: member.member_id, member, org }
  }

  /** The OIDC claims of the `profile`, `email` and `phone` scopes; absent ones left out. */
  private profileClaims(subject: Subject, scopes: string[]): Claims {
    const claims: Claims = {}
    const set = (name: string, value: unknown) => {
      if (value !== undefined && value !== null && value !== '') claims[name] = value
    }
    if (subject.kind === 'consumer') {
      const u = subject.user as {
        name?: { first_name?: string; middle_name?: string; last_name?: string }
        emails?: { email: string; verified: boolean }[]
        phone_numbers?: { phone_number: string; verified: boolean }[]
        providers?: { profile_picture_url?: string; locale?: string }[]
      }
      if (scopes.includes('profile')) {
        const { first_name, middle_name, last_name } = u.name ?? {}
        set('name', [first_name, middle_name, last_name].filter(Boolean).join(' '))
        set('given_name', first_name)
        set('middle_name', middle_name)
        set('family_name', last_name)
        set('profile_picture', u.providers?.find((p) => p.profile_picture_url)?.profile_picture_url)
        set('locale', u.providers?.find((p) => p.locale)?.locale)
      }
      if (scopes.includes('email') && u.emails?.[0]) {
        set('email', u.emails[0].email)
        claims.email_verified = u.emails[0].verified
      }
      if (scopes.includes('phone') && u.phone_numbers?.[0]) {
        set('phone_number', u.phone_numbers[0].phone_number)
        claims.phone_number_verified = u.phone_numbers[0].verified
      }
      return claims
    }
    const m = subject.member as MemberObject & {
      name?: string
      email_address_verified?: boolean
      mfa_phone_number?: string
      mfa_phone_number_verified?: boolean
    }
    if (scopes.includes('profile') && m.name) {
      const [given, ...rest] = m.name.trim().split(/\s+/)
      set('name', m.name)
      set('given_name', given)
      set('family_name', rest.join(' '))
    }
    if (scopes.includes('email')) {
      set('email', m.email_address)
      claims.email_verified = m.email_address_verified ?? false
    }
    if (scopes.includes('phone') && m.mfa_phone_number) {
      set('phone_number', m.mfa_phone_number)
      claims.phone_number_verified = m.mfa_phone_number_verified ?? false
    }
    return claims
  }

  /**
   * A client's claims template filled in: JSON whose strings may hold `{{ user.x.y }}` (consumer),
   * `{{ member.x }}` or `{{ organization.x }}` (B2B); a string that is one placeholder takes the
   * value itself, others have placeholders replaced by text; reserved claims are dropped.
   */
  private templateClaims(template: string, subject: Subject, idToken: boolean): Claims {
    if (!template.trim()) return {}
    let parsed: unknown
    try {
      parsed = JSON.parse(template)
    } catch {
      return {}
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {}
    const roots: Record<string, unknown> =
      subject.kind === 'consumer'
        ? { user: subject.user }
        : { member: subject.member, organization: subject.org }
    const lookup = (path: string) =>
      path
        .split('.')
        .reduce<unknown>(
          (v, k) =>
            v !== null && typeof v === 'object' && Object.hasOwn(v, k)
              ? (v as Record<string, unknown>)[k]
              : undefined,
          roots,
        )
    const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g
    const fill = (value: unknown): unknown => {
      if (typeof value === 'string') {
        const whole = /^\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}$/.exec(value)
        if (whole) return lookup(whole[1]!)
        return value.replace(PLACEHOLDER, (_, path: string) => {
          const v = lookup(path)
          return v === undefined || v === null
            ? ''
            : typeof v === 'object'
              ? JSON.stringify(v)
              : String(v)
        })
      }
      if (Array.isArray(value)) return value.map(fill)
      if (value !== null && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]))
      return value
    }
    const claims: Claims = {}
    for (const [name, value] of Object.entries(parsed)) {
      if (reserved(name, idToken)) continue
      const filled = fill(value)
      if (filled !== undefined) claims[name] = filled
    }
    return claims
  }

  /** RS256 with the JWKS's active key, `typ: JWT`, claims in sorted order as Stytch's are. */
  private async sign(claims: Claims): Promise<string> {
    const { CompactSign } = await import('jose')
    const key = this.deps.keys.ring.active
    const sorted = Object.fromEntries(Object.entries(claims).sort(([a], [b]) => (a < b ? -1 : 1)))
    return new CompactSign(encoder.encode(JSON.stringify(sorted)))
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .sign(key.privateKey)
  }
}

export type ConsumerExchange = Awaited<ReturnType<ConsumerSessions['create']>> & { user_id: string }
export type MemberExchange = Awaited<ReturnType<MemberSessions['create']>> & { member_id: string }

/**
 * PKCE (RFC 7636, S256): the verifier must match the challenge the code was issued with; a
 * public client's code always has one; a verifier sent for a code without one is refused (the
 * downgrade RFC 9700 §4.8.2 warns of).
 */
function checkPkce(client: ConnectedApp, code: CodeGrant, verifier: string | undefined): void {
  if (code.code_challenge === null) {
    if (isPublic(client)) throw new OAuthError('invalid_grant', 'A public client must use PKCE.')
    if (verifier !== undefined)
      throw new OAuthError('invalid_grant', 'code_verifier sent, but the code has no challenge.')
    return
  }
  if (verifier === undefined) throw new OAuthError('invalid_grant', 'code_verifier is required.')
  if (!sameText(sha256(verifier), code.code_challenge))
    throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge.')
}

const grantSubject = (g: GrantRow): GrantSubject =>
  g.subject_kind === 'consumer'
    ? { kind: 'consumer', user_id: g.subject_id }
    : { kind: 'b2b', member_id: g.subject_id, organization_id: g.organization_id! }

const orgClaim = (org: OrganizationObject) => ({
  organization_id: org.organization_id,
  slug: org.organization_slug,
})
