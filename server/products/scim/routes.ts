// SCIM's routes: the connection API (connection-routes.ts: backend and frontend) and the SCIM 2.0
// endpoint identity providers push to (endpoint-routes.ts: public, behind the bearer token).
import type { Platform } from '../../platform/platform.js'
import type { ProductRoutes } from '../../platform/product.js'
import type { MemberActions } from '../b2b-sessions/member-actions.js'
import { connectionRoutes } from './connection-routes.js'
import type { ScimConnections } from './connections.js'
import { endpointRoutes } from './endpoint-routes.js'
import type { ScimGroups } from './groups.js'
import type { ScimUsers } from './users.js'

export type ScimWorld = Platform & {
  memberActions: MemberActions
  scimConnections: ScimConnections
  scimUsers: ScimUsers
  scimGroups: ScimGroups
}

export function scimRoutes(world: ScimWorld): ProductRoutes {
  return { ...connectionRoutes(world), public: endpointRoutes(world) }
}
