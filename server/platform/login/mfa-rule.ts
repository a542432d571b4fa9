// The frontend SDK's multi-factor rule for privileged calls (Stytch's "Multi-factor
// authentication" page of its JavaScript SDK docs): a user who has registered factors of two
// categories may make them only from a session holding factors of two categories, one of them
// authenticated within the hour; a user with fewer may add a second factor without that.
import type { Clock } from '../../clock.js'
import { StytchError } from '../../errors.js'
import type { Factor, SessionArguments, SessionCore } from '../sessions/core.js'
import type { UserObject } from '../sessions/user-store.js'
import type { UserRecords } from './user-records.js'

/** Stytch's three categories: another account or email address, a phone, a dedicated device. */
type Category = 'account' | 'phone' | 'device'

const FRESH_SECONDS = 60 * 60

/**
 * A session factor's category. Passwords count with email (Stytch's MFA guides: a password and an
 * email login are not a secure pair, the email resets the password); recovery codes stand in for
 * the TOTP they belong to (**Unverified**). Others (crypto wallets, impersonation) count for none.
 */
function factorCategory(factor: Factor): Category | undefined {
  const method = factor.delivery_method
  if (method === 'sms' || method === 'whatsapp') return 'phone'
  if (['authenticator_app', 'recovery_code', 'webauthn_registration', 'biometric'].includes(method))
    return 'device'
  if (['email', 'embedded', 'knowledge'].includes(method) || method.startsWith('oauth_'))
    return 'account'
  return undefined
}

const verified = (list: unknown) => (list as { verified?: boolean }[]).some((e) => e.verified)

/** The categories of the factors a user has registered (verified ones; a password; OAuth). */
function registeredCategories(user: UserObject): Set<Category> {
  const found = new Set<Category>()
  if (verified(user.emails) || user.password || (user.providers as []).length > 0)
    found.add('account')
  if (verified(user.phone_numbers)) found.add('phone')
  if (
    verified(user.totps) ||
    verified(user.webauthn_registrations) ||
    verified(user.biometric_registrations)
  )
    found.add('device')
  return found
}

/**
 * 401 insufficient_factors unless the session may make a privileged change for this user: the
 * user has registered factors of fewer than two categories, or the session holds factors of two
 * categories and one was authenticated in the last hour.
 */
export function requireMfa(user: UserObject, factors: Factor[], nowSeconds: number): void {
  if (registeredCategories(user).size < 2) return
  const categories = new Set(factors.map(factorCategory).filter((c) => c !== undefined))
  const fresh = factors.some((f) => {
    const at = typeof f.last_authenticated_at === 'string' ? Date.parse(f.last_authenticated_at) : 0
    return at / 1000 > nowSeconds - FRESH_SECONDS
  })
  if (categories.size < 2 || !fresh) throw new StytchError('insufficient_factors')
}

/**
 * The frontend's caller for a privileged call (adding or deleting a factor, reading recovery
 * codes): its session's user, held to the rule above. An ended session is 404 session_not_found.
 */
export async function privilegedCaller(
  deps: { core: SessionCore; records: UserRecords; clock: Clock },
  session: SessionArguments,
): Promise<UserObject> {
  const row = await deps.core.find('consumer', session)
  const user = deps.records.byId(row.subject_id)
  requireMfa(user, row.authentication_factors as Factor[], deps.clock.nowSeconds())
  return user
}
