// Consumer sessions: /v1/sessions (authenticate, revoke, list, the JWKS) and their /sdk/v1 twins.
import { Hono } from 'hono'
import type { Platform } from '../../platform/platform.js'
import { accessInput, jsonBody, queryInput, type AccessBody } from '../../platform/http/body.js'
import { ok, okText, type AppEnv } from '../../platform/http/env.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import type { AuthorizationCheck } from '../../platform/sessions/rbac.js'
import { jwksHandler } from '../../platform/tokens/jwks-route.js'

export function sessionRoutes(world: Platform) {
  const { consumer } = world
  // The JWKS is public: jose fetches it with no credentials.
  const jwks = new Hono<AppEnv>().get('/v1/sessions/jwks/:project_id', jwksHandler(world))
  const api = new Hono<AppEnv>()

  api.post('/v1/sessions/authenticate', async (c) => {
    const body = await jsonBody<AccessBody & { authorization_check?: AuthorizationCheck }>(c)
    // The answer's text, made once per session state and second: what ok(c, result) would write.
    const { text, session_id, user_id } = await consumer.authenticateJson({
      ...accessInput(body),
      authorization_check: body.authorization_check,
    })
    c.set('subject', { session_id, user_id })
    return okText(c, text)
  })

  api.post('/v1/sessions/revoke', async (c) => {
    await consumer.revoke(
      await jsonBody<{ session_id?: string; session_token?: string; session_jwt?: string }>(c),
    )
    return ok(c)
  })

  api.get('/v1/sessions', async (c) => {
    const { user_id } = await queryInput<{ user_id: string }>(c)
    return ok(c, { sessions: consumer.list(user_id) })
  })

  const sdk = new Hono<AppEnv>()
  const { data, caller, handOver, clearCookies } = sdkCaller(world.config)

  sdk.post('/sdk/v1/sessions/authenticate', async (c) => {
    const session = caller(c, 'CONSUMER')
    const body = await jsonBody<{ session_duration_minutes?: number }>(c)
    const result = await consumer.authenticate({
      ...session,
      session_duration_minutes: body.session_duration_minutes,
    })
    c.set('subject', { session_id: result.session.session_id, user_id: result.session.user_id })
    return data(c, {
      user_id: result.user.user_id,
      ...handOver(c, result, result.session.expires_at),
    })
  })

  sdk.post('/sdk/v1/sessions/revoke', async (c) => {
    const session = caller(c, 'CONSUMER')
    await consumer.revoke(session)
    clearCookies(c)
    return data(c)
  })

  return { public: jwks, api, sdk }
}
