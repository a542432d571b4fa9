// The user records the consumer login flows write: found by any of their addresses, made on
// login_or_create, an address added (unverified) or verified, a password set, an authenticator
// app, a WebAuthn registration (passkey) or a crypto wallet listed; and what users.* does to
// them: created, changed, an address exchanged or removed, a factor or the password removed,
// deleted. One place keeps an email address, a phone number or an external_id to one user.
import type { Clock } from '../../clock.js'
import { StytchError } from '../../errors.js'
import { buildUser } from '../sessions/users.js'
import type { PasswordStore } from './store.js'
import {
  FACTOR_LISTS,
  type FactorList,
  type UserObject,
  type UserStore,
} from '../sessions/user-store.js'
import { newId } from '../tokens/ids.js'
import { hashPassword } from '../tokens/password-hash.js'
import type { NewUser } from '../sessions/users.js'
import { normalEmail, SANDBOX } from './rules.js'

interface EmailRecord {
  email_id: string
  email: string
  verified: boolean
}
interface PhoneRecord {
  phone_id: string
  phone_number: string
  verified: boolean
}

/** An authenticator app in the user's `totps` list (its secret: platform/login/totp.ts). */
export interface TotpRecord {
  totp_id: string
  verified: boolean
}

/** A WebAuthn registration in the user's `webauthn_registrations` list (its key: products/webauthn). */
export interface WebAuthnRecord {
  webauthn_registration_id: string
  domain: string
  user_agent: string
  verified: boolean
  authenticator_type: string
  name: string
}

/** A crypto wallet in the user's `crypto_wallets` list (its challenges: products/crypto-wallets). */
export interface CryptoWalletRecord {
  crypto_wallet_id: string
  crypto_wallet_address: string
  crypto_wallet_type: string
  verified: boolean
}

interface ProviderRecord {
  provider_type: string
  provider_subject: string
  profile_picture_url: string
  locale: string
  oauth_user_registration_id: string
}

/** users.create's user: an email and/or a phone number (each unverified), and its details. */
export interface Registration extends Omit<NewUser, 'user_id' | 'email'> {
  email?: string | undefined
  phone_number?: string | undefined
  pending?: boolean | undefined
}

/**
 * The factor lists whose entries have rows of their own elsewhere (passcodes and links sent to an
 * address, a TOTP's secret, a WebAuthn credential's public key): an entry removed forgets them.
 */
const FORGOTTEN_WITH_FACTOR = new Set<FactorList>([
  'emails',
  'phone_numbers',
  'totps',
  'webauthn_registrations',
  'crypto_wallets',
])

const emails = (user: UserObject) => user.emails as EmailRecord[]
const phones = (user: UserObject) => user.phone_numbers as PhoneRecord[]
const totpList = (user: UserObject) => user.totps as TotpRecord[]

/**
 * The name a user goes by in an authenticator (a TOTP app's account, a passkey's user.name): with
 * `withName`, its full name first; else its first email, else its first phone number, else its id.
 */
export function accountName(user: UserObject, options: { withName?: boolean } = {}): string {
  const name = user.name as { first_name?: string; middle_name?: string; last_name?: string } | null
  const full = options.withName
    ? [name?.first_name, name?.middle_name, name?.last_name].filter(Boolean).join(' ')
    : ''
  const email = emails(user)[0]?.email
  const phone = phones(user)[0]?.phone_number
  return full || email || phone || user.user_id
}

/** The id of the user's email or phone record for this address (lower-case email or E.164). */
export function methodIdOf(user: UserObject, to: string): string | undefined {
  return to.includes('@')
    ? emails(user).find((e) => e.email === to)?.email_id
    : phones(user).find((p) => p.phone_number === to)?.phone_id
}

export class UserRecords {
  constructor(
    private readonly deps: { clock: Clock; users: UserStore; passwords: PasswordStore },
  ) {}

  byId(userId: string): UserObject {
    const user = this.deps.users.byId(userId)
    if (!user) throw new StytchError('user_not_found')
    return user
  }

