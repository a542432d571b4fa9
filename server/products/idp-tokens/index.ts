// Connected Apps' tokens (the SDKs' idp.introspectTokenNetwork / introspectTokenLocal and
// sessions.exchangeAccessToken): the public token endpoint (authorization_code, refresh_token;
// client_credentials handed to M2M), introspection, revocation, userinfo, the JWKS and discovery
// documents, and access tokens exchanged for sessions.
import { defineProduct } from '../../platform/product.js'
import type { ConnectedAppClients } from '../connected-apps/types.js'
import type { IdentityProvider } from '../idp/types.js'
import type { M2MTokens } from '../m2m/clients.js'
import { IdpSettings } from './discovery.js'
import { idpTokenRoutes } from './routes.js'
import { IdpTokenStore, SCHEMA } from './store.js'
import { IdpTokens } from './tokens.js'

export const idpTokens = defineProduct<
  { idpTokens: IdpTokens; idpSettings: IdpSettings },
  { connectedApps: ConnectedAppClients; idp: IdentityProvider; m2mClients: M2MTokens }
>({
  name: 'idp-tokens',
  schema: SCHEMA,
  services: (p) => {
    const tokens = new IdpTokens({
      config: p.config,
      clock: p.clock,
      keys: p.keys,
      store: new IdpTokenStore(p.db),
      users: p.users,
      orgs: p.orgs,
      consumer: p.consumer,
      members: p.members,
      connectedApps: p.connectedApps,
      idp: p.idp,
    })
    // A consent withdrawn, a user, member or organization deleted, a client deleted: the
    // grants' refresh and access tokens end at once.
    p.idp.onGrantRevoked((clientId, subject) => tokens.revokeGrants(clientId, subject))
    p.connectedApps.onDeleted((clientId) => tokens.revokeGrants(clientId))
    return { idpTokens: tokens, idpSettings: new IdpSettings(p.db, p.config) }
  },
  routes: idpTokenRoutes,
})
