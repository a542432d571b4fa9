// Consumer authenticator apps (the SDKs' `totps`): a TOTP registration created for a user (its
// secret, QR code and recovery codes), a code from it or one of its recovery codes authenticated
// into the user's session, its unused recovery codes listed. The registrations and codes are the
// platform's (platform/login/totp.ts); the user's `totps` list is its user record's.
import type { Clock } from '../../clock.js'
import type { Config } from '../../config.js'
import { StytchError } from '../../errors.js'
import { type Totps, type TotpRow, unusedRecoveryCodes } from '../../platform/login/totp.js'
import { accountName, type UserRecords } from '../../platform/login/user-records.js'
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
import type { UserObject } from '../../platform/sessions/user-store.js'
import { privilegedCaller } from '../../platform/login/mfa-rule.js'

/** totps.create's expiration_minutes when none is given (Stytch's default: a day). */
export const DEFAULT_EXPIRATION_MINUTES = 1440

export class AuthenticatorApps {
  constructor(
    private readonly deps: {
      config: Config
      clock: Clock
      totps: Totps
      records: UserRecords
      directory: Directory
      sessions: ConsumerSessions
      core: SessionCore
    },
  ) {}

  /**
   * totps.create: a new pending registration of the user (by user_id or external_id), listed on
   * the user unverified until a code from it authenticates; a pending one before it is replaced.
   */
  async create(userId: string, expirationMinutes = DEFAULT_EXPIRATION_MINUTES) {
    const user = this.deps.directory.user(userId)
    const { row, qr_code } = await this.deps.totps.create(
      { owner_id: user.user_id },
      expirationMinutes,
      {
        issuer: this.deps.config.projectId,
        // Whom the app names the registration for: the user's first email or phone.
        account: accountName(user),
      },
    )
    return {
      totp_id: row.totp_id,
      secret: row.secret,
      qr_code,
      recovery_codes: row.recovery_codes.map((c) => c.code),
      user_id: user.user_id,
      user: this.listed(user, row),
    }
  }

  /** totps.authenticate: the code's registration verified, the totp factor in the session. */
  async authenticate(userId: string, code: string, session: AccessInput, via: LoginVia = API) {
    const existing = await this.deps.sessions.prepareLogin(session, via)
    const user = this.deps.directory.user(userId)
    const row = this.deps.totps.authenticate(user.user_id, code)
    const factor = this.factor('totp', 'authenticator_app', {
      authenticator_app_factor: { totp_id: row.totp_id },
    })
    const result = await this.deps.sessions.login(this.listed(user, row), factor, session, existing)
    return { ...result, user_id: user.user_id, totp_id: row.totp_id }
  }

  /** totps.recover: one recovery code spent, the recovery_codes factor in the session. */
  async recover(userId: string, code: string, session: AccessInput, via: LoginVia = API) {
    const existing = await this.deps.sessions.prepareLogin(session, via)
    const user = this.deps.directory.user(userId)
    const { row, recovery_code_id } = this.deps.totps.recover(user.user_id, code)
    const factor = this.factor('recovery_codes', 'recovery_code', {
      recovery_code_factor: { totp_recovery_code_id: recovery_code_id },
    })
    const result = await this.deps.sessions.login(user, factor, session, existing)
    return { ...result, user_id: user.user_id, totp_id: row.totp_id }
  }

  /**
   * totps.recoveryCodes: each of the user's registrations (the verified one, or a live pending
   * one) with its unused recovery codes; none at all is 404 totps_not_found_for_user.
   */
  recoveryCodes(userId: string) {
    const user = this.deps.directory.user(userId)
    const rows = this.deps.totps.list(user.user_id)
    if (rows.length === 0) throw new StytchError('totps_not_found_for_user')
    return {
      user_id: user.user_id,
      totps: rows.map((row) => ({
        totp_id: row.totp_id,
        verified: row.verified,
        recovery_codes: unusedRecoveryCodes(row),
      })),
    }
  }

  /** The frontend's caller for create and recoveryCodes (the platform's MFA rule, mfa-rule.ts). */
  async privilegedCaller(session: SessionArguments): Promise<string> {
    return (await privilegedCaller(this.deps, session)).user_id
  }

  /**
   * The user with this registration in its `totps` list; entries whose registration is gone (a
   * pending one replaced or expired) leave it.
   */
  private listed(user: UserObject, row: TotpRow): UserObject {
    const live = new Set(this.deps.totps.list(user.user_id).map((r) => r.totp_id))
    return this.deps.records.withTotp(
      user,
      { totp_id: row.totp_id, verified: row.verified },
      (id) => live.has(id),
    )
  }

  private factor(type: string, deliveryMethod: string, details: object): Factor {
    return loginFactor(type, deliveryMethod, details, this.deps.clock.nowSeconds())
  }
}
