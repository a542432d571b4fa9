// Crypto wallets made in a test, signing as real ones do: an Ethereum wallet's personal_sign
// (EIP-191 over keccak-256, secp256k1 with @noble/secp256k1, r ‖ s ‖ v in 0x-hex, v 27/28, as
// MetaMask answers `personal_sign`) and a Solana wallet's signMessage (Ed25519 by node:crypto,
// the signature in base58, as the pre-built UI sends it). Usable from Node tests and, for a
// browser test, to sign in Node what the page's `cryptoWallets.authenticateStart` returned:
//
//   const wallet = ethereumWallet()
//   const { challenge } = await page.evaluate((a) =>
//     stytch.cryptoWallets.authenticateStart({ crypto_wallet_address: a, crypto_wallet_type: 'ethereum' }), wallet.address)
//   const signature = wallet.sign(challenge)
//   await page.evaluate(([a, s]) => stytch.cryptoWallets.authenticate({
//     crypto_wallet_address: a, crypto_wallet_type: 'ethereum', signature: s, session_duration_minutes: 60 }),
//     [wallet.address, signature])
import { createHash, createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import { keccak_256 } from '@noble/hashes/sha3.js'
import * as secp from '@noble/secp256k1'
import bs58 from 'bs58'

// Signing needs HMAC-SHA256 (RFC 6979 nonces); noble leaves the hash to its user. (Recovery,
// what the mock does, needs none.)
secp.hashes.sha256 = (m) => new Uint8Array(createHash('sha256').update(m).digest())
secp.hashes.hmacSha256 = (k, m) => new Uint8Array(createHmac('sha256', k).update(m).digest())

export interface TestWallet {
  type: 'ethereum' | 'solana'
  /** As the wallet reports it: Ethereum lower-case 0x-hex, Solana base58. */
  address: string
  /** The wallet's signature of a challenge, encoded as the SDKs send it. */
  sign(message: string): string
}

const utf8 = (text: string) => new TextEncoder().encode(text)
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

/** The EIP-191 digest personal_sign signs: keccak-256 of the prefixed message. */
export function personalMessageHash(message: string): Uint8Array {
  const body = utf8(message)
  return keccak_256(
    new Uint8Array([...utf8(`\x19Ethereum Signed Message:\n${body.length}`), ...body]),
  )
}

/** The address of a secp256k1 public key: the last 20 bytes of keccak-256 of its x ‖ y. */
const addressOf = (publicKey: Uint8Array) =>
  `0x${hex(keccak_256(publicKey.subarray(1)).subarray(-20))}`

/** The address in EIP-55's mixed-case checksum spelling. */
export function checksummed(address: string): string {
  const lower = address.toLowerCase().replace(/^0x/, '')
  const hash = hex(keccak_256(utf8(lower)))
  return `0x${[...lower].map((c, i) => (parseInt(hash[i]!, 16) >= 8 ? c.toUpperCase() : c)).join('')}`
}

/** A new Ethereum wallet (or the one of this 32-byte secret key). */
export function ethereumWallet(secretKey: Uint8Array = secp.utils.randomSecretKey()): TestWallet & {
  secretKey: Uint8Array
} {
  const address = addressOf(secp.getPublicKey(secretKey, false))
  return {
    type: 'ethereum',
    address,
    secretKey,
    sign: (message) => {
      // noble's recovered format: the recovery bit first, then r ‖ s.
      const sig = secp.sign(personalMessageHash(message), secretKey, {
        prehash: false,
        format: 'recovered',
      })
      return `0x${hex(sig.subarray(1))}${(sig[0]! + 27).toString(16)}`
    },
  }
}

/** A new Solana wallet: an Ed25519 key, its base58 public key the address. */
export function solanaWallet(): TestWallet & { privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url')
  return {
    type: 'solana',
    address: bs58.encode(raw),
    privateKey,
    sign: (message) => bs58.encode(sign(null, utf8(message), privateKey)),
  }
}
