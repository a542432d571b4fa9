// The discovery documents (OpenID Connect Discovery 1.0, RFC 8414), one for both paths: exactly
// the endpoints and choices this mock serves, on the origin a client reached it by; and the
// project's Authorization URL, the page of your app a client is sent to (Stytch's dashboard
// setting; here a row, set through test control).
import type { Config } from '../../config.js'
import type { Db } from '../../platform/db.js'

export const PROFILE_SCOPES = ['openid', 'profile', 'email', 'phone', 'offline_access']

/**
 * `registration`: whether the project allows dynamic client registration (listed only then);
 * `customScopes`: the RBAC policy's (Stytch: "any custom scopes you specify in an RBAC
 * configuration will also be listed here").
 */
export function discovery(
  origin: string,
  authorizationUrl: string,
  registration: boolean,
  customScopes: string[],
) {
  const auth = ['client_secret_basic', 'client_secret_post', 'none']
  return {
    issuer: origin,
    authorization_endpoint: authorizationUrl,
    token_endpoint: `${origin}/v1/oauth2/token`,
    userinfo_endpoint: `${origin}/v1/oauth2/userinfo`,
    jwks_uri: `${origin}/.well-known/jwks.json`,
    // Served by connected-apps (its DYNAMIC_REGISTRATION_PATH; a product imports another's types only).
    ...(registration ? { registration_endpoint: `${origin}/v1/oauth2/register` } : {}),
    introspection_endpoint: `${origin}/v1/oauth2/introspect`,
    revocation_endpoint: `${origin}/v1/oauth2/revoke`,
    scopes_supported: [...new Set([...PROFILE_SCOPES, ...customScopes])],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: auth,
    introspection_endpoint_auth_methods_supported: auth,
    revocation_endpoint_auth_methods_supported: auth,
    code_challenge_methods_supported: ['S256'],
    claims_supported: [
      'iss',
      'sub',
      'aud',
      'exp',
      'nbf',
      'iat',
      'nonce',
      'auth_time',
      'name',
      'given_name',
      'middle_name',
      'family_name',
      'profile_picture',
      'locale',
      'email',
      'email_verified',
      'phone_number',
      'phone_number_verified',
    ],
  }
}

/** The project's Connected Apps settings this product keeps. */
export class IdpSettings {
  readonly #get
  readonly #set
  readonly #default: string

  constructor(db: Db, config: Config) {
    this.#get = db.prepare<[string], { value: string }>(
      'SELECT value FROM idp_settings WHERE name = ?',
    )
    this.#set = db.prepare<[string, string]>(
      'INSERT INTO idp_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    )
    // Unset: a page beside the project's consumer login redirect (http://localhost:3000 by default).
    this.#default = new URL('/oauth/authorize', config.redirectUrls.consumer.login).href
  }

  authorizationUrl(): string {
    return this.#get.get('authorization_url')?.value ?? this.#default
  }

  setAuthorizationUrl(url: string): void {
    this.#set.run('authorization_url', url)
  }
}
