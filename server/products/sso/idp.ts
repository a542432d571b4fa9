// The identity provider the mock stands in for: one signing key (made on first use, kept in the
// database so snapshots, restarts and reset-free runs keep it), its metadata per connection, the
// page a start leads to, and what the page answers: a signed SAMLResponse for the ACS (POST
// binding) or an OIDC authorization code for the callback.
import type { Clock } from '../../clock.js'
import { StytchError } from '../../errors.js'
import { looksLikeEmail, normalEmail } from '../../platform/login/rules.js'
import type { MemberObject, OrganizationStore } from '../../platform/sessions/organization-store.js'
import { newSessionToken } from '../../platform/tokens/ids.js'
import { x509Library } from '../../platform/tokens/x509.js'
import { callbackUrl, type ConnectionRow, type SsoConnections } from './connections.js'
import type { JourneyStore } from './journey-store.js'
import { groupsOf, sentAttributes, type TypedIdentity } from './mapping.js'
import { failedResponse, idpMetadata, readAuthnRequest, signedResponse } from './saml.js'

/** How long the stand-in's assertion may be used (its NotOnOrAfter). */
const ASSERTION_SECONDS = 5 * 60
/** How long its OIDC code waits for the callback. */
const CODE_SECONDS = 5 * 60
/** Members the page offers to pick. */
const MEMBERS = 25

export const IDP_PATH = '/v1/public/sso/idp'

/** The stand-in's entity ID for a connection (its metadata's, and its assertions' Issuer). */
export const idpEntityId = (origin: string, connectionId: string) =>
  `${origin}${IDP_PATH}/${connectionId}`

/** An identity provider's answer on the page: an identity, or a denial. */
export type PageAnswer = TypedIdentity | { deny: true }

/** What the page shows. */
export interface IdpView {
  protocol: 'saml' | 'oidc'
  connection: { connection_id: string; display_name: string; identity_provider: string }
  organization_name: string
  members: { email: string; name: string }[]
  /** Carried through the page's forms: the SAMLRequest and RelayState, or the OIDC state. */
  carry: Record<string, string>
  /** Where the page's forms post. */
  action: string
  /** The connection's own identity provider, when it is another than the stand-in. */
  external_sso_url: string | null
  prefill_email: string
  error?: string | undefined
}

/** An OIDC code's identity, until the callback redeems it. */
export interface OidcCode {
  connection_id: string
  state: string
  subject: string
  claims: Record<string, string[]>
}

export class StandInIdp {
  #key: Promise<{ private_key: string; certificate: string }> | undefined

  constructor(
    private readonly deps: {
      clock: Clock
      store: JourneyStore
      orgs: OrganizationStore
      connections: SsoConnections
    },
  ) {}