  /** The user one of whose emails or phone numbers this is. */
  byAddress(to: string): UserObject | null {
    return to.includes('@') ? this.deps.users.byAnyEmail(to) : this.deps.users.byPhone(to)
  }

  /** A new user with this address, unverified until a passcode or link to it works. */
  create(
    to: string,
    options: { pending?: boolean; name?: UserObject['name'] } & Pick<
      NewUser,
      'trusted_metadata' | 'untrusted_metadata'
    > = {},
  ) {
    const email = to.includes('@') ? to : undefined
    const { pending, name, ...rest } = options
    const user = buildUser(
      { email, name: name as NewUser['name'], ...rest },
      this.deps.clock.nowSeconds(),
    )
    if (email) emails(user)[0]!.verified = false
    if (pending) user.status = 'pending'
    this.deps.users.insert(user, email ?? null, null)
    return email ? user : this.withAddress(user, to)
  }

  /** The user, with the address added (unverified) when it is new to them and to everyone. */
  withAddress(user: UserObject, to: string): UserObject {
    if (methodIdOf(user, to)) return user
    const owner = this.byAddress(to)
    if (owner && owner.user_id !== user.user_id)
      throw new StytchError(to.includes('@') ? 'duplicate_email' : 'duplicate_phone_number')
    const updated: UserObject = to.includes('@')
      ? {
          ...user,
          emails: [...emails(user), { email_id: newId('email'), email: to, verified: false }],
        }
      : {
          ...user,
          phone_numbers: [
            ...phones(user),
            { phone_id: newId('phone-number'), phone_number: to, verified: false },
          ],
        }
    return this.save(updated)
  }

  /**
   * A passcode or link that worked verifies its address and activates a pending user. An email
   * verified this way for the first time, on a user with a password, leaves that password
   * needing a reset (Stytch's deduplication rule: whoever set it may not own the email).
   */
  verify(user: UserObject, methodId: string): UserObject {
    const firstProof = emails(user).some((e) => e.email_id === methodId && !e.verified)
    const password = user.password as { password_id: string } | null
    const updated = {
      ...user,
      ...(firstProof && password ? { password: { ...password, requires_reset: true } } : {}),
      emails: emails(user).map((e) => (e.email_id === methodId ? { ...e, verified: true } : e)),
      phone_numbers: phones(user).map((p) =>
        p.phone_id === methodId ? { ...p, verified: true } : p,
      ),
      status: 'active',
    }
    return JSON.stringify(updated) === JSON.stringify(user) ? user : this.save(updated)
  }

  /**
   * The user with this OAuth provider registration: the one they have for the provider and
   * subject, or a new one added.
   */
  withProvider(
    user: UserObject,
    registration: Omit<ProviderRecord, 'oauth_user_registration_id'>,
  ): { user: UserObject; id: string } {
    const providers = user.providers as ProviderRecord[]
    const found = providers.find(
      (p) =>
        p.provider_type === registration.provider_type &&
        p.provider_subject === registration.provider_subject,
    )
    if (found) return { user, id: found.oauth_user_registration_id }
    const id = newId('oauth-user-registration')
    const updated = {
      ...user,
      providers: [...providers, { ...registration, oauth_user_registration_id: id }],
    }
    return { user: this.save(updated), id }
  }

  /**
   * The user's `totps` list after a TOTP create or authenticate: this registration added (or its
   * entry updated), and entries whose registration is gone (a pending one replaced) dropped.
   */
  withTotp(user: UserObject, totp: TotpRecord, registered: (totpId: string) => boolean) {
    const current = this.byId(user.user_id)
    const kept = totpList(current).filter(
      (t) => t.totp_id === totp.totp_id || registered(t.totp_id),
    )
    const list = kept.some((t) => t.totp_id === totp.totp_id)
      ? kept.map((t) => (t.totp_id === totp.totp_id ? totp : t))
      : [...kept, totp]
    const unchanged = JSON.stringify(list) === JSON.stringify(totpList(current))
    return unchanged ? current : this.save({ ...current, totps: list })
  }

