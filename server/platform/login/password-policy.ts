// The project's password strength policy (STYTCH_MOCK_PASSWORD_POLICY), one rule for consumer and
// B2B passwords: zxcvbn, Stytch's default (valid from score 3), or LUDS (a minimum length and a
// number of character classes: lower case, upper case, digit, symbol). The score is zxcvbn's
// (zxcvbn-ts, the maintained port of the estimator Stytch names), loaded on the first check so
// start-up does not pay for its dictionaries. Breach checks need HaveIBeenPwned, which is not
// reachable offline: a password that is, whole, one of zxcvbn's common passwords counts as
// breached instead, and is refused where Stytch refuses a breached one.
import type { PasswordPolicyConfig } from '../../config.js'
import { StytchError } from '../../errors.js'
import { normalEmail } from './rules.js'

export interface Strength {
  valid_password: boolean
  score: number
  breached_password: boolean
  strength_policy: 'zxcvbn' | 'luds'
  breach_detection_on_create: true
  zxcvbn: { warning: string; suggestions: string[] }
  luds: {
    has_lower_case: boolean
    has_upper_case: boolean
    has_digit: boolean
    has_symbol: boolean
    missing_complexity: number
    missing_characters: number
  }
}

type Zxcvbn = { check(password: string, userInputs?: string[]): ZxcvbnResult }
interface ZxcvbnResult {
  score: number
  feedback: { warning: string | null; suggestions: string[] }
  sequence: { token: string; pattern: string; dictionaryName?: string }[]
}

export class PasswordPolicy {
  #zxcvbn: Promise<Zxcvbn> | undefined

  constructor(readonly config: PasswordPolicyConfig) {}

  /**
   * What strength_check answers for this password (and the account's email, if known), in both
   * verticals. Under LUDS, as Stytch answers: score 0 and no zxcvbn feedback (empty, not null:
   * the Python SDK's models take only a string and a list; Stytch's JS docs show nulls).
   */
  async check(password: string, emailAddress?: string): Promise<Strength> {
    const zxcvbn = await (this.#zxcvbn ??= loadZxcvbn())
    const email = emailAddress === undefined ? undefined : normalEmail(emailAddress)
    const inputs = email ? [email, email.split('@')[0]!] : []
    const result = zxcvbn.check(password, inputs)
    const breached =
      result.sequence.length === 1 &&
      result.sequence[0]!.pattern === 'dictionary' &&
      result.sequence[0]!.dictionaryName === 'passwords-common'
    const has = {
      has_lower_case: /[a-z]/.test(password),
      has_upper_case: /[A-Z]/.test(password),
      has_digit: /[0-9]/.test(password),
      has_symbol: /[^A-Za-z0-9]/.test(password),
    }
    const classes = Object.values(has).filter(Boolean).length
    const { minimumCount, complexity } =
      this.config.kind === 'luds' ? this.config : { minimumCount: 8, complexity: 3 }
    const luds = {
      ...has,
      missing_complexity: Math.max(0, complexity - classes),
      missing_characters: Math.max(0, minimumCount - [...password].length),
    }
    const lengthOk = luds.missing_characters === 0 && luds.missing_complexity === 0
    const valid = !breached && (this.config.kind === 'luds' ? lengthOk : result.score >= 3)
    return {
      valid_password: valid,
      score: this.config.kind === 'luds' ? 0 : result.score,
      breached_password: breached,
      strength_policy: this.config.kind,
      breach_detection_on_create: true,
      zxcvbn:
        this.config.kind === 'luds'
          ? { warning: '', suggestions: [] }
          : {
              warning: result.feedback.warning ?? '',
              suggestions: valid ? [] : result.feedback.suggestions,
            },
      luds,
    }
  }

  /** A new password (create, reset) must pass: Stytch's weak_password otherwise. */
  async require(password: string, email?: string): Promise<void> {
    if (!(await this.check(password, email)).valid_password) throw new StytchError('weak_password')
  }

  /** The frontend SDK's bootstrap password_config: null for zxcvbn, the LUDS settings else. */
  bootstrap() {
    return this.config.kind === 'luds'
      ? { luds_complexity: this.config.complexity, luds_minimum_count: this.config.minimumCount }
      : null
  }
}

async function loadZxcvbn(): Promise<Zxcvbn> {
  const [{ ZxcvbnFactory }, common, en] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ])
  return new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  }) as unknown as Zxcvbn
}
