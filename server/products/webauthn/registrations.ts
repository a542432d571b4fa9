// Consumer WebAuthn and passkeys (the SDKs' `webauthn`): a registration started for a user and
// finished with the browser's attestation, an assertion verified into a session, a registration
// renamed, a user's credentials listed. The checks of each ceremony are verify.ts's.
import { randomBytes } from 'node:crypto'
import type { Clock } from '../../clock.js'
import { StytchError } from '../../errors.js'
import { privilegedCaller } from '../../platform/login/mfa-rule.js'
import {
  accountName,
  type UserRecords,
  type WebAuthnRecord,
} from '../../platform/login/user-records.js'
import type { ConsumerSessions } from '../../platform/sessions/consumer.js'
import {
  API,
  type AccessInput,
  type Factor,
  type LoginVia,
  type SessionArguments,
  type SessionCore,
} from '../../platform/sessions/core.js'
import type { Directory } from '../../platform/sessions/directory.js'
import { loginFactor } from '../../platform/sessions/factors.js'
import { newId } from '../../platform/tokens/ids.js'
import {
  creationOptions,
  parseCredential,
  requestOptions,
  TIMEOUT_MS,
  userVerificationOf,
  type Credential,
  type OriginContext,
} from './options.js'
import type { ChallengeRow, CredentialRow, UserVerification, WebAuthnStore } from './store.js'
import { verifyAssertion, verifyAttestation } from './verify.js'

export interface RegisterStartInput {
  user_id: string
  domain: string
  user_agent?: string | undefined
  authenticator_type?: string | undefined
  return_passkey_credential_options?: boolean | undefined
  override_id?: string | undefined
  override_name?: string | undefined
  override_display_name?: string | undefined
  use_base64_url_encoding?: boolean | undefined
}

export interface AuthenticateStartInput {
  domain: string
  user_id?: string | undefined
  return_passkey_credential_options?: boolean | undefined
  use_base64_url_encoding?: boolean | undefined
  /** Stytch's options never ask for more than `preferred`; the mock's own tests may. */
  user_verification?: UserVerification | undefined
}

export class WebAuthnRegistrations {
  constructor(
    private readonly deps: {
      clock: Clock
      store: WebAuthnStore
      records: UserRecords
      directory: Directory
      sessions: ConsumerSessions
      core: SessionCore
    },
  ) {}

  /** webauthn.registerStart: creation options for the user, their challenge pending. */
  registerStart(input: RegisterStartInput) {
    const user = this.deps.directory.user(input.user_id)
    const domain = input.domain.toLowerCase()
    const handle = Buffer.from(input.override_id || user.user_id, 'utf8')
    // The spec caps override_id at 64 characters; WebAuthn caps user.id at 64 bytes.
    if (handle.length > MAX_USER_HANDLE_BYTES)
      throw new StytchError('invalid_argument', OVERRIDE_ID_TOO_LONG)
    const passkey = input.return_passkey_credential_options === true
    const userVerification = userVerificationOf(passkey)
    const challenge = this.issue({
      kind: 'register',
      user_id: user.user_id,
      domain,
      user_verification: userVerification,
      passkey,
      user_handle: handle.toString('base64url'),
      user_agent: input.user_agent ?? '',
      authenticator_type: input.authenticator_type ?? '',
    })
    const shown = accountName(user, { withName: true })
    return {
      user_id: user.user_id,
      public_key_credential_creation_options: creationOptions({
        challenge,
        domain,
        projectName: PROJECT_NAME,
        userHandle: handle,
        name: input.override_name || shown,
        displayName: input.override_display_name || shown,
        passkey,
        authenticatorType: input.authenticator_type ?? '',
        userVerification,
        exclude: this.deps.store.ofUser(user.user_id, domain).map((c) => c.credential_id),
        urlEncoding: input.use_base64_url_encoding === true,
      }),
    }
  }