  /**
   * The user's `webauthn_registrations` or `crypto_wallets` list with this entry: added, or the
   * entry with its id replaced (a WebAuthn register or rename; a wallet's start, unverified, or
   * authenticate, verified).
   */
  withEntry<L extends 'webauthn_registrations' | 'crypto_wallets'>(
    user: UserObject,
    list: L,
    entry: L extends 'webauthn_registrations' ? WebAuthnRecord : CryptoWalletRecord,
  ): UserObject {
    const current = this.byId(user.user_id)
    const key = FACTOR_LISTS[list]
    const entries = current[list] as Record<string, unknown>[]
    const id = (entry as unknown as Record<string, unknown>)[key]
    const next = entries.some((e) => e[key] === id)
      ? entries.map((e) => (e[key] === id ? entry : e))
      : [...entries, entry]
    const unchanged = JSON.stringify(next) === JSON.stringify(entries)
    return unchanged ? current : this.save({ ...current, [list]: next })
  }

  /**
   * users.create: a new user with the email and/or phone number, each unverified until a passcode
   * or link to it works; refused when either, or the external_id, is another user's.
   */
  register(input: Registration): UserObject {
    const { email, phone_number: phone, pending, ...details } = input
    for (const to of [email, phone]) if (to !== undefined) this.claim(to)
    if (details.external_id !== undefined) this.claimExternalId(details.external_id)
    const user = buildUser({ ...details, email }, this.deps.clock.nowSeconds())
    for (const e of emails(user)) e.verified = false
    if (phone !== undefined)
      phones(user).push({ phone_id: newId('phone-number'), phone_number: phone, verified: false })
    if (pending) user.status = 'pending'
    this.deps.users.insert(user, emails(user)[0]?.email ?? null, details.external_id ?? null)
    return user
  }

  /** Stores a changed user (its details: name, metadata, roles, external_id). */
  write(user: UserObject): UserObject {
    if (typeof user.external_id === 'string') this.claimExternalId(user.external_id, user.user_id)
    return this.save(user)
  }

  /**
   * users.exchangePrimaryFactor: the user's only factor, an email or a phone number, replaced by
   * another address (of either kind), unverified until a passcode or link to it works.
   */
  exchange(user: UserObject, to: string): UserObject {
    const current = [...emails(user), ...phones(user)][0]
    const same = current && ('email' in current ? current.email : current.phone_number) === to
    if (same) return user
    this.claim(to, user.user_id)
    if (current) this.forgetMethod('email_id' in current ? current.email_id : current.phone_id)
    const email = to.includes('@')
    return this.save({
      ...user,
      emails: email ? [{ email_id: newId('email'), email: to, verified: false }] : [],
      phone_numbers: email
        ? []
        : [{ phone_id: newId('phone-number'), phone_number: to, verified: false }],
    })
  }

  /**
   * Removes one of the user's factors by its id. An email or phone number removed takes its
   * passcodes and links with it, and logins by that address find no user any more; a TOTP
   * removed takes its registration (secret and recovery codes) with it, a WebAuthn registration
   * its credential (it signs in no more), a crypto wallet its stored wallet and pending challenge.
   */
  dropFactor(user: UserObject, list: FactorList, key: string, id: string): UserObject {
    if (FORGOTTEN_WITH_FACTOR.has(list)) this.forgetMethod(id)
    const entries = user[list] as Record<string, unknown>[]
    return this.save({ ...user, [list]: entries.filter((entry) => entry[key] !== id) })
  }

  /** Removes the user's password and its hash: logging in by password finds none. */
  dropPassword(user: UserObject): UserObject {
    this.deps.passwords.delete(user.user_id)
    return this.save({ ...user, password: null })
  }

