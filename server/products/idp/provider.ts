// The authorize step of Connected Apps (the SDKs' idp.oauth.authorizeStart / authorize and the
// frontend's idp.oauthAuthorizeStart / Submit), consumer and B2B: the client and its exactly
// registered redirect URL, the subject (a user or member, by id or by a live session), the scopes
// the project knows and the subject's roles permit, consent (first-party clients skip it,
// third-party ones need it unless already given for these scopes), and the one-use authorization
// code the token endpoint (products/idp-tokens) takes through `takeCode`. Also what each user,
// member and organization has granted, its revocation, and the RP-initiated logout's preflight.
import { createHash, randomBytes } from 'node:crypto'
import type { Clock } from '../../clock.js'
import { StytchError } from '../../errors.js'
import type { KeyManager } from '../../platform/tokens/key-manager.js'
import type { SessionCore } from '../../platform/sessions/core.js'
import type {
  MemberObject,
  OrganizationObject,
  OrganizationStore,
} from '../../platform/sessions/organization-store.js'
import type { RbacPolicies } from '../../platform/sessions/rbac-policies.js'
import type { UserObject, UserStore } from '../../platform/sessions/user-store.js'
import type { ConnectedApp, ConnectedAppClients } from '../connected-apps/types.js'
import type { CodeGrant, GrantSubject, IdentityProvider } from './types.js'
import type { GrantRow, IdpStore, SubjectKind } from './store.js'

/** The scopes every project has (OpenID Connect's, and Stytch's offline_access and full_access). */
export const STANDARD_SCOPES = ['openid', 'email', 'profile', 'phone', 'offline_access']
const FULL_ACCESS = 'full_access'
/** Ten minutes, as RFC 6749 §4.1.2 advises (**Unverified** for Stytch). */
export const CODE_LIFETIME_SECONDS = 600

export interface AuthorizeRequest {
  client_id: string
  redirect_uri: string
  response_type: string
  scopes: string[]
  prompt?: string | undefined
}

export interface SubmitRequest extends AuthorizeRequest {
  consent_granted: boolean
  state?: string | undefined
  nonce?: string | undefined
  code_challenge?: string | undefined
  resources?: string[] | undefined
}

/** Who authorizes: exactly one of an id or a session (token or JWT). */
export interface ConsumerWho {
  user_id?: string | undefined
  session_token?: string | undefined
  session_jwt?: string | undefined
}
export interface MemberWho {
  organization_id?: string | undefined
  member_id?: string | undefined
  session_token?: string | undefined
  session_jwt?: string | undefined
}

export interface ConsumerSubject {
  kind: 'consumer'
  user: UserObject
  roles: string[]
  session_id: string | null
  auth_time: number
}
export interface MemberSubject {
  kind: 'b2b'
  member: MemberObject
  organization: OrganizationObject
  roles: string[]
  session_id: string | null
  auth_time: number
}
type Subject = ConsumerSubject | MemberSubject

/** A custom scope of the project's RBAC policy: grantable when the roles grant every permission. */
interface PolicyScope {
  scope: string
  description?: string
  permissions: { resource_id: string; actions: string[] }[]
}

interface Deps {
  clock: Clock
  store: IdpStore
  users: UserStore
  orgs: OrganizationStore
  core: SessionCore
  rbac: RbacPolicies
  keys: KeyManager
  clients: ConnectedAppClients
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
const subjectIdOf = (s: GrantSubject) => (s.kind === 'consumer' ? s.user_id : s.member_id)
const isPublic = (client: ConnectedApp) => client.client_type.endsWith('_public')
const isFirstParty = (client: ConnectedApp) => client.client_type.startsWith('first_party')

/** `url` with these query parameters added (its own kept), as a string. */
function withQuery(url: string, params: Record<string, string | undefined>): string {
  const out = new URL(url)
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) out.searchParams.set(key, value)
  return out.toString()
}

export class ConnectedAppGrants implements IdentityProvider {
  readonly #revoked: ((clientId: string, subject: GrantSubject) => void)[] = []

  constructor(private readonly deps: Deps) {}

  // The named interface (idp/types.ts).

