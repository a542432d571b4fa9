// /v1/public/sso/start and the end of every answer: the start is checked (public token by the
// route; the connection or the organization's default one, active; the redirect URLs; PKCE) and
// kept until its identity provider answers, or answered at once from the test queue; an answer
// becomes a one-time token the browser carries to the app's login URL (a member already) or
// signup URL (a member JIT-provisioned at authenticate), `stytch_token_type=sso`.
import type { Clock } from '../../clock.js'
import type { RedirectUrls } from '../../config.js'
import { StytchError, type ErrorType } from '../../errors.js'
import { normalEmail } from '../../platform/login/rules.js'
import type { OrganizationStore } from '../../platform/sessions/organization-store.js'
import { newSessionToken } from '../../platform/tokens/ids.js'
import { callbackUrl, type ConnectionRow, type SsoConnections } from './connections.js'
import { IDP_PATH, idpEntityId, registrations } from './idp.js'
import type { JourneyStore, SsoAnswer, SsoIdentity, SsoRequest } from './journey-store.js'
import { readIdentity, sentAttributes, type TypedIdentity } from './mapping.js'
import { authnRequest, encodeRedirect, samlId } from './saml.js'

/** How long a token handed to the redirect URL can be redeemed (unverified; OAuth's too). */
const SSO_TOKEN_MINUTES = 10
/** How long a start waits for the identity provider. */
const REQUEST_MINUTES = 30
/** Scopes the stand-in OIDC provider grants; the connection's and the start's custom_scopes add. */
const OIDC_SCOPES = ['openid', 'email', 'profile']

export interface StartInput {
  connection_id?: string | undefined
  organization_id?: string | undefined
  login_redirect_url?: string | undefined
  signup_redirect_url?: string | undefined
  pkce_code_challenge?: string | undefined
  custom_scopes?: string | undefined
  /** provider_<key> query parameters (OIDC): passed on to the identity provider. */
  provider_params: Record<string, string>
}

/** Where a start, a callback or an IdP-initiated login leads, and for whom. */
export type Destination = Omit<SsoRequest, 'request_id' | 'authn_request_id' | 'expires_at'>

export class SsoStarts {
  constructor(
    private readonly deps: {
      clock: Clock
      store: JourneyStore
      orgs: OrganizationStore
      connections: SsoConnections
      redirectUrls: RedirectUrls
      allowedOrigins: string[] | null
    },
  ) {}

  /** A start: where the browser goes (the identity provider, or the app for a queued answer). */
  start(input: StartInput, origin: string): string {
    const { clock, store, connections } = this.deps
    store.sweep(clock.nowSeconds())
    const row = this.locate(input)
    if (row.connection.status !== 'active') throw new StytchError('requires_active_sso_connection')
    const source = connections.sourceOf(row)
    if (!source) throw new StytchError('sso_connection_not_found')
    if (source.connection.status !== 'active' || source.kind === 'external')
      throw new StytchError('requires_active_sso_connection')
    const defaults = this.deps.redirectUrls.b2b
    const kind = source.kind
    const destination: Destination = {
      connection_id: row.connection.connection_id,
      source_connection_id: source.connection.connection_id,
      organization_id: row.connection.organization_id,
      kind,
      login_redirect_url: this.checkRedirect(
        input.login_redirect_url || defaults.login,
        'invalid_login_sso_url',
      ),
      signup_redirect_url: this.checkRedirect(
        input.signup_redirect_url || defaults.signup,
        'invalid_signup_sso_url',
      ),
      code_challenge: input.pkce_code_challenge || null,
      scopes: kind === 'oidc' ? scopesOf(source, input.custom_scopes) : [],
      provider_params: input.provider_params,
    }
    const queued = this.takeQueued([row.connection.connection_id, source.connection.connection_id])
    if (queued) {
      if ('deny' in queued) return this.denied(destination)
      return this.finish(destination, this.identityOf(source, queued))
    }
    const request: SsoRequest = {
      ...destination,
      request_id: newSessionToken(),
      authn_request_id: samlId(),
      expires_at: clock.nowSeconds() + REQUEST_MINUTES * 60,
    }
    store.putRequest(request)
    return this.idpUrl(source, request, origin)
  }

  /** The identity a typed (or queued) answer stands for, as the ACS would have read it. */
  identityOf(source: ConnectionRow, typed: TypedIdentity): SsoIdentity {
    const kind = source.kind === 'oidc' ? 'oidc' : 'saml'
    const mapping = this.deps.connections.attributeMapping(source)
    const sent = sentAttributes(kind, mapping, typed, source.connection.connection_id)
    const identity = readIdentity(kind, mapping, sent.subject, sent.attributes)
    return { ...identity, email: identity.email ?? normalEmail(typed.email) }
  }

  /**
   * An identity the identity provider vouched for: a one-time token to the app, at the login URL
   * when it is a member already, else at the signup URL.
   */
  finish(to: Destination, identity: SsoIdentity): string {
    const token = newSessionToken()
    this.deps.store.grants.put({
      token,
      connection_id: to.connection_id,
      source_connection_id: to.source_connection_id,
      organization_id: to.organization_id,
      kind: to.kind,
      identity,
      code_challenge: to.code_challenge,
      scopes: to.scopes,
      expires_at: this.deps.clock.nowSeconds() + SSO_TOKEN_MINUTES * 60,
    })
    const url = new URL(
      this.isMember(to, identity) ? to.login_redirect_url : to.signup_redirect_url,
    )
    url.searchParams.set('stytch_token_type', 'sso')
    url.searchParams.set('token', token)
    return url.toString()
  }

