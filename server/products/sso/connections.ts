// SSO connections: create, update and delete SAML, OIDC and external connections, and the
// organization's SSO fields they keep (sso_active_connections, sso_default_connection_id).
import type { Platform } from '../../platform/platform.js'
import type { ConnectionStore } from './connection-store.js'

export class SsoConnections {
  constructor(readonly deps: Platform & { store: ConnectionStore }) {}
}
