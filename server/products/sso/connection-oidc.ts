// OIDC connections (sso.oidc.*): create, and update, which reads a changed issuer's discovery
// document for the URLs not given (a `warning` when it cannot). A connection is active once it
// has its issuer, client id and secret, and the four URLs.
import { newId } from '../../platform/tokens/ids.js'
import type { Actor } from '../b2b-sessions/member-actions.js'
import type { StoredConnection } from './connection-store.js'
import type { SsoConnections } from './connections.js'
import { discoverOidc } from './metadata.js'

export interface OidcCreate {
  display_name?: string | undefined
  identity_provider?: string | undefined
}

export interface OidcUpdate extends OidcCreate {
  client_id?: string | undefined
  client_secret?: string | undefined
  issuer?: string | undefined
  authorization_url?: string | undefined
  token_url?: string | undefined
  userinfo_url?: string | undefined
  jwks_url?: string | undefined
  custom_scopes?: string | undefined
  attribute_mapping?: Record<string, string> | undefined
}

const URLS = ['authorization_url', 'token_url', 'userinfo_url', 'jwks_url'] as const
const PLAIN = [
  'display_name',
  'identity_provider',
  'client_id',
  'client_secret',
  'issuer',
  ...URLS,
  'custom_scopes',
] as const

/** Active once the seven fields Stytch lists are set (its docs for updateConnection). */
const statusOf = (c: StoredConnection) =>
  ['issuer', 'client_id', 'client_secret', ...URLS].every((f) => Boolean(c[f]))
    ? 'active'
    : 'pending'

export class OidcConnections {
  constructor(private readonly sso: SsoConnections) {}

  /** sso.oidc.createConnection (`stytch.sso` `create`): pending until configured. */
  create(organizationId: string, input: OidcCreate, actor: Actor | null) {
    const org = this.sso.scope(organizationId, actor, 'create')
    const connection: StoredConnection = {
      organization_id: org.organization_id,
      connection_id: newId('oidc-connection'),
      status: 'pending',
      display_name: input.display_name ?? '',
      client_id: '',
      client_secret: '',
      issuer: '',
      authorization_url: '',
      token_url: '',
      userinfo_url: '',
      jwks_url: '',
      identity_provider: input.identity_provider ?? 'generic',
      custom_scopes: '',
      attribute_mapping: {},
    }
    this.sso.save('oidc', connection, null, false)
    return { kind: 'oidc' as const, connection }
  }

  /**
   * sso.oidc.updateConnection (`stytch.sso` `update`): the fields given. A new issuer's
   * discovery document fills the URLs the request leaves out; when it cannot be read the update
   * still happens, with a `warning`.
   */
  async update(
    organizationId: string,
    connectionId: string,
    input: OidcUpdate,
    actor: Actor | null,
  ): Promise<{ connection: StoredConnection; warning?: string }> {
    const org = this.sso.scope(organizationId, actor, 'update')
    const current = this.sso.owned(org, connectionId, 'oidc').connection
    const discovered =
      input.issuer && input.issuer !== current.issuer ? await discoverOidc(input.issuer) : null

    // Read again after the wait: another write may have landed meanwhile.
    const before = this.sso.owned(org, connectionId, 'oidc').connection
    const c: StoredConnection = { ...before }
    if (discovered?.ok) for (const url of URLS) if (discovered[url]) c[url] = discovered[url]
    for (const field of PLAIN) if (input[field] !== undefined) c[field] = input[field] as never
    if (input.attribute_mapping !== undefined) c.attribute_mapping = { ...input.attribute_mapping }
    c.status = statusOf(c)
    this.sso.save('oidc', c, before, false)
    return discovered && !discovered.ok
      ? { connection: c, warning: discovered.warning }
      : { connection: c }
  }
}