  /** The person said no at the identity provider: the app's login URL with access_denied. */
  denied(to: Destination): string {
    const url = new URL(to.login_redirect_url)
    url.searchParams.set('error', 'access_denied')
    url.searchParams.set('error_description', 'The user denied the request.')
    return url.toString()
  }

  /** Where an IdP-initiated login (no start) leads: the project's default redirect URLs. */
  unsolicited(source: ConnectionRow): Destination {
    const defaults = this.deps.redirectUrls.b2b
    return {
      connection_id: source.connection.connection_id,
      source_connection_id: source.connection.connection_id,
      organization_id: source.connection.organization_id,
      kind: source.kind === 'oidc' ? 'oidc' : 'saml',
      login_redirect_url: defaults.login,
      signup_redirect_url: defaults.signup,
      code_challenge: null,
      scopes: source.kind === 'oidc' ? scopesOf(source, undefined) : [],
      provider_params: {},
    }
  }

  /** Test control: the answer for the next start (of this connection, or of any). */
  queue(answer: SsoAnswer): SsoAnswer {
    if (answer.connection_id !== null) this.deps.connections.connection(answer.connection_id)
    this.deps.store.answers.queue(answer)
    return answer
  }

  queued(): SsoAnswer[] {
    return this.deps.store.answers.list()
  }

  clearQueued(): void {
    this.deps.store.answers.clear()
  }

  /** The connection a start names, or its organization's default one. */
  private locate(input: StartInput): ConnectionRow {
    const { connections, orgs } = this.deps
    if (input.connection_id && input.organization_id)
      throw new StytchError('too_many_sso_connection_locators')
    if (input.connection_id) return connections.connection(input.connection_id)
    if (!input.organization_id) throw new StytchError('missing_sso_connection_locator')
    const org = orgs.organization(input.organization_id)
    if (!org) throw new StytchError('organization_not_found')
    const chosen = connections.defaultOf(org.organization_id)
    if (chosen) return chosen
    throw new StytchError(
      connections.activeOf(org.organization_id).length > 1
        ? 'indeterminate_sso_connection_for_organization'
        : 'no_sso_connection_exists_for_organization',
    )
  }

  /** The stand-in identity provider's page for this start, with its AuthnRequest or state. */
  private idpUrl(source: ConnectionRow, request: SsoRequest, origin: string): string {
    const id = source.connection.connection_id
    const c = source.connection as Record<string, unknown>
    if (request.kind === 'saml') {
      const url = new URL(`${idpEntityId(origin, id)}/saml`)
      const xml = authnRequest({
        id: request.authn_request_id,
        nowMs: this.deps.clock.nowMs(),
        destination: url.toString(),
        acsUrl: callbackUrl(origin, id),
        issuer: String(c.alternative_audience_uri || callbackUrl(origin, id)),
        nameIdFormat: String(c.nameid_format ?? ''),
      })
      url.searchParams.set('SAMLRequest', encodeRedirect(xml))
      url.searchParams.set('RelayState', request.request_id)
      return url.toString()
    }
    const url = new URL(`${origin}${IDP_PATH}/${id}/oidc`)
    url.searchParams.set('response_type', 'code')
    url.searchParams.set('client_id', String(c.client_id ?? ''))
    url.searchParams.set('redirect_uri', callbackUrl(origin, id))
    url.searchParams.set('scope', request.scopes.join(' '))
    url.searchParams.set('state', request.request_id)
    for (const [k, v] of Object.entries(request.provider_params)) url.searchParams.set(k, v)
    return url.toString()
  }

  private takeQueued(connectionIds: string[]): TypedIdentity | { deny: true } | undefined {
    const queued = this.deps.store.answers.take(
      (a) => a.connection_id === null || connectionIds.includes(a.connection_id),
    )
    if (!queued) return undefined
    if (queued.deny) return { deny: true }
    return {
      email: queued.email!,
      first_name: queued.first_name ?? undefined,
      last_name: queued.last_name ?? undefined,
      name: queued.name ?? undefined,
      groups: queued.groups,
      external_id: queued.external_id ?? undefined,
      attributes: queued.attributes,
    }
  }

  /** Whether the identity is a member of the organization already (its registration or email). */
  private isMember(to: Destination, identity: SsoIdentity): boolean {
    const { orgs } = this.deps
    if (orgs.memberByEmail(to.organization_id, identity.email)) return true
    return orgs
      .membersOf(to.organization_id)
      .some(
        (m) =>
          m.status !== 'deleted' &&
          registrations(m).some(
            (r) => r.connection_id === to.connection_id && r.external_id === identity.external_id,
          ),
      )
  }

  /**
   * A redirect URL: absolute http(s); with STYTCH_MOCK_ALLOWED_ORIGINS set, on one of those
   * origins (Stytch takes only the project's registered redirect URLs).
   */
  private checkRedirect(url: string, type: ErrorType): string {
    let parsed: URL | undefined
    try {
      parsed = new URL(url)
    } catch {}
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
      throw new StytchError(type, `${url} is not an absolute http(s) redirect URL.`)
    const allowed = this.deps.allowedOrigins
    if (allowed && !allowed.includes(parsed.origin))
      throw new StytchError(
        type,
        `${url} is not on an allowed origin (STYTCH_MOCK_ALLOWED_ORIGINS: ${allowed.join(', ')}).`,
      )
    return url
  }
}

/** An OIDC login's scopes: the standard ones, the connection's custom_scopes, the start's. */
function scopesOf(source: ConnectionRow, custom: string | undefined): string[] {
  const own = String(source.connection.custom_scopes ?? '')
  return [
    ...new Set([...OIDC_SCOPES, ...own.split(/[\s+]+/), ...(custom ?? '').split(/[\s+]+/)]),
  ].filter(Boolean)
}
