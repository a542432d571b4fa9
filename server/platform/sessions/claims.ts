// session_custom_claims: validated, then merged into the session's claims (null deletes a key,
// nested objects merge), as https://stytch.com/docs/guides/sessions/custom-claims describes.
import { StytchError } from '../../errors.js'

export type JsonObject = Record<string, unknown>

const RESERVED = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti'])
const MAX_BYTES = 4096

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

export function checkClaimNames(claims: JsonObject): void {
  for (const key of Object.keys(claims)) {
    if (RESERVED.has(key)) throw new StytchError('reserved_claims_in_custom_claims')
    if (key.startsWith('https://stytch.com/'))
      throw new StytchError('stytch_claims_in_custom_claims')
  }
}

export function mergeClaims(current: JsonObject, patch: JsonObject): JsonObject {
  checkClaimNames(patch)
  const merged = merge(current, patch)
  if (Buffer.byteLength(JSON.stringify(merged)) > MAX_BYTES) {
    throw new StytchError('custom_claims_too_large')
  }
  return merged
}

function merge(current: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...current }
  for (const [key, value] of Object.entries(patch)) {
    const existing = out[key]
    if (value === null) delete out[key]
    else if (isObject(value) && isObject(existing)) out[key] = merge(existing, value)
    else out[key] = value
  }
  return out
}
