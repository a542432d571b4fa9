// Stytch user objects (reference §2.5): every required field present, so `user` in responses is complete.
import { rfc3339 } from '../../clock.js'
import { newId } from '../tokens/ids.js'
import type { UserObject } from './user-store.js'

export interface NewUser {
  user_id?: string | undefined
  email?: string | undefined
  name?: { first_name?: string; middle_name?: string; last_name?: string } | undefined
  external_id?: string | undefined
  trusted_metadata?: Record<string, unknown> | undefined
  untrusted_metadata?: Record<string, unknown> | undefined
  roles?: string[] | undefined
}

export function buildUser(input: NewUser, nowSeconds: number): UserObject {
  const email = input.email?.toLowerCase()
  return {
    user_id: input.user_id ?? newId('user'),
    emails: email ? [{ email_id: emailIdFor(input), email, verified: true }] : [],
    status: 'active',
    phone_numbers: [],
    webauthn_registrations: [],
    providers: [],
    totps: [],
    crypto_wallets: [],
    biometric_registrations: [],
    is_locked: false,
    roles: input.roles ?? [],
    // A null part is an absent one, as everywhere in a request.
    name: {
      first_name: '',
      middle_name: '',
      last_name: '',
      ...Object.fromEntries(Object.entries(input.name ?? {}).filter(([, v]) => v != null)),
    },
    created_at: rfc3339(nowSeconds),
    password: null,
    trusted_metadata: input.trusted_metadata ?? {},
    untrusted_metadata: input.untrusted_metadata ?? {},
    ...(input.external_id === undefined ? {} : { external_id: input.external_id }),
  }
}

/** Fixture users get a stable email_id derived from their user_id, so factors can point at it. */
function emailIdFor(input: NewUser): string {
  return input.user_id
    ? `email-test-${input.user_id.replace(/^user-(test|live)-/, '')}`
    : newId('email')
}

export function primaryEmail(user: UserObject): { email_id: string; email: string } | undefined {
  const emails = user.emails as { email_id: string; email: string }[]
  return emails[0]
}

/** A user's primary email as a factor names it (sandbox@stytch.com for a user with none). */
export function userFactorEmail(user: UserObject) {
  const email = primaryEmail(user)
  return {
    email_id: email?.email_id ?? newId('email'),
    email_address: email?.email ?? 'sandbox@stytch.com',
  }
}
