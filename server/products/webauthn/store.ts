// WebAuthn's tables: the registered credentials (public key, signature counter) and the pending
// challenges of register/start and authenticate/start, each good once until it expires. SQL only.
import type { Db } from '../../platform/db.js'

/** Its tables, made when the database opens (products/registry.ts). */
export const SCHEMA = `
-- WebAuthn credentials (server/products/webauthn/): one per registration of a user, with the
-- COSE public key its assertions are checked against and the last signature counter seen.
CREATE TABLE IF NOT EXISTS webauthn_credentials (
  webauthn_registration_id TEXT PRIMARY KEY,
  credential_id      TEXT NOT NULL UNIQUE,   -- base64url of the raw id
  user_id            TEXT NOT NULL,
  domain             TEXT NOT NULL,          -- the RP ID
  public_key         TEXT NOT NULL,          -- base64url of the COSE_Key
  counter            INTEGER NOT NULL,
  transports         TEXT NOT NULL,          -- JSON array
  user_agent         TEXT NOT NULL,
  authenticator_type TEXT NOT NULL,          -- as requested: platform, cross-platform or ''
  name               TEXT NOT NULL,
  user_handle        TEXT NOT NULL,          -- base64url of user.id (the user_id, or override_id)
  created_at         INTEGER NOT NULL        -- epoch seconds
) STRICT;
CREATE INDEX IF NOT EXISTS webauthn_credentials_user ON webauthn_credentials (user_id, domain);

-- Pending WebAuthn challenges: a register/start for a user, or an authenticate/start (for a user,
-- or for anyone: a discoverable credential). Taken (deleted) by the first register or
-- authenticate that presents it.
CREATE TABLE IF NOT EXISTS webauthn_challenges (
  challenge          TEXT PRIMARY KEY,       -- base64url, as clientDataJSON carries it
  kind               TEXT NOT NULL CHECK (kind IN ('register', 'authenticate')),
  user_id            TEXT,                   -- NULL: an authenticate/start naming no user
  domain             TEXT NOT NULL,
  user_verification  TEXT NOT NULL CHECK (user_verification IN ('required', 'preferred', 'discouraged')),
  passkey            INTEGER NOT NULL,       -- return_passkey_credential_options
  user_handle        TEXT,                   -- a register/start's user.id, base64url
  user_agent         TEXT NOT NULL,
  authenticator_type TEXT NOT NULL,
  expires_at         INTEGER NOT NULL        -- epoch milliseconds
) STRICT;
`

export interface CredentialRow {
  webauthn_registration_id: string
  credential_id: string
  user_id: string
  domain: string
  public_key: string
  counter: number
  transports: string[]
  user_agent: string
  authenticator_type: string
  name: string
  /** base64url of the user.id the credential was made for: its assertions' userHandle. */
  user_handle: string
  created_at: number
}

export type UserVerification = 'required' | 'preferred' | 'discouraged'

export interface ChallengeRow {
  challenge: string
  kind: 'register' | 'authenticate'
  user_id: string | null
  domain: string
  user_verification: UserVerification
  passkey: boolean
  /** A register/start's user.id (base64url); null for an authenticate/start. */
  user_handle: string | null
  user_agent: string
  authenticator_type: string
  expires_at: number
}

type StoredCredential = Omit<CredentialRow, 'transports'> & { transports: string }
type StoredChallenge = Omit<ChallengeRow, 'passkey'> & { passkey: number }

const credential = (raw: StoredCredential | undefined): CredentialRow | null =>
  raw ? { ...raw, transports: JSON.parse(raw.transports) as string[] } : null

export class WebAuthnStore {
  readonly #insertCredential
  readonly #byCredentialId
  readonly #byRegistrationId
  readonly #ofUser
  readonly #setCounter
  readonly #rename
  readonly #deleteRegistration
  readonly #deleteUser
  readonly #insertChallenge
  readonly #takeChallenge
  readonly #prune
  readonly #deleteUserChallenges

