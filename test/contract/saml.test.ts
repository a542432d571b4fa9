// SAML as standard software speaks it (#30): @node-saml/node-saml, a standard service provider,
// accepts the mock's stand-in identity provider's responses (and its metadata and AuthnRequests);
// the mock's ACS accepts a response a third-party identity provider signs with its own key,
// configured as the connection's x509_certificate, and refuses the tampered, the wrongly signed,
// the wrong audience, the expired, the replayed and the unsolicited (IdP-initiated where the
// connection disables it). The browser's part is played with fetch.
import { randomUUID, webcrypto } from 'node:crypto'
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml'
import * as stytch from 'stytch'
import { SignedXml } from 'xml-crypto'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { x509Library } from '../../server/platform/tokens/x509.js'
import { controlOf, mockWithSdk, type RunningMock } from '../helpers/server.js'
import { MAPPING, standInSaml } from '../helpers/sso.js'

let mock: RunningMock
let control: ReturnType<typeof controlOf>
let b2b: stytch.B2BClient
const APP = 'http://localhost:3000'

const sdk = mockWithSdk((options) => new stytch.B2BClient(options))
beforeAll(() => {
  ;({ mock, client: b2b } = sdk)
  control = controlOf(mock)
})
beforeEach(async () => {
  mock.clock.reset()
  await control('DELETE', '/_mock/sso/answers')
})

