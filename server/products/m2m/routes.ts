// M2M: the clients (/v1/m2m/clients, with the project's Basic auth) and the public token endpoint
// (POST /v1/public/{project_id}/oauth2/token), where a service trades its client credentials for
// an access token: no project credentials; the client's in the body (form or JSON) or in Basic
// auth, as OAuth 2.0 allows; errors in OAuth's shape, as Stytch answers them there.
import { Hono, type Context } from 'hono'
import { StytchError } from '../../errors.js'
import type { Platform } from '../../platform/platform.js'
import { jsonBody, readInput } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { decoded, header } from '../../platform/http/request.js'
import { basicCredentials } from '../../platform/http/sdk-caller.js'
import {
  OAuthError,
  type CreateInput,
  type M2MClients,
  type SearchQuery,
  type UpdateInput,
} from './clients.js'

export function m2mRoutes({ config, m2mClients }: Platform & { m2mClients: M2MClients }) {
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

  const token = new Hono<AppEnv>()
  token.post('/v1/public/:project_id/oauth2/token', async (c) => {
    const oauthError = (err: OAuthError) => {
      c.set('errorType', err.error)
      return c.json(
        {
          status_code: err.status,
          request_id: c.get('requestId'),
          error: err.error,
          error_description: err.description,
          error_uri: `https://stytch.com/docs/api/errors/${err.status}#${err.error}`,
        },
        err.status as 400,
        // RFC 6749 §5.1 and §5.2: token responses are never cached.
        { 'cache-control': 'no-store', pragma: 'no-cache' },
      )
    }
    try {
      let input
      try {
        input = await readInput(c)
      } catch (err) {
        if (err instanceof StytchError && err.status === 400)
          throw new OAuthError('invalid_request', err.message)
        throw err
      }
      if (input.params.project_id !== config.projectId) throw new StytchError('project_not_found')
      const body = input.body as Record<string, string | undefined> & { scopes?: string[] }
      // Client authentication in the body, else by Basic auth (RFC 6749 §2.3.1). With both, the
      // body's: Stytch's Python SDK sends the project's Basic credentials with every call.
      const auth = header(c, 'authorization')
      const basic =
        body.client_id === undefined && auth?.toLowerCase().startsWith('basic ')
          ? basicCredentials(auth)
          : null
      const issued = await m2mClients.token({
        grant_type: body.grant_type,
        client_id: basic ? decoded(basic.user) : body.client_id,
        client_secret: basic ? decoded(basic.password) : body.client_secret,
        // `scope` as RFC 6749 has it; Stytch's Rust SDK sends a `scopes` array instead.
        scope: body.scope ?? body.scopes?.join(' '),
      })
      c.header('cache-control', 'no-store')
      c.header('pragma', 'no-cache')
      return ok(c, issued)
    } catch (err) {
      if (err instanceof OAuthError) return oauthError(err)
      throw err
    }
  })

  return { public: token, api }
}
