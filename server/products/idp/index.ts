// Connected Apps' authorize step (the SDKs' `idp.oauth` and the frontend's `idp`): a user or member
// authorizes a Connected App client, with consent where Stytch asks for it, and gets a one-use
// authorization code for the token endpoint (products/idp-tokens, through the IdentityProvider
// interface). Also the connected apps a user, member or organization has granted, and their
// revocation. Uses the clients through connected-apps' ConnectedAppClients and member writes'
// RBAC through b2b-sessions' MemberActions.
import { defineProduct } from '../../platform/product.js'
import type { MemberActions } from '../b2b-sessions/member-actions.js'
import type { ConnectedAppClients } from '../connected-apps/types.js'
import { ConnectedAppGrants } from './provider.js'
import { idpRoutes } from './routes.js'
import { IdpStore, SCHEMA } from './store.js'
import type { IdentityProvider } from './types.js'

export const idp = defineProduct<
  { idp: IdentityProvider & ConnectedAppGrants },
  { connectedApps: ConnectedAppClients; memberActions: MemberActions }
>({
  name: 'idp',
  schema: SCHEMA,
  services: (p) => {
    const store = new IdpStore(p.db)
    const grants = new ConnectedAppGrants({
      clock: p.clock,
      store,
      users: p.users,
      orgs: p.orgs,
      core: p.core,
      rbac: p.rbac,
      keys: p.keys,
      clients: p.connectedApps,
    })
    // A grant goes with its user, its member (deleted: its sessions are revoked as it goes, and
    // it is no longer found), its organization, or its client.
    p.records.onForget((gone) => {
      if ('user_id' in gone) grants.forgetSubject('consumer', gone.user_id)
    })
    p.core.beforeRevokeAll.push((kind, subjectId) => {
      if (kind === 'member' && !p.orgs.member(subjectId)) grants.forgetSubject('b2b', subjectId)
    })
    p.orgs.onOrganizationDeleted((id) => grants.forgetOrganization(id))
    p.orgs.onOrganizationUpdated((org) => grants.followOrganization(org))
    p.connectedApps.onDeleted((clientId) => grants.forgetClient(clientId))
    return { idp: grants }
  },
  routes: idpRoutes,
})
