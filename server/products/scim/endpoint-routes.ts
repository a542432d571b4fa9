// The SCIM 2.0 endpoint Stytch hosts for an identity provider (the connection's base_url):
// /v1/b2b/scim/{connection_id}/Users, /Groups and the discovery documents, opened by the
// connection's bearer token rather than the project's credentials (mounted before Basic auth).
// Answers and errors are SCIM JSON (application/scim+json, RFC 7644 §3.12), not Stytch's envelope.
import { Hono, type Context } from 'hono'
import { readInput } from '../../platform/http/body.js'
import type { AppEnv } from '../../platform/http/env.js'
import { header } from '../../platform/http/request.js'
import { resourceTypes, schemas, serviceProviderConfig } from './discovery.js'
import { ScimError, scimErrorResponse, scimJson } from './errors.js'
import type { PatchOperation } from './patch.js'
import type { ScimWorld } from './routes.js'
import type { Resource, StoredConnection } from './store.js'
import { LIST_RESPONSE, type ListQuery } from './users.js'

type Handler = (
  c: Context<AppEnv>,
  connection: StoredConnection,
  base: string,
  input: { body: Resource; query: Record<string, unknown>; id: string },
) => Response | Promise<Response>

export function endpointRoutes({ scimConnections, scimUsers, scimGroups }: ScimWorld) {
  /** The connection the bearer token opens, then the spec-validated input; errors as SCIM's. */
  const scim =
    (handler: Handler) =>
    async (c: Context<AppEnv>): Promise<Response> => {
      try {
        const connectionId = c.req.param('connection_id') ?? ''
        const connection = scimConnections.authenticate(connectionId, header(c, 'authorization'))
        const { body, query, params } = await readInput(c)
        const base = `${new URL(c.req.url).origin}/v1/b2b/scim/${connection.connection_id}`
        return await handler(c, connection, base, { body, query, id: params.id ?? '' })
      } catch (err) {
        return scimErrorResponse(c, err)
      }
    }
  const listQuery = (query: Record<string, unknown>): ListQuery => ({
    filter: query.filter as string | undefined,
    startIndex: query.startIndex as number | undefined,
    count: query.count as number | undefined,
    excludedAttributes: query.excludedAttributes as string | undefined,
  })
  const operations = (body: Resource) => body.Operations as PatchOperation[]
  const created = (c: Context<AppEnv>, resource: Resource) => {
    c.header('location', (resource.meta as { location: string }).location)
    return scimJson(c, resource, 201)
  }
  const subject = (c: Context<AppEnv>, member_id: string) => c.set('subject', { member_id })

  const app = new Hono<AppEnv>()
  const users = '/v1/b2b/scim/:connection_id/Users'
  app.get(
    users,
    scim((c, conn, base, { query }) => scimJson(c, scimUsers.list(conn, listQuery(query), base))),
  )
  app.post(
    users,
    scim((c, conn, base, { body }) => {
      const user = scimUsers.create(conn, body, base)
      subject(c, user.id as string)
      return created(c, user)
    }),
  )
  app.get(
    `${users}/:id`,
    scim((c, conn, base, { id }) => scimJson(c, scimUsers.get(conn, id, base))),
  )
  app.put(
    `${users}/:id`,
    scim((c, conn, base, { id, body }) => {
      subject(c, id)
      return scimJson(c, scimUsers.replace(conn, id, body, base))
    }),
  )
  app.patch(
    `${users}/:id`,
    scim((c, conn, base, { id, body }) => {
      subject(c, id)
      return scimJson(c, scimUsers.patch(conn, id, operations(body), base))
    }),
  )
  app.delete(
    `${users}/:id`,
    scim((c, conn, _base, { id }) => {
      subject(c, id)
      scimUsers.delete(conn, id)
      return c.body(null, 204)
    }),
  )

  const groups = '/v1/b2b/scim/:connection_id/Groups'
  app.get(
    groups,
    scim((c, conn, base, { query }) => scimJson(c, scimGroups.list(conn, listQuery(query), base))),
  )
  app.post(
    groups,
    scim((c, conn, base, { body }) => created(c, scimGroups.create(conn, body, base))),
  )
  app.get(
    `${groups}/:id`,
    scim((c, conn, base, { id, query }) =>
      scimJson(c, scimGroups.get(conn, id, base, listQuery(query).excludedAttributes)),
    ),
  )
  app.put(
    `${groups}/:id`,
    scim((c, conn, base, { id, body }) => scimJson(c, scimGroups.replace(conn, id, body, base))),
  )
  app.patch(
    `${groups}/:id`,
    scim((c, conn, base, { id, body }) =>
      scimJson(c, scimGroups.patch(conn, id, operations(body), base)),
    ),
  )
  app.delete(
    `${groups}/:id`,
    scim((c, conn, _base, { id }) => {
      scimGroups.delete(conn, id)
      return c.body(null, 204)
    }),
  )

  const list = (resources: { id: string }[]) => ({
    schemas: [LIST_RESPONSE],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  })
  const one = <T extends { id: string }>(all: T[], id: string, what: string) => {
    const found = all.find((r) => r.id === id)
    if (!found) throw new ScimError(404, undefined, `No ${what} ${id}.`)
    return found
  }
  const root = '/v1/b2b/scim/:connection_id'
  app.get(
    `${root}/ServiceProviderConfig`,
    scim((c, _conn, base) => scimJson(c, serviceProviderConfig(base))),
  )
  app.get(
    `${root}/ResourceTypes`,
    scim((c, _conn, base) => scimJson(c, list(resourceTypes(base)))),
  )
  app.get(
    `${root}/ResourceTypes/:id`,
    scim((c, _conn, base, { id }) => scimJson(c, one(resourceTypes(base), id, 'resource type'))),
  )
  app.get(
    `${root}/Schemas`,
    scim((c, _conn, base) => scimJson(c, list(schemas(base)))),
  )
  app.get(
    `${root}/Schemas/:id`,
    scim((c, _conn, base, { id }) => scimJson(c, one(schemas(base), id, 'schema'))),
  )
  return app
}
