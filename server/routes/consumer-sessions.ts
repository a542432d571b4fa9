// /v1/sessions: consumer session authenticate, revoke and list.
import { Hono } from 'hono'
import { StytchError } from '../errors.js'
import { accessInput, authorizationCheck, jsonBody, optionalString } from './body.js'
import { ok, type AppEnv, type Deps } from './env.js'

export function consumerSessionRoutes({ consumer }: Deps) {
  const app = new Hono<AppEnv>()

  app.post('/v1/sessions/authenticate', async (c) => {
    const body = await jsonBody(c)
    const result = await consumer.authenticate({
      ...accessInput(body),
      authorization_check: authorizationCheck(body, false),
    })
    c.set('subject', { session_id: result.session.session_id, user_id: result.session.user_id })
    return ok(c, result)
  })

  app.post('/v1/sessions/revoke', async (c) => {
    const body = await jsonBody(c)
    const input: Record<string, string> = {}
    for (const name of ['session_id', 'session_token', 'session_jwt'] as const) {
      const value = optionalString(body, name)
      if (value !== undefined) input[name] = value
    }
    await consumer.revoke(input)
    return ok(c)
  })

  app.get('/v1/sessions', (c) => {
    const userId = c.req.query('user_id')
    if (!userId) throw new StytchError('invalid_user_id', 'user_id is required.')
    const sessions = consumer.list(userId)
    return ok(c, { sessions })
  })

  return app
}