  /**
   * Deletes the user and what is stored for it: its password hash, its passcodes and links.
   * (Its sessions are the session core's to revoke.)
   */
  remove(userId: string): void {
    this.deps.passwords.delete(userId)
    if (!this.deps.users.delete(userId)) throw new StytchError('user_not_found')
    for (const forget of this.#forgetters) forget({ user_id: userId })
  }

  /** What is stored for a factor the user no longer has (passcodes and links, a TOTP, a key). */
  private forgetMethod(methodId: string): void {
    this.deps.users.forgetMethod(methodId)
    for (const forget of this.#forgetters) forget({ method_id: methodId })
  }

  readonly #forgetters: ((gone: { user_id: string } | { method_id: string }) => void)[] = []
  /**
   * A product's own rows about a user (invite links, attach tokens) go when the user does, or
   * about one of its factors when it goes: an address (its email_id or phone_id), a TOTP
   * (totp_id), a WebAuthn registration (webauthn_registration_id), a crypto wallet
   * (crypto_wallet_id).
   */
  onForget(forget: (gone: { user_id: string } | { method_id: string }) => void): void {
    this.#forgetters.push(forget)
  }

  /** An address for `userId` (or a new user): another user's is Stytch's duplicate error. */
  private claim(to: string, userId?: string): void {
    const owner = this.byAddress(to)
    if (owner && owner.user_id !== userId)
      throw new StytchError(to.includes('@') ? 'duplicate_email' : 'duplicate_phone_number')
  }

  private claimExternalId(externalId: string, userId?: string): void {
    const owner = this.deps.users.byExternalId(externalId)
    if (owner && owner.user_id !== userId) throw new StytchError('duplicate_user_external_id')
  }

  /** Stytch's sandbox user (fixtures have it; made again when a test's own fixtures do not). */
  sandbox(): UserObject {
    const user = this.deps.users.byId(SANDBOX.userId) ?? this.deps.users.byAnyEmail(SANDBOX.email)
    if (user) return user
    const made = buildUser(
      { user_id: SANDBOX.userId, email: SANDBOX.email },
      this.deps.clock.nowSeconds(),
    )
    this.deps.users.insert(made, SANDBOX.email, null)
    return made
  }

  passwordHash(userId: string): string | null {
    return this.deps.passwords.hashOf(userId)
  }

  /** A new password (create, every reset): a new password_id, no reset required. */
  async setPassword(user: UserObject, password: string): Promise<UserObject> {
    return this.setPasswordHash(user, await hashPassword(password))
  }

  /** A stored hash: scrypt's, or one passwords.migrate imported (migrated-hash.ts). */
  setPasswordHash(user: UserObject, hash: string): UserObject {
    // Read again: another call may have changed the user while the hash was made.
    const current = this.byId(user.user_id)
    this.deps.passwords.put(user.user_id, hash)
    return this.save({
      ...current,
      password: { password_id: newId('password'), requires_reset: false },
    })
  }

  /** The same password, hashed again with the mock's own scheme (after an imported hash worked). */
  rehash(userId: string, hash: string): void {
    this.deps.passwords.put(userId, hash)
  }

  /** The password stays, but logging in with it asks for a reset (Stytch's reset_password). */
  requireReset(userId: string): UserObject {
    const user = this.byId(userId)
    const password = user.password as { password_id: string } | null
    if (!password) return user
    return this.save({ ...user, password: { ...password, requires_reset: true } })
  }

  /** Test control: a user with this email (made if new, verified), a phone number, a password. */
  async seed(input: {
    email: string
    password?: string | undefined
    phone_number?: string | undefined
    name?: UserObject['name']
  }): Promise<UserObject> {
    const email = normalEmail(input.email)
    const phone = input.phone_number === undefined ? undefined : input.phone_number
    let user = this.byAddress(email) ?? this.create(email, { name: input.name })
    user = this.verify(user, methodIdOf(user, email)!)
    if (phone !== undefined) {
      user = this.withAddress(user, phone)
      user = this.verify(user, methodIdOf(user, phone)!)
    }
    if (input.password !== undefined) user = await this.setPassword(user, input.password)
    return user
  }

  private save(user: UserObject): UserObject {
    this.deps.users.update(user, emails(user)[0]?.email ?? null)
    return user
  }
}
