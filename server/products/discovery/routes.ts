// B2B discovery, backend and frontend: email magic links and passcodes that prove an address before
// any organization (/v1/b2b/magic_links/email/discovery/send, .../discovery/authenticate,
// /v1/b2b/otps/email/discovery/*), the organizations that address can enter
// (/v1/b2b/discovery/organizations), and entering or creating one
// (/v1/b2b/discovery/intermediate_sessions/exchange, /v1/b2b/discovery/organizations/create);
// the /sdk/v1 twins keep the intermediate session in the body or (HttpOnly mode) in its cookie.
import { Hono, type Context } from 'hono'
import { StytchError } from '../../errors.js'
import type { Platform } from '../../platform/platform.js'
import { jsonBody } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { noteMember } from '../../platform/http/login-answers.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import { SDK } from '../../platform/sessions/core.js'
import type { CreateOrganizationInput, DiscoveryLogins } from './logins.js'

interface LinkBody {
  email_address: string
  discovery_redirect_url?: string
  pkce_code_challenge?: string
  discovery_expiration_minutes?: number
}
interface LinkAuthenticateBody {
  discovery_magic_links_token: string
  pkce_code_verifier?: string
}
interface PasscodeBody {
  email_address: string
  code: string
}
interface ExchangeBody extends Omit<CreateOrganizationInput, 'intermediate_session_token'> {
  intermediate_session_token?: string
  organization_id: string
}
type CreateBody = Omit<CreateOrganizationInput, 'intermediate_session_token'> & {
  intermediate_session_token?: string
}

export function discoveryRoutes({ config, discovery }: Platform & { discovery: DiscoveryLogins }) {
  const api = new Hono<AppEnv>()

  api.post('/v1/b2b/magic_links/email/discovery/send', async (c) => {
    discovery.sendMagicLink(await jsonBody<LinkBody>(c))
    return ok(c)
  })

  api.post('/v1/b2b/magic_links/discovery/authenticate', async (c) => {
    const body = await jsonBody<LinkAuthenticateBody>(c)
    return ok(
      c,
      discovery.authenticateMagicLink(body.discovery_magic_links_token, body.pkce_code_verifier),
    )
  })

  api.post('/v1/b2b/otps/email/discovery/send', async (c) => {
    discovery.sendPasscode(await jsonBody<Omit<LinkBody, 'discovery_redirect_url'>>(c))
    return ok(c)
  })

  api.post('/v1/b2b/otps/email/discovery/authenticate', async (c) => {
    const { email_address, code } = await jsonBody<PasscodeBody>(c)
    return ok(c, discovery.authenticatePasscode({ email_address, code }))
  })

  api.post('/v1/b2b/discovery/organizations', async (c) => {
    const body = await jsonBody<{
      intermediate_session_token?: string
      session_token?: string
      session_jwt?: string
    }>(c)
    return ok(
      c,
      await discovery.organizations({
        intermediate_session_token: body.intermediate_session_token,
        session_token: body.session_token,
        session_jwt: body.session_jwt,
      }),
    )
  })

  api.post('/v1/b2b/discovery/intermediate_sessions/exchange', async (c) => {
    const body = await jsonBody<ExchangeBody & { intermediate_session_token: string }>(c)
    const result = await discovery.exchange({
      intermediate_session_token: body.intermediate_session_token,
      organization_id: body.organization_id,
      session_duration_minutes: body.session_duration_minutes,
      session_custom_claims: body.session_custom_claims,
    })
    noteMember(c, result)
    return ok(c, result)
  })

  api.post('/v1/b2b/discovery/organizations/create', async (c) => {
    const body = await jsonBody<CreateBody & { intermediate_session_token: string }>(c)
    const result = await discovery.create(body)
    noteMember(c, result)
    return ok(c, result)
  })

  const sdk = new Hono<AppEnv>()
  const { data, loginCaller, handOver, istCookie, memberLoggedIn } = sdkCaller(config)
  const b2b = (c: Context<AppEnv>) => loginCaller(c, 'B2B')
  /** The discovery intermediate session: in the body, or (HttpOnly mode) only in its cookie. */
  const ist = (c: Context<AppEnv>, body: { intermediate_session_token?: string }) =>
    body.intermediate_session_token || istCookie(c)
  const requiredIst = (c: Context<AppEnv>, body: { intermediate_session_token?: string }) => {
    const token = ist(c, body)
    // Neither in the body nor in the cookie: no intermediate session to use.
    if (!token) throw new StytchError('intermediate_session_not_found')
    return token
  }
  /** A discovery answer: the new intermediate session handed over (its cookie in HttpOnly mode). */
  const discovered = (c: Context<AppEnv>, result: { intermediate_session_token: string }) =>
    data(c, handOver(c, result, undefined))

  sdk.post('/sdk/v1/b2b/magic_links/email/discovery/send', async (c) => {
    b2b(c)
    discovery.sendMagicLink(await jsonBody<LinkBody>(c))
    return data(c)
  })

  sdk.post('/sdk/v1/b2b/magic_links/discovery/authenticate', async (c) => {
    b2b(c)
    const body = await jsonBody<LinkAuthenticateBody>(c)
    const result = discovery.authenticateMagicLink(
      body.discovery_magic_links_token,
      body.pkce_code_verifier,
      SDK,
    )
    return discovered(c, result)
  })

  sdk.post('/sdk/v1/b2b/otps/email/discovery/send', async (c) => {
    b2b(c)
    discovery.sendPasscode(await jsonBody<Omit<LinkBody, 'discovery_redirect_url'>>(c))
    return data(c)
  })

  sdk.post('/sdk/v1/b2b/otps/email/discovery/authenticate', async (c) => {
    b2b(c)
    const { email_address, code } = await jsonBody<PasscodeBody>(c)
    return discovered(c, discovery.authenticatePasscode({ email_address, code }))
  })

  // The SDK sends its intermediate session, or {} when it is logged in (the session then travels
  // in Basic auth or the cookie); an intermediate session wins over a session sent along.
  sdk.post('/sdk/v1/b2b/discovery/organizations', async (c) => {
    const session = b2b(c)
    const token = ist(c, await jsonBody<{ intermediate_session_token?: string }>(c))
    // No intermediate session and no session: a caller the SDK would not let call this.
    if (!token && !session) throw new StytchError('unauthorized_credentials')
    return data(
      c,
      await discovery.organizations(token ? { intermediate_session_token: token } : session!),
    )
  })

  sdk.post('/sdk/v1/b2b/discovery/intermediate_sessions/exchange', async (c) => {
    b2b(c)
    const body = await jsonBody<ExchangeBody>(c)
    const result = await discovery.exchange({
      intermediate_session_token: requiredIst(c, body),
      organization_id: body.organization_id,
      session_duration_minutes: body.session_duration_minutes,
    })
    return memberLoggedIn(c, result)
  })

  sdk.post('/sdk/v1/b2b/discovery/organizations/create', async (c) => {
    b2b(c)
    const body = await jsonBody<CreateBody>(c)
    const result = await discovery.create({
      ...body,
      intermediate_session_token: requiredIst(c, body),
      // Custom claims are the backend's to set, never the browser's.
      session_custom_claims: undefined,
    })
    return memberLoggedIn(c, result)
  })

  return { api, sdk }
}