  takeCode(code: string): CodeGrant | null {
    if (typeof code !== 'string' || code.length === 0 || code.length > 200) return null
    const row = this.deps.store.takeCode(sha256(code))
    if (!row || row.expires_at <= this.deps.clock.nowSeconds()) return null
    const grant = JSON.parse(row.body) as CodeGrant
    // Revoked since (consent withdrawn, subject or client gone, or the organization's policy no
    // longer allowing the client): the code goes with the grant.
    const client = this.deps.clients.find(grant.client_id)
    if (!client || !this.subjectExists(grant.subject)) return null
    if (grant.subject.kind === 'b2b') {
      const organization = this.deps.orgs.organization(grant.subject.organization_id)
      if (!organization || !organizationAllows(organization, client)) return null
    }
    return grant
  }

  onGrantRevoked(revoke: (clientId: string, subject: GrantSubject) => void): void {
    this.#revoked.push(revoke)
  }

  // The authorize step.

  /** authorizeStart: what a consent screen shows. Every failure is a Stytch error. */
  async start(request: AuthorizeRequest, who: Subject) {
    const client = this.client(request)
    this.allowedByOrganization(client, who)
    const results = this.scopeResults(request.scopes, who, client)
    return {
      client,
      subject: who,
      consent_required: this.consentRequired(client, who, request, results),
      scope_results: results,
    }
  }

  /**
   * authorize (submit): once the client and its redirect URL check out, every outcome travels in
   * `redirect_uri` (a code, or an OAuth error with the state), as Stytch's docs say.
   */
  async submit(
    request: SubmitRequest,
    who: Subject,
  ): Promise<{ redirect_uri: string; authorization_code?: string }> {
    const client = this.client(request)
    this.allowedByOrganization(client, who)
    const fail = (error: string, description: string) => ({
      redirect_uri: withQuery(request.redirect_uri, {
        error,
        error_description: description,
        state: request.state,
      }),
    })
    let results: ReturnType<ConnectedAppGrants['scopeResults']>
    try {
      results = this.scopeResults(request.scopes, who, client)
    } catch (err) {
      if (err instanceof StytchError) return fail('invalid_scope', err.message)
      throw err
    }
    if (isPublic(client) && !request.code_challenge)
      return fail('invalid_request', 'A public client must send a PKCE code_challenge (S256).')
    const required = this.consentRequired(client, who, request, results)
    const prompts = promptsOf(request.prompt)
    if (required && !request.consent_granted)
      return prompts.has('none')
        ? fail('consent_required', 'The user has not consented to this client.')
        : fail('access_denied', 'The user denied the authorization request.')
    const granted = results.filter((r) => r.is_grantable).map((r) => r.scope)
    const subject = grantSubject(who)
    const existing = this.deps.store.grant(client.client_id, who.kind, subjectIdOf(subject))
    const consented = (required && request.consent_granted) || (existing?.consented ?? false)
    this.deps.store.saveGrant({
      client_id: client.client_id,
      subject_kind: who.kind,
      subject_id: subjectIdOf(subject),
      organization_id: subject.kind === 'b2b' ? subject.organization_id : '',
      // Consent is remembered for what was consented to before and now.
      scopes: [...new Set([...(existing?.consented ? existing.scopes : []), ...granted])],
      consented,
      created_at: existing?.created_at ?? this.deps.clock.nowSeconds(),
    })
    const code = randomBytes(32).toString('base64url')
    const body: CodeGrant = {
      client_id: client.client_id,
      subject,
      scopes: granted,
      redirect_uri: request.redirect_uri,
      code_challenge: request.code_challenge ?? null,
      nonce: request.nonce ?? null,
      resources: request.resources ?? [],
      session_id: who.session_id,
      auth_time: who.auth_time,
    }
    const now = this.deps.clock.nowSeconds()
    this.deps.store.insertCode(
      sha256(code),
      { client_id: client.client_id, kind: who.kind, subject_id: subjectIdOf(subject) },
      JSON.stringify(body),
      now + CODE_LIFETIME_SECONDS,
      now,
    )
    return {
      redirect_uri: withQuery(request.redirect_uri, { code, state: request.state }),
      authorization_code: code,
    }
  }

  // Who authorizes.

  /** A user by user_id, or a live consumer session's (token or JWT): exactly one. */
  async consumerSubject(who: ConsumerWho): Promise<ConsumerSubject> {
    exactlyOne([who.user_id, who.session_token, who.session_jwt], 'user_id')
    if (who.user_id != null) {
      const user = this.deps.users.byId(who.user_id)
      if (!user) throw new StytchError('user_not_found')
      return {
        kind: 'consumer',
        user,
        roles: userRoles(user, ['stytch_user']),
        session_id: null,
        auth_time: this.deps.clock.nowSeconds(),
      }
    }
    const row = await this.deps.core.access('consumer', sessionOf(who))
    const user = this.deps.users.byId(row.subject_id)
    if (!user) throw new StytchError('session_not_found')
    return {
      kind: 'consumer',
      user,
      roles: userRoles(user, row.roles),
      session_id: row.session_id,
      auth_time: Math.floor(Date.parse(row.started_at) / 1000),
    }
  }

