// SAML 2.0 as the mock speaks it, with xml-crypto (+ @xmldom/xmldom, xpath), loaded on first use:
// the AuthnRequest of a start (HTTP-Redirect binding: DEFLATE + base64), the stand-in identity
// provider's Response (its Assertion signed, RSA-SHA256, exclusive C14N) and its metadata. The
// ACS's reading of a Response is journey-assertion.ts's.
import { randomUUID, X509Certificate } from 'node:crypto'
import { deflateRawSync, inflateRawSync } from 'node:zlib'

export const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol'
export const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion'
export const DS = 'http://www.w3.org/2000/09/xmldsig#'
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata'
export const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'
const UNSPECIFIED_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified'
export const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success'
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect'
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST'

type Libraries = {
  SignedXml: typeof import('xml-crypto').SignedXml
  DOMParser: typeof import('@xmldom/xmldom').DOMParser
  xpath: Pick<typeof import('xpath'), 'select' | 'select1'>
}
let loading: Promise<Libraries> | undefined
/** The XML libraries, imported once, when SAML is first spoken (about 20 ms). */
export const libraries = () =>
  (loading ??= (async () => {
    const [{ SignedXml }, { DOMParser }, xpath] = await Promise.all([
      import('xml-crypto'),
      import('@xmldom/xmldom'),
      import('xpath'),
    ])
    return { SignedXml, DOMParser, xpath: xpath.default ?? xpath }
  })())

/** XML text, escaped for element content and attribute values. */
export const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')

/** SAML's dateTime: UTC, whole seconds. */
export const samlTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

/** A SAML ID: an NCName, so it starts with a letter or underscore. */
export const samlId = () => `_${randomUUID().replace(/-/g, '')}`

/** A document with no DTD (no entities to expand), or null when it is not well-formed XML. */
export async function parse(xml: string): Promise<Document | null> {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return null
  const { DOMParser } = await libraries()
  let failed = false
  const fail = () => {
    failed = true
  }
  const doc = new DOMParser({
    errorHandler: { warning: () => {}, error: fail, fatalError: fail },
  }).parseFromString(xml, 'text/xml') as unknown as Document
  return failed || !doc?.documentElement ? null : doc
}

export const local = (name: string) => `*[local-name(.)='${name}']`

/** The HTTP-Redirect binding's encoding of a message: raw DEFLATE, then base64. */
export const encodeRedirect = (xml: string) => deflateRawSync(Buffer.from(xml)).toString('base64')

/** An AuthnRequest is a few kilobytes: a SAMLRequest inflating past this is refused unread. */
const MAX_MESSAGE_BYTES = 1024 * 1024

/** A SAMLRequest as either binding sends it: deflated (Redirect) or plain (POST) base64. */
function decodeMessage(value: string): string {
  const bytes = Buffer.from(value, 'base64')
  try {
    return inflateRawSync(bytes, { maxOutputLength: MAX_MESSAGE_BYTES }).toString('utf8')
  } catch {
    return bytes.toString('utf8')
  }
}

export interface AuthnRequestInput {
  id: string
  nowMs: number
  destination: string
  acsUrl: string
  issuer: string
  nameIdFormat: string
}

/** The AuthnRequest a start sends the identity provider (unsigned: Stytch's are not required). */
export function authnRequest(o: AuthnRequestInput): string {
  return (
    `<samlp:AuthnRequest xmlns:samlp="${SAMLP}" xmlns:saml="${SAML}" ID="${o.id}" Version="2.0" ` +
    `IssueInstant="${samlTime(o.nowMs)}" Destination="${esc(o.destination)}" ` +
    `AssertionConsumerServiceURL="${esc(o.acsUrl)}" ProtocolBinding="${POST}">` +
    `<saml:Issuer>${esc(o.issuer)}</saml:Issuer>` +
    `<samlp:NameIDPolicy Format="${esc(o.nameIdFormat || EMAIL_FORMAT)}" AllowCreate="true"/>` +
    `</samlp:AuthnRequest>`
  )
}

/** What the identity provider reads of a SAMLRequest; null when it is not an AuthnRequest. */
export async function readAuthnRequest(
  value: string,
): Promise<{ id: string; acs_url: string; issuer: string } | null> {
  const doc = await parse(decodeMessage(value))
  const root = doc?.documentElement
  if (!root || root.localName !== 'AuthnRequest' || root.namespaceURI !== SAMLP) return null
  const id = root.getAttribute('ID')
  if (!id) return null
  const { xpath } = await libraries()
  const issuer = xpath.select1(`./${local('Issuer')}`, root as never) as Element | undefined
  return {
    id,
    acs_url: root.getAttribute('AssertionConsumerServiceURL') ?? '',
    issuer: issuer?.textContent?.trim() ?? '',
  }
}

export interface ResponseInput {
  nowMs: number
  issuer: string
  destination: string
  audience: string
  /** The AuthnRequest answered; absent for an IdP-initiated login. */
  inResponseTo?: string | undefined
  nameId: string
  attributes: Record<string, string[]>
  /** The signing key (PKCS#8 PEM) and its certificate (PEM). */
  key: string
  certificate: string
  /** How long the assertion may be used (seconds). */
  lifetime: number
}

