// The project's JWKS, consumer and B2B paths. jose fetches it with no Authorization header and
// accepts only a 200, so it is served unauthenticated; a header, when sent, must be right.
import { Hono, type Context } from 'hono'
import { StytchError } from '../errors.js'
import { basicAuthCheck } from './auth.js'
import type { AppEnv, Deps } from './env.js'
import { header } from './request.js'

export function jwksRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()
  const { projectId, secret } = deps.config
  const check = basicAuthCheck(projectId, secret)
  const jwks = (c: Context<AppEnv>) => {
    const auth = header(c, 'authorization')
    if (auth !== undefined) check(auth)
    if (c.req.param('project_id') !== projectId) throw new StytchError('project_not_found')
    // The same bytes as ok(c, {keys}), without serializing an unchanging document per call.
    const body = `{"status_code":200,"request_id":"${c.var.requestId}","keys":${deps.keys.ring.jwksJson()}}`
    return c.body(body, 200, { 'content-type': 'application/json' })
  }
  app.get('/v1/sessions/jwks/:project_id', jwks)
  app.get('/v1/b2b/sessions/jwks/:project_id', jwks)
  return app
}
