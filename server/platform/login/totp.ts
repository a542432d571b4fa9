// Authenticator apps (consumer `totps`, B2B `totps`) and their recovery codes: a TOTP registration
// of a user or member, its codes on the mock's clock (RFC 6238 by otpauth: SHA-1, 6 digits, 30 s,
// the previous and next window accepted, as Stytch documents), each code good once, ten single-use
// recovery codes, and the QR code Stytch returns (a PNG data URL of the otpauth:// URI).
import { randomInt } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import type { Clock } from '../../clock.js'
import { StytchError } from '../../errors.js'
import type { Db } from '../db.js'
import { newId } from '../tokens/ids.js'

export const TOTP_PERIOD = 30
const RECOVERY_CODES = 10

export interface RecoveryCode {
  /** totp_recovery_code_id, the recovery_code_factor's id in a session */
  id: string
  code: string
  used: boolean
}

export interface TotpRow {
  totp_id: string
  /** user_id or member_id */
  owner_id: string
  organization_id: string | null
  /** base32, as create returns it */
  secret: string
  verified: boolean
  /** an unverified registration stops working then (epoch seconds); null once verified */
  expires_at: number | null
  /** the last 30-second window a code was accepted in: that code, and older ones, fail */
  last_step: number | null
  recovery_codes: RecoveryCode[]
}

interface StoredRow extends Omit<TotpRow, 'verified' | 'recovery_codes'> {
  verified: number
  recovery_codes: string
}

/** How the registration reads in an authenticator app: `issuer` (the project), `account`. */
export interface TotpLabel {
  issuer: string
  account: string
}

