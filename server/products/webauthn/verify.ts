// The ceremonies' checks, by @simplewebauthn/server (loaded on the first one: its import takes
// about 300 ms): the challenge, the origin (options.ts's rule), the RP ID, user presence and, when
// the options asked `required`, verification, the signature (attestation or assertion), and a
// signature counter that must grow. Any refusal is Stytch's error of the ceremony.
import { StytchError } from '../../errors.js'
import { ALGORITHMS, originAllowed, type Credential, type OriginContext } from './options.js'
import type { ChallengeRow, CredentialRow } from './store.js'

const library = () => import('@simplewebauthn/server')

/** A registration's attestation for its pending register/start: the new credential. */
export async function verifyAttestation(
  credential: Credential,
  pending: ChallengeRow,
  origin: OriginContext,
) {
  const { verifyRegistrationResponse } = await library()
  return refusedAs('unable_to_register_webauthn_registration', async () => {
    if (!originAllowed(credential.clientData.origin, pending.domain, origin)) return undefined
    const result = await verifyRegistrationResponse({
      response: credential.json as never,
      expectedChallenge: pending.challenge,
      expectedOrigin: credential.clientData.origin,
      expectedRPID: pending.domain,
      requireUserVerification: pending.user_verification === 'required',
      supportedAlgorithmIDs: ALGORITHMS,
    })
    return result.verified ? result.registrationInfo.credential : undefined
  })
}

/**
 * An assertion by a stored credential for a pending authenticate/start (null: none live): the
 * start's domain, and its user if it named one, must be the credential's. Its new counter.
 */
export async function verifyAssertion(
  credential: Credential,
  pending: ChallengeRow | null,
  row: CredentialRow,
  origin: OriginContext,
): Promise<number> {
  const { verifyAuthenticationResponse } = await library()
  return refusedAs('unable_to_auth_webauthn_registration', async () => {
    if (!pending || pending.domain !== row.domain) return undefined
    if (pending.user_id !== null && pending.user_id !== row.user_id) return undefined
    if (!originAllowed(credential.clientData.origin, row.domain, origin)) return undefined
    const result = await verifyAuthenticationResponse({
      response: credential.json as never,
      expectedChallenge: pending.challenge,
      expectedOrigin: credential.clientData.origin,
      expectedRPID: row.domain,
      credential: {
        id: row.credential_id,
        publicKey: Buffer.from(row.public_key, 'base64url'),
        counter: row.counter,
      },
      requireUserVerification: pending.user_verification === 'required',
    })
    return result.verified ? result.authenticationInfo.newCounter : undefined
  })
}

/**
 * SimpleWebAuthn throws for a wrong challenge, origin, RP ID, counter or missing user presence
 * (or malformed authenticator data), and answers `verified: false` for a bad signature: both are
 * the ceremony's refusal.
 */
async function refusedAs<T>(
  type: 'unable_to_register_webauthn_registration' | 'unable_to_auth_webauthn_registration',
  verify: () => Promise<T | undefined>,
): Promise<T> {
  let result: T | undefined
  try {
    result = await verify()
  } catch {
    result = undefined
  }
  if (result === undefined) throw new StytchError(type)
  return result
}
