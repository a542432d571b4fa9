// A SAML connection's certificates and keys: the IdP's verification certificates (PEM, read
// with Node's X509Certificate), the SP signing certificate Stytch issues for each connection
// (self-signed, issuer "Stytch", made with @peculiar/x509, loaded only then), and the PKCS#1 RSA
// private keys an app may hand over (signing_private_key, saml_encryption_private_key).
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  randomBytes,
  X509Certificate,
} from 'node:crypto'
import { promisify } from 'node:util'
import { rfc3339 } from '../../clock.js'
import { StytchError } from '../../errors.js'
import { x509Library } from '../../platform/tokens/x509.js'
import type { VerificationCertificate } from './connections.js'

/**
 * The base64 between a PEM block's BEGIN and END lines (one block, nothing around it but
 * whitespace); read with string operations, so that no input makes a pattern backtrack.
 */
function pemBody(pem: string, label: string): string {
  const text = pem.trim()
  const begin = `-----BEGIN ${label}-----`
  const end = `-----END ${label}-----`
  if (!text.startsWith(begin) || !text.endsWith(end) || text.length < begin.length + end.length)
    throw new Error(`not one PEM ${label}`)
  const body = text.slice(begin.length, text.length - end.length)
  if (!/^[A-Za-z0-9+/=\s]+$/.test(body)) throw new Error(`not one PEM ${label}`)
  return body
}

/** A PEM certificate from its base64 DER, 64 characters a line. */
export function pemOf(base64: string): string {
  const body = base64.replace(/\s+/g, '')
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`
}

/** The issuer as a reader names it: its CN, else the whole DN. */
function issuerName(cert: X509Certificate): string {
  const lines = cert.issuer.split('\n').filter(Boolean)
  const cn = lines.find((l) => l.startsWith('CN='))
  return cn ? cn.slice(3) : lines.join(', ')
}

/**
 * An IdP's certificate (x509_certificate, or one read from metadata) as a verification
 * certificate: one PEM certificate (400 invalid_x509_certificate otherwise), stored normalized.
 */
export function verificationCertificate(
  pem: string,
  id: string,
  nowSeconds: number,
): VerificationCertificate {
  let cert: X509Certificate
  try {
    cert = new X509Certificate(pemOf(pemBody(pem, 'CERTIFICATE')))
  } catch {
    throw new StytchError('invalid_x509_certificate')
  }
  const at = rfc3339(nowSeconds)
  return {
    certificate_id: id,
    certificate: cert.toString(),
    issuer: issuerName(cert),
    created_at: at,
    updated_at: at,
    expires_at: rfc3339(Math.floor(new Date(cert.validTo).getTime() / 1000)),
  }
}

/**
 * A PKCS#1 RSA private key (the only format Stytch takes: "-----BEGIN RSA PRIVATE KEY-----"):
 * 400 saml_signing_private_key_format_not_supported for another format, _invalid for one that
 * does not read as an RSA key.
 */
export function rsaPrivateKey(pem: string): KeyObject {
  try {
    pemBody(pem, 'RSA PRIVATE KEY')
  } catch {
    throw new StytchError('saml_signing_private_key_format_not_supported')
  }
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' })
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA')
    return key
  } catch {
    throw new StytchError('saml_signing_private_key_invalid')
  }
}

const TEN_YEARS = 10 * 365 * 24 * 3600

/**
 * The certificate Stytch signs its AuthnRequests with (signing_certificates[]): self-signed,
 * issuer "Stytch", valid ten years (Stytch's sample), for the app's key or a new RSA-2048 one.
 */
export async function signingCertificate(
  nowSeconds: number,
  privateKey?: KeyObject,
): Promise<VerificationCertificate> {
  const key =
    privateKey ?? (await promisify(generateKeyPair)('rsa', { modulusLength: 2048 })).privateKey
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
  const { subtle } = globalThis.crypto
  const keys = {
    privateKey: await subtle.importKey(
      'pkcs8',
      key.export({ type: 'pkcs8', format: 'der' }),
      alg,
      false,
      ['sign'],
    ),
    publicKey: await subtle.importKey(
      'spki',
      createPublicKey(key).export({ type: 'spki', format: 'der' }),
      alg,
      true,
      ['verify'],
    ),
  }
  const x509 = await x509Library()
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8)
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: 'CN=Stytch',
    notBefore: new Date((nowSeconds - 60) * 1000),
    notAfter: new Date((nowSeconds + TEN_YEARS) * 1000),
    signingAlgorithm: alg,
    keys,
  })
  const at = rfc3339(nowSeconds)
  return {
    certificate_id: '',
    certificate: cert.toString('pem'),
    issuer: 'Stytch',
    created_at: at,
    updated_at: at,
    expires_at: rfc3339(nowSeconds + TEN_YEARS),
  }
}
