// SSO's routes: the connections API (connection-routes.ts) and the login journey
// (journey-routes.ts), each with its backend, frontend, public and control parts.
import { Hono } from 'hono'
import type { AppEnv } from '../../platform/http/env.js'
import type { Platform } from '../../platform/platform.js'
import type { ProductRoutes } from '../../platform/product.js'
import type { MemberActions } from '../b2b-sessions/member-actions.js'
import { connectionRoutes } from './connection-routes.js'
import type { SsoConnections } from './connections.js'
import { journeyRoutes } from './journey-routes.js'
import type { SsoLogins } from './logins.js'

export type SsoWorld = Platform & {
  memberActions: MemberActions
  ssoConnections: SsoConnections
  ssoLogins: SsoLogins
}

export function ssoRoutes(world: SsoWorld): ProductRoutes {
  const parts: ProductRoutes[] = [connectionRoutes(world), journeyRoutes(world)]
  const merged: ProductRoutes = {}
  for (const place of ['public', 'api', 'sdk', 'control'] as const) {
    const app = new Hono<AppEnv>()
    let any = false
    for (const part of parts)
      if (part[place]) {
        app.route('/', part[place])
        any = true
      }
    if (any) merged[place] = app
  }
  return merged
}
