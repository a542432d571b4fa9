// Session JWTs: RS256, header {alg, kid, typ: JWT}, top-level claims in sorted order (Stytch's
// API marshals the claim set as a map, so its JWTs list claims alphabetically).
import { CompactSign, compactVerify, decodeProtectedHeader, errors as joseErrors } from 'jose'
import { StytchError } from '../errors.js'
import type { KeyRing } from './keys.js'

export type Claims = Record<string, unknown>

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export class SessionJwts {
  readonly issuer: string

  constructor(
    private readonly keys: KeyRing,
    private readonly projectId: string,
  ) {
    this.issuer = `stytch.com/${projectId}`
  }

  /** Signs the registered claims (aud, iss, sub, iat, nbf, exp = iat + 300) plus `claims`. */
  async sign(sub: string, iat: number, claims: Claims): Promise<string> {
    const payload: Claims = {
      ...claims,
      aud: [this.projectId],
      exp: iat + 300,
      iat,
      iss: this.issuer,
      nbf: iat,
      sub,
    }
    const sorted = Object.fromEntries(Object.entries(payload).sort(([a], [b]) => (a < b ? -1 : 1)))
    const key = this.keys.active
    return new CompactSign(encoder.encode(JSON.stringify(sorted)))
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .sign(key.privateKey)
  }

  /**
   * Verifies signature, audience and issuer, but not `exp`: Stytch's authenticate accepts an
   * expired JWT whose signature and session are still valid, and mints a fresh one.
   */
  async verify(jwt: string): Promise<Claims> {
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
    return payload
  }
}
