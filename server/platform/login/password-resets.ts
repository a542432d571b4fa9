// Password reset links (consumer, B2B organization and B2B discovery): one-time links as magic
// links are (single use, expiring on the mock's clock, PKCE checked), marked as resets so a reset
// takes only a reset link of its own flow. A consumer reset link is a magic link too: the reset
// email's "log in without a password" link authenticates the same token, as Stytch's own UI does
// with it. B2B reset links are kept in their product's own table (b2b_password_reset_secrets).
import { StytchError } from '../../errors.js'
import type { Db } from '../db.js'
import type { OneTimeSecrets } from './one-time.js'
import type { SecretRow } from './store.js'

export type ResetFlow = 'consumer' | 'organization' | 'discovery'
type LinkInput = Parameters<OneTimeSecrets['link']>[1]

export class PasswordResets {
  readonly #mark
  readonly #flow

  constructor(db: Db) {
    this.#mark = db.prepare<[string, ResetFlow]>(
      'INSERT INTO password_resets (secret_id, flow) VALUES (?, ?)',
    )
    this.#flow = db.prepare<[string], { flow: ResetFlow }>(
      'SELECT flow FROM password_resets WHERE secret_id = ?',
    )
  }

  issue(secrets: OneTimeSecrets, flow: ResetFlow, input: LinkInput) {
    const link = secrets.link(flow === 'consumer' ? 'magic_link' : 'b2b_magic_link', input)
    this.#mark.run(link.token, flow)
    return link
  }

  /** The reset link's record, used up; a token that is not a reset of this flow is unknown. */
  redeem(
    secrets: OneTimeSecrets,
    flow: ResetFlow,
    token: string,
    verifier: string | undefined,
  ): SecretRow {
    if (this.#flow.get(token)?.flow !== flow) throw new StytchError('magic_link_not_found')
    return secrets.redeemLink(
      flow === 'consumer' ? 'magic_link' : 'b2b_magic_link',
      token,
      verifier,
    )
  }
}
