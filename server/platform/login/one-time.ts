// One-time secrets: passcodes (by the method they went to) and magic-link tokens. Single use,
// expiring on the mock's clock, five wrong passcodes burn one.
import { randomInt } from 'node:crypto'
import type { Clock } from '../../clock.js'
import { StytchError } from '../../errors.js'
import type { LoginSecretStore, SecretKind, SecretRow } from './store.js'
import { newSessionToken } from '../tokens/ids.js'
import { verifierMatches } from '../tokens/pkce.js'

export const MAX_ATTEMPTS = 5

interface Issue {
  subject_id: string
  organization_id?: string | undefined
  method_id: string
  address: string
  expiration_minutes: number
}

export class OneTimeSecrets {
  constructor(
    private readonly store: LoginSecretStore,
    private readonly clock: Clock,
    /** STYTCH_MOCK_OTP_CODE: every passcode is this one, for tests that type it blindly. */
    private readonly fixedCode: string | undefined,
  ) {}

  /** A new passcode for `key` (the method, or organization and email); it replaces the last one. */
  passcode(kind: 'otp' | 'b2b_otp', key: string, input: Issue & { code?: string }) {
    const code = input.code ?? this.fixedCode ?? String(randomInt(0, 1_000_000)).padStart(6, '0')
    const expires_at = this.clock.nowSeconds() + input.expiration_minutes * 60
    this.store.put(row(`${kind}:${key}`, kind, input, { code, expires_at }))
    return { code, expires_at }
  }

  /** The passcode's record, used up; Stytch's errors for a wrong, used, expired or burnt one. */
  redeemPasscode(kind: 'otp' | 'b2b_otp', key: string, code: string): SecretRow {
    const secretId = `${kind}:${key}`
    const secret = this.store.get(secretId)
    if (!secret) throw new StytchError('otp_code_not_found')
    if (secret.used || secret.attempts >= MAX_ATTEMPTS || this.expired(secret))
      throw new StytchError('unable_to_auth_otp_code')
    if (secret.code !== code) {
      this.store.countAttempt(secretId)
      throw new StytchError('otp_code_not_found')
    }
    if (!this.store.use(secretId)) throw new StytchError('unable_to_auth_otp_code')
    return secret
  }

  /** The passcode for `key` stops working, as if used (its subject is gone). */
  revokePasscode(kind: 'otp' | 'b2b_otp', key: string): void {
    this.store.use(`${kind}:${key}`)
  }

  link(
    kind: 'magic_link' | 'b2b_magic_link',
    input: Issue & { code_challenge?: string | undefined },
  ) {
    const token = newSessionToken()
    const expires_at = this.clock.nowSeconds() + input.expiration_minutes * 60
    this.store.put(
      row(token, kind, input, { expires_at, code_challenge: input.code_challenge ?? null }),
    )
    return { token, expires_at }
  }

  /** The link's record, used up; checks the PKCE verifier when the flow began with a challenge. */
  redeemLink(kind: 'magic_link' | 'b2b_magic_link', token: string, verifier?: string): SecretRow {
    const secret = this.store.get(token)
    if (!secret || secret.kind !== kind) throw new StytchError('magic_link_not_found')
    if (secret.used || this.expired(secret)) throw new StytchError('unable_to_auth_magic_link')
    if (secret.code_challenge !== null) {
      if (verifier === undefined) throw new StytchError('pkce_expected_code_verifier')
      if (!verifierMatches(verifier, secret.code_challenge)) throw new StytchError('pkce_mismatch')
    }
    if (!this.store.use(token)) throw new StytchError('unable_to_auth_magic_link')
    return secret
  }

  private expired(secret: SecretRow): boolean {
    return secret.expires_at <= this.clock.nowSeconds()
  }
}

function row(
  secret_id: string,
  kind: SecretKind,
  input: Issue,
  extra: { code?: string; code_challenge?: string | null; expires_at: number },
): SecretRow {
  return {
    secret_id,
    kind,
    subject_id: input.subject_id,
    organization_id: input.organization_id ?? null,
    method_id: input.method_id,
    address: input.address,
    code: extra.code ?? null,
    code_challenge: extra.code_challenge ?? null,
    expires_at: extra.expires_at,
    attempts: 0,
    used: 0,
  }
}
