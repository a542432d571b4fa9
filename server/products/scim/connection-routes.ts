// scim.connection.* : backend (/v1/b2b/scim/{organization_id}/connection..., RBAC-checked when a
// member's session header comes with it) and frontend (/sdk/v1/b2b/scim..., as the caller's
// member in its organization), each held to the `stytch.scim` resource.
import { Hono, type Context } from 'hono'
import { jsonBody, readInput } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import type { ConnectionInput } from './connections.js'
import type { ScimWorld } from './routes.js'

type Action = 'create' | 'get' | 'update' | 'delete'
const originOf = (c: Context<AppEnv>) => new URL(c.req.url).origin

export function connectionRoutes({ config, directory, memberActions, scimConnections }: ScimWorld) {
  const connections = scimConnections

  /** The organization named in the path; the member of a session header may act on it. */
  const organization = async (c: Context<AppEnv>, action: Action) => {
    const { params } = await readInput(c)
    const org = directory.organization(params.organization_id!)
    const session = memberActions.fromHeaders(c)
    if (session) {
      const actor = await memberActions.actor(session)
      c.set('subject', { member_id: actor.member_id })
      memberActions.within(actor, org.organization_id)
      memberActions.require(actor, 'stytch.scim', action)
    }
    return { orgId: org.organization_id, connectionId: params.connection_id ?? '' }
  }

  const api = new Hono<AppEnv>()
  api.post('/v1/b2b/scim/:organization_id/connection', async (c) => {
    const { orgId } = await organization(c, 'create')
    const body = await jsonBody<ConnectionInput>(c)
    return ok(c, { connection: connections.create(orgId, body, originOf(c)) })
  })
  api.get('/v1/b2b/scim/:organization_id/connection', async (c) => {
    const { orgId } = await organization(c, 'get')
    const connection = connections.of(orgId)
    return ok(c, { connection: connection && connections.answer(connection, originOf(c)) })
  })
  api.put('/v1/b2b/scim/:organization_id/connection/:connection_id', async (c) => {
    const { orgId, connectionId } = await organization(c, 'update')
    const updated = connections.update(orgId, connectionId, await jsonBody<ConnectionInput>(c))
    return ok(c, { connection: connections.answer(updated, originOf(c)) })
  })
  api.delete('/v1/b2b/scim/:organization_id/connection/:connection_id', async (c) => {
    const { orgId, connectionId } = await organization(c, 'delete')
    return ok(c, { connection_id: connections.delete(orgId, connectionId) })
  })
  api.get('/v1/b2b/scim/:organization_id/connection/:connection_id', async (c) => {
    const { orgId, connectionId } = await organization(c, 'get')
    const { query } = await readInput(c)
    connections.connection(orgId, connectionId)
    return ok(c, connections.groups(connectionId, groupPage(query)))
  })
  api.post('/v1/b2b/scim/:organization_id/connection/:connection_id/rotate/start', async (c) => {
    const { orgId, connectionId } = await organization(c, 'update')
    return ok(c, { connection: connections.rotateStart(orgId, connectionId, originOf(c)) })
  })
  for (const step of ['complete', 'cancel'] as const)
    api.post(
      `/v1/b2b/scim/:organization_id/connection/:connection_id/rotate/${step}`,
      async (c) => {
        const { orgId, connectionId } = await organization(c, 'update')
        const connection =
          step === 'complete'
            ? connections.rotateComplete(orgId, connectionId)
            : connections.rotateCancel(orgId, connectionId)
        return ok(c, { connection: connections.answer(connection, originOf(c)) })
      },
    )

  const sdk = new Hono<AppEnv>()
  const { data, caller } = sdkCaller(config)
  /** The caller's member, allowed the action on stytch.scim; its organization's id. */
  const member = async (c: Context<AppEnv>, action: Action) => {
    const actor = await memberActions.actor(caller(c, 'B2B'))
    c.set('subject', { member_id: actor.member_id })
    memberActions.require(actor, 'stytch.scim', action)
    return actor.organization_id
  }
  sdk.post('/sdk/v1/b2b/scim', async (c) => {
    const orgId = await member(c, 'create')
    const body = await jsonBody<ConnectionInput>(c)
    return data(c, { connection: connections.create(orgId, body, originOf(c)) })
  })
  sdk.get('/sdk/v1/b2b/scim', async (c) => {
    const orgId = await member(c, 'get')
    const connection = connections.of(orgId)
    return data(c, { connection: connection && connections.answer(connection, originOf(c)) })
  })
  sdk.put('/sdk/v1/b2b/scim/:connection_id', async (c) => {
    const orgId = await member(c, 'update')
    const { params, body } = await readInput(c)
    const updated = connections.update(orgId, params.connection_id!, body as ConnectionInput)
    return data(c, { connection: connections.answer(updated, originOf(c)) })
  })
  sdk.delete('/sdk/v1/b2b/scim/:connection_id', async (c) => {
    const orgId = await member(c, 'delete')
    const { params } = await readInput(c)
    return data(c, { connection_id: connections.delete(orgId, params.connection_id!) })
  })
  // The admin portal asks for any admin, with or without a connection: none has no groups.
  sdk.post('/sdk/v1/b2b/scim/groups', async (c) => {
    const orgId = await member(c, 'get')
    const body = await jsonBody<{ cursor?: string; limit?: number }>(c)
    const connection = connections.of(orgId)
    return data(
      c,
      connection
        ? connections.groups(connection.connection_id, body)
        : { scim_groups: [], next_cursor: null },
    )
  })
  sdk.post('/sdk/v1/b2b/scim/rotate/start', async (c) => {
    const orgId = await member(c, 'update')
    const { connection_id } = await jsonBody<{ connection_id: string }>(c)
    return data(c, { connection: connections.rotateStart(orgId, connection_id, originOf(c)) })
  })
  for (const step of ['complete', 'cancel'] as const)
    sdk.post(`/sdk/v1/b2b/scim/rotate/${step}`, async (c) => {
      const orgId = await member(c, 'update')
      const { connection_id } = await jsonBody<{ connection_id: string }>(c)
      const connection =
        step === 'complete'
          ? connections.rotateComplete(orgId, connection_id)
          : connections.rotateCancel(orgId, connection_id)
      return data(c, { connection: connections.answer(connection, originOf(c)) })
    })

  return { api, sdk }
}

const groupPage = (query: Record<string, string>) => ({
  cursor: query.cursor,
  limit: query.limit === undefined ? undefined : Number(query.limit),
})