  /**
   * A member by organization_id and member_id, or a live member session's: exactly one. A
   * session with an organization_id of another organization is refused (no authorizing for an
   * organization the member is not in).
   */
  async memberSubject(who: MemberWho): Promise<MemberSubject> {
    const byId = who.member_id != null || who.organization_id != null
    exactlyOne(
      [byId ? true : undefined, who.session_token, who.session_jwt],
      'organization_id and member_id',
    )
    if (byId) {
      if (who.member_id == null || who.organization_id == null)
        throw new StytchError(
          'invalid_argument',
          'organization_id and member_id are required together.',
        )
      const organization = this.deps.orgs.organization(who.organization_id)
      if (!organization) throw new StytchError('organization_not_found')
      const member = this.deps.orgs.member(who.member_id)
      if (!member || member.organization_id !== organization.organization_id)
        throw new StytchError('member_not_found')
      return {
        kind: 'b2b',
        member,
        organization,
        roles: ((member.roles as { role_id: string }[] | undefined) ?? []).map((r) => r.role_id),
        session_id: null,
        auth_time: this.deps.clock.nowSeconds(),
      }
    }
    const row = await this.deps.core.access('member', sessionOf(who))
    const member = this.deps.orgs.member(row.subject_id)
    const organization = member && this.deps.orgs.organization(member.organization_id)
    if (!member || !organization) throw new StytchError('session_not_found')
    return {
      kind: 'b2b',
      member,
      organization,
      roles: row.roles,
      session_id: row.session_id,
      auth_time: Math.floor(Date.parse(row.started_at) / 1000),
    }
  }

  // What has been granted.

  /** A user's or member's grants, to clients that still exist. */
  grantsOf(kind: SubjectKind, subjectId: string): { grant: GrantRow; client: ConnectedApp }[] {
    return this.withClients(this.deps.store.grantsOf(kind, subjectId))
  }

  /** Every grant of the organization's members, to clients that still exist. */
  grantsOfOrganization(organizationId: string) {
    return this.withClients(this.deps.store.grantsOfOrganization(organizationId))
  }

  /** The client, or 404 connected_app_not_found. */
  clientById(clientId: string): ConnectedApp {
    const client = this.deps.clients.find(clientId)
    if (!client) throw new StytchError('connected_app_not_found')
    return client
  }

  /** Withdraws a subject's grant to a client (idempotent; the client must exist). */
  revoke(clientId: string, subject: GrantSubject): void {
    this.clientById(clientId)
    this.forget(clientId, subject)
  }

  /** Every grant of a user or member, gone (the subject was deleted). */
  forgetSubject(kind: SubjectKind, subjectId: string): void {
    for (const grant of this.deps.store.grantsOf(kind, subjectId))
      this.forget(grant.client_id, subjectOfRow(grant))
  }

  /** Every grant of an organization's members, gone (the organization was deleted). */
  forgetOrganization(organizationId: string): void {
    for (const grant of this.deps.store.grantsOfOrganization(organizationId))
      this.forget(grant.client_id, subjectOfRow(grant))
  }

  /**
   * The grants an organization's Connected Apps policy no longer allows, revoked (Stytch: an
   * app "may be revoked if the Organization's allowed Connected App policy changes").
   */
  followOrganization(organization: OrganizationObject): void {
    for (const { grant, client } of this.grantsOfOrganization(organization.organization_id))
      if (!organizationAllows(organization, client))
        this.revoke(grant.client_id, subjectOfRow(grant))
  }

  /** Every grant to a client, gone (the client was deleted). */
  forgetClient(clientId: string): void {
    for (const grant of this.deps.store.grantsOfClient(clientId))
      this.forget(grant.client_id, subjectOfRow(grant))
  }

  // The RP-initiated logout's preflight.

