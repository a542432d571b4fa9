import { rfc3339 } from '../../clock.js'

/** The factor Stytch records for an email magic-link login: the default for seeded sessions. */
/** A factor a login just recorded: its type, delivery method and details, stamped now. */
export function loginFactor(
  type: string,
  delivery_method: string,
  details: object,
  nowSeconds: number,
) {
  const at = rfc3339(nowSeconds)
  return {
    type,
    delivery_method,
    last_authenticated_at: at,
    created_at: at,
    updated_at: at,
    ...details,
  }
}

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

// The closed sets the official SDKs declare for an AuthenticationFactor (the Python SDK 15.3's
// pydantic enums AuthenticationFactorType and AuthenticationFactorDeliveryMethod). A seeded factor
// outside them makes that SDK's sessions.authenticate raise a ValidationError, so seeds refuse it.
export const FACTOR_TYPES = [
  'magic_link',
  'otp',
  'oauth',
  'webauthn',
  'totp',
  'crypto',
  'password',
  'signature_challenge',
  'sso',
  'imported',
  'recovery_codes',
  'email_otp',
  'impersonated',
  'trusted_auth_token',
] as const

export const FACTOR_DELIVERY_METHODS = [
  'email',
  'sms',
  'whatsapp',
  'embedded',
  'oauth_google',
  'oauth_microsoft',
  'oauth_apple',
  'webauthn_registration',
  'authenticator_app',
  'oauth_github',
  'recovery_code',
  'oauth_facebook',
  'crypto_wallet',
  'oauth_amazon',
  'oauth_bitbucket',
  'oauth_coinbase',
  'oauth_discord',
  'oauth_figma',
  'oauth_gitlab',
  'oauth_instagram',
  'oauth_linkedin',
  'oauth_shopify',
  'oauth_slack',
  'oauth_snapchat',
  'oauth_spotify',
  'oauth_steam',
  'oauth_tiktok',
  'oauth_twitch',
  'oauth_twitter',
  'knowledge',
  'biometric',
  'sso_saml',
  'sso_oidc',
  'oauth_salesforce',
  'oauth_yahoo',
  'oauth_hubspot',
  'imported_auth0',
  'oauth_exchange_slack',
  'oauth_exchange_hubspot',
  'oauth_exchange_github',
  'oauth_exchange_google',
  'impersonation',
  'oauth_access_token_exchange',
  'trusted_token_exchange',
] as const
