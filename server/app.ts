// createApp(deps) -> Hono: middleware, routes, and the one place errors become Stytch envelopes.
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { errorBody, StytchError } from './errors.js'
import { basicAuth } from './routes/auth.js'
import { b2bSessionRoutes } from './routes/b2b-sessions.js'
import { consumerSessionRoutes } from './routes/consumer-sessions.js'
import type { AppEnv, Deps } from './routes/env.js'
import { jwksRoutes } from './routes/jwks.js'
import { newId } from './tokens/ids.js'

export const MAX_BODY_BYTES = 1024 * 1024

export function createApp(deps: Deps, log: (line: string) => void = console.error) {
  const app = new Hono<AppEnv>()

  app.use(async (c, next) => {
    c.set('requestId', newId('request-id'))
    await next()
  })
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new StytchError('request_too_large')
      },
    }),
  )

  app.route('/', jwksRoutes(deps))
  app.use('/v1/*', basicAuth(deps.config.projectId, deps.config.secret))
  app.route('/', consumerSessionRoutes(deps))
  app.route('/', b2bSessionRoutes(deps))

  app.notFound((c) => {
    const err = new StytchError('route_not_found')
    return c.json(errorBody(err, c.var.requestId ?? newId('request-id')), 404)
  })
  app.onError((err, c) => {
    const requestId = c.var.requestId ?? newId('request-id')
    if (err instanceof StytchError) {
      return c.json(errorBody(err, requestId), err.status as 400)
    }
    log(`stytch-mock: unexpected error in ${c.req.method} ${c.req.path} (${requestId}): ${err.stack ?? err}`)
    return c.json(errorBody(new StytchError('internal_server_error'), requestId), 500)
  })
  return app
}

export type App = ReturnType<typeof createApp>