  /**
   * oauthLogoutStart: the client must exist and the post-logout redirect URL be one it
   * registered, exactly; the answer is where to go (with the state). Confirmation is needed
   * unless an id_token_hint this project signed for this client names the caller's own subject.
   */
  async logoutStart(
    input: {
      client_id: string
      post_logout_redirect_uri: string
      state?: string | undefined
      id_token_hint?: string | undefined
    },
    callerSubjectId: string | undefined,
  ) {
    const client = this.clientById(input.client_id)
    if (!client.post_logout_redirect_urls.includes(input.post_logout_redirect_uri))
      throw new StytchError(
        'oauth_invalid_request',
        'post_logout_redirect_uri is not one of the Connected App’s post-logout redirect URLs.',
      )
    const hinted = input.id_token_hint
      ? await this.idTokenSubject(input.id_token_hint, client.client_id)
      : undefined
    return {
      redirect_uri: withQuery(input.post_logout_redirect_uri, { state: input.state }),
      consent_required: !(hinted && callerSubjectId && hinted === callerSubjectId),
    }
  }

  // Internals.

  private client(request: AuthorizeRequest): ConnectedApp {
    const client = this.clientById(request.client_id)
    if (!client.redirect_urls.includes(request.redirect_uri))
      throw new StytchError('connected_app_supplied_redirect_url_not_found_in_client')
    if (request.response_type !== 'code')
      throw new StytchError('oauth_invalid_request', 'response_type must be code.')
    promptsOf(request.prompt)
    return client
  }

  /**
   * Each requested scope (once): the standard ones are grantable; full_access only for a client
   * allowed it; a custom one must be in the project's RBAC policy, and is grantable when the
   * subject's roles grant every permission it needs. Any other scope is 400.
   */
  private scopeResults(scopes: string[], who: Subject, client: ConnectedApp) {
    const custom = policyScopes(this.deps.rbac)
    return [...new Set(scopes)].map((scope) => {
      if (STANDARD_SCOPES.includes(scope))
        return { scope, description: STANDARD_DESCRIPTIONS[scope]!, is_grantable: true }
      if (scope === FULL_ACCESS && client.full_access_allowed)
        return { scope, description: 'Act on your behalf.', is_grantable: true }
      const known = custom.find((s) => s.scope === scope)
      if (!known)
        throw new StytchError('oauth_invalid_scope_requested', `The scope ${scope} is not defined.`)
      return {
        scope,
        description: known.description ?? '',
        is_grantable: known.permissions.every((p) =>
          p.actions.every((action) => this.allowed(who, p.resource_id, action)),
        ),
      }
    })
  }

  /**
   * A member may authorize only a client its organization allows: the organization's
   * first_party_ or third_party_connected_apps_allowed_type (ALL_ALLOWED, RESTRICTED to the
   * allowed_*_connected_apps ids, NOT_ALLOWED), by the client's party.
   */
  private allowedByOrganization(client: ConnectedApp, who: Subject): void {
    if (who.kind === 'b2b' && !organizationAllows(who.organization, client))
      throw new StytchError('connected_app_not_allowed_by_organization')
  }

  private allowed(who: Subject, resource_id: string, action: string): boolean {
    try {
      this.deps.rbac.authorize(
        who.roles,
        { resource_id, action },
        who.kind === 'b2b' ? who.organization.organization_id : null,
        'session_authorization_error',
      )
      return true
    } catch (err) {
      if (err instanceof StytchError) return false
      throw err
    }
  }

  /**
   * prompt=consent always asks; a first-party client asks only for offline_access, unless it
   * bypasses that; a third-party one asks unless the subject already consented to every scope
   * it would grant.
   */
  private consentRequired(
    client: ConnectedApp,
    who: Subject,
    request: AuthorizeRequest,
    results: { scope: string; is_grantable: boolean }[],
  ): boolean {
    if (promptsOf(request.prompt).has('consent')) return true
    const wanted = results.filter((r) => r.is_grantable).map((r) => r.scope)
    if (isFirstParty(client))
      return wanted.includes('offline_access') && !client.bypass_consent_for_offline_access
        ? !this.consentedTo(client, who, wanted)
        : false
    return !this.consentedTo(client, who, wanted)
  }

  private consentedTo(client: ConnectedApp, who: Subject, scopes: string[]): boolean {
    const grant = this.deps.store.grant(client.client_id, who.kind, subjectIdOf(grantSubject(who)))
    return !!grant?.consented && scopes.every((s) => grant.scopes.includes(s))
  }

