// B2B single sign-on (the SDKs' `sso`): an organization's SAML, OIDC and external connections
// (connections.ts), and the login through them: /v1/public/sso/start, a page the mock serves in
// the identity provider's place, the SAML ACS / OIDC callback, and sso.authenticate (logins.ts).
// Its connections grant members roles (connection-roles.ts), keep the organization's SSO
// settings (organizations.update's rule) and go with their organization.
import { defineProduct } from '../../platform/product.js'
import type { MemberActions } from '../b2b-sessions/member-actions.js'
import type { OrganizationAdmin } from '../organizations/organizations.js'
import { ssoRoleGranter } from './connection-roles.js'
import { CONNECTION_SCHEMA, ConnectionStore } from './connection-store.js'
import { SsoConnections } from './connections.js'
import { JOURNEY_SCHEMA, SsoLogins } from './logins.js'
import { ssoRoutes } from './routes.js'

export const sso = defineProduct<
  { ssoConnections: SsoConnections; ssoLogins: SsoLogins },
  { memberActions: MemberActions; organizationAdmin: OrganizationAdmin }
>({
  name: 'sso',
  schema: CONNECTION_SCHEMA + JOURNEY_SCHEMA,
  services: (p) => {
    const store = new ConnectionStore(p.db)
    const ssoConnections = new SsoConnections({ ...p, store })
    p.orgs.onOrganizationDeleted((id) => ssoConnections.forgetOrganization(id))
    p.orgs.grantRoles(ssoRoleGranter(ssoConnections))
    p.organizationAdmin.addSettingRule((org, input, creating) =>
      ssoConnections.checkSettings(org, input, creating),
    )
    return { ssoConnections, ssoLogins: new SsoLogins({ ...p, connections: ssoConnections }) }
  },
  routes: ssoRoutes,
})
