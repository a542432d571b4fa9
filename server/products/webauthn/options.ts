// Pure pieces of WebAuthn as Stytch speaks it: the PublicKeyCredentialCreationOptions and
// RequestOptions it hands out as JSON text, the public_key_credential a browser (or a backend
// caller) sends back, and which origins a ceremony may come from.
import { StytchError } from '../../errors.js'
import type { UserVerification } from './store.js'

/** Stytch's documented timeout; a challenge lives as long (on the mock's clock). */
export const TIMEOUT_MS = 300_000

/** COSE algorithms offered and accepted: ES256, EdDSA, RS256. */
export const ALGORITHMS = [-7, -8, -257]

const base64url = (bytes: Buffer) => bytes.toString('base64url')

/**
 * An id as the options carry it: standard base64 with padding, or base64url without it when the
 * caller asked for `use_base64_url_encoding` (Stytch's flag; either decodes in webauthn-json).
 */
const encode = (bytes: Buffer, urlEncoding: boolean) =>
  urlEncoding ? base64url(bytes) : bytes.toString('base64')

/** A credential id (stored as base64url) as the options list it: by `encode`'s flag. */
const descriptor = (credentialId: string, urlEncoding: boolean) => ({
  id: encode(Buffer.from(credentialId, 'base64url'), urlEncoding),
  type: 'public-key',
})

export interface CreationInput {
  challenge: string
  domain: string
  projectName: string
  /** user.id: the user_id's or override_id's UTF-8 bytes */
  userHandle: Buffer
  name: string
  displayName: string
  passkey: boolean
  authenticatorType: string
  userVerification: UserVerification
  /** The user's credentials on this domain (the authenticator refuses to make another). */
  exclude: string[]
  urlEncoding: boolean
}

/**
 * public_key_credential_creation_options. Keys in alphabetical order, as Stytch's documented
 * request-options sample has them; the challenge is base64url whatever the flag.
 */
export function creationOptions(input: CreationInput): string {
  return JSON.stringify({
    attestation: 'none',
    authenticatorSelection: {
      ...(input.authenticatorType ? { authenticatorAttachment: input.authenticatorType } : {}),
      ...(input.passkey ? { requireResidentKey: true, residentKey: 'required' } : {}),
      userVerification: input.userVerification,
    },
    challenge: input.challenge,
    excludeCredentials: input.exclude.map((id) => descriptor(id, input.urlEncoding)),
    pubKeyCredParams: ALGORITHMS.map((alg) => ({ alg, type: 'public-key' })),
    rp: { id: input.domain, name: input.projectName },
    timeout: TIMEOUT_MS,
    user: {
      displayName: input.displayName,
      id: encode(input.userHandle, input.urlEncoding),
      name: input.name,
    },
  })
}

/** public_key_credential_request_options, as Stytch's documented sample. */
export function requestOptions(input: {
  challenge: string
  domain: string
  allow: string[]
  userVerification: UserVerification
  urlEncoding: boolean
}): string {
  return JSON.stringify({
    allowCredentials: input.allow.map((id) => descriptor(id, input.urlEncoding)),
    challenge: input.challenge,
    rpId: input.domain,
    timeout: TIMEOUT_MS,
    userVerification: input.userVerification,
  })
}

/** The user verification the options ask for: Stytch's passkey options prefer it. */
export const userVerificationOf = (passkey: boolean): UserVerification =>
  passkey ? 'preferred' : 'discouraged'

export interface ClientData {
  type: string
  challenge: string
  origin: string
}

/** What a register or authenticate sent, normalised to SimpleWebAuthn's JSON shapes. */
export interface Credential {
  json: {
    id: string
    rawId: string
    type: 'public-key'
    response: Record<string, string | string[] | null | undefined> & { clientDataJSON: string }
    clientExtensionResults: Record<string, unknown>
    authenticatorAttachment?: string
  }
  clientData: ClientData
}

const BINARY = /^[A-Za-z0-9+/_-]*={0,2}$/
/** base64 or base64url (backend callers may encode either way), as base64url without padding. */
const toBase64url = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 && BINARY.test(value)
    ? value.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    : undefined

const invalid = () => new StytchError('invalid_public_key_credential')

/**
 * public_key_credential: the JSON text of a PublicKeyCredential (webauthn-json's output, or a
 * backend's own encoding of it), with the binary fields `fields` names present. Anything else is
 * 400 invalid_public_key_credential, Stytch's documented error.
 */
export function parseCredential(text: string, fields: readonly string[]): Credential {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw invalid()
  }
  const object = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
  if (!object(parsed) || !object(parsed.response)) throw invalid()
  const id = toBase64url(parsed.rawId ?? parsed.id)
  if (!id || (parsed.type !== undefined && parsed.type !== 'public-key')) throw invalid()
  const response: Credential['json']['response'] = { clientDataJSON: '' }
  for (const field of ['clientDataJSON', ...fields]) {
    const value = toBase64url(parsed.response[field])
    if (!value) throw invalid()
    response[field] = value
  }
  const handle = parsed.response.userHandle
  if (typeof handle === 'string' && handle !== '') {
    response.userHandle = toBase64url(handle)
    if (!response.userHandle) throw invalid()
  }
  const transports = parsed.response.transports
  if (Array.isArray(transports) && transports.every((t) => typeof t === 'string'))
    response.transports = transports as string[]
  let clientData: unknown
  try {
    clientData = JSON.parse(Buffer.from(response.clientDataJSON, 'base64url').toString('utf8'))
  } catch {
    throw invalid()
  }
  if (
    !object(clientData) ||
    typeof clientData.type !== 'string' ||
    typeof clientData.challenge !== 'string' ||
    typeof clientData.origin !== 'string'
  )
    throw invalid()
  return {
    json: {
      id,
      rawId: id,
      type: 'public-key',
      response,
      clientExtensionResults: object(parsed.clientExtensionResults)
        ? parsed.clientExtensionResults
        : {},
      ...(typeof parsed.authenticatorAttachment === 'string'
        ? { authenticatorAttachment: parsed.authenticatorAttachment }
        : {}),
    },
    clientData: {
      type: clientData.type,
      challenge: clientData.challenge,
      origin: clientData.origin,
    },
  }
}

/** Where the ceremony's finishing request came from, and what the project allows. */
export interface OriginContext {
  /** /sdk/v1: the request's Origin header (the page the SDK runs in); /v1: undefined. */
  requestOrigin: string | undefined
  /** STYTCH_MOCK_ALLOWED_ORIGINS (Stytch's authorized domains); null for any. */
  allowedOrigins: string[] | null
}

const isLocalhost = (hostname: string) =>
  hostname === 'localhost' || hostname.endsWith('.localhost')

/**
 * Whether a ceremony on `origin` (clientDataJSON's) may be for the RP ID `domain`: the origin's
 * host is the RP ID or under it; it is https, or http on localhost (what browsers allow); from
 * the frontend SDK it is the page's own Origin; with allowed origins set, it is one of them.
 */
export function originAllowed(origin: string, domain: string, context: OriginContext): boolean {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  if (url.origin !== origin) return false
  const host = url.hostname
  if (host !== domain && !host.endsWith(`.${domain}`)) return false
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocalhost(host))) return false
  if (context.requestOrigin !== undefined && context.requestOrigin !== origin) return false
  if (context.allowedOrigins && !context.allowedOrigins.includes(origin)) return false
  return true
}
