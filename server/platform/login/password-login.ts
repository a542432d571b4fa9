// A login with a stored password, for consumer and B2B passwords alike: the password is checked
// against the stored hash (the mock's scrypt, or one passwords.migrate imported). An imported hash
// that matches is replaced by the mock's own; an imported password on the common-password list
// asks for a reset instead (breach detection on authentication, which Stytch runs on imported
// passwords as on any; the mock's own were checked when they were set).
import { isImported } from '../tokens/migrated-hash.js'
import { hashPassword, verifyPassword } from '../tokens/password-hash.js'
import type { PasswordPolicy } from './password-policy.js'

export type StoredPasswordCheck =
  { verdict: 'wrong' } | { verdict: 'reset' } | { verdict: 'ok'; rehashed?: string }

export async function checkStoredPassword(
  password: string,
  stored: string,
  policy: PasswordPolicy,
): Promise<StoredPasswordCheck> {
  if (!(await verifyPassword(password, stored))) return { verdict: 'wrong' }
  if (!isImported(stored)) return { verdict: 'ok' }
  if ((await policy.check(password)).breached_password) return { verdict: 'reset' }
  return { verdict: 'ok', rehashed: await hashPassword(password) }
}
