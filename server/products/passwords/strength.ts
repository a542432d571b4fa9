// The password strength rule: deterministic, so a test knows which passwords pass.
/** Passwords every breach list has: they score 0 and count as breached. */
const BREACHED = new Set([
  'password',
  'password1',
  'password123',
  '123456',
  '12345678',
  '123456789',
  'qwerty',
  'qwerty123',
  'letmein',
  'iloveyou',
  'admin',
  'welcome',
  'monkey',
  'dragon',
  'abc123',
  'football',
  'baseball',
  'sunshine',
  'princess',
  'trustno1',
])

/**
 * The strength rule, documented in openapi.yaml (PasswordStrength): one point each for at least
 * 10 characters, at least 14 characters, at least two and at least three of the character
 * classes (lower case, upper case, digit, symbol). A breached password, or one containing the
 * email's local part, scores 0. Valid from score 3, as Stytch's zxcvbn policy.
 */
export function passwordStrength(password: string, email?: string) {
  const has = {
    has_lower_case: /[a-z]/.test(password),
    has_upper_case: /[A-Z]/.test(password),
    has_digit: /[0-9]/.test(password),
    has_symbol: /[^A-Za-z0-9]/.test(password),
  }
  const classes = Object.values(has).filter(Boolean).length
  const breached = BREACHED.has(password.toLowerCase())
  const local = email?.split('@')[0]?.toLowerCase() ?? ''
  const personal = local.length >= 3 && password.toLowerCase().includes(local)
  const score =
    breached || personal
      ? 0
      : Number(password.length >= 10) +
        Number(password.length >= 14) +
        Number(classes >= 2) +
        Number(classes >= 3)
  const valid = score >= 3
  const suggestions: string[] = []
  if (!valid) {
    if (password.length < 14) suggestions.push('Use a longer password: 14 characters or more.')
    if (classes < 3) suggestions.push('Mix lower and upper case letters, digits and symbols.')
  }
  return {
    valid_password: valid,
    score,
    breached_password: breached,
    strength_policy: 'zxcvbn',
    breach_detection_on_create: true,
    feedback: {
      warning: breached
        ? 'This is a very common password.'
        : personal
          ? 'Avoid using your email address in your password.'
          : valid
            ? ''
            : 'This password is too easy to guess.',
      suggestions,
      // What Stytch's LUDS policy (8 characters, 3 classes) would still ask for.
      luds_requirements: {
        ...has,
        missing_complexity: Math.max(0, 3 - classes),
        missing_characters: Math.max(0, 8 - password.length),
      },
    },
  }
}
