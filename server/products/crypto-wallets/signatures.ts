// A wallet's address and signature, checked for real: Ethereum's EIP-191 personal_sign recovered
// with @noble/secp256k1 (and keccak-256 from @noble/hashes), Solana's Ed25519 by node:crypto, its
// base58 by bs58. (The spec holds the address patterns; what only decoding shows is here.)
import { createPublicKey, verify } from 'node:crypto'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { Point, recoverPublicKey } from '@noble/secp256k1'
import bs58 from 'bs58'
import { StytchError } from '../../errors.js'

export type WalletType = 'ethereum' | 'solana'

const utf8 = (text: string) => new TextEncoder().encode(text)
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

/**
 * How a wallet is found by its address: an Ethereum address in any letter case (EIP-55's checksum
 * is only a spelling of it), a Solana address exactly (base58 is case-sensitive); a Solana
 * address must decode to a 32-byte Ed25519 key.
 */
export function addressKey(type: WalletType, address: string): string {
  if (type === 'ethereum') return address.toLowerCase()
  if (decode58(address)?.length !== 32) throw new StytchError('invalid_solana_address')
  return address
}

/** An Ethereum address in EIP-55's mixed-case checksum spelling, as SIWE messages write it. */
export function checksumAddress(address: string): string {
  const lower = address.toLowerCase().replace(/^0x/, '')
  const hash = hex(keccak_256(utf8(lower)))
  const spelled = [...lower].map((ch, i) => (parseInt(hash[i]!, 16) >= 8 ? ch.toUpperCase() : ch))
  return `0x${spelled.join('')}`
}

/**
 * A signature's bytes, by its wallet type's encoding: 400 `invalid_signature` for one that is not
 * that encoding, `signature_is_incorrect_size` for the wrong length.
 */
export const parseSignature = (type: WalletType, signature: string): Uint8Array =>
  type === 'ethereum' ? ethereumSignature(signature) : solanaSignature(signature)

/** Whether the signature (parseSignature's bytes) is the wallet's signature of `message`. */
export function signedBy(type: WalletType, key: string, message: string, signature: Uint8Array) {
  return type === 'ethereum'
    ? recoverEthereumAddress(message, signature) === key
    : verifySolana(key, message, signature)
}

/** A personal_sign signature: 65 bytes r ‖ s ‖ v in hex (0x optional), v 27/28 or 0/1. */
export function ethereumSignature(signature: string): Uint8Array {
  const digits = signature.replace(/^0x/i, '')
  if (!/^[0-9a-fA-F]*$/.test(digits) || digits.length % 2 !== 0)
    throw new StytchError('invalid_signature')
  if (digits.length !== 130) throw new StytchError('signature_is_incorrect_size')
  const bytes = Buffer.from(digits, 'hex')
  const v = bytes[64]! >= 27 ? bytes[64]! - 27 : bytes[64]!
  if (v > 1) throw new StytchError('invalid_signature')
  // noble's recovered format: the recovery bit first, then r ‖ s.
  return new Uint8Array([v, ...bytes.subarray(0, 64)])
}

/** A Solana signMessage signature: 64 bytes, base58 (what the pre-built UI sends). */
export function solanaSignature(signature: string): Uint8Array {
  const bytes = decode58(signature)
  if (!bytes) throw new StytchError('invalid_signature')
  if (bytes.length !== 64) throw new StytchError('signature_is_incorrect_size')
  return bytes
}

/**
 * The lower-case address whose key made this EIP-191 signature of `message` ("\x19Ethereum
 * Signed Message:\n" + its byte length + the message, keccak-256); null when nothing recovers.
 */
export function recoverEthereumAddress(message: string, recovered: Uint8Array): string | null {
  const body = utf8(message)
  const prefix = utf8(`\x19Ethereum Signed Message:\n${body.length}`)
  const digest = keccak_256(new Uint8Array([...prefix, ...body]))
  try {
    // prehash: false, the digest is already keccak-256's (noble would hash it with SHA-256).
    const key = recoverPublicKey(recovered, digest, { prehash: false })
    const uncompressed = Point.fromBytes(key).toBytes(false)
    return `0x${hex(keccak_256(uncompressed.subarray(1)).subarray(-20))}`
  } catch {
    // r or s out of range, or no point for r: a signature no key made.
    return null
  }
}

/** Ed25519 over the message's UTF-8 bytes, the base58 address being the 32-byte public key. */
export function verifySolana(address: string, message: string, signature: Uint8Array): boolean {
  const x = Buffer.from(decode58(address)!).toString('base64url')
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' })
    return verify(null, utf8(message), key, signature)
  } catch {
    // 32 bytes that are no curve point: no signature is this key's.
    return false
  }
}

function decode58(text: string): Uint8Array | null {
  try {
    return bs58.decode(text)
  } catch {
    return null
  }
}
