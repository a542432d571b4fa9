// Consumer crypto wallets (the SDKs' `cryptoWallets`): an authenticate start finds the wallet's
// user, adds the wallet (unverified) to the user a call names, or makes a user for it, and issues
// the challenge the wallet may sign for that user (a Sign-In with Ethereum message, or Stytch's
// plain one); an authenticate verifies the signature of that challenge for real, spends it,
// verifies the wallet on that user (only then is it theirs), and logs the user in with the
// `crypto_wallet` factor. The user's `crypto_wallets` list is its user record's.
import { randomBytes } from 'node:crypto'
import type { Clock } from '../../clock.js'
import { StytchError } from '../../errors.js'
import type { UserRecords } from '../../platform/login/user-records.js'
import type { ConsumerSessions } from '../../platform/sessions/consumer.js'
import {
  API,
  type AccessInput,
  type LoginVia,
  type SessionArguments,
} from '../../platform/sessions/core.js'
import type { Directory } from '../../platform/sessions/directory.js'
import { loginFactor } from '../../platform/sessions/factors.js'
import type { UserObject } from '../../platform/sessions/user-store.js'
import { newId } from '../../platform/tokens/ids.js'
import { checkSiweTimes, siweAnswer, siweMessage, siweRecord, type SiweInput } from './siwe.js'
import { addressKey, parseSignature, signedBy, type WalletType } from './signatures.js'
import type { WalletRow, WalletStore } from './store.js'

/** How long a challenge may be signed (Unverified: Stytch documents none). */
export const CHALLENGE_MINUTES = 10

export interface StartInput extends SessionArguments {
  crypto_wallet_type: WalletType
  crypto_wallet_address: string
  user_id?: string | undefined
  siwe_params?: SiweInput | undefined
}

export interface AuthenticateInput extends AccessInput {
  crypto_wallet_type: WalletType
  crypto_wallet_address: string
  signature: string
}

export class CryptoWallets {
  constructor(
    private readonly deps: {
      clock: Clock
      store: WalletStore
      records: UserRecords
      directory: Directory
      sessions: ConsumerSessions
    },
  ) {}

  /**
   * cryptoWallets.authenticateStart: the wallet's user (a verified wallet's; else the user named
   * by user_id or the session, the wallet added to them unverified; else the user a start made
   * for it, or a new one), and the new challenge of that user's wallet (the one before replaced).
   * An unverified wallet binds no one: naming a user claims nothing until its signature comes.
   */
  async start(input: StartInput) {
    const type = input.crypto_wallet_type
    const key = addressKey(type, input.crypto_wallet_address)
    const now = this.deps.clock.nowSeconds()
    const siwe = input.siwe_params && siweRecord(input.siwe_params, now)
    const target = await this.target(input)
    const named = { type, address: input.crypto_wallet_address, key }
    const rows = this.deps.store.ofAddress(type, key)
    const owned = rows.find((w) => w.verified)
    let wallet: WalletRow | undefined
    let userCreated = false
    if (target) {
      if (owned && owned.user_id !== target.user_id)
        throw new StytchError('duplicate_wallet_address')
      wallet = owned ?? rows.find((w) => w.user_id === target.user_id)
      wallet ??= this.add(target, named, false)
    } else {
      wallet = owned ?? rows.find((w) => w.made_user)
      if (!wallet) {
        userCreated = true
        const user = this.deps.records.register({})
        wallet = this.add(user, named, true)
      }
    }
    const challenge = siwe
      ? siweMessage(siwe, input.crypto_wallet_address, input.siwe_params?.statement)
      : `Signing in with Project: ${randomBytes(60).toString('base64url')}`
    this.deps.store.putChallenge({
      crypto_wallet_id: wallet.crypto_wallet_id,
      challenge,
      siwe: siwe ?? null,
      expires_at: now + CHALLENGE_MINUTES * 60,
    })
    return { user_id: wallet.user_id, challenge, user_created: userCreated }
  }

