// HTTPS material: the user's certificate, or a local CA and a leaf certificate made once and kept
// in the data folder, so clients that trust the CA keep trusting it across restarts. ECDSA P-256
// keeps generation to milliseconds. No CA key ever ships in the repository.
import { createHash, webcrypto } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { join } from 'node:path'
import * as x509 from '@peculiar/x509'

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
const { subtle } = webcrypto

export async function loadTls(options: {
  dataDir: string
  certFile: string | undefined
  keyFile: string | undefined
  hostnames: string[]
  nowMs: number
}): Promise<TlsMaterial> {
  if (options.certFile && options.keyFile) {
    return { cert: readFileSync(options.certFile, 'utf8'), key: readFileSync(options.keyFile, 'utf8'), caPem: null, caFile: null }
  }
  x509.cryptoProvider.set(webcrypto as Crypto)
  mkdirSync(options.dataDir, { recursive: true })
  const files = {
    ca: join(options.dataDir, 'ca.pem'),
    caKey: join(options.dataDir, 'ca-key.pem'),
    cert: join(options.dataDir, 'tls-cert.pem'),
    key: join(options.dataDir, 'tls-key.pem'),
  }
  const hostnames = [...new Set([...DEFAULT_HOSTNAMES, ...options.hostnames])]
  const ca = existsSync(files.ca) && existsSync(files.caKey) ? await readCa(files) : await makeCa(files, options.nowMs)
  if (!leafStillGood(files, ca.cert, hostnames, options.nowMs)) await makeLeaf(files, ca, hostnames, options.nowMs)
  return {
    cert: readFileSync(files.cert, 'utf8'),
    key: readFileSync(files.key, 'utf8'),
    caPem: ca.cert.toString('pem'),
    caFile: files.ca,
  }
}

interface Ca {
  cert: x509.X509Certificate
  key: CryptoKey
}

async function readCa(files: { ca: string; caKey: string }): Promise<Ca> {
  const cert = new x509.X509Certificate(readFileSync(files.ca, 'utf8'))
  const der = x509.PemConverter.decodeFirst(readFileSync(files.caKey, 'utf8'))
  const key = await subtle.importKey('pkcs8', der, ALG, false, ['sign'])
  return { cert, key }
}

const serial = (seed: string) => createHash('sha256').update(seed).digest('hex').slice(0, 16).replace(/^[89a-f]/, '1')

async function makeCa(files: { ca: string; caKey: string }, nowMs: number): Promise<Ca> {
  const keys = await subtle.generateKey(ALG, true, ['sign', 'verify'])
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(`ca ${nowMs} ${Math.random()}`),
    name: 'CN=stytch-mock local CA (TEST-ONLY), O=stytch-mock',
    notBefore: new Date(nowMs - DAY),
    notAfter: new Date(nowMs + 10 * 365 * DAY),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  writeSecret(files.caKey, await pkcs8Pem(keys.privateKey))
  writeFileSync(files.ca, cert.toString('pem'))
  return { cert, key: keys.privateKey }
}

async function makeLeaf(files: { cert: string; key: string }, ca: Ca, hostnames: string[], nowMs: number): Promise<void> {
  const keys = await subtle.generateKey(ALG, true, ['sign', 'verify'])
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(`leaf ${nowMs} ${Math.random()}`),
    subject: 'CN=localhost, O=stytch-mock',
    issuer: ca.cert.subject,
    notBefore: new Date(nowMs - DAY),
    notAfter: new Date(nowMs + 365 * DAY),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        hostnames.map((h) => (isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h })),
      ),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  writeSecret(files.key, await pkcs8Pem(keys.privateKey))
  // The chain: the leaf, then the CA, so clients that trust the CA can build the path.
  writeFileSync(files.cert, cert.toString('pem') + '\n' + ca.cert.toString('pem'))
}

/** A leaf is reused while it was issued by this CA, names every host, and has 30 days left. */
function leafStillGood(files: { cert: string; key: string }, ca: x509.X509Certificate, hostnames: string[], nowMs: number): boolean {
  if (!existsSync(files.cert) || !existsSync(files.key)) return false
  try {
    const leaf = new x509.X509Certificate(readFileSync(files.cert, 'utf8'))
    if (leaf.issuer !== ca.subject || leaf.notAfter.getTime() - nowMs < 30 * DAY) return false
    const san = leaf.getExtension(x509.SubjectAlternativeNameExtension)
    const names = new Set((san?.names.items ?? []).map((n) => n.value))
    return hostnames.every((h) => names.has(h))
  } catch {
    return false
  }
}

async function pkcs8Pem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await subtle.exportKey('pkcs8', key), 'PRIVATE KEY')
}

function writeSecret(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 })
  chmodSync(path, 0o600)
}