const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}`
const acsOf = (connectionId: string) => `${mock.url}/v1/b2b/sso/callback/${connectionId}`
const metadataOf = (connectionId: string) =>
  `${mock.url}/v1/public/sso/idp/${connectionId}/metadata`

async function organization(settings: Record<string, unknown> = {}) {
  const slug = unique('saml-org')
  const { organization } = await b2b.organizations.create({
    organization_name: slug,
    organization_slug: slug,
    ...settings,
  })
  return organization.organization_id
}

/** A SAML connection configured from the stand-in identity provider's metadata URL. */
const standInConnection = (organizationId: string, mapping: Record<string, string> = MAPPING) =>
  standInSaml(b2b, mock.url, organizationId, { attribute_mapping: mapping })

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
/** A page's form fields (hidden inputs) and the first form's action. */
function formOf(html: string) {
  const fields: Record<string, string> = {}
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
    fields[m[1]!] = unescape(m[2]!)
  const action = unescape(/<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '')
  return { fields, action }
}

async function get(url: string) {
  const res = await fetch(url, { redirect: 'manual' })
  return { status: res.status, location: res.headers.get('location'), text: await res.text() }
}
async function post(url: string, fields: Record<string, string>) {
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  })
  return { status: res.status, location: res.headers.get('location'), text: await res.text() }
}

/** The browser's start: where the mock sends it. */
async function start(connectionId: string, query: Record<string, string> = {}) {
  const url = new URL(`${mock.url}/v1/public/sso/start`)
  url.searchParams.set('public_token', mock.config.b2bPublicToken)
  url.searchParams.set('connection_id', connectionId)
  url.searchParams.set('login_redirect_url', `${APP}/login`)
  url.searchParams.set('signup_redirect_url', `${APP}/signup`)
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v)
  const res = await get(url.toString())
  expect(res.status, res.text).toBe(302)
  return res.location!
}

/** The stand-in's page, answered with a typed identity: the form it posts to the ACS. */
async function answerAtPage(idpUrl: string, identity: Record<string, string>) {
  const page = await get(idpUrl)
  expect(page.status, page.text).toBe(200)
  const { fields, action } = formOf(page.text)
  // The page's hidden fields, but the deny form's own.
  const { deny: _, ...carried } = fields
  const answered = await post(action, { ...carried, ...identity })
  expect(answered.status, answered.text).toBe(200)
  return formOf(answered.text)
}

/** The ACS's refusal page: the Stytch error type it names. */
const refusal = (res: { status: number; text: string }) => ({
  status: res.status,
  type: /data-error-type="([^"]+)"/.exec(res.text)?.[1],
})

const tokenOf = (location: string | null) => {
  const url = new URL(location!)
  expect(url.searchParams.get('stytch_token_type')).toBe('sso')
  return { url, token: url.searchParams.get('token')! }
}

describe('the stand-in identity provider, seen by a standard service provider', () => {
  it('@node-saml/node-saml accepts its signed response; the ACS accepts it too, once', async () => {
    const orgId = await organization()
    const connection = await standInConnection(orgId)
    const id = connection.connection_id
    const idpCert = connection.verification_certificates[0]!.certificate
    const idpUrl = await start(id)
    expect(idpUrl).toContain(`/v1/public/sso/idp/${id}/saml?SAMLRequest=`)
    const email = `${unique('ada')}@acme.example`
    const post1 = await answerAtPage(idpUrl, {
      email,
      first_name: 'Ada',
      last_name: 'Lovelace',
      groups: 'engineers, admins',
    })
    expect(post1.action).toBe(acsOf(id))
    expect(post1.fields.RelayState).toBeTruthy()

    const sp = new SAML({
      callbackUrl: acsOf(id),
      issuer: acsOf(id),
      audience: acsOf(id),
      idpCert,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      validateInResponseTo: ValidateInResponseTo.never,
    })
    const { profile } = await sp.validatePostResponseAsync({
      SAMLResponse: post1.fields.SAMLResponse!,
    })
    expect(profile!.nameID).toBe(email)
    expect(profile!.groups).toEqual(['engineers', 'admins'])
    expect(profile!.firstName).toBe('Ada')

    const acs = await post(post1.action, post1.fields)
    expect(acs.status, acs.text).toBe(302)
    const { url, token } = tokenOf(acs.location)
    expect(url.pathname).toBe('/signup') // a new member: JIT at authenticate
    const res = await b2b.sso.authenticate({ sso_token: token })
    expect(res.member.email_address).toBe(email)
    expect(res.member.name).toBe('Ada Lovelace')
    expect(res.member.sso_registrations).toEqual([
      {
        connection_id: id,
        external_id: email,
        registration_id: expect.stringMatching(/^saml-member-registration-test-/),
        sso_attributes: {
          firstName: ['Ada'],
          lastName: ['Lovelace'],
          groups: ['engineers', 'admins'],
        },
      },
    ])
    // The same response again: a replay.
    expect(refusal(await post(post1.action, post1.fields))).toEqual({
      status: 400,
      type: 'duplicate_saml_response',
    })
  })

  it("node-saml as the service provider: its AuthnRequest at the stand-in's SSO URL, InResponseTo checked", async () => {
    const orgId = await organization()
    const connection = await standInConnection(orgId)
    const id = connection.connection_id
    const metadata = await get(metadataOf(id))
    expect(metadata.status).toBe(200)
    const entryPoint = /SingleSignOnService Binding="[^"]+HTTP-Redirect" Location="([^"]+)"/.exec(
      metadata.text,
    )![1]!
    expect(entryPoint).toBe(`${mock.url}/v1/public/sso/idp/${id}/saml`)
    const sp = new SAML({
      entryPoint,
      callbackUrl: acsOf(id),
      issuer: acsOf(id),
      audience: acsOf(id),
      idpCert: connection.verification_certificates[0]!.certificate,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      validateInResponseTo: ValidateInResponseTo.always,
    })
    const authorize = await sp.getAuthorizeUrlAsync('relay-42', undefined, {})
    const answered = await answerAtPage(authorize, { email: 'grace@acme.example' })
    expect(answered.fields.RelayState).toBe('relay-42')
    const { profile } = await sp.validatePostResponseAsync({
      SAMLResponse: answered.fields.SAMLResponse!,
    })
    expect(profile!.nameID).toBe('grace@acme.example')
    // A denial is a failed SAML response the service provider rejects.
    const denied = await answerAtPage(await sp.getAuthorizeUrlAsync('', undefined, {}), {
      deny: 'true',
    })
    await expect(
      sp.validatePostResponseAsync({ SAMLResponse: denied.fields.SAMLResponse! }),
    ).rejects.toThrow(/Responder|AuthnFailed/)
  })

  it('a denial on the page: the app gets access_denied at its login URL', async () => {
    const orgId = await organization()
    const { connection_id: id } = await standInConnection(orgId)
    const answered = await answerAtPage(await start(id), { deny: 'true' })
    const acs = await post(answered.action, answered.fields)
    expect(acs.status).toBe(302)
    const url = new URL(acs.location!)
    expect(url.pathname).toBe('/login')
    expect(url.searchParams.get('error')).toBe('access_denied')
  })
})

describe('the stand-in and the ACS, given hostile names and sizes', () => {
  it("reads attribute and mapping names that are Object.prototype's as plain names", async () => {
    const orgId = await organization()
    const { connection_id: id } = await standInConnection(orgId, {
      ...MAPPING,
      title: 'constructor',
      department: 'toString',
    })
    const page = await get(`${mock.url}/v1/public/sso/idp/${id}/saml`)
    const { fields, action } = formOf(page.text)
    const { deny: _, ...carried } = fields
    const email = `${unique('proto')}@acme.example`
    // Typed on the page: an IdP-initiated response carrying attributes of those names.
    const answered = await post(action, {
      ...carried,
      email,
      attributes: 'constructor=Boss\n__proto__=x\nhasOwnProperty=y',
    })
    expect(answered.status, answered.text).toBe(200)
    const acs = await post(acsOf(id), formOf(answered.text).fields)
    expect(acs.status, acs.text).toBe(302)
    const res = await b2b.sso.authenticate({ sso_token: tokenOf(acs.location).token })
    // title reads the IdP's "constructor"; department's "toString" was not sent.
    expect(res.member.trusted_metadata).toEqual({ title: 'Boss' })
    expect(res.member.sso_registrations[0]!.sso_attributes).toMatchObject({
      constructor: ['Boss'],
      hasOwnProperty: ['y'],
    })
  })

  it('a connection not active yet logs no one in, not even IdP-initiated', async () => {
    const orgId = await organization()
    const { connection } = await b2b.sso.saml.createConnection({ organization_id: orgId })
    const id = connection!.connection_id
    expect(connection!.status).toBe('pending')
    // The stand-in signs for any connection; a pending one's ACS must still refuse it.
    const page = await get(`${mock.url}/v1/public/sso/idp/${id}/saml`)
    expect(page.status, page.text).toBe(200)
    const { fields, action } = formOf(page.text)
    const { deny: _, ...carried } = fields
    const answered = await post(action, { ...carried, email: `${unique('early')}@acme.example` })
    expect(answered.status, answered.text).toBe(200)
    expect(refusal(await post(acsOf(id), formOf(answered.text).fields))).toEqual({
      status: 400,
      type: 'requires_active_sso_connection',
    })
  })

  it('a SAMLRequest that inflates past 1 MiB is no AuthnRequest (no DEFLATE bomb)', async () => {
    const orgId = await organization()
    const { connection_id: id } = await standInConnection(orgId)
    const { searchParams } = new URL(await start(id))
    const xml = inflateRawSync(Buffer.from(searchParams.get('SAMLRequest')!, 'base64')).toString()
    // The same AuthnRequest, well-formed still, padded past the cap: a few kilobytes deflated.
    const padded = deflateRawSync(Buffer.from(xml + ' '.repeat(2 * 1024 * 1024))).toString('base64')
    expect(padded.length).toBeLessThan(16_000)
    const url = new URL(`${mock.url}/v1/public/sso/idp/${id}/saml`)
    url.searchParams.set('SAMLRequest', padded)
    url.searchParams.set('RelayState', searchParams.get('RelayState')!)
    expect(refusal(await get(url.toString()))).toEqual({
      status: 400,
      type: 'invalid_saml_response',
    })
    // Unpadded it is read.
    url.searchParams.set('SAMLRequest', deflateRawSync(Buffer.from(xml)).toString('base64'))
    expect((await get(url.toString())).status).toBe(200)
  })
})

/** A third-party identity provider: its own key and certificate, responses signed by xml-crypto. */
async function thirdPartyIdp(name: string) {
  const x509 = await x509Library()
  const algorithm = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  }
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '0a',
    name: `CN=${name}`,
    notBefore: new Date(Date.now() - 3_600_000),
    notAfter: new Date(Date.now() + 86_400_000),
    keys,
    signingAlgorithm: algorithm,
  })
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey))
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END PRIVATE KEY-----\n`
  const entityId = `https://${name}.example/entity`
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
  return {
    certificate: cert.toString('pem'),
    entityId,
    /** A Response to the ACS; its Assertion signed unless `sign` is false. */
    response(o: {
      acs: string
      audience?: string
      inResponseTo?: string
      email: string
      groups?: string[]
      nowMs?: number
      issuer?: string
      sign?: boolean
      /** How long it is valid (NotOnOrAfter); 5 minutes unless given. */
      lifetimeMs?: number
      /** A change to the assertion before it is signed. */
      edit?: (xml: string) => string
      tamper?: (xml: string) => string
    }) {
      const now = o.nowMs ?? Date.now()
      const until = iso(now + (o.lifetimeMs ?? 300_000))
      const id = `_${randomUUID()}`
      const inResponseTo = o.inResponseTo ? ` InResponseTo="${o.inResponseTo}"` : ''
      const attribute = (n: string, values: string[]) =>
        `<saml:Attribute Name="${n}">${values.map((v) => `<saml:AttributeValue>${v}</saml:AttributeValue>`).join('')}</saml:Attribute>`
      const assertion =
        `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${iso(now)}">` +
        `<saml:Issuer>${o.issuer ?? entityId}</saml:Issuer>` +
        `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${o.email}</saml:NameID>` +
        `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData${inResponseTo} NotOnOrAfter="${until}" Recipient="${o.acs}"/></saml:SubjectConfirmation></saml:Subject>` +
        `<saml:Conditions NotBefore="${iso(now - 30_000)}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${o.audience ?? o.acs}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
        `<saml:AuthnStatement AuthnInstant="${iso(now)}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
        `<saml:AttributeStatement>${attribute('firstName', ['Grace'])}${attribute('lastName', ['Hopper'])}${attribute('groups', o.groups ?? [])}</saml:AttributeStatement>` +
        `</saml:Assertion>`
      let signed = o.edit ? o.edit(assertion) : assertion
      if (o.sign !== false) {
        const sig = new SignedXml({
          privateKey: key,
          publicCert: cert.toString('pem'),
          signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
          canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
        })
        sig.addReference({
          xpath: "//*[local-name(.)='Assertion']",
          digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
          transforms: [
            'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
            'http://www.w3.org/2001/10/xml-exc-c14n#',
          ],
        })
        sig.computeSignature(signed, {
          prefix: 'ds',
          location: {
            reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']",
            action: 'after',
          },
        })
        signed = sig.getSignedXml()
      }
      if (o.tamper) signed = o.tamper(signed)
      const xml =
        `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_${randomUUID()}" Version="2.0" IssueInstant="${iso(now)}" Destination="${o.acs}"${inResponseTo}>` +
        `<saml:Issuer>${entityId}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${signed}</samlp:Response>`
      return Buffer.from(xml).toString('base64')
    },
  }
}

