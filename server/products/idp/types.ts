// What the token endpoint (products/idp-tokens) uses of the identity provider: the authorization
// codes it issues, and the grants a user or member revokes.

/** Whom a grant is for: a user, or a member of an organization. */
export type GrantSubject =
  | { kind: 'consumer'; user_id: string }
  | { kind: 'b2b'; member_id: string; organization_id: string }

/** What an authorization code stands for: issued by the authorize step, spent once at the token endpoint. */
export interface CodeGrant {
  client_id: string
  subject: GrantSubject
  /** The scopes granted (after consent and policy). */
  scopes: string[]
  redirect_uri: string
  /** The PKCE challenge (S256, base64url), or null when the request had none. */
  code_challenge: string | null
  nonce: string | null
  resources: string[]
  /** The session the user or member authorized from (its id), and when it authenticated (unix seconds). */
  session_id: string | null
  auth_time: number
}

/** The named interface of the idp product. */
export interface IdentityProvider {
  /** The grant behind a code, once: a second take of the same code, or an expired one, is null. */
  takeCode(code: string): CodeGrant | null
  /** Called when a subject's grant to a client is revoked (consent withdrawn, subject or client gone). */
  onGrantRevoked(revoke: (clientId: string, subject: GrantSubject) => void): void
}
