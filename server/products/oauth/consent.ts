// The OAuth start and the local consent page behind it: what Google (or any provider) and Stytch's
// callback do together, on this machine. A start is checked and kept until the person on the page
// picks an account, types a new one, or denies; then the browser goes to the app's redirect URL
// with a one-time token, exactly where Stytch would send it. A test can queue the answer instead
// (POST /_mock/oauth/answers), and the start redirects at once.
import { createHash } from 'node:crypto'
import type { Clock } from '../../clock.js'
import type { RedirectUrls } from '../../config.js'
import { StytchError } from '../../errors.js'
import { looksLikeEmail, normalEmail } from '../../platform/login/rules.js'
import type {
  OrganizationObject,
  OrganizationStore,
} from '../../platform/sessions/organization-store.js'
import type { UserStore } from '../../platform/sessions/user-store.js'
import type { OAuthAnswer, OAuthFlow, OAuthRequest, OAuthStore } from './store.js'
import { newSessionToken } from '../../platform/tokens/ids.js'
import {
  B2B_PROVIDERS,
  CONSUMER_PROVIDERS,
  findProvider,
  type Provider,
} from '../../platform/login/oauth-providers.js'

/** How long a token handed to the redirect URL can be redeemed (unverified: Stytch's is short). */
const OAUTH_TOKEN_MINUTES = 10
/** How long the consent page waits for an answer. */
const CONSENT_MINUTES = 30
/** Accounts the page offers to pick. */
const ACCOUNTS = 25
/** Scopes every provider grants for a login; custom_scopes are added to them. */
const LOGIN_SCOPES = ['openid', 'email', 'profile']

export interface StartInput {
  flow: OAuthFlow
  provider: string
  /** b2b_oauth: the organization, by id or slug. */
  organization?: string | undefined
  login_redirect_url?: string | undefined
  signup_redirect_url?: string | undefined
  code_challenge?: string | undefined
  custom_scopes?: string | undefined
  /** Consumer: an oauth/attach token, taken now; the login is then that user's. */
  oauth_attach_token?: string | undefined
}

/** What the consent page shows. */
export interface ConsentView {
  request: OAuthRequest
  provider: Provider
  organization: OrganizationObject | null
  accounts: { email: string; name: string }[]
}

export type Answer = { email: string; name?: string | undefined } | { deny: true }

export class OAuthConsent {
  constructor(
    private readonly deps: {
      clock: Clock
      store: OAuthStore
      orgs: OrganizationStore
      users: UserStore
      /** Each project's default redirect URLs (STYTCH_MOCK_*REDIRECT_URL*). */
      redirectUrls: RedirectUrls
      /** STYTCH_MOCK_ALLOWED_ORIGINS: where redirect URLs may point (Stytch's registered ones). */
      allowedOrigins: string[] | null
    },
  ) {}

  /** A start: the consent page to show, or (an answer was queued) where to go at once. */
  start(input: StartInput): { view: ConsentView } | { redirect: string } {
    const provider = providerOf(input.flow, input.provider)
    this.deps.store.sweep(this.deps.clock.nowSeconds())
    let organization: OrganizationObject | null = null
    if (input.flow === 'b2b_oauth') {
      if (!input.organization)
        throw new StytchError('invalid_argument', 'organization_id or slug is required.')
      organization = this.deps.orgs.organization(input.organization)
      if (!organization) throw new StytchError('organization_not_found')
    }
    // The project's defaults: the consumer project's, or the B2B project's (discovery's for a
    // discovery start).
    const defaults = this.deps.redirectUrls[input.flow === 'oauth' ? 'consumer' : 'b2b']
    const login = this.checkRedirect(
      input.login_redirect_url ??
        (input.flow === 'discovery_oauth' ? this.deps.redirectUrls.b2b.discovery : defaults.login),
    )
    const request: OAuthRequest = {
      request_id: newSessionToken(),
      flow: input.flow,
      provider: provider.id,
      organization_id: organization?.organization_id ?? null,
      login_redirect_url: login,
      signup_redirect_url:
        input.flow === 'discovery_oauth'
          ? login
          : this.checkRedirect(input.signup_redirect_url ?? defaults.signup),
      code_challenge: input.code_challenge || null,
      scopes: [...new Set([...LOGIN_SCOPES, ...(input.custom_scopes ?? '').split(/\s+/)])].filter(
        Boolean,
      ),
      expires_at: this.deps.clock.nowSeconds() + CONSENT_MINUTES * 60,
      attach_user_id: this.attachUser(input, provider),
    }
    const queued = this.takeQueued(provider.id)
    if (queued) return { redirect: this.finish(request, queued) }
    this.deps.store.putRequest(request)
    return { view: this.view(request) }
  }

