// M2M: the clients (/v1/m2m/clients, with the project's Basic auth). The public token endpoint
// (POST /v1/public/{project_id}/oauth2/token), where a service trades its client credentials for
// an access token (m2mClients.token), is served by idp-tokens, which dispatches by grant_type.
import { Hono, type Context } from 'hono'
import type { Platform } from '../../platform/platform.js'
import { jsonBody, readInput } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { type CreateInput, type M2MClients, type SearchQuery, type UpdateInput } from './clients.js'

export function m2mRoutes({ m2mClients }: Platform & { m2mClients: M2MClients }) {
  const api = new Hono<AppEnv>()
  const id = async (c: Context<AppEnv>) => (await readInput(c)).params.client_id!
  const answer = (c: Context<AppEnv>, m2m_client: object) => ok(c, { m2m_client })

  api.post('/v1/m2m/clients', async (c) =>
    answer(c, m2mClients.create(await jsonBody<CreateInput>(c))),
  )
  api.get('/v1/m2m/clients/:client_id', async (c) => answer(c, m2mClients.get(await id(c))))
  api.put('/v1/m2m/clients/:client_id', async (c) => {
    const clientId = await id(c)
    return answer(c, m2mClients.update(clientId, await jsonBody<UpdateInput>(c)))
  })
  api.delete('/v1/m2m/clients/:client_id', async (c) => {
    const client_id = await id(c)
    m2mClients.delete(client_id)
    return ok(c, { client_id })
  })
  api.post('/v1/m2m/clients/search', async (c) =>
    ok(
      c,
      m2mClients.search(
        await jsonBody<{ query?: SearchQuery; limit?: number; cursor?: string }>(c),
      ),
    ),
  )
  api.post('/v1/m2m/clients/:client_id/secrets/rotate/start', async (c) =>
    answer(c, m2mClients.rotateStart(await id(c))),
  )
  api.post('/v1/m2m/clients/:client_id/secrets/rotate/cancel', async (c) =>
    answer(c, m2mClients.rotateCancel(await id(c))),
  )
  api.post('/v1/m2m/clients/:client_id/secrets/rotate', async (c) =>
    answer(c, m2mClients.rotate(await id(c))),
  )

  return { api }
}
