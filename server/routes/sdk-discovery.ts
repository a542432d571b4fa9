// /sdk/v1 B2B discovery, as @stytch/vanilla-js (and its pre-built B2B UI) calls it from a
// browser: the /v1 discovery domain (routes/discovery.ts) with the frontend's {data} envelope, the
// intermediate session the SDK stores (in the body, or only in its HttpOnly cookie) and the
// member session it holds (Basic auth or cookies).
import { Hono, type Context } from 'hono'
import type { JsonObject } from '../sessions/claims.js'
import { SDK } from '../sessions/core.js'
import { noteMember } from './b2b-login.js'
import {
  jsonBody,
  optionalInteger,
  optionalObject,
  optionalString,
  optionalStrings,
  requiredString,
} from './body.js'
import type { AppEnv, Deps } from './env.js'
import { sdkCaller } from './sdk-caller.js'

export function sdkDiscoveryRoutes({ config, discovery }: Deps) {
  const app = new Hono<AppEnv>()
  const { data, loginCaller, handOver, istCookie } = sdkCaller(config)
  const b2b = (c: Context<AppEnv>) => loginCaller(c, 'B2B')
  /** The discovery intermediate session: in the body, or (HttpOnly mode) only in its cookie. */
  const ist = (c: Context<AppEnv>, body: JsonObject) =>
    optionalString(body, 'intermediate_session_token') || istCookie(c)
  const sessionInput = (body: JsonObject) => ({
    session_duration_minutes: optionalInteger(body, 'session_duration_minutes'),
    session_custom_claims: optionalObject(body, 'session_custom_claims'),
  })
  /** A discovery answer: the new intermediate session handed over (its cookie in HttpOnly mode). */
  const discovered = (c: Context<AppEnv>, result: { intermediate_session_token: string }) =>
    data(c, handOver(c, result, undefined))
  const entered = (
    c: Context<AppEnv>,
    result: Parameters<typeof noteMember>[1] & {
      session_token: string
      session_jwt: string
      member_session: { member_session_id: string; expires_at: string } | null
    },
  ) => {
    noteMember(c, result)
    return data(c, handOver(c, result, result.member_session?.expires_at))
  }

  app.post('/sdk/v1/b2b/magic_links/email/discovery/send', async (c) => {
    b2b(c)
    const body = await jsonBody(c)
    discovery.sendMagicLink({
      email_address: requiredString(body, 'email_address'),
      discovery_redirect_url: optionalString(body, 'discovery_redirect_url'),
      pkce_code_challenge: optionalString(body, 'pkce_code_challenge'),
      discovery_expiration_minutes: optionalInteger(body, 'discovery_expiration_minutes'),
    })
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
    discovery.sendPasscode({
      email_address: requiredString(body, 'email_address'),
      discovery_expiration_minutes: optionalInteger(body, 'discovery_expiration_minutes'),
    })
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
      ...sessionInput(body),
    })
    return entered(c, result)
  })

  app.post('/sdk/v1/b2b/discovery/organizations/create', async (c) => {
    b2b(c)
    const body = await jsonBody(c)
    const result = await discovery.create({
      intermediate_session_token:
        ist(c, body) ?? requiredString(body, 'intermediate_session_token'),
      ...sessionInput(body),
      organization_name: optionalString(body, 'organization_name'),
      organization_slug: optionalString(body, 'organization_slug'),
      organization_logo_url: optionalString(body, 'organization_logo_url'),
      sso_jit_provisioning: optionalString(body, 'sso_jit_provisioning'),
      email_allowed_domains: optionalStrings(body, 'email_allowed_domains'),
      email_invites: optionalString(body, 'email_invites'),
      auth_methods: optionalString(body, 'auth_methods'),
      allowed_auth_methods: optionalStrings(body, 'allowed_auth_methods'),
      mfa_policy: optionalString(body, 'mfa_policy'),
    })
    return entered(c, result)
  })

  return app
}
