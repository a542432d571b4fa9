// Consumer crypto wallets (the SDKs' `cryptoWallets`): an authenticate start finds the wallet's
// user, attaches the wallet to the user a call names, or makes a user for it, and issues the one
// challenge the wallet may sign (a Sign-In with Ethereum message, or Stytch's plain one); an
// authenticate verifies the signature of that challenge for real, spends it, and logs the user in
// with the `crypto_wallet` factor. The user's `crypto_wallets` list is its user record's.
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
   * cryptoWallets.authenticateStart: the wallet's user (a known wallet's; else the user named by
   * user_id or the session, the wallet added to them unverified; else a new user), and its new
   * challenge (the one before it replaced).
   */
  async start(input: StartInput) {
    const type = input.crypto_wallet_type
    const key = addressKey(type, input.crypto_wallet_address)
    const now = this.deps.clock.nowSeconds()
    const siwe = input.siwe_params && siweRecord(input.siwe_params, now)
    const target = await this.target(input)
    let wallet = this.deps.store.byAddress(type, key)
    let user: UserObject
    let userCreated = false
    if (wallet) {
      if (target && target.user_id !== wallet.user_id)
        throw new StytchError('duplicate_wallet_address')
      user = this.deps.records.byId(wallet.user_id)
    } else {
      userCreated = !target
      user = target ?? this.deps.records.register({})
      wallet = this.deps.store.insert({
        crypto_wallet_id: newId('crypto-wallet'),
        user_id: user.user_id,
        crypto_wallet_type: type,
        crypto_wallet_address: input.crypto_wallet_address,
        address_key: key,
      })
      this.deps.records.withCryptoWallet(user, entry(wallet, false))
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
    return { user_id: user.user_id, challenge, user_created: userCreated }
  }

  /**
   * cryptoWallets.authenticate: the signature of the wallet's challenge verified, the challenge
   * spent, the wallet verified on its user, the `crypto_wallet` factor in the session.
   */
  async authenticate(input: AuthenticateInput, via: LoginVia = API) {
    const existing = await this.deps.sessions.prepareLogin(input, via)
    const type = input.crypto_wallet_type
    const key = addressKey(type, input.crypto_wallet_address)
    const signature = parseSignature(type, input.signature)
    const wallet = this.deps.store.byAddress(type, key)
    if (!wallet) throw new StytchError('crypto_wallet_not_found')
    const pending = this.deps.store.challengeOf(wallet.crypto_wallet_id)
    // Spent (single use) or never issued.
    if (!pending) throw new StytchError('unable_to_authenticate_crypto_wallet')
    const now = this.deps.clock.nowSeconds()
    if (pending.siwe) checkSiweTimes(pending.siwe, pending.expires_at, now)
    else if (now >= pending.expires_at)
      throw new StytchError('unable_to_authenticate_crypto_wallet')
    if (!signedBy(type, key, pending.challenge, signature))
      throw new StytchError('unable_to_authenticate_crypto_wallet')
    if (!this.deps.store.spend(wallet.crypto_wallet_id, pending.challenge))
      throw new StytchError('unable_to_authenticate_crypto_wallet')
    const user = this.deps.records.withCryptoWallet(
      this.deps.records.byId(wallet.user_id),
      entry(wallet, true),
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
const entry = (wallet: WalletRow, verified: boolean) => ({
  crypto_wallet_id: wallet.crypto_wallet_id,
  crypto_wallet_address: wallet.crypto_wallet_address,
  crypto_wallet_type: wallet.crypto_wallet_type,
  verified,
})
