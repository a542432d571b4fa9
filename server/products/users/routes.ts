// Consumer users: /v1/users/{user_id} (users.get), the frontend's user.get (/sdk/v1/users/me), and
// POST /_mock/users, a verified user with a password (and phone) in one call.
import { Hono } from 'hono'
import type { Platform } from '../../platform/platform.js'
import { jsonBody, readInput } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import type { UserObject } from '../../platform/sessions/user-store.js'

export function userRoutes({ config, consumer, directory, records }: Platform) {
  const api = new Hono<AppEnv>()

  // The user's fields at the top level, as Stytch's users.get answers.
  api.get('/v1/users/:user_id', async (c) => {
    const { params } = await readInput(c)
    const user = directory.user(params.user_id!)
    c.set('subject', { user_id: user.user_id })
    return ok(c, user)
  })

  const sdk = new Hono<AppEnv>()
  const { data, caller } = sdkCaller(config)
  sdk.get('/sdk/v1/users/me', async (c) => {
    const { session, user } = await consumer.authenticate(caller(c, 'CONSUMER'))
    c.set('subject', { session_id: session.session_id, user_id: user.user_id })
    return data(c, user)
  })

  const control = new Hono<AppEnv>()
  control.post('/_mock/users', async (c) => {
    const body = await jsonBody<{
      email: string
      password?: string
      phone_number?: string
      name?: UserObject['name']
    }>(c)
    const user = await records.seed(body)
    c.set('subject', { user_id: user.user_id })
    return ok(c, { user_id: user.user_id, user })
  })

  return { api, sdk, control }
}