  /**
   * cryptoWallets.authenticate: the start whose challenge the signature signs (each user the
   * wallet is on may have one pending), the challenge spent, the wallet verified on that user
   * (unless another user verified it since), the `crypto_wallet` factor in the session.
   */
  async authenticate(input: AuthenticateInput, via: LoginVia = API) {
    const existing = await this.deps.sessions.prepareLogin(input, via)
    const type = input.crypto_wallet_type
    const key = addressKey(type, input.crypto_wallet_address)
    const signature = parseSignature(type, input.signature)
    const rows = this.deps.store.ofAddress(type, key)
    if (rows.length === 0) throw new StytchError('crypto_wallet_not_found')
    const signed = rows
      .map((wallet) => ({ wallet, pending: this.deps.store.challengeOf(wallet.crypto_wallet_id) }))
      .find(({ pending }) => pending && signedBy(type, key, pending.challenge, signature))
    // None pending (spent: single use, or never issued), or not this wallet's signature of one.
    if (!signed?.pending) throw new StytchError('unable_to_authenticate_crypto_wallet')
    const { wallet, pending } = signed
    const now = this.deps.clock.nowSeconds()
    if (pending.siwe) checkSiweTimes(pending.siwe, pending.expires_at, now)
    else if (now >= pending.expires_at)
      throw new StytchError('unable_to_authenticate_crypto_wallet')
    if (!this.deps.store.spend(wallet.crypto_wallet_id, pending.challenge))
      throw new StytchError('unable_to_authenticate_crypto_wallet')
    if (!wallet.verified) {
      if (rows.some((w) => w.verified)) throw new StytchError('duplicate_wallet_address')
      this.deps.store.verify(wallet.crypto_wallet_id)
    }
    const user = this.deps.records.withEntry(
      this.deps.records.byId(wallet.user_id),
      'crypto_wallets',
      entry({ ...wallet, verified: true }),
    )
    const factor = loginFactor(
      'crypto',
      'crypto_wallet',
      {
        crypto_wallet_factor: {
          crypto_wallet_id: wallet.crypto_wallet_id,
          crypto_wallet_address: wallet.crypto_wallet_address,
          crypto_wallet_type: wallet.crypto_wallet_type,
        },
      },
      now,
    )
    const result = await this.deps.sessions.login(user, factor, input, existing)
    return {
      ...result,
      user_id: user.user_id,
      siwe_params: pending.siwe ? siweAnswer(pending.siwe) : null,
    }
  }

  /** The wallet added to the user, unverified (madeUser: the user was made for it). */
  private add(
    user: UserObject,
    wallet: { type: WalletType; address: string; key: string },
    madeUser: boolean,
  ): WalletRow {
    const row = this.deps.store.insert({
      crypto_wallet_id: newId('crypto-wallet'),
      user_id: user.user_id,
      crypto_wallet_type: wallet.type,
      crypto_wallet_address: wallet.address,
      address_key: wallet.key,
      verified: false,
      made_user: madeUser,
    })
    this.deps.records.withEntry(user, 'crypto_wallets', entry(row))
    return row
  }

  /** The user a start names: by user_id (or external_id), by session, or both the same one. */
  private async target(input: StartInput): Promise<UserObject | undefined> {
    const named = input.user_id === undefined ? undefined : this.deps.directory.user(input.user_id)
    if (input.session_token === undefined && input.session_jwt === undefined) return named
    const { user_id } = await this.deps.sessions.userOf(input)
    if (named && named.user_id !== user_id) throw new StytchError('user_id_mismatch')
    return named ?? this.deps.records.byId(user_id)
  }
}

/** The wallet's entry in its user's `crypto_wallets`. */
const entry = (wallet: WalletRow) => ({
  crypto_wallet_id: wallet.crypto_wallet_id,
  crypto_wallet_address: wallet.crypto_wallet_address,
  crypto_wallet_type: wallet.crypto_wallet_type,
  verified: wallet.verified,
})
