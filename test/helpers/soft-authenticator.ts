// A software WebAuthn authenticator for the Node SDK tests: P-256 keys (ES256), attestation
// "none", the authenticator data and signatures a real one makes (node:crypto, CBOR from
// @simplewebauthn/server's helpers). It reads the options JSON Stytch hands out and answers what
// webauthn-json would send back (binary fields base64url); each knob breaks one thing a server
// must check: the origin, the RP ID, the signature, the counter, user presence or verification.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'
import { isoCBOR } from '@simplewebauthn/server/helpers'

const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url')
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest()
/** base64 or base64url (Stytch encodes ids either way) to bytes. */
const bytesOf = (text: string) => Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64')

const UP = 0x01
const UV = 0x04
const AT = 0x40

interface Held {
  id: Buffer
  privateKey: KeyObject
  counter: number
  rpId: string
  userHandle: Buffer
}

export interface CeremonyOptions {
  /** clientDataJSON's origin (default: the authenticator's). */
  origin?: string
  /** The RP ID whose hash the authenticator data carries (default: the options'). */
  rpId?: string
  /** Send this challenge instead of the options' (base64url). */
  challenge?: string
  /** User presence and verification flags (default: the authenticator's). */
  up?: boolean
  uv?: boolean
}

export interface AssertionOptions extends CeremonyOptions {
  /** Which held credential answers (base64url id; default: the first the options allow). */
  credentialId?: string
  /** The counter to report (default: one more than the last). */
  counter?: number
  /** Flip a bit of the signature. */
  tamper?: boolean
}

export interface CreationOptionsJson {
  challenge: string
  rp: { id: string; name: string }
  user: { id: string; name: string; displayName: string }
}

export interface RequestOptionsJson {
  challenge: string
  rpId: string
  allowCredentials: { id: string; type: string }[]
  userVerification: string
}

export class SoftAuthenticator {
  readonly held = new Map<string, Held>()

  constructor(
    readonly settings: { origin: string; up?: boolean; uv?: boolean } = {
      origin: 'http://localhost:3000',
    },
  ) {}

  /** navigator.credentials.create(): a new credential for the options (their JSON text). */
  create(optionsText: string, options: CeremonyOptions = {}) {
    const publicKey = JSON.parse(optionsText) as CreationOptionsJson
    const rpId = options.rpId ?? publicKey.rp.id
    const { privateKey, publicKey: key } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const jwk = key.export({ format: 'jwk' })
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    )
    const id = randomBytes(32)
    const held: Held = { id, privateKey, counter: 0, rpId, userHandle: bytesOf(publicKey.user.id) }
    this.held.set(b64u(id), held)
    const length = Buffer.alloc(2)
    length.writeUInt16BE(id.length)
    const attested = Buffer.concat([Buffer.alloc(16), length, id, Buffer.from(cose)])
    const authData = this.authData(rpId, AT, 0, options, attested)
    const clientDataJSON = this.clientData('webauthn.create', publicKey.challenge, options)
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Buffer | Map<string, never>>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, never>()],
        ['authData', authData],
      ]),
    )
    return {
      id: b64u(id),
      rawId: b64u(id),
      type: 'public-key',
      authenticatorAttachment: 'cross-platform',
      response: {
        clientDataJSON: b64u(clientDataJSON),
        attestationObject: b64u(attestationObject),
        transports: ['usb'],
      },
      clientExtensionResults: {},
    }
  }

  /** navigator.credentials.get(): an assertion by a held credential the options allow. */
  get(optionsText: string, options: AssertionOptions = {}) {
    const publicKey = JSON.parse(optionsText) as RequestOptionsJson
    const allowed = publicKey.allowCredentials.map((c) => b64u(bytesOf(c.id)))
    const id =
      options.credentialId ??
      [...this.held.keys()].find((k) => allowed.length === 0 || allowed.includes(k))
    const held = id === undefined ? undefined : this.held.get(id)
    if (!held) throw new Error('the authenticator holds no credential the options allow')
    held.counter = options.counter ?? held.counter + 1
    const authenticatorData = this.authData(options.rpId ?? held.rpId, 0, held.counter, options)
    const clientDataJSON = this.clientData('webauthn.get', publicKey.challenge, options)
    const signature = sign(
      'sha256',
      Buffer.concat([authenticatorData, sha256(clientDataJSON)]),
      held.privateKey,
    )
    if (options.tamper) signature[signature.length - 1]! ^= 1
    return {
      id: b64u(held.id),
      rawId: b64u(held.id),
      type: 'public-key',
      authenticatorAttachment: 'cross-platform',
      response: {
        clientDataJSON: b64u(clientDataJSON),
        authenticatorData: b64u(authenticatorData),
        signature: b64u(signature),
        userHandle: b64u(held.userHandle),
      },
      clientExtensionResults: {},
    }
  }

  private authData(
    rpId: string,
    extra: number,
    counter: number,
    options: CeremonyOptions,
    attested?: Buffer,
  ) {
    const up = options.up ?? this.settings.up ?? true
    const uv = options.uv ?? this.settings.uv ?? true
    const flags = (up ? UP : 0) | (uv ? UV : 0) | extra
    const count = Buffer.alloc(4)
    count.writeUInt32BE(counter)
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, attested ?? Buffer.alloc(0)])
  }

  private clientData(type: string, challenge: string, options: CeremonyOptions) {
    return Buffer.from(
      JSON.stringify({
        type,
        challenge: options.challenge ?? challenge,
        origin: options.origin ?? this.settings.origin,
        crossOrigin: false,
      }),
    )
  }
}
