// /sdk/v1: the API the frontend SDKs (@stytch/vanilla-js, react, nextjs) call from a browser.
// Same sessions, store and clock as the backend API. Success bodies are wrapped in {data}; errors
// are the top-level Stytch envelope. Wire contract: stytch-frontend-sdk.md.
import { Hono } from 'hono'
import { cors } from 'hono/cors'
import { StytchError } from '../errors.js'
import { bootstrapPolicy } from '../sessions/rbac.js'
import { jsonBody, optionalInteger, optionalString } from './body.js'
import type { AppEnv, Deps } from './env.js'
import { header } from './request.js'
import { sdkCaller } from './sdk-caller.js'

/**
 * CORS for every /sdk/v1 response, injected faults and errors included: app.ts puts it before
 * the request journal and faults. Why reflect the Origin: the SDK sends credentials, and browsers
 * refuse `*` with credentials. Refused origins are reflected too, so the SDK can read the error
 * rather than "unreachable".
 */
export const sdkCors = () =>
  cors({
    origin: (origin) => origin || null,
    credentials: true,
    allowHeaders: ['Authorization', 'Content-Type', 'X-SDK-Client', 'X-SDK-Parent-Host'],
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    maxAge: 600,
  })

export function sdkRoutes({ config, consumer, members, rbacPolicy }: Deps) {
  const policy = bootstrapPolicy(rbacPolicy)
  const app = new Hono<AppEnv>()
  const { data, verticalOf, caller, handOver, clearCookies } = sdkCaller(config)

  app.use('/sdk/v1/*', async (c, next) => {
    const origin = header(c, 'origin')
    if (origin && config.allowedOrigins && !config.allowedOrigins.includes(origin)) {
      throw new StytchError('bad_domain_for_stytch_sdk')
    }
    await next()
  })

  app.get('/sdk/v1/projects/bootstrap/:public_token', (c) => {
    const vertical = verticalOf(c.req.param('public_token'))
    if (!vertical) throw new StytchError('unauthorized_credentials')
    return data(c, {
      project_name: 'stytch-mock',
      disable_sdk_watermark: true,
      cname_domain: null,
      email_domains: [],
      captcha_settings: { enabled: false },
      pkce_required_for_email_magic_links: config.pkce,
      pkce_required_for_password_resets: config.pkce,
      pkce_required_for_oauth: config.pkce,
      pkce_required_for_sso: config.pkce,
      slug_pattern: null,
      create_organization_enabled: config.createOrganizations,
      password_config: null,
      dfp_protected_auth_enabled: false,
      dfp_protected_auth_mode: null,
      rbac_policy: policy,
      siwe_required_for_crypto_wallets: false,
      vertical,
    })
  })

  // Telemetry: accepted and dropped.
  app.post('/sdk/v1/events', (c) => data(c))

  app.post('/sdk/v1/sessions/authenticate', async (c) => {
    const session = caller(c, 'CONSUMER')
    const body = await jsonBody(c)
    const result = await consumer.authenticate({
      ...session,
      session_duration_minutes: optionalInteger(body, 'session_duration_minutes'),
    })
    c.set('subject', { session_id: result.session.session_id, user_id: result.session.user_id })
    return data(c, {
      user_id: result.user.user_id,
      ...handOver(c, result, result.session.expires_at),
    })
  })

  app.post('/sdk/v1/sessions/revoke', async (c) => {
    const session = caller(c, 'CONSUMER')
    await consumer.revoke(session)
    clearCookies(c)
    return data(c)
  })

  const b2bAuthenticated = {
    intermediate_session_token: '',
    member_authenticated: true,
    mfa_required: null,
    primary_required: null,
  }

  app.post('/sdk/v1/b2b/sessions/authenticate', async (c) => {
    const session = caller(c, 'B2B')
    const body = await jsonBody(c)
    const result = await members.authenticate({
      ...session,
      session_duration_minutes: optionalInteger(body, 'session_duration_minutes'),
    })
    const { member_session_id, member_id, expires_at } = result.member_session
    c.set('subject', { session_id: member_session_id, member_id })
    return data(c, { member_id, ...b2bAuthenticated, ...handOver(c, result, expires_at) })
  })

  app.post('/sdk/v1/b2b/sessions/exchange', async (c) => {
    const session = caller(c, 'B2B')
    const body = await jsonBody(c)
    const organizationId = optionalString(body, 'organization_id')
    if (!organizationId)
      throw new StytchError('invalid_organization_id', 'organization_id is required.')
    optionalString(body, 'locale')
    const result = await members.exchange({
      ...session,
      organization_id: organizationId,
      session_duration_minutes: optionalInteger(body, 'session_duration_minutes'),
    })
    const expires = 'member_session' in result ? result.member_session.expires_at : undefined
    return data(c, handOver(c, result, expires))
  })

  app.post('/sdk/v1/b2b/sessions/revoke', async (c) => {
    const session = caller(c, 'B2B')
    await members.revoke(session)
    clearCookies(c)
    return data(c)
  })

  return app
}
