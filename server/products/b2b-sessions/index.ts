// B2B member sessions (the B2B SDKs' `sessions`): authenticate, revoke, exchange, list, the JWKS;
// and the RBAC check of member actions (MemberActions), which later products use.
import { defineProduct } from '../../platform/product.js'
import { MemberActions } from './member-actions.js'
import { b2bSessionRoutes } from './routes.js'

export const b2bSessions = defineProduct<{ memberActions: MemberActions }>({
  name: 'b2b-sessions',
  services: (p) => ({
    memberActions: new MemberActions({ members: p.members, rbac: p.rbac, directory: p.directory }),
  }),
  routes: b2bSessionRoutes,
})