type Idp = Awaited<ReturnType<typeof thirdPartyIdp>>
let okta: Idp
let rogue: Idp
beforeAll(async () => {
  ;[okta, rogue] = await Promise.all([thirdPartyIdp('okta-like'), thirdPartyIdp('rogue')])
})

describe("the ACS, for a third-party identity provider's responses", () => {
  /** A connection trusting the third party's certificate, and a start's AuthnRequest ID. */
  async function thirdPartyConnection(extra: Record<string, unknown> = {}) {
    const orgId = await organization()
    const { connection } = await b2b.sso.saml.createConnection({
      organization_id: orgId,
      display_name: 'Okta',
      identity_provider: 'okta',
    })
    const id = connection!.connection_id
    const { connection: active } = await b2b.sso.saml.updateConnection({
      organization_id: orgId,
      connection_id: id,
      idp_entity_id: okta.entityId,
      idp_sso_url: 'https://okta-like.example/sso',
      x509_certificate: okta.certificate,
      attribute_mapping: MAPPING,
      ...extra,
    })
    expect(active!.status).toBe('active')
    return { orgId, id }
  }
  /** A start, as the third party sees it: its AuthnRequest's ID and the RelayState. */
  async function startFor(id: string) {
    const location = new URL(await start(id))
    const xml = inflateRawSync(
      Buffer.from(location.searchParams.get('SAMLRequest')!, 'base64'),
    ).toString()
    expect(xml).toContain(`AssertionConsumerServiceURL="${acsOf(id)}"`)
    return {
      inResponseTo: /ID="([^"]+)"/.exec(xml)![1]!,
      RelayState: location.searchParams.get('RelayState')!,
    }
  }

  it('accepts a response signed by the key of the configured x509_certificate', async () => {
    const { id } = await thirdPartyConnection()
    // The stand-in's page links to the connection's own identity provider, request and all.
    const page = await get(await start(id))
    const link = new URL(unescape(/<a href="([^"]+)"/.exec(page.text)![1]!))
    expect(link.origin + link.pathname).toBe('https://okta-like.example/sso')
    expect(link.searchParams.get('SAMLRequest')).toBeTruthy()
    const { inResponseTo, RelayState } = await startFor(id)
    const email = `${unique('grace')}@acme.example`
    const res = await post(acsOf(id), {
      SAMLResponse: okta.response({ acs: acsOf(id), inResponseTo, email, groups: ['eng'] }),
      RelayState,
    })
    expect(res.status, res.text).toBe(302)
    const login = await b2b.sso.authenticate({ sso_token: tokenOf(res.location).token })
    expect(login.member.email_address).toBe(email)
    expect(login.member_session!.authentication_factors[0]).toMatchObject({
      type: 'sso',
      delivery_method: 'sso_saml',
      saml_sso_factor: { provider_id: id, external_id: email },
    })
  })

  it('refuses the tampered, the wrongly signed, the unsigned, the wrong audience and issuer', async () => {
    const { id } = await thirdPartyConnection()
    const email = `${unique('grace')}@acme.example`
    const attempt = async (response: (inResponseTo: string) => string) => {
      const { inResponseTo, RelayState } = await startFor(id)
      return refusal(await post(acsOf(id), { SAMLResponse: response(inResponseTo), RelayState }))
    }
    const acs = acsOf(id)
    expect(
      await attempt((inResponseTo) =>
        okta.response({
          acs,
          inResponseTo,
          email,
          tamper: (xml) => xml.replace(email, 'mallory@evil.example'),
        }),
      ),
    ).toEqual({ status: 400, type: 'invalid_signature_saml_response' })
    expect(await attempt((inResponseTo) => rogue.response({ acs, inResponseTo, email }))).toEqual({
      status: 400,
      type: 'saml_certificate_mismatch',
    })
    expect(
      await attempt((inResponseTo) => okta.response({ acs, inResponseTo, email, sign: false })),
    ).toEqual({ status: 400, type: 'missing_signature_saml_response' })
    expect(
      await attempt((inResponseTo) =>
        okta.response({ acs, inResponseTo, email, audience: 'https://another-sp.example/acs' }),
      ),
    ).toEqual({ status: 400, type: 'invalid_audience_saml_response' })
    expect(
      await attempt((inResponseTo) =>
        okta.response({ acs, inResponseTo, email, issuer: 'https://elsewhere.example' }),
      ),
    ).toEqual({ status: 400, type: 'invalid_saml_response' })
    // An assertion wrapped around the signed one: only what the signature covers is read.
    const wrapped = await attempt((inResponseTo) =>
      okta.response({
        acs,
        inResponseTo,
        email,
        tamper: (xml) =>
          xml.replace(
            '<saml:Assertion ',
            `<saml:Assertion ID="_evil" Version="2.0"><saml:Subject><saml:NameID>mallory@evil.example</saml:NameID></saml:Subject></saml:Assertion><saml:Assertion `,
          ),
      }),
    )
    expect(wrapped).toEqual({ status: 400, type: 'invalid_saml_response' })
    expect(refusal(await post(acsOf(id), {})).type).toBe('missing_saml_response')
    expect(refusal(await post(acsOf(id), { SAMLResponse: 'bm90IHhtbA==' })).type).toBe(
      'invalid_xml_saml_response',
    )
  })

  it('refuses an expired response (the mock clock moved on) and one answering no start', async () => {
    const { id } = await thirdPartyConnection()
    const email = `${unique('grace')}@acme.example`
    const { inResponseTo, RelayState } = await startFor(id)
    const SAMLResponse = okta.response({ acs: acsOf(id), inResponseTo, email })
    expect((await control('POST', '/_mock/clock', { advance_seconds: 600 })).status).toBe(200)
    expect(refusal(await post(acsOf(id), { SAMLResponse, RelayState }))).toEqual({
      status: 400,
      type: 'expired_saml_response',
    })
    await control('POST', '/_mock/clock', { reset: true })
    const unknown = okta.response({ acs: acsOf(id), inResponseTo: '_no-such-request', email })
    expect(refusal(await post(acsOf(id), { SAMLResponse: unknown, RelayState }))).toEqual({
      status: 400,
      type: 'unsolicited_saml_response',
    })
    // The start's own response, with another start's RelayState.
    const other = await startFor(id)
    const crossed = okta.response({ acs: acsOf(id), inResponseTo, email })
    expect(
      refusal(await post(acsOf(id), { SAMLResponse: crossed, RelayState: other.RelayState })),
    ).toEqual({ status: 400, type: 'unsolicited_saml_response' })
  })

  it('refuses a replay for as long as the assertion is valid, the clock skew included', async () => {
    mock.clock.freeze()
    const { id } = await thirdPartyConnection()
    const email = `${unique('grace')}@acme.example`
    // IdP-initiated (no start to use up), valid 20 minutes: longer than the ACS's own memory.
    const SAMLResponse = okta.response({
      acs: acsOf(id),
      email,
      nowMs: mock.clock.nowMs(),
      lifetimeMs: 20 * 60_000,
    })
    expect((await post(acsOf(id), { SAMLResponse })).status).toBe(302)
    // Just past NotOnOrAfter, within the 60 s skew the ACS allows: still a replay.
    await control('POST', '/_mock/clock', { advance_seconds: 20 * 60 + 1 })
    expect(refusal(await post(acsOf(id), { SAMLResponse }))).toEqual({
      status: 400,
      type: 'duplicate_saml_response',
    })
    // Past the skew too: expired.
    await control('POST', '/_mock/clock', { advance_seconds: 60 })
    expect(refusal(await post(acsOf(id), { SAMLResponse }))).toEqual({
      status: 400,
      type: 'expired_saml_response',
    })
  })

  it('needs the connection in every AudienceRestriction; reads the NameID whole', async () => {
    const { id } = await thirdPartyConnection()
    const acs = acsOf(id)
    const email = `${unique('grace')}@acme.example`
    // Two restrictions are both conditions: an audience of another one is not enough.
    const twice = okta.response({
      acs,
      email,
      edit: (xml) =>
        xml.replace(
          '</saml:Conditions>',
          '<saml:AudienceRestriction><saml:Audience>https://another-sp.example/acs</saml:Audience></saml:AudienceRestriction></saml:Conditions>',
        ),
    })
    expect(refusal(await post(acs, { SAMLResponse: twice }))).toEqual({
      status: 400,
      type: 'invalid_audience_saml_response',
    })
    // A comment put in the signed NameID (the signature does not cover comments) cuts nothing.
    const long = `${unique('admin')}@acme.example.evil.example`
    const commented = okta.response({
      acs,
      email: long,
      tamper: (xml) => xml.replace(`>${long}<`, `>${long.replace('.evil', '<!---->.evil')}<`),
    })
    expect(Buffer.from(commented, 'base64').toString()).toContain('<!---->')
    const res = await post(acs, { SAMLResponse: commented })
    expect(res.status, res.text).toBe(302)
    const login = await b2b.sso.authenticate({ sso_token: tokenOf(res.location).token })
    expect(login.member.email_address).toBe(long)
  })

  it('IdP-initiated: to the default redirect URL, unless idp_initiated_auth_disabled', async () => {
    const { orgId, id } = await thirdPartyConnection()
    const email = `${unique('grace')}@acme.example`
    const res = await post(acsOf(id), { SAMLResponse: okta.response({ acs: acsOf(id), email }) })
    expect(res.status, res.text).toBe(302)
    const { url, token } = tokenOf(res.location)
    expect(url.origin + url.pathname).toBe(
      new URL(mock.config.redirectUrls.b2b.signup).href.split('?')[0],
    )
    expect((await b2b.sso.authenticate({ sso_token: token })).member.email_address).toBe(email)

    await b2b.sso.saml.updateConnection({
      organization_id: orgId,
      connection_id: id,
      idp_initiated_auth_disabled: true,
    })
    const again = okta.response({ acs: acsOf(id), email })
    expect(refusal(await post(acsOf(id), { SAMLResponse: again }))).toEqual({
      status: 400,
      type: 'saml_idp_initiated_auth_disabled',
    })
  })

  it('an unknown connection, or one of another kind, is a 404 page', async () => {
    const res = await post(acsOf('saml-connection-test-00000000-0000-4000-8000-000000000000'), {
      SAMLResponse: 'eA==',
    })
    expect(refusal(res)).toEqual({ status: 404, type: 'sso_connection_not_found' })
    expect(res.text).toContain('<!doctype html>')
    const { connection } = await b2b.sso.oidc.createConnection({
      organization_id: await organization(),
    })
    const oidc = await post(acsOf(connection!.connection_id), { SAMLResponse: 'eA==' })
    expect(refusal(oidc)).toEqual({ status: 404, type: 'saml_connection_not_found' })
  })
})

describe("the stand-in identity provider's key", () => {
  it('is kept by snapshots; a reset makes a new one', async () => {
    const certificateOf = async (connectionId: string) =>
      /<ds:X509Certificate>([^<]+)</.exec((await get(metadataOf(connectionId))).text)![1]!
    const before = await standInConnection(await organization())
    const key = await certificateOf(before.connection_id)
    expect(
      before.verification_certificates[0]!.certificate.replace(/-----[^-]+-----|\s/g, ''),
    ).toBe(key)
    const { body: snapshot } = await control('POST', '/_mock/snapshots')
    expect((await control('POST', '/_mock/reset')).status).toBe(200)
    const after = await standInConnection(await organization())
    expect(await certificateOf(after.connection_id)).not.toBe(key)
    const restored = await control('POST', `/_mock/snapshots/${snapshot.snapshot_id}/restore`)
    expect(restored.status).toBe(200)
    expect(await certificateOf(before.connection_id)).toBe(key)
  })
})
