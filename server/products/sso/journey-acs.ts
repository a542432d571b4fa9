// The ACS (SAML, POST) and the OIDC callback (GET) at /v1/b2b/sso/callback/{connection_id}: what
// an identity provider sends back, verified strictly, then a one-time token to the app. SAML, in
// order: the connection active; the XML; the signature, by one of the connection's verification
// certificates or the stand-in identity provider's; every value from what the signature covers;
// Issuer (for another identity provider than the stand-in), Audience, Recipient, the validity
// window on the mock's clock; the assertion used once; InResponseTo naming a waiting start of this
// connection (none: IdP-initiated, unless the connection disables it); an email in the mapped
// attributes.
import type { Clock } from '../../clock.js'
import { StytchError } from '../../errors.js'
import { callbackUrl, type ConnectionRow, type SsoConnections } from './connections.js'
import { idpEntityId, isCallback, type OidcCode, type StandInIdp } from './idp.js'
import type { Destination, SsoStarts } from './journey-start.js'
import type { JourneyStore, SsoRequest } from './journey-store.js'
import { readIdentity } from './mapping.js'
import { readResponse, type VerifiedAssertion } from './journey-assertion.js'
import { sameCertificate } from './saml.js'

/** Clock skew allowed between the identity provider and the mock (seconds). */
const SKEW_SECONDS = 60
/** How long an assertion's ID is remembered at least. */
const REPLAY_SECONDS = 10 * 60
/** An assertion with no NotOnOrAfter is accepted whenever: its ID is remembered for good. */
const FOREVER = Number.MAX_SAFE_INTEGER

export class SsoCallbacks {
  constructor(
    private readonly deps: {
      clock: Clock
      store: JourneyStore
      connections: SsoConnections
      idp: StandInIdp
      starts: SsoStarts
    },
  ) {}

  /** The SAML ACS: where the browser goes next (the app), or a Stytch error. */
  async acs(
    connectionId: string,
    form: { SAMLResponse?: string | undefined; RelayState?: string | undefined },
    origin: string,
  ): Promise<string> {
    const { clock, store, connections, idp } = this.deps
    store.sweep(clock.nowSeconds())
    const row = connections.connection(connectionId)
    if (row.kind !== 'saml') throw new StytchError('saml_connection_not_found')
    // Not configured yet (or no longer): it logs no one in, whoever signed the response.
    if (row.connection.status !== 'active') throw new StytchError('requires_active_sso_connection')
    if (!form.SAMLResponse) throw new StytchError('missing_saml_response')
    const own = (await idp.key()).certificate
    const certificates = [
      ...connections.verificationCertificates(row).map((c) => c.certificate),
      own,
    ]
    const read = await readResponse(form.SAMLResponse, certificates)
    if (read.status === 'failed') {
      // The person was not let in: the start learns it (access_denied), if there is one.
      const request = read.in_response_to ? store.requestByAuthn(read.in_response_to) : null
      if (request && request.source_connection_id === connectionId && this.take(request))
        return this.deps.starts.denied(request)
      throw new StytchError(
        'failed_saml_response',
        `The identity provider answered ${read.code || 'no status'}: the login failed there.`,
      )
    }
    const assertion = read.assertion
    this.checkAssertion(row, assertion, sameCertificate(assertion.certificate, own), origin)
    // Used once: a replayed assertion (even of an answered start) is refused as such, for as
    // long as it would be accepted (its NotOnOrAfter and the skew).
    const untils = [assertion.not_on_or_after, assertion.confirmation_not_on_or_after].filter(
      (ms): ms is number => ms !== null,
    )
    const expires =
      untils.length === 0
        ? FOREVER
        : Math.max(
            Math.ceil(Math.max(...untils) / 1000) + SKEW_SECONDS,
            clock.nowSeconds() + REPLAY_SECONDS,
          )
    if (!assertion.id) throw new StytchError('invalid_saml_response', 'The Assertion has no ID.')
    if (!store.firstUse(`${connectionId}:${assertion.id}`, expires))
      throw new StytchError('duplicate_saml_response')
    const to = this.destination(row, assertion.in_response_to, form.RelayState)
    const identity = readIdentity(
      'saml',
      connections.attributeMapping(row),
      assertion.name_id,
      assertion.attributes,
    )
    if (!identity.email) throw new StytchError('invalid_saml_response_email')
    if ('request_id' in to && !this.take(to)) throw new StytchError('unsolicited_saml_response')
    return this.deps.starts.finish(to, { ...identity, email: identity.email })
  }

