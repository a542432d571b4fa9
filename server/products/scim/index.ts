// B2B SCIM (the SDKs' `scim`): an organization's SCIM connection, and the SCIM 2.0 endpoint its
// identity provider pushes users and groups to: members provisioned, updated and deprovisioned,
// and roles granted through their groups.
import { defineProduct } from '../../platform/product.js'
import type { MemberActions } from '../b2b-sessions/member-actions.js'
import { ScimConnections } from './connections.js'
import { ScimGroups } from './groups.js'
import { ScimMembers } from './provisioning.js'
import { scimRoutes } from './routes.js'
import { SCHEMA, ScimStore } from './store.js'
import { ScimUsers } from './users.js'

export const scim = defineProduct<
  { scimConnections: ScimConnections; scimUsers: ScimUsers; scimGroups: ScimGroups },
  { memberActions: MemberActions }
>({
  name: 'scim',
  schema: SCHEMA,
  services: (p) => {
    const store = new ScimStore(p.db)
    const members = new ScimMembers({ clock: p.clock, store, orgs: p.orgs, core: p.core })
    // The roles a member's groups grant, worked out on every member write.
    p.orgs.grantRoles((member, org) => members.grants(member, org))
    p.orgs.onOrganizationDeleted((id) => store.forgetOrganization(id))
    const deps = { clock: p.clock, db: p.db, store, orgs: p.orgs, members }
    return {
      scimConnections: new ScimConnections({ ...deps, rbac: p.rbac, provisioning: members }),
      scimUsers: new ScimUsers(deps),
      scimGroups: new ScimGroups(deps),
    }
  },
  routes: scimRoutes,
})
