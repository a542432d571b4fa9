// Impersonation: /v1/impersonation/authenticate, /v1/b2b/impersonation/authenticate, their
// /sdk/v1 twins (authenticateByUrl with stytch_token_type=impersonation), and the test-control
// route that mints a token where the Stytch dashboard would (POST /_mock/impersonation).
import { Hono } from 'hono'
import type { Platform } from '../../platform/platform.js'
import { jsonBody } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { noteMember, noteSubject } from '../../platform/http/login-answers.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import type { Impersonations, MintInput } from './impersonations.js'

type TokenBody = { impersonation_token: string }

export function impersonationRoutes({
  config,
  impersonations,
}: Platform & { impersonations: Impersonations }) {
  const api = new Hono<AppEnv>()
  api.post('/v1/impersonation/authenticate', async (c) => {
    const { impersonation_token } = await jsonBody<TokenBody>(c)
    const result = await impersonations.authenticateUser(impersonation_token)
    noteSubject(c, result)
    return ok(c, result)
  })
  api.post('/v1/b2b/impersonation/authenticate', async (c) => {
    const { impersonation_token } = await jsonBody<TokenBody>(c)
    const result = await impersonations.authenticateMember(impersonation_token)
    noteMember(c, result)
    return ok(c, result)
  })

  const sdk = new Hono<AppEnv>()
  const { loginCaller, loggedIn, memberLoggedIn } = sdkCaller(config)
  sdk.post('/sdk/v1/impersonation/authenticate', async (c) => {
    loginCaller(c, 'CONSUMER')
    const { impersonation_token } = await jsonBody<TokenBody>(c)
    return loggedIn(c, await impersonations.authenticateUser(impersonation_token))
  })
  sdk.post('/sdk/v1/b2b/impersonation/authenticate', async (c) => {
    loginCaller(c, 'B2B')
    const { impersonation_token } = await jsonBody<TokenBody>(c)
    return memberLoggedIn(c, await impersonations.authenticateMember(impersonation_token))
  })

  const control = new Hono<AppEnv>()
  control.post('/_mock/impersonation', async (c) =>
    ok(c, impersonations.mint(await jsonBody<MintInput>(c))),
  )

  return { api, sdk, control }
}
