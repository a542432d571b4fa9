// Session JWTs: RS256, header {alg, kid, typ: JWT}, top-level claims in sorted order (Stytch's
// API marshals the claim set as a map, so its JWTs list claims alphabetically).
import { StytchError } from '../../errors.js'
import type { KeyRing, SigningKey } from './keys.js'

export type Claims = Record<string, unknown>

const decoder = new TextDecoder()

// Why lazily: nothing before the first verify needs jose, and start-up is measured.
let josePromise: Promise<typeof import('jose')> | undefined
const jose = () => (josePromise ??= import('jose'))

/** Enough for the sessions a busy test suite touches within one second. */
const CACHE_SIZE = 4_096

export class SessionJwts {
  readonly issuer: string
  /**
   * Signatures already made, by kid and exact payload. RS256 (RSASSA-PKCS1-v1_5) is deterministic:
   * the same key over the same bytes always gives the same signature, so handing out the JWT
   * signed a moment ago for an identical claim set (same session, same second) is byte-for-byte
   * what signing again would give. It only spares the ~250 µs RSA operation.
   */
  readonly #signed = new Map<string, Promise<string>>()
  /** JWTs whose signature, audience and issuer already checked out, by their exact text. */
  readonly #verified = new Map<string, { kid: string; claims: Claims }>()

  constructor(
    private readonly keys: KeyRing,
    private readonly projectId: string,
  ) {
    this.issuer = `stytch.com/${projectId}`
  }

  /** The kid of the key that signs now. */
  get activeKid(): string {
    return this.keys.active.kid
  }

  /**
   * Signs the registered claims (aud, iss, sub, iat, nbf, exp = iat + lifetime, five minutes for a
   * session JWT) plus `claims`. `reuse: false` for a JWT no later call can share (a session's
   * first): caching it would only churn memory.
   */
  async sign(
    sub: string,
    iat: number,
    claims: Claims,
    reuse = true,
    lifetimeSeconds = 300,
  ): Promise<string> {
    const payload: Claims = {
      ...claims,
      aud: [this.projectId],
      exp: iat + lifetimeSeconds,
      iat,
      iss: this.issuer,
      nbf: iat,
      sub,
    }
    const sorted = Object.fromEntries(Object.entries(payload).sort(([a], [b]) => (a < b ? -1 : 1)))
    const key = this.keys.active
    const json = JSON.stringify(sorted)
    const cacheKey = `${key.kid}\n${json}`
    let jwt = reuse ? this.#signed.get(cacheKey) : undefined
    if (!jwt) {
      jwt = compactRs256(key, json)
      if (reuse) {
        remember(this.#signed, cacheKey, jwt)
        jwt.catch(() => this.#signed.delete(cacheKey))
      }
    }
    return jwt
  }

  /**
   * Verifies signature, audience and issuer, but not `exp`: Stytch's authenticate accepts an
   * expired JWT whose signature and session are still valid, and mints a fresh one.
   */
  async verify(jwt: string): Promise<Claims> {
    const known = this.#verified.get(jwt)
    // A retired key's JWTs stop verifying at once, cached or not.
    if (known && this.keys.byKid(known.kid)) return known.claims
    const { compactVerify, decodeProtectedHeader, errors: joseErrors } = await jose()
    let kid: string | undefined
    try {
      const header = decodeProtectedHeader(jwt)
      kid = header.kid
      if (header.alg !== 'RS256') throw new StytchError('unable_to_parse_session_jwt')
    } catch (err) {
      if (err instanceof StytchError) throw err
      throw new StytchError('unable_to_parse_session_jwt')
    }
    // Why: never pick a key from anything but an exact kid match among our own keys.
    const key = kid === undefined ? undefined : this.keys.byKid(kid)
    if (!key) throw new StytchError('unable_to_parse_session_jwt')
    let payload: Claims
    try {
      const result = await compactVerify(jwt, key.publicKey, { algorithms: ['RS256'] })
      payload = JSON.parse(decoder.decode(result.payload)) as Claims
    } catch (err) {
      if (err instanceof joseErrors.JOSEError || err instanceof SyntaxError) {
        throw new StytchError('unable_to_parse_session_jwt')
      }
      throw err
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new StytchError('unable_to_parse_session_jwt')
    }
    const aud = payload.aud
    if (!(aud === this.projectId || (Array.isArray(aud) && aud.includes(this.projectId)))) {
      throw new StytchError('jwt_invalid_audience')
    }
    if (payload.iss !== this.issuer) throw new StytchError('jwt_invalid_issuer')
    remember(this.#verified, jwt, { kid: key.kid, claims: payload })
    return payload
  }
}

/**
 * What jose's CompactSign gives for `{alg: RS256, kid, typ: JWT}` over this payload, byte for
 * byte, without its per-call checks and conversions: the header's part is made once per key and
 * the key imported into WebCrypto once. This costs a third of jose's main-thread time per JWT,
 * and a busy authenticate signs each session's JWT once a second (#31). The RSA operation runs
 * on libuv's pool, as through jose.
 */
async function compactRs256(key: SigningKey, payloadJson: string): Promise<string> {
  const { header, signer } = (signers.get(key) ?? signers.set(key, signerFor(key)).get(key))!
  const input = `${header}.${Buffer.from(payloadJson).toString('base64url')}`
  const signature = await globalThis.crypto.subtle.sign(
    'RSASSA-PKCS1-v1_5',
    await signer,
    Buffer.from(input),
  )
  return `${input}.${Buffer.from(signature).toString('base64url')}`
}

const signers = new WeakMap<SigningKey, { header: string; signer: Promise<CryptoKey> }>()

function signerFor(key: SigningKey) {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: key.kid, typ: 'JWT' })).toString(
    'base64url',
  )
  // jose's own refusal, kept: a key under 2048 bits signs nothing.
  const bits = key.privateKey.asymmetricKeyDetails?.modulusLength ?? 0
  const signer =
    bits < 2048
      ? Promise.reject(new TypeError('RS256 requires key modulusLength to be 2048 bits or larger'))
      : globalThis.crypto.subtle.importKey(
          'pkcs8',
          key.privateKey.export({ type: 'pkcs8', format: 'der' }),
          { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
          false,
          ['sign'],
        )
  // A failed import is tried again on the next JWT (and this one fails as it would have in jose).
  signer.catch(() => signers.delete(key))
  return { header, signer }
}

/** A bounded cache: the oldest entry goes first. */
function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.set(key, value)
  if (map.size > CACHE_SIZE) map.delete(map.keys().next().value as K)
}
