// HTTPS material: the user's certificate, or a local CA and a leaf certificate made once and kept
// in the data folder, so clients that trust the CA keep trusting it across restarts. ECDSA P-256
// keeps generation to milliseconds. No CA key ever ships in the repository.
import { createHash, createPrivateKey, KeyObject, X509Certificate } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { join } from 'node:path'
import { x509Library } from './platform/tokens/x509.js'

export interface TlsMaterial {
  cert: string
  key: string
  /** The local CA's certificate (PEM) and where it is written; null for a user's own certificate. */
  caPem: string | null
  caFile: string | null
}

export const DEFAULT_HOSTNAMES = ['localhost', '127.0.0.1', '::1', 'host.docker.internal']

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY = 24 * 3600 * 1000
// WebCrypto loads on first use: reading it at start-up would cost every start.
const subtle = () => globalThis.crypto.subtle

export async function loadTls(options: {
  dataDir: string
  certFile: string | undefined
  keyFile: string | undefined
  hostnames: string[]
  nowMs: number
}): Promise<TlsMaterial> {
  if (options.certFile && options.keyFile) {
    return {
      cert: readFileSync(options.certFile, 'utf8'),
      key: readFileSync(options.keyFile, 'utf8'),
      caPem: null,
      caFile: null,
    }
  }
  mkdirSync(options.dataDir, { recursive: true })
  const files = {
    ca: join(options.dataDir, 'ca.pem'),
    caKey: join(options.dataDir, 'ca-key.pem'),
    cert: join(options.dataDir, 'tls-cert.pem'),
    key: join(options.dataDir, 'tls-key.pem'),
    names: join(options.dataDir, 'tls-hostnames.json'),
  }
  const hostnames = [...new Set([...DEFAULT_HOSTNAMES, ...options.hostnames])].sort()
  const ca =
    existsSync(files.ca) && existsSync(files.caKey)
      ? readCa(files)
      : await makeCa(files, options.nowMs)
  if (!leafStillGood(files, ca, hostnames, options.nowMs))
    await makeLeaf(files, ca, hostnames, options.nowMs)
  return {
    cert: readFileSync(files.cert, 'utf8'),
    key: readFileSync(files.key, 'utf8'),
    caPem: ca.pem,
    caFile: files.ca,
  }
}

interface Ca {
  pem: string
  keyPem: string
}

function readCa(files: { ca: string; caKey: string }): Ca {
  return { pem: readFileSync(files.ca, 'utf8'), keyPem: readFileSync(files.caKey, 'utf8') }
}

const serial = (seed: string) =>
  createHash('sha256')
    .update(seed)
    .digest('hex')
    .slice(0, 16)
    .replace(/^[89a-f]/, '1')

async function makeCa(files: { ca: string; caKey: string }, nowMs: number): Promise<Ca> {
  const x509 = await x509Library()
  const keys = await subtle().generateKey(ALG, true, ['sign', 'verify'])
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(`ca ${nowMs} ${Math.random()}`),
    name: 'CN=stytch-mock local CA (TEST-ONLY), O=stytch-mock',
    notBefore: new Date(nowMs - DAY),
    notAfter: new Date(nowMs + 10 * 365 * DAY),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  const ca = { pem: cert.toString('pem'), keyPem: pkcs8Pem(keys.privateKey) }
  writeSecret(files.caKey, ca.keyPem)
  writeFileSync(files.ca, ca.pem)
  return ca
}

async function makeLeaf(
  files: { cert: string; key: string; names: string },
  ca: Ca,
  hostnames: string[],
  nowMs: number,
): Promise<void> {
  const x509 = await x509Library()
  const caCert = new x509.X509Certificate(ca.pem)
  const caKey = await subtle().importKey(
    'pkcs8',
    createPrivateKey(ca.keyPem).export({ type: 'pkcs8', format: 'der' }),
    ALG,
    false,
    ['sign'],
  )
  const keys = await subtle().generateKey(ALG, true, ['sign', 'verify'])
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(`leaf ${nowMs} ${Math.random()}`),
    subject: 'CN=localhost, O=stytch-mock',
    issuer: caCert.subject,
    notBefore: new Date(nowMs - DAY),
    notAfter: new Date(nowMs + 365 * DAY),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        hostnames.map((h) =>
          isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h },
        ),
      ),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  writeSecret(files.key, pkcs8Pem(keys.privateKey))
  // The chain: the leaf, then the CA, so clients that trust the CA can build the path.
  writeFileSync(files.cert, cert.toString('pem') + '\n' + ca.pem)
  writeFileSync(files.names, JSON.stringify(hostnames))
}

/** A leaf is reused while this CA issued it, it names the same hosts, and has 30 days left. */
function leafStillGood(
  files: { cert: string; key: string; names: string },
  ca: Ca,
  hostnames: string[],
  nowMs: number,
): boolean {
  if (!existsSync(files.cert) || !existsSync(files.key) || !existsSync(files.names)) return false
  try {
    const leaf = new X509Certificate(readFileSync(files.cert, 'utf8'))
    if (!leaf.checkIssued(new X509Certificate(ca.pem))) return false
    if (Date.parse(leaf.validTo) - nowMs < 30 * DAY) return false
    return readFileSync(files.names, 'utf8') === JSON.stringify(hostnames)
  } catch {
    return false
  }
}

function pkcs8Pem(key: CryptoKey): string {
  return KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }).toString()
}

function writeSecret(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 })
  chmodSync(path, 0o600)
}
