// /_mock/sessions and /_mock/b2b/sessions: a logged-in user or member in one call; and a session
// expired now. Field rules (formats, the organization's settings) are openapi.yaml's.
import { Hono } from 'hono'
import type { SeedConsumerInput, SeedMemberInput } from '../platform/sessions/seed.js'
import { jsonBody, readInput } from '../platform/http/body.js'
import { ok, type AppEnv } from '../platform/http/env.js'
import type { Platform } from '../platform/platform.js'

export function mockSessionRoutes({ seeder, core }: Platform) {
  const app = new Hono<AppEnv>()

  app.post('/_mock/sessions', async (c) => {
    const body = await jsonBody<
      Omit<SeedConsumerInput, 'attributes'> & { attributes?: Record<string, string> }
    >(c)
    const { attributes } = body
    const result = await seeder.consumerSession({
      ...body,
      attributes: attributes && { ip_address: '', user_agent: '', ...attributes },
    })
    return ok(c, result)
  })

  app.post('/_mock/b2b/sessions', async (c) => {
    const result = await seeder.memberSession(await jsonBody<SeedMemberInput>(c))
    return ok(c, result)
  })

  // A session of either kind ends now, on the mock's clock, for everyone else untouched.
  app.post('/_mock/sessions/:session_id/expire', async (c) => {
    const { params } = await readInput(c)
    core.expire(params.session_id!)
    return ok(c)
  })

  return app
}
