// Key rotation as Stytch does it: a new key signs from now on, the previous one stays in the
// JWKS until retired, so JWTs signed before the rotation keep verifying.
import { createPublicKey } from 'node:crypto'
import { type Clock, isoMs } from '../../clock.js'
import type { KeyStore } from './key-store.js'
import { generateKeyMaterial, KeyRing, keyMaterialFromPem, kidFor, signingKey } from './keys.js'

export interface KeyInfo {
  kid: string
  state: 'active' | 'previous'
  created_at: string
}

export class KeyManager {
  constructor(
    private readonly store: KeyStore,
    readonly ring: KeyRing,
    private readonly clock: Clock,
    /** The key of STYTCH_MOCK_SIGNING_KEY: the one reset goes back to. */
    readonly configuredKid: string,
  ) {}

  /** Loads the ring from the database, adding the configured key file first if it is new. */
  static async open(store: KeyStore, clock: Clock, pem: string): Promise<KeyManager> {
    const kid = kidFor(createPublicKey(pem))
    if (!store.has(kid))
      store.insert(kid, await keyMaterialFromPem(pem, clock.nowMs()), clock.nowMs())
    return new KeyManager(store, new KeyRing(store.live().map(signingKey)), clock, kid)
  }

  list(): KeyInfo[] {
    const active = this.ring.active.kid
    return this.store.live().map((k) => ({
      kid: k.kid,
      state: k.kid === active ? 'active' : 'previous',
      created_at: isoMs(k.created_at),
    }))
  }

  async rotate(): Promise<KeyInfo[]> {
    const material = await generateKeyMaterial(this.clock.nowMs())
    const kid = kidFor(createPublicKey(material.privateKeyPem))
    // Why max(): the new key must sort last even when virtual time was moved backwards.
    const createdAt = Math.max(
      this.clock.nowMs(),
      ...this.store.live().map((k) => k.created_at + 1),
    )
    this.store.insert(kid, material, createdAt)
    this.reload()
    return this.list()
  }

  /** Drops every key but the active one from the JWKS; JWTs they signed stop verifying. */
  retire(): KeyInfo[] {
    this.store.retireAllBut(this.ring.active.kid, this.clock.nowMs())
    this.reload()
    return this.list()
  }

  /** Back to the configured key alone. */
  reset(): void {
    this.store.keepOnly(this.configuredKid)
    this.reload()
  }

  reload(): void {
    this.ring.replace(this.store.live().map(signingKey))
  }
}