  /** The page again, for a start still waiting (a typed email that was not one, say). */
  waiting(requestId: string): ConsentView {
    return this.view(this.pending(requestId))
  }

  /** The person's answer: where the browser goes now. Each start is answered once. */
  answer(requestId: string, answer: Answer): string {
    const request = this.pending(requestId)
    const checked = checkAnswer(answer)
    // Typed on the page by a person: said there, and asked again.
    if ('email' in checked && !looksLikeEmail(checked.email)) throw new StytchError('invalid_email')
    if (!this.deps.store.takeRequest(requestId)) throw new StytchError('oauth_consent_not_found')
    return this.finish(request, checked)
  }

  /** Test control: the answer for the next start (of this provider, or of any). */
  queue(answer: Answer & { provider?: string | undefined }): OAuthAnswer {
    if (
      answer.provider !== undefined &&
      !findProvider(CONSUMER_PROVIDERS, answer.provider) &&
      !findProvider(B2B_PROVIDERS, answer.provider)
    )
      throw new StytchError(
        'invalid_argument',
        `provider "${answer.provider}" is not one Stytch offers.`,
      )
    const checked = checkAnswer(answer)
    const row: OAuthAnswer = {
      provider: answer.provider ?? null,
      email: 'email' in checked ? checked.email : null,
      name: 'email' in checked ? (checked.name ?? null) : null,
      deny: 'deny' in checked,
    }
    this.deps.store.answers.queue(row)
    return row
  }

  queued(): OAuthAnswer[] {
    return this.deps.store.answers.list()
  }

  clearQueued(): void {
    this.deps.store.answers.clear()
  }

  /**
   * The user an attach token names, the token used up (checked last, so a start refused for
   * anything else leaves it): unknown, used, expired, another provider's, or on a B2B start: 400
   * invalid_oauth_attach_token.
   */
  private attachUser(input: StartInput, provider: Provider): string | null {
    if (input.oauth_attach_token === undefined) return null
    const taken =
      input.flow === 'oauth'
        ? this.deps.store.takeAttach(input.oauth_attach_token, this.deps.clock.nowSeconds())
        : null
    if (!taken || taken.provider !== provider.id)
      throw new StytchError('invalid_oauth_attach_token')
    return taken.user_id
  }

  private pending(requestId: string): OAuthRequest {
    const request = this.deps.store.request(requestId)
    if (!request || request.expires_at <= this.deps.clock.nowSeconds())
      throw new StytchError('oauth_consent_not_found')
    return request
  }

  private view(request: OAuthRequest): ConsentView {
    const { store, orgs } = this.deps
    return {
      request,
      provider: providerOf(request.flow, request.provider),
      organization: request.organization_id ? orgs.organization(request.organization_id) : null,
      accounts: store.accounts(accountsOf(request), ACCOUNTS),
    }
  }

  private takeQueued(provider: string): Answer | undefined {
    const queued = this.deps.store.answers.take(
      (a) => a.provider === null || a.provider === provider,
    )
    if (!queued) return undefined
    return queued.deny
      ? { deny: true }
      : { email: queued.email!, ...(queued.name !== null ? { name: queued.name } : {}) }
  }

