// users.search: Stytch's query (an operator over filter operands) over every user, in creation
// order, a page at a time. The operands' shapes are openapi.yaml's rules (UserSearchOperand);
// here each filter's meaning, and the cursor.
import { StytchError } from '../../errors.js'
import { CONSUMER_PROVIDERS } from '../../platform/login/oauth-providers.js'
import type { UserObject } from '../../platform/sessions/user-store.js'

export interface SearchInput {
  cursor?: string | undefined
  limit?: number | undefined
  query?: { operator: string; operands?: Operand[] | undefined } | undefined
}

interface Operand {
  filter_name: string
  filter_value: unknown
}

interface Verifiable {
  verified: boolean
}
type Entry = Verifiable & Record<string, unknown>

const DEFAULT_LIMIT = 100

const list = (user: UserObject, name: string) => user[name] as Entry[]
const lower = (values: unknown) => (values as string[]).map((v) => v.toLowerCase())
const time = (value: string) => Date.parse(value)
const createdAt = (user: UserObject) => time(user.created_at as string)

/** Users one of whose entries of `name` has one of these values under `key`. */
const anyOf =
  (name: string, key: string, fold = false) =>
  (value: unknown) => {
    const wanted = new Set(fold ? lower(value) : (value as string[]))
    return (user: UserObject) =>
      list(user, name).some((entry) => {
        const have = entry[key] as string
        return wanted.has(fold ? have.toLowerCase() : have)
      })
  }

/** Users who have (true) or have not (false) a verified entry of `name`. */
const verified = (name: string) => (value: unknown) => (user: UserObject) =>
  list(user, name).some((entry) => entry.verified) === value

/** A fuzzy filter: `s` starts with the text at its start or after a space (or anywhere). */
const startsAtWord = (s: string, q: string) =>
  [...s].some((_, i) => (i === 0 || s[i - 1] === ' ') && s.startsWith(q, i))

const provider = (text: string) =>
  CONSUMER_PROVIDERS.find(
    (p) => p.id === text.toLowerCase() || p.name.toLowerCase() === text.toLowerCase(),
  )!

const FILTERS: Record<string, (value: unknown) => (user: UserObject) => boolean> = {
  created_at_greater_than: (v) => (u) => createdAt(u) > time(v as string),
  created_at_less_than: (v) => (u) => createdAt(u) < time(v as string),
  created_at_between: (v) => {
    const { greater_than, less_than } = v as { greater_than: string; less_than: string }
    return (u) => createdAt(u) > time(greater_than) && createdAt(u) < time(less_than)
  },
  status: (v) => (u) => u.status === v,
  oauth_provider: (v) => {
    const names = new Set((v as string[]).map((p) => provider(p).name))
    return (u) => list(u, 'providers').some((p) => names.has(p.provider_type as string))
  },
  // An external_id stands for its user (Stytch refuses a mix of the two in one filter).
  user_id: (v) => {
    const ids = new Set(v as string[])
    return (u) =>
      ids.has(u.user_id) || (typeof u.external_id === 'string' && ids.has(u.external_id))
  },
  full_name_fuzzy: (v) => {
    const q = (v as string).toLowerCase()
    return (u) => {
      const n = u.name as { first_name: string; middle_name: string; last_name: string }
      const full = [n.first_name, n.middle_name, n.last_name].filter(Boolean).join(' ')
      const short = [n.first_name, n.last_name].filter(Boolean).join(' ')
      return [full, short].some((s) => startsAtWord(s.toLowerCase(), q))
    }
  },
  phone_number: anyOf('phone_numbers', 'phone_number'),
  phone_id: anyOf('phone_numbers', 'phone_id'),
  phone_verified: verified('phone_numbers'),
  phone_number_fuzzy: (v) => (u) =>
    list(u, 'phone_numbers').some((p) => (p.phone_number as string).includes(v as string)),
  email_address: anyOf('emails', 'email', true),
  email_id: anyOf('emails', 'email_id'),
  email_verified: verified('emails'),
  email_address_fuzzy: (v) => {
    const q = (v as string).toLowerCase()
    return (u) =>
      list(u, 'emails').some((e) => {
        const address = e.email as string
        return address.startsWith(q) || address.slice(address.indexOf('@') + 1).startsWith(q)
      })
  },
  email_domain: (v) => {
    const domains = new Set(lower(typeof v === 'string' ? [v] : v))
    return (u) => list(u, 'emails').some((e) => domains.has((e.email as string).split('@')[1]!))
  },
  webauthn_registration_verified: verified('webauthn_registrations'),
  webauthn_registration_id: anyOf('webauthn_registrations', 'webauthn_registration_id'),
  biometric_registration_verified: verified('biometric_registrations'),
  biometric_registration_id: anyOf('biometric_registrations', 'biometric_registration_id'),
  crypto_wallet_id: anyOf('crypto_wallets', 'crypto_wallet_id'),
  crypto_wallet_address: anyOf('crypto_wallets', 'crypto_wallet_address', true),
  crypto_wallet_verified: verified('crypto_wallets'),
  totp_id: anyOf('totps', 'totp_id'),
  totp_verified: verified('totps'),
  password_exists: (v) => (u) => (u.password != null) === v,
}

/** A page of the users the query matches, oldest first, and Stytch's results_metadata. */
export function searchUsers(users: UserObject[], input: SearchInput) {
  const match = matcher(input.query)
  const found = users.filter(match).sort(byCreation)
  const after = input.cursor ? decodeCursor(input.cursor) : undefined
  const rest = after ? found.filter((u) => byCreation(u, after) > 0) : found
  // 0 is the default, as an unset number in Stytch's API.
  const page = rest.slice(0, input.limit || DEFAULT_LIMIT)
  const more = rest.length > page.length
  return {
    results: page,
    results_metadata: {
      total: found.length,
      next_cursor: more ? encodeCursor(page.at(-1)!) : null,
    },
  }
}

function matcher(query: SearchInput['query']): (user: UserObject) => boolean {
  const tests = (query?.operands ?? []).map((o) => FILTERS[o.filter_name]!(o.filter_value))
  if (tests.length === 0) return () => true
  return query!.operator.toUpperCase() === 'OR'
    ? (u) => tests.some((t) => t(u))
    : (u) => tests.every((t) => t(u))
}

interface Position {
  user_id: string
  created_at?: unknown
}

const byCreation = (a: Position, b: Position) =>
  time(a.created_at as string) - time(b.created_at as string) ||
  (a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0)

/** The cursor names the last user of a page: the next page starts after it. */
const encodeCursor = (user: UserObject) =>
  Buffer.from(JSON.stringify([user.created_at, user.user_id])).toString('base64url')

function decodeCursor(cursor: string): Position {
  try {
    const [created_at, user_id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [
      unknown,
      unknown,
    ]
    if (typeof created_at === 'string' && typeof user_id === 'string' && !isNaN(time(created_at)))
      return { created_at, user_id }
  } catch {
    // Not a cursor this search made.
  }
  throw new StytchError('user_search_invalid_cursor')
}
