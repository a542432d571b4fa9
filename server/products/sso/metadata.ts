// What Stytch fetches for a connection: a SAML IdP's metadata (saml.updateByURL: its entity id,
// single sign-on URL and signing certificates, read with @xmldom/xmldom and xpath, loaded only
// then) and an OIDC issuer's discovery document (oidc.updateConnection, when the issuer changes).
import { StytchError } from '../../errors.js'
import { pemOf } from './certificates.js'

/** Fetches give up after this long: an IdP on the network answers in well under it. */
const TIMEOUT_MS = 5000
/** Metadata documents are a few kilobytes; an IdP's aggregate of many entities, a few hundred. */
const MAX_BYTES = 4 * 1024 * 1024

export interface IdpMetadata {
  idp_entity_id: string
  idp_sso_url: string
  /** The signing certificates, as PEM. */
  certificates: string[]
}

const BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:'

/** The answer's text, read no further than MAX_BYTES (a length header is not trusted). */
async function fetchText(url: string, accept: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, {
    headers: { accept },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  })
  const tooLong = () => new Error(`the answer is larger than ${MAX_BYTES / 1024 / 1024} MB`)
  if (Number(res.headers.get('content-length') ?? 0) > MAX_BYTES) {
    await res.body?.cancel()
    throw tooLong()
  }
  const chunks: Uint8Array[] = []
  let size = 0
  // Leaving the loop early cancels the rest of the answer.
  if (res.body)
    for await (const chunk of res.body) {
      size += chunk.byteLength
      if (size > MAX_BYTES) throw tooLong()
      chunks.push(chunk)
    }
  return { status: res.status, text: Buffer.concat(chunks).toString('utf8') }
}

/**
 * The IdP metadata at `url`: 400 invalid_saml_metadata_url when it does not answer 200,
 * invalid_xml_from_saml_metadata_url when the answer is not XML, and
 * saml_connection_metadata_invalid_format when it is XML but not an IdP's metadata.
 */
export async function fetchIdpMetadata(url: string): Promise<IdpMetadata> {
  let answer: { status: number; text: string }
  try {
    answer = await fetchText(url, 'application/samlmetadata+xml, application/xml, text/xml')
  } catch (err) {
    throw new StytchError(
      'invalid_saml_metadata_url',
      `The metadata URL could not be fetched: ${(err as Error).message}.`,
    )
  }
  if (answer.status !== 200)
    throw new StytchError(
      'invalid_saml_metadata_url',
      `The metadata URL answered ${answer.status}, not 200.`,
    )
  return parseIdpMetadata(answer.text)
}

/** IdP metadata read from its XML (the first EntityDescriptor holding an IDPSSODescriptor). */
export async function parseIdpMetadata(xml: string): Promise<IdpMetadata> {
  // No document type: metadata needs none, and refusing it keeps entity tricks out.
  if (
    !xml
      .replace(/^\uFEFF/, '')
      .trimStart()
      .startsWith('<') ||
    /<!DOCTYPE/i.test(xml)
  )
    throw new StytchError('invalid_xml_from_saml_metadata_url')
  const [{ DOMParser }, xpath] = await Promise.all([import('@xmldom/xmldom'), import('xpath')])
  let problem: string | undefined
  const doc = new DOMParser({
    // xmldom reads on past an unclosed tag with a warning: a well-formed document has none.
    errorHandler: {
      warning: (msg: string) => (problem ??= msg),
      error: (msg: string) => (problem ??= msg),
      fatalError: (msg: string) => (problem ??= msg),
    },
  }).parseFromString(xml, 'text/xml')
  if (problem !== undefined || !doc.documentElement)
    throw new StytchError(
      'invalid_xml_from_saml_metadata_url',
      `The metadata URL did not answer with well-formed XML${
        problem
          ? `: ${problem
              .replace(/\s+/g, ' ')
              .replace(/^\[xmldom \w+\] ?/, '')
              .replace(/ ?@#\[.*$/, '')
              .trim()}`
          : ''
      }.`,
    )
  const el = (name: string) => `*[local-name(.)='${name}']`
  const entity = xpath.select1(
    `(//${el('EntityDescriptor')}[${el('IDPSSODescriptor')}])[1]`,
    doc as unknown as Node,
  ) as Element | undefined
  const idp = entity
    ? (xpath.select1(el('IDPSSODescriptor'), entity) as Element | undefined)
    : undefined
  const entityId = entity?.getAttribute('entityID') ?? ''
  const sso = (binding: string) =>
    idp
      ? (xpath.select1(
          `${el('SingleSignOnService')}[@Binding='${BINDING}${binding}']/@Location`,
          idp,
        ) as Attr | undefined)
      : undefined
  const location = (sso('HTTP-Redirect') ?? sso('HTTP-POST'))?.value.trim() ?? ''
  // Where the stand-in's page links and a browser goes: an http(s) URL, as updateConnection's.
  if (location && !isHttpUrl(location))
    throw new StytchError('saml_connection_metadata_invalid_format')
  const certificates = idp
    ? (
        xpath.select(
          `${el('KeyDescriptor')}[not(@use) or @use='signing']//${el('X509Certificate')}`,
          idp,
        ) as Node[]
      )
        .map((n) => (n.textContent ?? '').replace(/\s+/g, ''))
        .filter(Boolean)
        .map(pemOf)
    : []
  if (!entityId || !location || certificates.length === 0)
    throw new StytchError('saml_connection_metadata_invalid_format')
  return {
    idp_entity_id: entityId,
    idp_sso_url: location,
    certificates: [...new Set(certificates)],
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value)
    return protocol === 'http:' || protocol === 'https:'
  } catch {
    return false
  }
}

export type OidcDiscovery =
  | {
      ok: true
      authorization_url: string
      token_url: string
      userinfo_url: string
      jwks_url: string
    }
  | { ok: false; warning: string }

/**
 * The issuer's OpenID Provider Metadata ({issuer}/.well-known/openid-configuration): the four
 * URLs it names, or why it could not be read (Stytch then still updates, with a `warning`).
 */
export async function discoverOidc(issuer: string): Promise<OidcDiscovery> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`
  const fail = (why: string): OidcDiscovery => ({
    ok: false,
    warning: `Could not retrieve the OIDC metadata document at ${url}: ${why}. The connection was updated with the values given.`,
  })
  let answer: { status: number; text: string }
  try {
    answer = await fetchText(url, 'application/json')
  } catch (err) {
    return fail((err as Error).message)
  }
  if (answer.status !== 200) return fail(`it answered ${answer.status}`)
  let doc: Record<string, unknown>
  try {
    doc = JSON.parse(answer.text) as Record<string, unknown>
  } catch {
    return fail('it is not JSON')
  }
  const str = (key: string) => (typeof doc[key] === 'string' ? (doc[key] as string) : '')
  return {
    ok: true,
    authorization_url: str('authorization_endpoint'),
    token_url: str('token_endpoint'),
    userinfo_url: str('userinfo_endpoint'),
    jwks_url: str('jwks_uri'),
  }
}