  /** The OIDC callback: the stand-in's code (or its error) for a waiting start. */
  oidcCallback(
    connectionId: string,
    query: { code?: string | undefined; state?: string | undefined; error?: string | undefined },
  ): string {
    const { clock, store, connections } = this.deps
    store.sweep(clock.nowSeconds())
    const row = connections.connection(connectionId)
    if (row.kind !== 'oidc') throw new StytchError('oidc_connection_not_found')
    if (!query.state) throw new StytchError('missing_oidc_state_param')
    const request = store.request(query.state)
    if (
      !request ||
      request.source_connection_id !== connectionId ||
      request.expires_at <= clock.nowSeconds()
    )
      throw new StytchError('unsolicited_oidc_response')
    if (query.error) {
      if (!this.take(request)) throw new StytchError('unsolicited_oidc_response')
      return this.deps.starts.denied(request)
    }
    const code = query.code ? store.takeCode<OidcCode>(query.code, clock.nowSeconds()) : null
    if (!code || code.connection_id !== connectionId || code.state !== request.request_id)
      throw new StytchError('oidc_invalid_callback_request')
    const identity = readIdentity(
      'oidc',
      connections.attributeMapping(row),
      code.subject,
      code.claims,
    )
    if (!identity.email) throw new StytchError('oidc_response_email_missing')
    if (!this.take(request)) throw new StytchError('unsolicited_oidc_response')
    return this.deps.starts.finish(request, { ...identity, email: identity.email })
  }

  /**
   * The stateless checks: Issuer (another identity provider's must be the connection's
   * idp_entity_id), Audience, Recipient, and the validity window on the mock's clock.
   */
  private checkAssertion(
    row: ConnectionRow,
    a: VerifiedAssertion,
    byStandIn: boolean,
    origin: string,
  ) {
    const c = row.connection as Record<string, string>
    const id = c.connection_id!
    const issuerOk = byStandIn
      ? a.issuer === '' ||
        a.issuer.endsWith(`/v1/public/sso/idp/${id}`) ||
        a.issuer === c.idp_entity_id
      : !c.idp_entity_id || a.issuer === c.idp_entity_id
    if (!issuerOk)
      throw new StytchError(
        'invalid_saml_response',
        `The assertion's Issuer ${a.issuer || '(none)'} is not the connection's idp_entity_id${byStandIn ? ` (${idpEntityId(origin, id)})` : ''}.`,
      )
    const audienceOk = (value: string) =>
      isCallback(value, id) ||
      (c.alternative_audience_uri !== '' && value === c.alternative_audience_uri)
    if (a.audiences.length === 0 || !a.audiences.every((list) => list.some(audienceOk)))
      throw new StytchError(
        'invalid_audience_saml_response',
        `The assertion's Audience (${a.audiences.flat().join(', ') || 'none'}) is not this connection's audience_uri (${callbackUrl(origin, id)})${a.audiences.length > 1 ? ' in each AudienceRestriction' : ''}.`,
      )
    const recipientOk =
      isCallback(a.recipient, id) ||
      (c.alternative_acs_url !== '' && a.recipient === c.alternative_acs_url)
    if (!recipientOk)
      throw new StytchError(
        'invalid_saml_response',
        `The assertion's Recipient (${a.recipient || 'none'}) is not this connection's acs_url (${callbackUrl(origin, id)}).`,
      )
    const now = this.deps.clock.nowMs()
    const skew = SKEW_SECONDS * 1000
    if (a.not_before !== null && now + skew < a.not_before)
      throw new StytchError('not_yet_valid_saml_response')
    for (const until of [a.not_on_or_after, a.confirmation_not_on_or_after])
      if (until !== null && now - skew >= until) throw new StytchError('expired_saml_response')
  }

  /**
   * Where the login goes: the start the assertion answers (InResponseTo, with its RelayState),
   * or, with none, an IdP-initiated login to the project's default redirect URLs.
   */
  private destination(
    row: ConnectionRow,
    inResponseTo: string,
    relayState: string | undefined,
  ): Destination | SsoRequest {
    const { store, clock } = this.deps
    if (!inResponseTo) {
      if (row.connection.idp_initiated_auth_disabled === true)
        throw new StytchError('saml_idp_initiated_auth_disabled')
      return this.deps.starts.unsolicited(row)
    }
    const request = store.requestByAuthn(inResponseTo)
    if (
      !request ||
      request.source_connection_id !== row.connection.connection_id ||
      request.expires_at <= clock.nowSeconds()
    )
      throw new StytchError('unsolicited_saml_response')
    if (!relayState) throw new StytchError('missing_saml_relay_state')
    if (relayState !== request.request_id) throw new StytchError('unsolicited_saml_response')
    return request
  }

  /** A waiting start, answered once. */
  private take(request: SsoRequest): boolean {
    return this.deps.store.takeRequest(request.request_id)
  }
}