  /** The redirect for an answer: a token for the identity, or the provider's access_denied. */
  private finish(request: OAuthRequest, answer: Answer): string {
    if ('deny' in answer) {
      // What an OAuth provider sends when the person says no (RFC 6749 §4.1.2.1); Stytch passes
      // it on to the app's redirect URL (unverified: its exact wording).
      const url = new URL(request.login_redirect_url)
      url.searchParams.set('error', 'access_denied')
      url.searchParams.set('error_description', 'The user denied the request.')
      return url.toString()
    }
    const known = this.known(request, answer.email)
    const token = newSessionToken()
    this.deps.store.grants.put({
      token,
      flow: request.flow,
      provider: request.provider,
      organization_id: request.organization_id,
      email: answer.email,
      name: answer.name ?? (known?.name || defaultName(answer.email)),
      provider_subject: providerSubject(request.provider, answer.email),
      code_challenge: request.code_challenge,
      scopes: request.scopes,
      expires_at: this.deps.clock.nowSeconds() + OAUTH_TOKEN_MINUTES * 60,
      attach_user_id: request.attach_user_id ?? null,
    })
    // An attached start is a login of that user.
    const login = known || Boolean(request.attach_user_id)
    const url = new URL(login ? request.login_redirect_url : request.signup_redirect_url)
    url.searchParams.set('stytch_token_type', request.flow === 'b2b_oauth' ? 'oauth' : request.flow)
    url.searchParams.set('token', token)
    return url.toString()
  }

  /**
   * The account this email already is, where the start leads: its name, and the login rather
   * than the signup URL (discovery has one URL; any member of that email names it).
   */
  private known(request: OAuthRequest, email: string): { name: string } | undefined {
    const of = accountsOf(request)
    if ('users' in of) {
      const user = this.deps.users.byAnyEmail(email)
      if (!user) return undefined
      const { first_name, middle_name, last_name } = user.name as Record<string, string>
      return { name: [first_name, middle_name, last_name].filter(Boolean).join(' ') }
    }
    return this.deps.store.memberByEmail(of, email) ?? undefined
  }

  /**
   * A redirect URL: absolute http(s); with STYTCH_MOCK_ALLOWED_ORIGINS set, on one of those
   * origins (Stytch takes only the project's registered redirect URLs).
   */
  private checkRedirect(url: string): string {
    let parsed: URL | undefined
    try {
      parsed = new URL(url)
    } catch {}
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
      throw new StytchError('invalid_argument', `${url} is not an absolute http(s) redirect URL.`)
    const allowed = this.deps.allowedOrigins
    if (allowed && !allowed.includes(parsed.origin))
      throw new StytchError(
        'invalid_argument',
        `${url} is not on an allowed origin (STYTCH_MOCK_ALLOWED_ORIGINS: ${allowed.join(', ')}).`,
      )
    return url
  }
}

/** Whose accounts a start is about: users; an organization's members; any member (discovery). */
function accountsOf(request: OAuthRequest) {
  if (request.flow === 'oauth') return { users: true } as const
  if (request.organization_id) return { organization_id: request.organization_id }
  return { members: true } as const
}

function providerOf(flow: OAuthFlow, id: string): Provider {
  const found = findProvider(flow === 'oauth' ? CONSUMER_PROVIDERS : B2B_PROVIDERS, id)
  if (!found)
    throw new StytchError(
      'route_not_found',
      `OAuth provider "${id}" is not supported here. Supported: ${(flow === 'oauth' ? CONSUMER_PROVIDERS : B2B_PROVIDERS).map((p) => p.id).join(', ')}.`,
    )
  return found
}

function checkAnswer(answer: Answer): Answer {
  if ('deny' in answer && answer.deny) return { deny: true }
  if (!('email' in answer) || !answer.email)
    throw new StytchError('invalid_argument', 'email is required (or deny: true).')
  const name = 'name' in answer && answer.name ? answer.name.trim() : ''
  return { email: normalEmail(answer.email), ...(name ? { name } : {}) }
}

/** The name a provider would send for an address nobody named: "ada.lovelace" → "Ada Lovelace". */
function defaultName(email: string): string {
  return email
    .split('@')[0]!
    .split(/[._+-]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ')
}

/** The provider's id for this person: the same email always gets the same one (21 digits). */
function providerSubject(provider: string, email: string): string {
  const digest = createHash('sha256').update(`${provider}:${email}`).digest()
  return '1' + digest.readBigUInt64BE(0).toString().padStart(20, '0').slice(0, 20)
}