  private subjectExists(subject: GrantSubject): boolean {
    if (subject.kind === 'consumer') return !!this.deps.users.byId(subject.user_id)
    const member = this.deps.orgs.member(subject.member_id)
    return member?.organization_id === subject.organization_id
  }

  private withClients(grants: GrantRow[]) {
    return grants.flatMap((grant) => {
      const client = this.deps.clients.find(grant.client_id)
      return client ? [{ grant, client }] : []
    })
  }

  private forget(clientId: string, subject: GrantSubject): void {
    const kind: SubjectKind = subject.kind
    if (!this.deps.store.deleteGrant(clientId, kind, subjectIdOf(subject))) return
    for (const revoke of this.#revoked) revoke(clientId, subject)
  }

  /** The subject of an ID token this project signed for the client, or undefined. */
  private async idTokenSubject(token: string, clientId: string): Promise<string | undefined> {
    const { compactVerify, decodeProtectedHeader } = await import('jose')
    try {
      const kid = decodeProtectedHeader(token).kid
      const key = kid === undefined ? undefined : this.deps.keys.ring.byKid(kid)
      if (!key) return undefined
      const { payload } = await compactVerify(token, key.publicKey, { algorithms: ['RS256'] })
      const claims = JSON.parse(new TextDecoder().decode(payload)) as {
        sub?: unknown
        aud?: unknown
      }
      const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
      return aud.includes(clientId) && typeof claims.sub === 'string' ? claims.sub : undefined
    } catch {
      return undefined
    }
  }
}

const STANDARD_DESCRIPTIONS: Record<string, string> = {
  openid: 'Verify your identity.',
  email: 'View your email address.',
  profile: 'View your name and profile picture.',
  phone: 'View your phone number.',
  offline_access: 'Maintain access to your data when you are not using the app.',
}

/** The prompt values (space-separated): none, consent, login; anything else is 400. */
function promptsOf(prompt: string | undefined): Set<string> {
  const values = new Set((prompt ?? '').split(' ').filter(Boolean))
  for (const value of values)
    if (!['none', 'consent', 'login'].includes(value))
      throw new StytchError('oauth_invalid_request', `prompt ${value} is not supported.`)
  if (values.has('none') && values.size > 1)
    throw new StytchError('oauth_invalid_request', 'prompt none must be alone.')
  return values
}

/** Whether the organization's Connected Apps policy lets its members authorize the client. */
function organizationAllows(organization: OrganizationObject, client: ConnectedApp): boolean {
  const party = isFirstParty(client) ? 'first_party' : 'third_party'
  const policy = organization as Record<string, unknown>
  const type = policy[`${party}_connected_apps_allowed_type`] ?? 'ALL_ALLOWED'
  if (type === 'NOT_ALLOWED') return false
  if (type !== 'RESTRICTED') return true
  const allowed = policy[`allowed_${party}_connected_apps`]
  return Array.isArray(allowed) && allowed.includes(client.client_id)
}

function exactlyOne(values: unknown[], idName: string): void {
  const given = values.filter((v) => v !== undefined && v !== null).length
  if (given !== 1)
    throw new StytchError(
      'invalid_argument',
      `Exactly one of ${idName}, session_token or session_jwt is required.`,
    )
}

const sessionOf = (who: {
  session_token?: string | undefined
  session_jwt?: string | undefined
}) =>
  who.session_token !== undefined
    ? { session_token: who.session_token }
    : { session_jwt: who.session_jwt! }

function userRoles(user: UserObject, base: string[]): string[] {
  const own = (user.roles as string[] | undefined) ?? []
  return [...new Set([...base, ...own])]
}

function grantSubject(who: Subject): GrantSubject {
  return who.kind === 'consumer'
    ? { kind: 'consumer', user_id: who.user.user_id }
    : {
        kind: 'b2b',
        member_id: who.member.member_id,
        organization_id: who.organization.organization_id,
      }
}

function subjectOfRow(row: GrantRow): GrantSubject {
  return row.subject_kind === 'consumer'
    ? { kind: 'consumer', user_id: row.subject_id }
    : { kind: 'b2b', member_id: row.subject_id, organization_id: row.organization_id }
}

/**
 * The custom scopes of the project's RBAC policy (Stytch's `scopes`: a scope, its description,
 * the permissions it needs). Read from the policy when it has them; none otherwise.
 */
function policyScopes(rbac: RbacPolicies): PolicyScope[] {
  return rbac.project.scopes ?? []
}
