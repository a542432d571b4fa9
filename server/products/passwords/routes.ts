// Consumer passwords: /v1/passwords (create), /v1/passwords/authenticate,
// /v1/passwords/strength_check, their /sdk/v1 twins, and the pre-built UI's user search.
import { Hono } from 'hono'
import type { Platform } from '../../platform/platform.js'
import { accessInput, jsonBody, type AccessBody } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { noteSubject } from '../../platform/http/login-answers.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import { SDK } from '../../platform/sessions/core.js'
import type { UserObject } from '../../platform/sessions/user-store.js'
import type { Passwords } from './passwords.js'

interface PasswordBody extends AccessBody {
  email: string
  password: string
  name?: UserObject['name']
}

export function passwordRoutes({ config, passwords }: Platform & { passwords: Passwords }) {
  const api = new Hono<AppEnv>()

  api.post('/v1/passwords', async (c) => {
    const body = await jsonBody<PasswordBody>(c)
    const result = await passwords.create(body.email, body.password, {
      ...accessInput(body),
      name: body.name,
    })
    noteSubject(c, result)
    return ok(c, result)
  })

  api.post('/v1/passwords/authenticate', async (c) => {
    const body = await jsonBody<PasswordBody>(c)
    const result = await passwords.authenticate(body.email, body.password, accessInput(body))
    noteSubject(c, result)
    return ok(c, result)
  })

  api.post('/v1/passwords/strength_check', async (c) => {
    const body = await jsonBody<{ password: string; email?: string }>(c)
    return ok(c, passwords.strength(body.password, body.email))
  })

  const sdk = new Hono<AppEnv>()
  const { data, loginCaller, loggedIn } = sdkCaller(config)
  type SdkBody = { email: string; password: string; session_duration_minutes?: number }

  for (const [path, login] of [
    ['/sdk/v1/passwords', passwords.create.bind(passwords)],
    ['/sdk/v1/passwords/authenticate', passwords.authenticate.bind(passwords)],
  ] as const) {
    sdk.post(path, async (c) => {
      const body = await jsonBody<SdkBody>(c)
      const session = loginCaller(c, 'CONSUMER') ?? {}
      const result = await login(
        body.email,
        body.password,
        { ...session, session_duration_minutes: body.session_duration_minutes },
        SDK,
      )
      return loggedIn(c, result)
    })
  }

  sdk.post('/sdk/v1/passwords/strength_check', async (c) => {
    loginCaller(c, 'CONSUMER')
    const body = await jsonBody<{ password: string; email?: string }>(c)
    return data(c, passwords.strength(body.password, body.email))
  })

  // The pre-built UI's password screen asks first which kind of user an email belongs to.
  sdk.post('/sdk/v1/users/search', async (c) => {
    loginCaller(c, 'CONSUMER')
    const body = await jsonBody<{ email: string }>(c)
    return data(c, { userType: passwords.userType(body.email) })
  })

  return { api, sdk }
}
