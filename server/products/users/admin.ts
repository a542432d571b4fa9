// What apps do to users beyond logging them in (users.* and the frontend's user.*): create,
// change, exchange the primary factor, delete a factor, delete the user (its sessions revoked at
// once), and search. The records and their rules are the platform's (login/user-records.ts).
import { checkMetadata, mergeMetadata } from '../../platform/sessions/metadata.js'
import { StytchError, type ErrorType } from '../../errors.js'
import { normalEmail } from '../../platform/login/rules.js'
import type { Registration, UserRecords } from '../../platform/login/user-records.js'
import type { SessionCore } from '../../platform/sessions/core.js'
import type { Directory } from '../../platform/sessions/directory.js'
import {
  FACTOR_LISTS,
  type FactorList,
  type UserObject,
  type UserStore,
} from '../../platform/sessions/user-store.js'
import type { NewUser } from '../../platform/sessions/users.js'
import { searchUsers, type SearchInput } from './search.js'

type Metadata = Record<string, unknown>

export interface UserChanges {
  name?: NewUser['name']
  trusted_metadata?: Metadata | undefined
  untrusted_metadata?: Metadata | undefined
  external_id?: string | undefined
  roles?: string[] | undefined
}

/** Each factor a users.delete<Factor> names, and Stytch's not-found error for an unknown id. */
export const FACTORS = {
  emails: 'email_not_found',
  phone_numbers: 'phone_number_not_found',
  webauthn_registrations: 'webauthn_registration_not_found',
  biometric_registrations: 'biometric_registration_not_found',
  totps: 'totp_not_found',
  crypto_wallets: 'crypto_wallet_not_found',
  providers: 'oauth_user_registration_not_found',
} as const satisfies Record<FactorList, ErrorType>

interface EmailEntry {
  email_id: string
}
interface PhoneEntry {
  phone_id: string
}

export class UserAdmin {
  constructor(
    private readonly deps: {
      records: UserRecords
      users: UserStore
      directory: Directory
      core: SessionCore
    },
  ) {}

  /** users.create: the new user, and the ids of its email and phone number ('' for none). */
  create(input: Registration) {
    checkMetadata(input.trusted_metadata)
    checkMetadata(input.untrusted_metadata)
    const user = this.deps.records.register({
      ...input,
      email: input.email === undefined ? undefined : normalEmail(input.email),
    })
    return {
      user_id: user.user_id,
      email_id: (user.emails as EmailEntry[])[0]?.email_id ?? '',
      status: user.status as string,
      phone_id: (user.phone_numbers as PhoneEntry[])[0]?.phone_id ?? '',
      user,
    }
  }

  /** users.get: by user_id or external_id. */
  get(userId: string): UserObject {
    return this.deps.directory.user(userId)
  }

  search(input: SearchInput) {
    return searchUsers(this.deps.users.all(), input)
  }

  /**
   * users.update (and the frontend's user.update): a name given replaces the whole name (parts
   * not given are emptied); metadata merges at the top level, a key set to null deleted; roles
   * and external_id replace.
   */
  update(userId: string, changes: UserChanges): UserObject {
    const user = this.get(userId)
    const name = changes.name
    return this.deps.records.write({
      ...user,
      ...(name === undefined
        ? {}
        : {
            name: {
              first_name: name.first_name ?? '',
              middle_name: name.middle_name ?? '',
              last_name: name.last_name ?? '',
            },
          }),
      ...merged(user, 'trusted_metadata', changes.trusted_metadata),
      ...merged(user, 'untrusted_metadata', changes.untrusted_metadata),
      ...(changes.external_id === undefined ? {} : { external_id: changes.external_id }),
      ...(changes.roles === undefined ? {} : { roles: changes.roles }),
    })
  }

  /** users.delete: its sessions end at once, then it and what is stored for it go. */
  delete(userId: string): string {
    const { user_id } = this.get(userId)
    this.deps.core.revokeAllOf('consumer', user_id, 'users.delete')
    this.deps.records.remove(user_id)
    return user_id
  }

  /** users.exchangePrimaryFactor: only for a user whose one factor is an email or a phone. */
  exchangePrimaryFactor(userId: string, to: { email_address?: string; phone_number?: string }) {
    const user = this.get(userId)
    if (
      factorCount(user) !== 1 ||
      (user.emails as []).length + (user.phone_numbers as []).length !== 1
    )
      throw new StytchError('invalid_exchange_primary_factor_user')
    const address =
      to.email_address !== undefined ? normalEmail(to.email_address) : to.phone_number!
    return this.deps.records.exchange(user, address)
  }

  /**
   * users.delete<Factor>: the user with the factor, without it. From the frontend SDK (`owner`,
   * the caller's user) another user's factor is as unknown as one that does not exist.
   */
  deleteFactor(list: FactorList, id: string, owner?: string): UserObject {
    const user = this.deps.users.byFactor(list, id)
    if (!user || (owner !== undefined && user.user_id !== owner))
      throw new StytchError(FACTORS[list])
    return this.deps.records.dropFactor(user, list, FACTOR_LISTS[list], id)
  }

  /** users.deletePassword: the password and its hash gone; logging in by password fails. */
  deletePassword(passwordId: string): UserObject {
    const user = this.deps.users.byPasswordId(passwordId)
    if (!user) throw new StytchError('password_not_found')
    return this.deps.records.dropPassword(user)
  }

  /** users.deleteExternalId: the user without one (as it is when it had none). */
  deleteExternalId(userId: string): UserObject {
    const { external_id: _, ...user } = this.get(userId)
    return this.deps.records.write(user as UserObject)
  }
}

/** A metadata object merged at the top level into the user's (Stytch's rule and limits). */
function merged(
  user: UserObject,
  field: 'trusted_metadata' | 'untrusted_metadata',
  change?: Metadata,
) {
  return change === undefined ? {} : { [field]: mergeMetadata(user[field], change) }
}

/** Every factor the user has: each email, phone, registration, TOTP and wallet, and a password. */
const factorCount = (user: UserObject) =>
  (Object.keys(FACTOR_LISTS) as FactorList[]).reduce(
    (n, list) => n + (user[list] as unknown[]).length,
    user.password ? 1 : 0,
  )