  /** Its signing key and certificate, made and stored the first time they are needed. */
  async key(): Promise<{ private_key: string; certificate: string }> {
    const stored = this.deps.store.idpKey('idp')
    if (stored) return stored
    this.#key ??= this.makeKey().finally(() => {
      this.#key = undefined
    })
    const made = await this.#key
    this.deps.store.putIdpKey('idp', made.private_key, made.certificate)
    // Another start may have stored one first: that one stays.
    return this.deps.store.idpKey('idp')!
  }

  private async makeKey() {
    const x509 = await x509Library()
    const algorithm = {
      name: 'RSASSA-PKCS1-v1_5',
      hash: 'SHA-256',
      publicExponent: new Uint8Array([1, 0, 1]),
      modulusLength: 2048,
    }
    const keys = await globalThis.crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])
    const now = this.deps.clock.nowMs()
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(8))).toString(
        'hex',
      ),
      name: 'CN=stytch-mock identity provider',
      notBefore: new Date(now - 86_400_000),
      notAfter: new Date(now + 10 * 365 * 86_400_000),
      keys: keys as CryptoKeyPair,
      signingAlgorithm: algorithm,
    })
    const pkcs8 = Buffer.from(await globalThis.crypto.subtle.exportKey('pkcs8', keys.privateKey))
    const body = pkcs8
      .toString('base64')
      .match(/.{1,64}/g)!
      .join('\n')
    return {
      private_key: `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`,
      certificate: certificate.toString('pem'),
    }
  }

  /** Its SAML metadata for a connection (what saml.updateByURL reads). */
  async metadata(connectionId: string, origin: string): Promise<string> {
    this.samlConnection(connectionId)
    const entityId = idpEntityId(origin, connectionId)
    return idpMetadata({
      entityId,
      ssoUrl: `${entityId}/saml`,
      certificate: (await this.key()).certificate,
    })
  }

  /** The page for a SAML AuthnRequest (or, without one, an IdP-initiated login). */
  async samlPage(
    connectionId: string,
    request: { SAMLRequest?: string | undefined; RelayState?: string | undefined },
    origin: string,
    error?: string,
  ): Promise<IdpView> {
    const row = this.samlConnection(connectionId)
    if (request.SAMLRequest && !(await readAuthnRequest(request.SAMLRequest)))
      throw new StytchError('invalid_saml_response', 'The SAMLRequest is not an AuthnRequest.')
    const carry: Record<string, string> = { protocol: 'saml' }
    if (request.SAMLRequest) carry.SAMLRequest = request.SAMLRequest
    if (request.RelayState) carry.RelayState = request.RelayState
    const configured = String(row.connection.idp_sso_url ?? '')
    const external =
      configured && !configured.includes(`${IDP_PATH}/${connectionId}`) && request.SAMLRequest
        ? withQuery(configured, carry)
        : null
    return this.view(row, 'saml', carry, origin, external, '', error)
  }

  /** The page for an OIDC authorization request of the stand-in. */
  oidcPage(
    connectionId: string,
    query: Record<string, string>,
    origin: string,
    error?: string,
  ): IdpView {
    const row = this.deps.connections.connection(connectionId)
    if (row.kind !== 'oidc') throw new StytchError('oidc_connection_not_found')
    if (!query.state) throw new StytchError('missing_oidc_state_param')
    const carry = { protocol: 'oidc', state: query.state }
    return this.view(row, 'oidc', carry, origin, null, query.login_hint ?? '', error)
  }

  /**
   * The page's answer for SAML: the form the browser posts to the ACS, holding the SAMLResponse
   * (signed) or, for a denial, a failed one.
   */
  async samlAnswer(
    connectionId: string,
    form: { SAMLRequest?: string | undefined; RelayState?: string | undefined },
    answer: PageAnswer,
    origin: string,
  ): Promise<{ acs: string; fields: Record<string, string> }> {
    const row = this.samlConnection(connectionId)
    const authn = form.SAMLRequest ? await readAuthnRequest(form.SAMLRequest) : null
    if (form.SAMLRequest && !authn)
      throw new StytchError('invalid_saml_response', 'The SAMLRequest is not an AuthnRequest.')
    const own = callbackUrl(origin, connectionId)
    const c = row.connection as Record<string, string>
    // The ACS and audience the request names, if they are the connection's; else its own.
    const acs =
      authn &&
      (isCallback(authn.acs_url, connectionId) ||
        (c.alternative_acs_url && authn.acs_url === c.alternative_acs_url))
        ? authn.acs_url
        : own
    const audience =
      authn &&
      (isCallback(authn.issuer, connectionId) || authn.issuer === c.alternative_audience_uri)
        ? authn.issuer
        : c.alternative_audience_uri || own
    const base = {
      nowMs: this.deps.clock.nowMs(),
      issuer: idpEntityId(origin, connectionId),
      destination: acs,
      inResponseTo: authn?.id,
    }
    const fields: Record<string, string> = {}
    if (form.RelayState) fields.RelayState = form.RelayState
    if ('deny' in answer) return { acs, fields: { ...fields, SAMLResponse: failedResponse(base) } }
    const mapping = this.deps.connections.attributeMapping(row)
    const sent = sentAttributes('saml', mapping, answer, connectionId)
    const key = await this.key()
    const SAMLResponse = await signedResponse({
      ...base,
      audience,
      nameId: sent.subject,
      attributes: sent.attributes,
      key: key.private_key,
      certificate: key.certificate,
      lifetime: ASSERTION_SECONDS,
    })
    return { acs, fields: { ...fields, SAMLResponse } }
  }

  /** The page's answer for OIDC: the callback with a code (or the provider's access_denied). */
  oidcAnswer(connectionId: string, state: string, answer: PageAnswer, origin: string): string {
    const row = this.deps.connections.connection(connectionId)
    if (row.kind !== 'oidc') throw new StytchError('oidc_connection_not_found')
    const url = new URL(callbackUrl(origin, connectionId))
    url.searchParams.set('state', state)
    if ('deny' in answer) {
      url.searchParams.set('error', 'access_denied')
      url.searchParams.set('error_description', 'The user denied the request.')
      return url.toString()
    }
    const mapping = this.deps.connections.attributeMapping(row)
    const sent = sentAttributes('oidc', mapping, answer, connectionId)
    const code = newSessionToken()
    const body: OidcCode = {
      connection_id: connectionId,
      state,
      subject: sent.subject,
      claims: sent.attributes,
    }
    this.deps.store.putCode(code, body, this.deps.clock.nowSeconds() + CODE_SECONDS)
    url.searchParams.set('code', code)
    return url.toString()
  }

  /**
   * The identity a picked member stands for: its email and name, and the id and groups its
   * registration with this connection already has (so that a login again is the same person).
   */
  picked(connectionId: string, email: string): TypedIdentity {
    const row = this.deps.connections.connection(connectionId)
    const org = row.connection.organization_id
    const member = this.deps.orgs.memberByEmail(org, normalEmail(email))
    if (!member) return { email }
    const registration = registrations(member).find((r) => r.connection_id === connectionId)
    return {
      email: member.email_address,
      name: String(member.name ?? ''),
      ...(registration
        ? {
            external_id: registration.external_id,
            groups: groupsOf(
              this.deps.connections.attributeMapping(row),
              registration.sso_attributes ?? {},
            ),
          }
        : {}),
    }
  }

  private samlConnection(connectionId: string): ConnectionRow {
    const row = this.deps.connections.connection(connectionId)
    if (row.kind !== 'saml') throw new StytchError('saml_connection_not_found')
    return row
  }

  private view(
    row: ConnectionRow,
    protocol: 'saml' | 'oidc',
    carry: Record<string, string>,
    origin: string,
    external: string | null,
    prefill: string,
    error: string | undefined,
  ): IdpView {
    const { connection } = row
    const org = this.deps.orgs.organization(connection.organization_id)
    const members = this.deps.orgs
      .membersOf(connection.organization_id)
      .filter((m) => m.status !== 'deleted')
      .slice(0, MEMBERS)
      .map((m) => ({ email: m.email_address, name: String(m.name ?? '') }))
    return {
      protocol,
      connection: {
        connection_id: connection.connection_id,
        display_name: connection.display_name,
        identity_provider: String(connection.identity_provider ?? 'generic'),
      },
      organization_name: String(org?.organization_name ?? ''),
      members,
      carry,
      action: `${origin}${IDP_PATH}/${connection.connection_id}/answer`,
      external_sso_url: external,
      prefill_email: looksLikeEmail(prefill) ? prefill : '',
      error,
    }
  }
}

/** A member's SSO registrations, as stored. */
export function registrations(member: MemberObject) {
  return (member.sso_registrations ?? []) as {
    connection_id: string
    external_id: string
    registration_id: string
    sso_attributes?: Record<string, string[]>
  }[]
}

/** The connection's ACS / callback URL, on any origin (a container's and a browser's differ). */
export function isCallback(url: string | undefined, connectionId: string): boolean {
  if (!url) return false
  try {
    const parsed = new URL(url)
    return (
      (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
      parsed.pathname === `/v1/b2b/sso/callback/${connectionId}`
    )
  } catch {
    return false
  }
}

/** The connection's own SSO URL with the request's parameters: an http(s) link, else none. */
function withQuery(url: string, params: Record<string, string>): string | null {
  try {
    const target = new URL(url)
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return null
    for (const [k, v] of Object.entries(params)) if (k !== 'protocol') target.searchParams.set(k, v)
    return target.toString()
  } catch {
    return null
  }
}