/** A Response whose Assertion the identity provider signed; base64, as the POST binding sends it. */
export async function signedResponse(o: ResponseInput): Promise<string> {
  const { SignedXml } = await libraries()
  const id = samlId()
  const now = samlTime(o.nowMs)
  const until = samlTime(o.nowMs + o.lifetime * 1000)
  const inResponseTo = o.inResponseTo ? ` InResponseTo="${esc(o.inResponseTo)}"` : ''
  const format = /^[^@\s]+@[^@\s]+$/.test(o.nameId) ? EMAIL_FORMAT : UNSPECIFIED_FORMAT
  const attribute = (name: string, values: string[]) =>
    `<saml:Attribute Name="${esc(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">` +
    values
      .map(
        (v) =>
          `<saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${esc(v)}</saml:AttributeValue>`,
      )
      .join('') +
    `</saml:Attribute>`
  const attributes = Object.entries(o.attributes).filter(([, values]) => values.length > 0)
  const assertion =
    `<saml:Assertion xmlns:saml="${SAML}" ID="${id}" Version="2.0" IssueInstant="${now}">` +
    `<saml:Issuer>${esc(o.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${format}">${esc(o.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml:SubjectConfirmationData${inResponseTo} NotOnOrAfter="${until}" Recipient="${esc(o.destination)}"/>` +
    `</saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${samlTime(o.nowMs - 60_000)}" NotOnOrAfter="${until}">` +
    `<saml:AudienceRestriction><saml:Audience>${esc(o.audience)}</saml:Audience></saml:AudienceRestriction>` +
    `</saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${now}" SessionIndex="${id}"><saml:AuthnContext>` +
    `<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>` +
    `</saml:AuthnContext></saml:AuthnStatement>` +
    (attributes.length
      ? `<saml:AttributeStatement>${attributes.map(([n, v]) => attribute(n, v)).join('')}</saml:AttributeStatement>`
      : '') +
    `</saml:Assertion>`
  const sig = new SignedXml({
    privateKey: o.key,
    publicCert: o.certificate,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  })
  sig.addReference({
    xpath: `//${local('Assertion')}`,
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: [
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/2001/10/xml-exc-c14n#',
    ],
  })
  sig.computeSignature(assertion, {
    prefix: 'ds',
    location: { reference: `//${local('Assertion')}/${local('Issuer')}`, action: 'after' },
  })
  return envelope(o, now, SUCCESS, sig.getSignedXml())
}

/** A Response saying the login failed (the person was not let in): nothing to sign. */
export function failedResponse(
  o: Omit<ResponseInput, 'key' | 'certificate' | 'nameId' | 'attributes' | 'audience' | 'lifetime'>,
) {
  const status = `urn:oasis:names:tc:SAML:2.0:status:Responder`
  return envelope(
    o,
    samlTime(o.nowMs),
    status,
    '',
    '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"/>',
  )
}

function envelope(
  o: { issuer: string; destination: string; inResponseTo?: string | undefined },
  now: string,
  status: string,
  assertion: string,
  subStatus = '',
): string {
  const inResponseTo = o.inResponseTo ? ` InResponseTo="${esc(o.inResponseTo)}"` : ''
  const xml =
    `<samlp:Response xmlns:samlp="${SAMLP}" xmlns:saml="${SAML}" ID="${samlId()}" Version="2.0" ` +
    `IssueInstant="${now}" Destination="${esc(o.destination)}"${inResponseTo}>` +
    `<saml:Issuer>${esc(o.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${status}">${subStatus}</samlp:StatusCode></samlp:Status>` +
    assertion +
    `</samlp:Response>`
  return Buffer.from(xml).toString('base64')
}

/** The identity provider's metadata: entity ID, signing certificate, where to send requests. */
export function idpMetadata(o: { entityId: string; ssoUrl: string; certificate: string }) {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<md:EntityDescriptor xmlns:md="${MD}" entityID="${esc(o.entityId)}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="${SAMLP}">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="${DS}"><ds:X509Data>` +
    `<ds:X509Certificate>${pemBody(o.certificate)}</ds:X509Certificate>` +
    `</ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:NameIDFormat>${EMAIL_FORMAT}</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="${REDIRECT}" Location="${esc(o.ssoUrl)}"/>` +
    `<md:SingleSignOnService Binding="${POST}" Location="${esc(o.ssoUrl)}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>\n`
  )
}

/** A PEM certificate's base64 body, on one line (as metadata and KeyInfo carry it). */
export function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END)[^-]*-----/g, '').replace(/\s+/g, '')
}

/** Two PEM certificates are the same certificate. */
export function sameCertificate(a: string, b: string): boolean {
  try {
    return new X509Certificate(a).fingerprint256 === new X509Certificate(b).fingerprint256
  } catch {
    return pemBody(a) === pemBody(b)
  }
}
