// /sdk/v1 OAuth authenticate, as @stytch/vanilla-js calls it when the browser comes back from the
// consent page with ?stytch_token_type=oauth (or discovery_oauth) &token=...: the /v1 domain
// (routes/oauth.ts) with the frontend's {data} envelope, its stored session or intermediate
// session, and HttpOnly cookies.
import { Hono } from 'hono'
import { SDK } from '../sessions/core.js'
import { jsonBody, optionalInteger, optionalString, requiredString } from './body.js'
import type { AppEnv, Deps } from './env.js'
import { sdkCaller } from './sdk-caller.js'

export function sdkOAuthRoutes({ config, oauthLogins }: Deps) {
  const app = new Hono<AppEnv>()
  const { data, loginCaller, handOver, loggedIn, memberLoggedIn, memberLoginInput } =
    sdkCaller(config)

  app.post('/sdk/v1/oauth/authenticate', async (c) => {
    const caller = loginCaller(c, 'CONSUMER')
    const body = await jsonBody(c)
    const result = await oauthLogins.authenticate(
      requiredString(body, 'token'),
      optionalString(body, 'code_verifier'),
      { ...caller, session_duration_minutes: optionalInteger(body, 'session_duration_minutes') },
      SDK,
    )
    // The SDK reads the session as `session`; the backend's is `user_session` (Stytch's mobile
    // SDK docs list both for this route).
    const session = result.user_session
    return loggedIn(c, { ...result, ...(session ? { session } : {}) })
  })

  app.post('/sdk/v1/b2b/oauth/authenticate', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody(c)
    optionalString(body, 'locale')
    const result = await oauthLogins.authenticateMember(
      requiredString(body, 'oauth_token'),
      optionalString(body, 'pkce_code_verifier'),
      memberLoginInput(c, body),
      SDK,
    )
    return memberLoggedIn(c, result)
  })

  app.post('/sdk/v1/b2b/oauth/discovery/authenticate', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody(c)
    const result = oauthLogins.authenticateDiscovery(
      requiredString(body, 'discovery_oauth_token'),
      optionalString(body, 'pkce_code_verifier'),
    )
    return data(c, handOver(c, result, undefined))
  })

  return app
}
