// The project's JWKS, consumer and B2B paths. jose fetches it with no Authorization header and
// accepts only a 200, so it is served unauthenticated; a header, when sent, must be right.
import { Hono, type Context } from 'hono'
import { StytchError } from '../errors.js'
import { checkBasicAuth } from './auth.js'
import { ok, type AppEnv, type Deps } from './env.js'

export function jwksRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()
  const { projectId, secret } = deps.config
  const jwks = (c: Context<AppEnv>) => {
    const auth = c.req.header('authorization')
    if (auth !== undefined) checkBasicAuth(auth, projectId, secret)
    if (c.req.param('project_id') !== projectId) throw new StytchError('project_not_found')
    return ok(c, { keys: deps.keys.ring.jwks() })
  }
  app.get('/v1/sessions/jwks/:project_id', jwks)
  app.get('/v1/b2b/sessions/jwks/:project_id', jwks)
  return app
}
