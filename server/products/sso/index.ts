// B2B single sign-on (the SDKs' `sso`): an organization's SAML, OIDC and external connections
// (connections.ts), and the login through them: /v1/public/sso/start, a page the mock serves in
// the identity provider's place, the SAML ACS / OIDC callback, and sso.authenticate (logins.ts).
import { defineProduct } from '../../platform/product.js'
import type { MemberActions } from '../b2b-sessions/member-actions.js'
import { CONNECTION_SCHEMA, ConnectionStore } from './connection-store.js'
import { SsoConnections } from './connections.js'
import { JOURNEY_SCHEMA, SsoLogins } from './logins.js'
import { ssoRoutes } from './routes.js'

export const sso = defineProduct<
  { ssoConnections: SsoConnections; ssoLogins: SsoLogins },
  { memberActions: MemberActions }
>({
  name: 'sso',
  schema: CONNECTION_SCHEMA + JOURNEY_SCHEMA,
  services: (p) => {
    const store = new ConnectionStore(p.db)
    p.orgs.onOrganizationDeleted((id) => store.deleteOrganization(id))
    const ssoConnections = new SsoConnections({ ...p, store })
    return { ssoConnections, ssoLogins: new SsoLogins({ ...p, connections: ssoConnections }) }
  },
  routes: ssoRoutes,
})
