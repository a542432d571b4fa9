// Opaque tokens and Stytch-looking ids.
import { randomUUID } from 'node:crypto'
import { nanoid } from 'nanoid'

/** nanoid's default alphabet is exactly base64url; 44 characters like Stytch's session tokens. */
export const newSessionToken = (): string => nanoid(44)

export const SESSION_TOKEN_FORMAT = /^[A-Za-z0-9_-]{44}$/

/** The uuid part of Stytch ids (`session-test-<uuid>`, `user-test-<uuid>`, ...), for RegExps. */
export const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

export const newId = (
  kind:
    | 'session'
    | 'user'
    | 'email'
    | 'request-id'
    | 'phone-number'
    | 'password'
    | 'message'
    | 'oauth-user-registration'
    | 'member-oauth-registration'
    | 'member-password'
    | 'totp'
    | 'totp-recovery-code'
    | 'webauthn-registration'
    | 'crypto-wallet'
    | 'saml-connection'
    | 'oidc-connection'
    | 'external-connection'
    | 'scim-connection'
    | 'saml-verification-key'
    | 'saml-encryption-key'
    | 'saml-member-registration'
    | 'oidc-member-registration'
    | 'scim-member-registration'
    | 'scim-group',
): string => `${kind}-test-${randomUUID()}`
