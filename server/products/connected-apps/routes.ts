// Connected Apps: the clients (/v1/connected_apps/clients, with the project's Basic auth), dynamic
// client registration (POST /v1/oauth2/register on the project's domain, here the mock's origin:
// no credentials, CORS for browser-based clients, RFC 7591's answers and errors), and the
// project setting that allows it (/_mock/connected_apps/settings).
import { Hono, type Context } from 'hono'
import { cors } from 'hono/cors'
import { StytchError } from '../../errors.js'
import { jsonBody, readInput } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import {
  RegistrationError,
  type ClientFields,
  type ConnectedAppClientsService,
  type ConnectedAppSettings,
  type CreateInput,
  type Registration,
} from './clients.js'
import { DYNAMIC_REGISTRATION_PATH } from './types.js'

export function connectedAppRoutes({
  connectedApps,
}: {
  connectedApps: ConnectedAppClientsService
}) {
  const api = new Hono<AppEnv>()
  const id = async (c: Context<AppEnv>) => (await readInput(c)).params.client_id!
  const answer = (c: Context<AppEnv>, connected_app: object) => ok(c, { connected_app })
  const base = '/v1/connected_apps/clients'

  api.post(base, async (c) => answer(c, connectedApps.create(await jsonBody<CreateInput>(c))))
  api.post(`${base}/search`, async (c) =>
    ok(c, connectedApps.search(await jsonBody<{ limit?: number; cursor?: string }>(c))),
  )
  api.get(`${base}/:client_id`, async (c) => answer(c, connectedApps.get(await id(c))))
  api.put(`${base}/:client_id`, async (c) => {
    const clientId = await id(c)
    return answer(c, connectedApps.update(clientId, await jsonBody<ClientFields>(c)))
  })
  api.delete(`${base}/:client_id`, async (c) => {
    const client_id = await id(c)
    connectedApps.delete(client_id)
    return ok(c, { client_id })
  })
  api.post(`${base}/:client_id/secrets/rotate/start`, async (c) =>
    answer(c, connectedApps.rotateStart(await id(c))),
  )
  api.post(`${base}/:client_id/secrets/rotate/cancel`, async (c) =>
    answer(c, connectedApps.rotateCancel(await id(c))),
  )
  api.post(`${base}/:client_id/secrets/rotate`, async (c) =>
    answer(c, connectedApps.rotate(await id(c))),
  )

  // Public: an MCP client registers itself before it has any credentials; browser-based ones
  // (the MCP Inspector) call from another origin, without cookies.
  const open = new Hono<AppEnv>()
  open.use(
    DYNAMIC_REGISTRATION_PATH,
    cors({
      origin: '*',
      allowMethods: ['POST', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'Authorization'],
      maxAge: 600,
    }),
  )
  open.post(DYNAMIC_REGISTRATION_PATH, async (c) => {
    try {
      let body
      try {
        body = await jsonBody<Registration>(c)
      } catch (err) {
        // The spec's rules, in RFC 7591 §3.2.2's terms.
        if (err instanceof StytchError && err.status === 400)
          throw new RegistrationError(
            err.errorType === 'invalid_connected_app_redirect_url'
              ? 'invalid_redirect_uri'
              : 'invalid_client_metadata',
            err.message,
          )
        throw err
      }
      c.header('cache-control', 'no-store')
      return c.json(connectedApps.register(body), 201)
    } catch (err) {
      if (!(err instanceof RegistrationError)) throw err
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
        { 'cache-control': 'no-store' },
      )
    }
  })

  const control = new Hono<AppEnv>()
  control.get('/_mock/connected_apps/settings', (c) =>
    ok(c, { settings: connectedApps.settings() }),
  )
  control.put('/_mock/connected_apps/settings', async (c) =>
    ok(c, {
      settings: connectedApps.changeSettings(await jsonBody<Partial<ConnectedAppSettings>>(c)),
    }),
  )

  return { public: open, api, control }
}
