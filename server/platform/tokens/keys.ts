// Signing keys and the JWKS. Keys are fixed (a TEST-ONLY key ships in fixtures/) so that
// kids and signatures survive restarts; generating RSA keys at start-up would cost ~100 ms.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  X509Certificate,
  type KeyObject,
} from 'node:crypto'
import { promisify } from 'node:util'
import { x509Library } from './x509.js'

const generateKeyPairAsync = promisify(generateKeyPair)

export interface Jwk {
  kty: string
  use: 'sig'
  key_ops: ['verify']
  alg: 'RS256'
  kid: string
  x5c: string[]
  x5tS256: string
  n: string
  e: string
}

export interface SigningKey {
  kid: string
  privateKey: KeyObject
  publicKey: KeyObject
  jwk: Jwk
}

/** A stored key: the private key and its self-signed certificate, both PEM. */
export interface KeyMaterial {
  privateKeyPem: string
  certificatePem: string
}

/** Why a PEM file cannot sign session JWTs (RS256), or undefined when it can. */
export function checkSigningKey(pem: string): string | undefined {
  let key: KeyObject
  try {
    key = createPrivateKey(pem)
  } catch {
    return 'is not a PEM private key (expected -----BEGIN PRIVATE KEY----- or RSA PRIVATE KEY)'
  }
  if (key.asymmetricKeyType !== 'rsa')
    return `is an ${key.asymmetricKeyType?.toUpperCase()} key; session JWTs are RS256 and need an RSA key`
  return undefined
}

/** kid derived from the public key, so the same key always has the same kid. */
export function kidFor(publicKey: KeyObject): string {
  const hex = createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
  const v = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16)
  return `jwk-test-${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${v}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

export function signingKey(material: KeyMaterial): SigningKey {
  const privateKey = createPrivateKey(material.privateKeyPem)
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('the signing key must be an RSA key')
  const publicKey = createPublicKey(privateKey)
  const kid = kidFor(publicKey)
  const der = new X509Certificate(material.certificatePem).raw
  const { n, e, kty } = publicKey.export({ format: 'jwk' })
  const jwk: Jwk = {
    kty: kty ?? 'RSA',
    use: 'sig',
    key_ops: ['verify'],
    alg: 'RS256',
    kid,
    x5c: [Buffer.from(der).toString('base64')],
    x5tS256: createHash('sha256').update(Buffer.from(der)).digest('base64'),
    n: n ?? '',
    e: e ?? '',
  }
  return { kid, privateKey, publicKey, jwk }
}

/** A new RSA-2048 key with its certificate: only on request (rotation), never at start-up. */
export async function generateKeyMaterial(nowMs: number): Promise<KeyMaterial> {
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 })
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem: await selfSignedCertificate(privateKey, nowMs),
  }
}

/** Reads a PEM file's private key and certificate; makes a self-signed certificate if it has none. */
export async function keyMaterialFromPem(pem: string, nowMs: number): Promise<KeyMaterial> {
  const privateKey = createPrivateKey(pem)
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0]
  return { privateKeyPem, certificatePem: cert ?? (await selfSignedCertificate(privateKey, nowMs)) }
}

async function selfSignedCertificate(privateKey: KeyObject, nowMs: number): Promise<string> {
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
  const { subtle } = globalThis.crypto
  const keys = {
    privateKey: await subtle.importKey(
      'pkcs8',
      privateKey.export({ type: 'pkcs8', format: 'der' }),
      alg,
      false,
      ['sign'],
    ),
    publicKey: await subtle.importKey(
      'spki',
      createPublicKey(privateKey).export({ type: 'spki', format: 'der' }),
      alg,
      true,
      ['verify'],
    ),
  }
  const x509 = await x509Library()
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: createHash('sha256').update(String(nowMs)).digest('hex').slice(0, 16),
    name: 'CN=stytch-mock TEST-ONLY signing key',
    notBefore: new Date(nowMs - 60_000),
    notAfter: new Date(nowMs + 100 * 365 * 24 * 3600 * 1000),
    signingAlgorithm: alg,
    keys,
  })
  return cert.toString('pem')
}

/** The keys in the JWKS; the newest signs. Older ones stay until retired, as during Stytch's rotations. */
export class KeyRing {
  #keys: SigningKey[]
  /** The JWKS `keys` array as JSON, made once per set of keys: it is served on every JWKS call. */
  #jwksJson: string | undefined

  constructor(keys: SigningKey[]) {
    this.#keys = []
    this.replace(keys)
  }

  /** Swaps in a new set of keys (after a rotation, retirement, reset or snapshot restore). */
  replace(keys: SigningKey[]): void {
    if (keys.length === 0) throw new Error('a key ring needs at least one key')
    this.#keys = keys
    this.#jwksJson = undefined
  }

  all(): SigningKey[] {
    return [...this.#keys]
  }

  get active(): SigningKey {
    return this.#keys[this.#keys.length - 1]!
  }

  byKid(kid: string): SigningKey | undefined {
    return this.#keys.find((k) => k.kid === kid)
  }

  jwks(): Jwk[] {
    return this.#keys.map((k) => k.jwk)
  }

  jwksJson(): string {
    return (this.#jwksJson ??= JSON.stringify(this.jwks()))
  }
}