  /**
   * webauthn.register: the attestation of a pending register/start of this user verified; the
   * credential stored, listed on the user (verified), and its factor in the session.
   */
  async register(
    userId: string,
    publicKeyCredential: string,
    session: AccessInput,
    origin: OriginContext,
    via: LoginVia = API,
  ) {
    const existing = await this.deps.sessions.prepareLogin(session, via)
    const user = this.deps.directory.user(userId)
    const credential = parseCredential(publicKeyCredential, ['attestationObject'])
    const pending = this.take(credential, 'register')
    if (!pending || pending.user_id !== user.user_id)
      throw new StytchError('no_pending_webauthn_registration')
    const made = await verifyAttestation(credential, pending, origin)
    if (this.deps.store.byCredentialId(made.id))
      throw new StytchError('duplicate_webauthn_registration')
    const row: CredentialRow = {
      webauthn_registration_id: newId('webauthn-registration'),
      credential_id: made.id,
      user_id: user.user_id,
      domain: pending.domain,
      public_key: Buffer.from(made.publicKey).toString('base64url'),
      counter: made.counter,
      transports: (credential.json.response.transports as string[] | undefined) ?? [],
      user_agent: pending.user_agent,
      authenticator_type: pending.authenticator_type,
      name: pending.passkey ? 'Passkey' : 'WebAuthn key',
      user_handle: pending.user_handle ?? Buffer.from(user.user_id).toString('base64url'),
      created_at: this.deps.clock.nowSeconds(),
    }
    this.deps.store.insertCredential(row)
    const listed = this.deps.records.withEntry(user, 'webauthn_registrations', registrationOf(row))
    const result = await this.deps.sessions.login(listed, this.factor(row), session, existing)
    return {
      ...result,
      user_id: user.user_id,
      webauthn_registration_id: row.webauthn_registration_id,
    }
  }

  /**
   * webauthn.authenticateStart: request options for the user's credentials on the domain, or
   * for any discoverable one when no user is named (`user_id` then answers "").
   */
  authenticateStart(input: AuthenticateStartInput) {
    const domain = input.domain.toLowerCase()
    const user = input.user_id === undefined ? undefined : this.deps.directory.user(input.user_id)
    const allow = user ? this.deps.store.ofUser(user.user_id, domain) : []
    if (user && allow.length === 0) throw new StytchError('no_active_webauthn_registrations')
    const passkey = input.return_passkey_credential_options === true
    const userVerification = input.user_verification ?? userVerificationOf(passkey)
    const challenge = this.issue({
      kind: 'authenticate',
      user_id: user?.user_id ?? null,
      domain,
      user_verification: userVerification,
      passkey,
      user_handle: null,
      user_agent: '',
      authenticator_type: '',
    })
    return {
      user_id: user?.user_id ?? '',
      public_key_credential_request_options: requestOptions({
        challenge,
        domain,
        allow: allow.map((c) => c.credential_id),
        userVerification,
        urlEncoding: input.use_base64_url_encoding === true,
      }),
    }
  }

  /**
   * webauthn.authenticate: an assertion for a pending authenticate/start, by a registered
   * credential (the credential names the user), verified; its counter kept (only if no other
   * assertion moved it meanwhile: two at once with one counter sign in once); the webauthn factor
   * in the session.
   */
  async authenticate(
    publicKeyCredential: string,
    session: AccessInput,
    origin: OriginContext,
    via: LoginVia = API,
  ) {
    const existing = await this.deps.sessions.prepareLogin(session, via)
    const credential = parseCredential(publicKeyCredential, ['authenticatorData', 'signature'])
    const pending = this.take(credential, 'authenticate')
    const row = this.deps.store.byCredentialId(credential.json.id)
    if (!row) throw new StytchError('webauthn_registration_not_found')
    const counter = await verifyAssertion(credential, pending, row, origin)
    if (!this.deps.store.advanceCounter(row.webauthn_registration_id, row.counter, counter))
      throw new StytchError('unable_to_auth_webauthn_registration')
    const user = this.deps.records.byId(row.user_id)
    const result = await this.deps.sessions.login(user, this.factor(row), session, existing)
    return {
      ...result,
      user_id: user.user_id,
      webauthn_registration_id: row.webauthn_registration_id,
    }
  }

