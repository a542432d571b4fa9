// sso.getConnections: an organization's SAML, OIDC and external connections, backend
// (GET /v1/b2b/sso/{organization_id}, RBAC-checked with a member's session header) and frontend
// (GET /sdk/v1/b2b/sso, as the caller: `stytch.sso` `get`).
import { Hono } from 'hono'
import { readInput } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import type { SsoWorld } from './routes.js'

/** The organization's connections: none can be made yet. */
const connections = () => ({ saml_connections: [], oidc_connections: [], external_connections: [] })

export function connectionRoutes({ config, directory, memberActions }: SsoWorld) {
  const api = new Hono<AppEnv>()
  api.get('/v1/b2b/sso/:organization_id', async (c) => {
    const { params } = await readInput(c)
    const org = directory.organization(params.organization_id!)
    const session = memberActions.fromHeaders(c)
    if (session) {
      const actor = await memberActions.actor(session)
      memberActions.within(actor, org.organization_id)
      memberActions.require(actor, 'stytch.sso', 'get')
    }
    return ok(c, connections())
  })

  const sdk = new Hono<AppEnv>()
  const { data, caller } = sdkCaller(config)
  sdk.get('/sdk/v1/b2b/sso', async (c) => {
    const actor = await memberActions.actor(caller(c, 'B2B'))
    c.set('subject', { member_id: actor.member_id })
    memberActions.require(actor, 'stytch.sso', 'get')
    return data(c, connections())
  })

  return { api, sdk }
}
