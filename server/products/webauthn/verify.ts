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
  const refused = new StytchError('unable_to_register_webauthn_registration')
  if (!originAllowed(credential.clientData.origin, pending.domain, origin)) throw refused
  const { verifyRegistrationResponse } = await library()
  const result = await refusing(refused, () =>
    verifyRegistrationResponse({
      response: credential.json as never,
      expectedChallenge: pending.challenge,
      expectedOrigin: credential.clientData.origin,
      expectedRPID: pending.domain,
      requireUserVerification: pending.user_verification === 'required',
      supportedAlgorithmIDs: ALGORITHMS,
    }),
  )
  if (!result.verified) throw refused
  return result.registrationInfo.credential
}

/**
 * An assertion by a stored credential for a pending authenticate/start (null: none live): the
 * start's domain, and its user if it named one, must be the credential's; a userHandle, when the
 * authenticator sends one, the credential's user handle (WebAuthn §7.2 step 6). Its new counter.
 */
export async function verifyAssertion(
  credential: Credential,
  pending: ChallengeRow | null,
  row: CredentialRow,
  origin: OriginContext,
): Promise<number> {
  const refused = new StytchError('unable_to_auth_webauthn_registration')
  if (!pending || pending.domain !== row.domain) throw refused
  if (pending.user_id !== null && pending.user_id !== row.user_id) throw refused
  const handle = credential.json.response.userHandle
  if (typeof handle === 'string' && !sameBytes(handle, row.user_handle)) throw refused
  if (!originAllowed(credential.clientData.origin, row.domain, origin)) throw refused
  const { verifyAuthenticationResponse } = await library()
  const result = await refusing(refused, () =>
    verifyAuthenticationResponse({
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
    }),
  )
  if (!result.verified) throw refused
  return result.authenticationInfo.newCounter
}

const sameBytes = (a: string, b: string) =>
  Buffer.from(a, 'base64url').equals(Buffer.from(b, 'base64url'))

/**
 * SimpleWebAuthn's verdict: it throws for a wrong challenge, origin, RP ID, counter or missing
 * user presence, or for authenticator data, attestation or a signature it cannot read (all the
 * caller's input), and answers `verified: false` for a bad signature: the ceremony's refusal.
 * Only its call is caught: a fault in the mock's own code around it is thrown as it is (a 500).
 */
async function refusing<T>(refused: StytchError, verify: () => Promise<T>): Promise<T> {
  try {
    return await verify()
  } catch {
    throw refused
  }
}
