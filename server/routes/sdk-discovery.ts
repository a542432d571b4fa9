// /sdk/v1 B2B discovery, as @stytch/vanilla-js (and its pre-built B2B UI) calls it from a
// browser: the /v1 discovery domain (routes/discovery.ts) with the frontend's {data} envelope, the
// intermediate session the SDK stores (in the body, or only in its HttpOnly cookie) and the
// member session it holds (Basic auth or cookies).
import { Hono, type Context } from 'hono'
import type { JsonObject } from '../sessions/claims.js'
import { SDK } from '../sessions/core.js'
import { jsonBody, optionalInteger, optionalString, requiredString } from './body.js'
import type { AppEnv, Deps } from './env.js'
import { createOrganizationInput, discoveryLinkInput, discoveryPasscodeInput } from './discovery.js'
import { sdkCaller } from './sdk-caller.js'

export function sdkDiscoveryRoutes({ config, discovery }: Deps) {
  const app = new Hono<AppEnv>()
  const { data, loginCaller, handOver, istCookie, memberLoggedIn } = sdkCaller(config)
  const b2b = (c: Context<AppEnv>) => loginCaller(c, 'B2B')
  /** The discovery intermediate session: in the body, or (HttpOnly mode) only in its cookie. */
  const ist = (c: Context<AppEnv>, body: JsonObject) =>
    optionalString(body, 'intermediate_session_token') || istCookie(c)
  /** A discovery answer: the new intermediate session handed over (its cookie in HttpOnly mode). */
  const discovered = (c: Context<AppEnv>, result: { intermediate_session_token: string }) =>
    data(c, handOver(c, result, undefined))
  app.post('/sdk/v1/b2b/magic_links/email/discovery/send', async (c) => {
    b2b(c)
    const body = await jsonBody(c)
    discovery.sendMagicLink(discoveryLinkInput(body))
    return data(c)
  })

  app.post('/sdk/v1/b2b/magic_links/discovery/authenticate', async (c) => {
    b2b(c)
    const body = await jsonBody(c)
    const result = discovery.authenticateMagicLink(
      requiredString(body, 'discovery_magic_links_token'),
      optionalString(body, 'pkce_code_verifier'),
      SDK,
    )
    return discovered(c, result)
  })

  app.post('/sdk/v1/b2b/otps/email/discovery/send', async (c) => {
    b2b(c)
    const body = await jsonBody(c)
    discovery.sendPasscode(discoveryPasscodeInput(body))
    return data(c)
  })

  app.post('/sdk/v1/b2b/otps/email/discovery/authenticate', async (c) => {
    b2b(c)
    const body = await jsonBody(c)
    const result = discovery.authenticatePasscode({
      email_address: requiredString(body, 'email_address'),
      code: requiredString(body, 'code'),
    })
    return discovered(c, result)
  })

  // The SDK sends its intermediate session, or {} when it is logged in (the session then travels
  // in Basic auth or the cookie); an intermediate session wins over a session sent along.
  app.post('/sdk/v1/b2b/discovery/organizations', async (c) => {
    const session = b2b(c)
    const body = await jsonBody(c)
    const token = ist(c, body)
    return data(
      c,
      await discovery.organizations(
        token ? { intermediate_session_token: token } : (session ?? {}),
      ),
    )
  })

  app.post('/sdk/v1/b2b/discovery/intermediate_sessions/exchange', async (c) => {
    b2b(c)
    const body = await jsonBody(c)
    optionalString(body, 'locale')
    const result = await discovery.exchange({
      intermediate_session_token:
        ist(c, body) ?? requiredString(body, 'intermediate_session_token'),
      organization_id: requiredString(body, 'organization_id'),
      session_duration_minutes: optionalInteger(body, 'session_duration_minutes'),
    })
    return memberLoggedIn(c, result)
  })

  app.post('/sdk/v1/b2b/discovery/organizations/create', async (c) => {
    b2b(c)
    const body = await jsonBody(c)
    const result = await discovery.create({
      intermediate_session_token:
        ist(c, body) ?? requiredString(body, 'intermediate_session_token'),
      ...createOrganizationInput(body),
      // Custom claims are the backend's to set, never the browser's.
      session_custom_claims: undefined,
    })
    return memberLoggedIn(c, result)
  })

  return app
}