  /**
   * webauthn.update: the registration renamed (in its user's list too). From the frontend SDK
   * (`owner`, the caller's user) another user's registration is as unknown as a missing one.
   */
  update(registrationId: string, name: string, owner?: string) {
    const row = this.deps.store.byRegistrationId(registrationId)
    if (!row || (owner !== undefined && row.user_id !== owner))
      throw new StytchError('webauthn_registration_not_found')
    this.deps.store.rename(registrationId, name)
    const renamed = { ...row, name }
    const user = this.deps.records.byId(row.user_id)
    this.deps.records.withEntry(user, 'webauthn_registrations', registrationOf(renamed))
    return { user_id: row.user_id, webauthn_registration: registrationOf(renamed) }
  }

  /** webauthn.listCredentials: the user's credentials on the domain, with their public keys. */
  listCredentials(userId: string, domain: string) {
    const user = this.deps.directory.user(userId)
    return {
      user_id: user.user_id,
      credentials: this.deps.store.ofUser(user.user_id, domain.toLowerCase()).map((c) => ({
        credential_id: c.credential_id,
        webauthn_registration_id: c.webauthn_registration_id,
        type: 'public-key',
        public_key: Buffer.from(c.public_key, 'base64url').toString('base64'),
      })),
    }
  }

  /** A registration's stored credential: its signature counter and when it was made (the inspector). */
  stored(registrationId: string): { counter: number; created_at: number } | undefined {
    const row = this.deps.store.byRegistrationId(registrationId)
    return row ? { counter: row.counter, created_at: row.created_at } : undefined
  }

  /** The frontend's caller for register/start (the platform's MFA rule, mfa-rule.ts). */
  async privilegedCaller(session: SessionArguments): Promise<string> {
    return (await privilegedCaller(this.deps, session)).user_id
  }

  /** A user's registration removed (users.deleteWebAuthnRegistration), or the user deleted. */
  forget(gone: { user_id: string } | { method_id: string }): void {
    if ('user_id' in gone) this.deps.store.deleteUser(gone.user_id)
    else this.deps.store.deleteRegistration(gone.method_id)
  }

  /** A new challenge: 33 random bytes (44 base64url characters, as Stytch's), pending until used. */
  private issue(row: Omit<ChallengeRow, 'challenge' | 'expires_at'>): string {
    const now = this.deps.clock.nowMs()
    const challenge = randomBytes(33).toString('base64url')
    this.deps.store.insertChallenge({ ...row, challenge, expires_at: now + TIMEOUT_MS }, now)
    return challenge
  }

  /** The pending challenge the credential's clientDataJSON names, spent now; null if none is live. */
  private take(credential: Credential, kind: ChallengeRow['kind']): ChallengeRow | null {
    const row = this.deps.store.takeChallenge(credential.clientData.challenge, kind)
    return row && row.expires_at > this.deps.clock.nowMs() ? row : null
  }

  private factor(row: CredentialRow): Factor {
    return loginFactor(
      'webauthn',
      'webauthn_registration',
      {
        webauthn_factor: {
          webauthn_registration_id: row.webauthn_registration_id,
          domain: row.domain,
          ...(row.user_agent ? { user_agent: row.user_agent } : {}),
        },
      },
      this.deps.clock.nowSeconds(),
    )
  }
}

/** rp.name in the creation options: the project's name, as the bootstrap answers it. */
const PROJECT_NAME = 'stytch-mock'

/** WebAuthn's largest user.id (user handle). */
const MAX_USER_HANDLE_BYTES = 64
const OVERRIDE_ID_TOO_LONG = 'override_id is at most 64 bytes (the WebAuthn user handle).'

/** The entry of the user's `webauthn_registrations` list (a stored credential is verified). */
const registrationOf = (row: CredentialRow): WebAuthnRecord => ({
  webauthn_registration_id: row.webauthn_registration_id,
  domain: row.domain,
  user_agent: row.user_agent,
  verified: true,
  authenticator_type: row.authenticator_type,
  name: row.name,
})
