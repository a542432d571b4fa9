// Every Stytch product the mock serves, in the order their services are built: a product may use
// (through a named interface) only the products above it. Adding a product is a folder under
// products/ and a line here.
import type { Product } from '../platform/product.js'
import { b2bMagicLinks } from './b2b-magic-links/index.js'
import { b2bOtps } from './b2b-otps/index.js'
import { b2bPasswords } from './b2b-passwords/index.js'
import { b2bRecoveryCodes } from './b2b-recovery-codes/index.js'
import { b2bSessions } from './b2b-sessions/index.js'
import { b2bTotps } from './b2b-totps/index.js'
import { clientsideServices } from './clientside-services/index.js'
import { connectedApps } from './connected-apps/index.js'
import { cryptoWallets } from './crypto-wallets/index.js'
import { discovery } from './discovery/index.js'
import { idp } from './idp/index.js'
import { idpTokens } from './idp-tokens/index.js'
import { m2m } from './m2m/index.js'
import { externalSessions } from './external-sessions/index.js'
import { impersonation } from './impersonation/index.js'
import { magicLinks } from './magic-links/index.js'
import { oauth } from './oauth/index.js'
import { organizations } from './organizations/index.js'
import { otps } from './otps/index.js'
import { passwords } from './passwords/index.js'
import { project } from './project/index.js'
import { rbac } from './rbac/index.js'
import { scim } from './scim/index.js'
import { sessions } from './sessions/index.js'
import { sso } from './sso/index.js'
import { totps } from './totps/index.js'
import { users } from './users/index.js'
import { webauthn } from './webauthn/index.js'

export const PRODUCTS = [
  sessions,
  b2bSessions,
  users,
  organizations,
  sso,
  scim,
  rbac,
  otps,
  totps,
  webauthn,
  cryptoWallets,
  magicLinks,
  passwords,
  b2bMagicLinks,
  b2bOtps,
  b2bTotps,
  b2bRecoveryCodes,
  discovery,
  b2bPasswords,
  oauth,
  m2m,
  impersonation,
  externalSessions,
  project,
  clientsideServices,
  connectedApps,
  idp,
  idpTokens,
] as const

type ServicesOf<P> = P extends Product<infer S, infer _N> ? S : never
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void
  ? I
  : never

/** What the products add to the world. */
export type ProductServices = Intersection<ServicesOf<(typeof PRODUCTS)[number]>>