export class Totps {
  readonly #byId
  readonly #byOwner
  readonly #put
  readonly #delete
  readonly #deleteOwner

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.#byId = db.prepare<[string], StoredRow>('SELECT * FROM totps WHERE totp_id = ?')
    this.#byOwner = db.prepare<[string], StoredRow>(
      'SELECT * FROM totps WHERE owner_id = ? ORDER BY verified DESC, rowid DESC',
    )
    this.#put = db.prepare<[StoredRow]>(
      `INSERT OR REPLACE INTO totps (totp_id, owner_id, organization_id, secret, verified, expires_at, last_step, recovery_codes)
       VALUES (@totp_id, @owner_id, @organization_id, @secret, @verified, @expires_at, @last_step, @recovery_codes)`,
    )
    this.#delete = db.prepare<[string]>('DELETE FROM totps WHERE totp_id = ?')
    this.#deleteOwner = db.prepare<[string]>('DELETE FROM totps WHERE owner_id = ?')
  }

  /**
   * A new registration for the owner, unverified until a code from it authenticates, usable for
   * `expirationMinutes`. One verified registration at most (`active_totp_exists`); an unverified
   * one it replaces. The secret, QR code and recovery codes come back once, as create returns them.
   */
  async create(
    owner: { owner_id: string; organization_id?: string | undefined },
    expirationMinutes: number,
    label: TotpLabel,
  ) {
    // The QR code's libraries load on the first create, not at start-up; before anything changes.
    const { qrCode } = await import('./qr-code.js')
    this.replacePending(owner.owner_id)
    const row: TotpRow = {
      totp_id: newId('totp'),
      owner_id: owner.owner_id,
      organization_id: owner.organization_id ?? null,
      secret: new Secret({ size: 20 }).base32,
      verified: false,
      expires_at: this.clock.nowSeconds() + expirationMinutes * 60,
      last_step: null,
      recovery_codes: newRecoveryCodes(),
    }
    this.save(row)
    return { row, qr_code: qrCode(totpOf(row.secret, label).toString()) }
  }

  /**
   * A registration made elsewhere (B2B totps.migrate): its base32 secret and recovery codes
   * imported as a verified registration (no codes given: ten new ones). As create, one verified
   * registration at most; an unverified one it replaces.
   */
  migrate(
    owner: { owner_id: string; organization_id?: string | undefined },
    secret: string,
    recoveryCodes: string[],
  ): TotpRow {
    this.replacePending(owner.owner_id)
    const row: TotpRow = {
      totp_id: newId('totp'),
      owner_id: owner.owner_id,
      organization_id: owner.organization_id ?? null,
      // Spaces, tabs, line breaks and `=` padding in an imported secret are layout, not key.
      secret: Secret.fromBase32(secret.replace(/[ \t\r\n=]/g, '').toUpperCase()).base32,
      verified: true,
      expires_at: null,
      last_step: null,
      recovery_codes:
        recoveryCodes.length === 0
          ? newRecoveryCodes()
          : recoveryCodes.map((code) => ({
              id: newId('totp-recovery-code'),
              code: code.trim(),
              used: false,
            })),
    }
    this.save(row)
    return row
  }

  /** The owner's registrations, verified first, newest first (expired unverified ones left out). */
  list(ownerId: string): TotpRow[] {
    const now = this.clock.nowSeconds()
    return this.#byOwner
      .all(ownerId)
      .map(parse)
      .filter((row) => row.verified || (row.expires_at ?? 0) > now)
  }

  get(totpId: string): TotpRow | undefined {
    const row = this.#byId.get(totpId)
    return row && parse(row)
  }

  /**
   * The registration a code is for, now verified: the owner's verified one, or the pending one
   * a first code verifies. A code of the previous, current or next window works, once; one not
   * newer than the last accepted fails (`totp_code_already_authenticated`).
   */
  authenticate(ownerId: string, code: string): TotpRow {
    const row = this.list(ownerId)[0]
    if (!row) throw new StytchError('totp_not_found')
    const step = this.matchingStep(row.secret, code)
    if (step === null) throw new StytchError('otp_code_not_found')
    if (row.last_step !== null && step <= row.last_step)
      throw new StytchError('totp_code_already_authenticated')
    const verified = { ...row, verified: true, expires_at: null, last_step: step }
    this.save(verified)
    return verified
  }

  /** Spends one of the owner's recovery codes; the registration it belongs to, and the code's id. */
  recover(ownerId: string, code: string) {
    const row = this.list(ownerId).find((r) => r.verified)
    if (!row) throw new StytchError('totp_not_found')
    const wanted = code.trim().toLowerCase()
    // Imported codes (migrate) keep their case; a code matches whatever case it is typed in.
    const match = row.recovery_codes.find((c) => c.code.toLowerCase() === wanted)
    if (!match || match.used) throw new StytchError('invalid_recovery_code')
    this.save({
      ...row,
      recovery_codes: row.recovery_codes.map((c) => (c === match ? { ...c, used: true } : c)),
    })
    return { row, recovery_code_id: match.id }
  }

  /** Ten new recovery codes for the owner's verified registration; the old ones stop working. */
  rotateRecoveryCodes(ownerId: string): TotpRow {
    const row = this.list(ownerId).find((r) => r.verified)
    if (!row) throw new StytchError('totp_not_found')
    const rotated = { ...row, recovery_codes: newRecoveryCodes() }
    this.save(rotated)
    return rotated
  }

  /** The code an authenticator app shows now for the owner's registration (test control). */
  currentCode(ownerId: string) {
    const row = this.list(ownerId)[0]
    if (!row) return undefined
    const now = this.clock.nowMs()
    const step = Math.floor(now / 1000 / TOTP_PERIOD)
    return {
      totp_id: row.totp_id,
      verified: row.verified,
      code: totpOf(row.secret).generate({ timestamp: now }),
      secret: row.secret,
      /** when this code's window ends: the next code works from then (epoch seconds) */
      valid_until: (step + 1) * TOTP_PERIOD,
    }
  }

  delete(totpId: string): void {
    this.#delete.run(totpId)
  }

  deleteOwner(ownerId: string): void {
    this.#deleteOwner.run(ownerId)
  }

  /**
   * Room for a new registration: none verified (`active_totp_exists`), and every unverified one,
   * live or expired, gone.
   */
  private replacePending(ownerId: string): void {
    const rows = this.#byOwner.all(ownerId)
    if (rows.some((row) => row.verified === 1)) throw new StytchError('active_totp_exists')
    for (const row of rows) this.#delete.run(row.totp_id)
  }

  /** The 30-second window (of the previous, current and next) whose code this is, or null. */
  private matchingStep(secret: string, code: string): number | null {
    const now = this.clock.nowMs()
    const delta = totpOf(secret).validate({ token: code, timestamp: now, window: 1 })
    return delta === null ? null : Math.floor(now / 1000 / TOTP_PERIOD) + delta
  }

  private save(row: TotpRow): void {
    this.#put.run({
      ...row,
      verified: row.verified ? 1 : 0,
      recovery_codes: JSON.stringify(row.recovery_codes),
    })
  }
}

/** Unused recovery codes, as totps.recoveryCodes and recovery_codes.get return them. */
export const unusedRecoveryCodes = (row: TotpRow) =>
  row.recovery_codes.filter((c) => !c.used).map((c) => c.code)

function parse(row: StoredRow): TotpRow {
  return {
    ...row,
    verified: row.verified === 1,
    recovery_codes: JSON.parse(row.recovery_codes) as RecoveryCode[],
  }
}

function totpOf(secret: string, label?: TotpLabel) {
  return new TOTP({
    ...(label ? { issuer: label.issuer, label: label.account } : {}),
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD,
    secret: Secret.fromBase32(secret),
  })
}

const CODE_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** Stytch's shape: `ckss-2skx-ebow`, three groups of four lower-case letters and digits. */
function newRecoveryCodes(): RecoveryCode[] {
  const group = () => Array.from({ length: 4 }, () => CODE_ALPHABET[randomInt(36)]).join('')
  return Array.from({ length: RECOVERY_CODES }, () => ({
    id: newId('totp-recovery-code'),
    code: `${group()}-${group()}-${group()}`,
    used: false,
  }))
}
