// The ACS's reading of a SAMLResponse from any identity provider: the signature checked against
// the connection's certificates (xml-crypto), and every value read from what the signature covers
// (getSignedReferences), never from the document around it, so a wrapped or tampered assertion
// tells nothing. The checks of what it says (audience, time, InResponseTo) are journey-acs.ts's.
import { StytchError } from '../../errors.js'
import { namedRecord } from './mapping.js'
import { DS, libraries, local, parse, pemBody, SAML, SAMLP, SUCCESS } from './saml.js'

/** What the ACS reads of a verified assertion. */
export interface VerifiedAssertion {
  id: string
  issuer: string
  name_id: string
  /** Each AudienceRestriction's audiences: the assertion is for a party in every one. */
  audiences: string[][]
  recipient: string
  in_response_to: string
  /** Epoch ms; null when absent. */
  not_before: number | null
  not_on_or_after: number | null
  confirmation_not_on_or_after: number | null
  attributes: Record<string, string[]>
  /** The certificate (of those given) whose key signed it. */
  certificate: string
}

export type ReadResponse =
  | { status: 'success'; assertion: VerifiedAssertion }
  | { status: 'failed'; in_response_to: string; code: string }

/**
 * A SAMLResponse (base64, as posted) read at the ACS: a failure status as such; otherwise its
 * assertion, once a signature over it (or over the whole Response) checks out with one of
 * `certificates`. Errors are the ACS's Stytch types.
 */
export async function readResponse(value: string, certificates: string[]): Promise<ReadResponse> {
  const { SignedXml, xpath } = await libraries()
  const xml = Buffer.from(value, 'base64').toString('utf8')
  const doc = await parse(xml)
  const root = doc?.documentElement
  if (!doc || !root) throw new StytchError('invalid_xml_saml_response')
  if (root.localName !== 'Response' || root.namespaceURI !== SAMLP)
    throw new StytchError('invalid_saml_response', 'The SAMLResponse is not a samlp:Response.')
  const code = xpath.select1(
    `./${local('Status')}/${local('StatusCode')}/@Value`,
    root as never,
  ) as Attr | undefined
  if (code?.value !== SUCCESS)
    return {
      status: 'failed',
      in_response_to: root.getAttribute('InResponseTo') ?? '',
      code: code?.value ?? '',
    }
  if ((xpath.select(`//${local('EncryptedAssertion')}`, doc as never) as Node[]).length > 0)
    throw new StytchError(
      'invalid_saml_response',
      'Encrypted assertions are not emulated: have the identity provider send the assertion unencrypted.',
    )
  // One assertion, no more: anything wrapped around the signed one is refused outright.
  const assertions = xpath.select(
    `//*[local-name(.)='Assertion' and namespace-uri(.)='${SAML}']`,
    doc as never,
  ) as Node[]
  if (assertions.length !== 1)
    throw new StytchError('invalid_saml_response', 'The Response must hold exactly one Assertion.')
  const signatures = (
    xpath.select(
      `//*[local-name(.)='Signature' and namespace-uri(.)='${DS}']`,
      doc as never,
    ) as Node[]
  ).slice(0, 4)
  if (signatures.length === 0) throw new StytchError('missing_signature_saml_response')

  // The first signature that some certificate verifies, and what it covers.
  for (const signature of signatures)
    for (const certificate of certificates) {
      const sig = new SignedXml({ publicCert: certificate })
      try {
        sig.loadSignature(signature)
        if (!sig.checkSignature(xml)) continue
      } catch {
        continue
      }
      const signed = sig.getSignedReferences()
      if (signed.length !== 1) continue
      return { status: 'success', assertion: await signedAssertion(signed[0]!, certificate) }
    }
  // No certificate verifies it: a certificate in the response that none of them is says why.
  const embedded = (
    xpath.select(`//${local('Signature')}//${local('X509Certificate')}`, doc as never) as Node[]
  ).map((n) => (n.textContent ?? '').replace(/\s+/g, ''))
  const known = certificates.map(pemBody)
  if (embedded.length > 0 && !embedded.some((cert) => known.includes(cert)))
    throw new StytchError('saml_certificate_mismatch')
  throw new StytchError('invalid_signature_saml_response')
}

/** The assertion a signature covers: the signed Assertion itself, or the one in a signed Response. */
async function signedAssertion(text: string, certificate: string): Promise<VerifiedAssertion> {
  const { xpath } = await libraries()
  const doc = await parse(text)
  const root = doc?.documentElement
  if (!doc || !root) throw new StytchError('invalid_xml_saml_response')
  let assertion: Element = root
  if (root.localName === 'Response' && root.namespaceURI === SAMLP) {
    const inside = xpath.select(`./${local('Assertion')}`, root as never) as Element[]
    if (inside.length !== 1)
      throw new StytchError(
        'invalid_saml_response',
        'The Response must hold exactly one Assertion.',
      )
    assertion = inside[0]!
  } else if (root.localName !== 'Assertion' || root.namespaceURI !== SAML) {
    throw new StytchError('invalid_saml_response', 'The signature covers no Assertion.')
  }
  const text1 = (path: string) =>
    ((xpath.select1(path, assertion as never) as Node | undefined)?.textContent ?? '').trim()
  const attr = (path: string) =>
    (xpath.select1(path, assertion as never) as Attr | undefined)?.value
  const time = (value: string | undefined) => {
    if (value === undefined) return null
    const ms = Date.parse(value)
    if (Number.isNaN(ms)) throw new StytchError('invalid_saml_response', `Bad time: ${value}.`)
    return ms
  }
  const confirmation = `./${local('Subject')}/${local('SubjectConfirmation')}/${local('SubjectConfirmationData')}`
  const conditions = `./${local('Conditions')}`
  const attributes = namedRecord<string[]>()
  for (const node of xpath.select(
    `./${local('AttributeStatement')}/${local('Attribute')}`,
    assertion as never,
  ) as Element[]) {
    const name = node.getAttribute('Name')
    if (!name) continue
    const values = (xpath.select(`./${local('AttributeValue')}`, node as never) as Node[]).map(
      (v) => (v.textContent ?? '').trim(),
    )
    attributes[name] = [...(attributes[name] ?? []), ...values]
  }
  return {
    id: assertion.getAttribute('ID') ?? '',
    issuer: text1(`./${local('Issuer')}`),
    name_id: text1(`./${local('Subject')}/${local('NameID')}`),
    audiences: (
      xpath.select(`${conditions}/${local('AudienceRestriction')}`, assertion as never) as Node[]
    ).map((restriction) =>
      (xpath.select(`./${local('Audience')}`, restriction as never) as Node[]).map((n) =>
        (n.textContent ?? '').trim(),
      ),
    ),
    recipient: attr(`${confirmation}/@Recipient`) ?? '',
    in_response_to: attr(`${confirmation}/@InResponseTo`) ?? '',
    not_before: time(attr(`${conditions}/@NotBefore`)),
    not_on_or_after: time(attr(`${conditions}/@NotOnOrAfter`)),
    confirmation_not_on_or_after: time(attr(`${confirmation}/@NotOnOrAfter`)),
    attributes,
    certificate,
  }
}
