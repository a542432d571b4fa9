// What other products use of the Connected App clients (the identity provider, its token
// endpoint): the client as Stytch answers it, and its secret checked.

export type ConnectedAppClientType =
  'first_party' | 'first_party_public' | 'third_party' | 'third_party_public'

/** A client as Stytch answers it (the SDKs' `ConnectedApp`), no secret in it. */
export interface ConnectedApp {
  client_id: string
  client_name: string
  client_description: string
  status: string
  full_access_allowed: boolean
  client_type: ConnectedAppClientType
  redirect_urls: string[]
  access_token_expiry_minutes: number
  access_token_template_content: string
  post_logout_redirect_urls: string[]
  bypass_consent_for_offline_access: boolean
  creation_method: string
  id_token_template_content: string
  client_secret_last_four?: string
  next_client_secret_last_four?: string
  access_token_custom_audience?: string
  logo_url?: string
  client_id_metadata_url?: string
}

/** The named interface of the connectedApps product. */
export interface ConnectedAppClients {
  /** The client with this id, or null when there is none (never made, or deleted). */
  find(clientId: string): ConnectedApp | null
  /** Whether this is the client's secret (or, during a rotation, its next one). */
  secretMatches(clientId: string, secret: string): boolean
  /** Called when a client is deleted: what was granted to it goes too. */
  onDeleted(forget: (clientId: string) => void): void
  /** Whether the project allows dynamic client registration (for discovery's `registration_endpoint`). */
  dynamicRegistrationEnabled(): boolean
}

/** Where dynamic client registration (RFC 7591) is served: the project's domain, as on Stytch. */
export const DYNAMIC_REGISTRATION_PATH = '/v1/oauth2/register'
