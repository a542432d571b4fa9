// Crypto wallets' tables (server/products/crypto-wallets/): each wallet a user has started or
// authenticated with, found by its address, and the one challenge it may sign now. SQL only.
import type { Db } from '../../platform/db.js'
import type { SiweRecord } from './siwe.js'
import type { WalletType } from './signatures.js'

/** Its tables, made when the database opens (products/registry.ts). */
export const SCHEMA = `
-- Crypto wallets (server/products/crypto-wallets/): a wallet on a user, the address as first
-- given and as found (address_key: lower case for Ethereum). Unverified (a start named the user)
-- it binds no one: several users may have it so, and it logs in to none of them; verified (its
-- signature authenticated) it is one user's, and logs in to that user.
CREATE TABLE IF NOT EXISTS crypto_wallets (
  crypto_wallet_id      TEXT PRIMARY KEY,
  user_id               TEXT NOT NULL,
  crypto_wallet_type    TEXT NOT NULL,   -- ethereum or solana
  crypto_wallet_address TEXT NOT NULL,
  address_key           TEXT NOT NULL,
  verified              INTEGER NOT NULL,
  made_user             INTEGER NOT NULL, -- 1: the user was made by a start for this wallet
  UNIQUE (user_id, crypto_wallet_type, address_key)
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS crypto_wallets_verified
  ON crypto_wallets (crypto_wallet_type, address_key) WHERE verified = 1;
CREATE INDEX IF NOT EXISTS crypto_wallets_by_address ON crypto_wallets (crypto_wallet_type, address_key);
CREATE INDEX IF NOT EXISTS crypto_wallets_by_user ON crypto_wallets (user_id);
-- The challenge a start issued for a wallet of a user, until an authenticate spends it (single
-- use) or another start for it replaces it; siwe the SIWE fields as JSON, NULL for a plain one.
CREATE TABLE IF NOT EXISTS crypto_wallet_challenges (
  crypto_wallet_id TEXT PRIMARY KEY,
  challenge        TEXT NOT NULL,
  siwe             TEXT,
  expires_at       INTEGER NOT NULL    -- epoch seconds
) STRICT;
`

export interface WalletRow {
  crypto_wallet_id: string
  user_id: string
  crypto_wallet_type: WalletType
  crypto_wallet_address: string
  address_key: string
  verified: boolean
  /** The user was made by a start for this wallet (a primary start finds it again). */
  made_user: boolean
}

export interface ChallengeRow {
  crypto_wallet_id: string
  challenge: string
  siwe: SiweRecord | null
  expires_at: number
}

type StoredWallet = Omit<WalletRow, 'verified' | 'made_user'> & {
  verified: number
  made_user: number
}
type StoredChallenge = Omit<ChallengeRow, 'siwe'> & { siwe: string | null }

const wallet = (raw: StoredWallet | undefined): WalletRow | null =>
  raw ? { ...raw, verified: raw.verified === 1, made_user: raw.made_user === 1 } : null

export class WalletStore {
  readonly #insert
  readonly #ofAddress
  readonly #verify
  readonly #putChallenge
  readonly #challenge
  readonly #spend
  readonly #forgetWallet
  readonly #forgetUser

  constructor(db: Db) {
    this.#insert = db.prepare<[string, string, string, string, string, number, number]>(
      `INSERT INTO crypto_wallets (crypto_wallet_id, user_id, crypto_wallet_type,
        crypto_wallet_address, address_key, verified, made_user) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    this.#ofAddress = db.prepare<[string, string], StoredWallet>(
      'SELECT * FROM crypto_wallets WHERE crypto_wallet_type = ? AND address_key = ? ORDER BY rowid',
    )
    this.#verify = db.prepare<[string]>(
      'UPDATE crypto_wallets SET verified = 1 WHERE crypto_wallet_id = ?',
    )
    this.#putChallenge = db.prepare<[string, string, string | null, number]>(
      'INSERT OR REPLACE INTO crypto_wallet_challenges (crypto_wallet_id, challenge, siwe, expires_at) VALUES (?, ?, ?, ?)',
    )
    this.#challenge = db.prepare<[string], StoredChallenge>(
      'SELECT * FROM crypto_wallet_challenges WHERE crypto_wallet_id = ?',
    )
    this.#spend = db.prepare<[string, string]>(
      'DELETE FROM crypto_wallet_challenges WHERE crypto_wallet_id = ? AND challenge = ?',
    )
    const challenges = db.prepare<[string]>(
      'DELETE FROM crypto_wallet_challenges WHERE crypto_wallet_id = ?',
    )
    const one = db.prepare<[string]>('DELETE FROM crypto_wallets WHERE crypto_wallet_id = ?')
    this.#forgetWallet = db.transaction((walletId: string) => {
      challenges.run(walletId)
      one.run(walletId)
    })
    const userChallenges = db.prepare<[string]>(
      'DELETE FROM crypto_wallet_challenges WHERE crypto_wallet_id IN (SELECT crypto_wallet_id FROM crypto_wallets WHERE user_id = ?)',
    )
    const userWallets = db.prepare<[string]>('DELETE FROM crypto_wallets WHERE user_id = ?')
    this.#forgetUser = db.transaction((userId: string) => {
      userChallenges.run(userId)
      userWallets.run(userId)
    })
  }

  insert(row: WalletRow): WalletRow {
    this.#insert.run(
      row.crypto_wallet_id,
      row.user_id,
      row.crypto_wallet_type,
      row.crypto_wallet_address,
      row.address_key,
      row.verified ? 1 : 0,
      row.made_user ? 1 : 0,
    )
    return row
  }

  /** Every user's wallet with this address, oldest first (at most one of them verified). */
  ofAddress(type: WalletType, key: string): WalletRow[] {
    return this.#ofAddress.all(type, key).map((raw) => wallet(raw)!)
  }

  /** The wallet verified: from now on it logs in to its user (and is no one else's). */
  verify(walletId: string): void {
    this.#verify.run(walletId)
  }

  /** The wallet's challenge now: a new one replaces the one before it. */
  putChallenge(row: ChallengeRow): void {
    const siwe = row.siwe === null ? null : JSON.stringify(row.siwe)
    this.#putChallenge.run(row.crypto_wallet_id, row.challenge, siwe, row.expires_at)
  }

  challengeOf(walletId: string): ChallengeRow | null {
    const row = this.#challenge.get(walletId)
    if (!row) return null
    return { ...row, siwe: row.siwe === null ? null : (JSON.parse(row.siwe) as SiweRecord) }
  }

  /** Spends this challenge; false when it was spent (or replaced) already. */
  spend(walletId: string, challenge: string): boolean {
    return this.#spend.run(walletId, challenge).changes === 1
  }

  /** A deleted wallet (users.deleteCryptoWallet) or user: its rows go, it logs in no more. */
  forget(gone: { user_id: string } | { method_id: string }): void {
    if ('user_id' in gone) this.#forgetUser(gone.user_id)
    else this.#forgetWallet(gone.method_id)
  }
}
