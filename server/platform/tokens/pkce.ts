// PKCE (RFC 7636, S256): a verifier matches the challenge a flow began with.
import { createHash } from 'node:crypto'

export function verifierMatches(verifier: string, challenge: string): boolean {
  return createHash('sha256').update(verifier).digest('base64url') === challenge
}