  constructor(db: Db) {
    this.#insertCredential = db.prepare<StoredCredential>(
      `INSERT INTO webauthn_credentials (webauthn_registration_id, credential_id, user_id, domain,
        public_key, counter, transports, user_agent, authenticator_type, name, user_handle,
        created_at)
       VALUES (@webauthn_registration_id, @credential_id, @user_id, @domain, @public_key, @counter,
        @transports, @user_agent, @authenticator_type, @name, @user_handle, @created_at)`,
    )
    this.#byCredentialId = db.prepare<[string], StoredCredential>(
      'SELECT * FROM webauthn_credentials WHERE credential_id = ?',
    )
    this.#byRegistrationId = db.prepare<[string], StoredCredential>(
      'SELECT * FROM webauthn_credentials WHERE webauthn_registration_id = ?',
    )
    this.#ofUser = db.prepare<[string, string], StoredCredential>(
      'SELECT * FROM webauthn_credentials WHERE user_id = ? AND domain = ? ORDER BY created_at, rowid',
    )
    this.#setCounter = db.prepare<[number, string, number]>(
      'UPDATE webauthn_credentials SET counter = ? WHERE webauthn_registration_id = ? AND counter = ?',
    )
    this.#rename = db.prepare<[string, string]>(
      'UPDATE webauthn_credentials SET name = ? WHERE webauthn_registration_id = ?',
    )
    this.#deleteRegistration = db.prepare<[string]>(
      'DELETE FROM webauthn_credentials WHERE webauthn_registration_id = ?',
    )
    this.#deleteUser = db.prepare<[string]>('DELETE FROM webauthn_credentials WHERE user_id = ?')
    this.#insertChallenge = db.prepare<StoredChallenge>(
      `INSERT INTO webauthn_challenges (challenge, kind, user_id, domain, user_verification, passkey,
        user_handle, user_agent, authenticator_type, expires_at)
       VALUES (@challenge, @kind, @user_id, @domain, @user_verification, @passkey, @user_handle,
        @user_agent, @authenticator_type, @expires_at)`,
    )
    // Single use: the row goes as it is read, so two requests with one challenge get it once.
    this.#takeChallenge = db.prepare<[string, string], StoredChallenge>(
      'DELETE FROM webauthn_challenges WHERE challenge = ? AND kind = ? RETURNING *',
    )
    this.#prune = db.prepare<[number]>('DELETE FROM webauthn_challenges WHERE expires_at <= ?')
    this.#deleteUserChallenges = db.prepare<[string]>(
      'DELETE FROM webauthn_challenges WHERE user_id = ?',
    )
  }

  insertCredential(row: CredentialRow): void {
    this.#insertCredential.run({ ...row, transports: JSON.stringify(row.transports) })
  }

  byCredentialId(credentialId: string): CredentialRow | null {
    return credential(this.#byCredentialId.get(credentialId))
  }

  byRegistrationId(registrationId: string): CredentialRow | null {
    return credential(this.#byRegistrationId.get(registrationId))
  }

  /** A user's credentials for an RP ID, oldest first. */
  ofUser(userId: string, domain: string): CredentialRow[] {
    return this.#ofUser.all(userId, domain).map((raw) => credential(raw)!)
  }

  /**
   * The counter an assertion reported, stored only if the counter is still the one it was
   * verified against: false when another assertion (or a deletion) came in between.
   */
  advanceCounter(registrationId: string, from: number, to: number): boolean {
    return this.#setCounter.run(to, registrationId, from).changes === 1
  }

  rename(registrationId: string, name: string): void {
    this.#rename.run(name, registrationId)
  }

  deleteRegistration(registrationId: string): void {
    this.#deleteRegistration.run(registrationId)
  }

  /** A deleted user's credentials and pending challenges. */
  deleteUser(userId: string): void {
    this.#deleteUser.run(userId)
    this.#deleteUserChallenges.run(userId)
  }

  /** A new pending challenge; those expired by `nowMs` are cleared on the way. */
  insertChallenge(row: ChallengeRow, nowMs: number): void {
    this.#prune.run(nowMs)
    this.#insertChallenge.run({ ...row, passkey: row.passkey ? 1 : 0 })
  }

  /** The pending challenge of this kind, gone from the table; null if unknown or already taken. */
  takeChallenge(challenge: string, kind: ChallengeRow['kind']): ChallengeRow | null {
    const raw = this.#takeChallenge.get(challenge, kind)
    return raw ? { ...raw, passkey: raw.passkey === 1 } : null
  }
}
