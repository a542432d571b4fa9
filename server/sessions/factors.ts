import { rfc3339 } from '../clock.js'

/** The factor Stytch records for an email magic-link login: the default for seeded sessions. */
export function emailMagicLinkFactor(
  email: { email_id: string; email_address: string },
  nowSeconds: number,
) {
  const at = rfc3339(nowSeconds)
  return {
    type: 'magic_link',
    delivery_method: 'email',
    last_authenticated_at: at,
    created_at: at,
    updated_at: at,
    email_factor: email,
  }
}
