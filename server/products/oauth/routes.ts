// OAuth, as a browser, the stytch Node SDK and @stytch/vanilla-js meet it:
// - the public start routes the frontend SDK navigates to (no credentials; the public token is a
//   query parameter): /v1/public/oauth/{provider}/start, /v1/b2b/public/oauth/{provider}/start
//   and /v1/b2b/public/oauth/{provider}/discovery/start. They show the local consent page (or
//   answer at once with a queued answer);
// - the consent page's form (POST /v1/public/oauth/consent), which redirects to the app;
// - the authenticate calls, backend and /sdk/v1: /v1/oauth/authenticate,
//   /v1/b2b/oauth/authenticate, /v1/b2b/oauth/discovery/authenticate;
// - consumer attach (/v1/oauth/attach, /sdk/v1/oauth/attach): a token the start takes, so the
//   login is a given user's;
// - the answers tests queue for the page (/_mock/oauth/answers).
import { Hono, type Context } from 'hono'
import { StytchError } from '../../errors.js'
import type { Platform } from '../../platform/platform.js'
import { jsonBody, readInput, type AccessBody } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import {
  b2bSessionInput,
  noteMember,
  noteSubject,
  type B2BSessionBody,
} from '../../platform/http/login-answers.js'
import { sdkCaller, type Vertical } from '../../platform/http/sdk-caller.js'
import { SDK } from '../../platform/sessions/core.js'
import type { Answer, OAuthConsent, StartInput } from './consent.js'
import type { OAuthLogins } from './logins.js'

type OAuthWorld = Platform & { consent: OAuthConsent; oauthLogins: OAuthLogins }
type MemberBody = B2BSessionBody & { oauth_token: string; pkce_code_verifier?: string }
type DiscoveryBody = { discovery_oauth_token: string; pkce_code_verifier?: string }

// The page's JSX renderer is loaded on the first start, not at start-up.
type Query = (name: string) => string | undefined
let pageModule: Promise<typeof import('./consent-page.js')> | undefined
const page = () => (pageModule ??= import('./consent-page.js'))

export const CONSENT_PATH = '/v1/public/oauth/consent'

export function oauthRoutes({ config, consent, oauthLogins }: OAuthWorld) {
  // The public routes: mounted before the /v1 Basic-auth check, which they must not meet.
  const app = new Hono<AppEnv>()
  const { verticalOf } = sdkCaller(config)

  /** The start's public token must be the project's, of this vertical. */
  const checkPublicToken = (c: Context<AppEnv>, vertical: Vertical) => {
    const actual = verticalOf(c.req.query('public_token') ?? '')
    if (!actual) throw new StytchError('unauthorized_credentials')
    if (actual !== vertical)
      throw new StytchError(
        vertical === 'B2B' ? 'invalid_b2b_endpoint' : 'invalid_consumer_endpoint',
      )
  }
  const start = async (c: Context<AppEnv>, vertical: Vertical, input: (q: Query) => StartInput) => {
    checkPublicToken(c, vertical)
    const { query } = await readInput(c)
    const started = consent.start(input((name) => query[name] || undefined))
    if ('redirect' in started) return c.redirect(started.redirect, 302)
    const { consentPage, CONSENT_HEADERS } = await page()
    return c.html(await consentPage(started.view, CONSENT_PATH), 200, CONSENT_HEADERS)
  }

  app.get('/v1/public/oauth/:provider/start', (c) =>
    start(c, 'CONSUMER', (q) => ({
      flow: 'oauth',
      provider: c.req.param('provider'),
      login_redirect_url: q('login_redirect_url'),
      signup_redirect_url: q('signup_redirect_url'),
      code_challenge: q('code_challenge'),
      custom_scopes: q('custom_scopes'),
      oauth_attach_token: q('oauth_attach_token'),
    })),
  )

  app.get('/v1/b2b/public/oauth/:provider/start', (c) =>
    start(c, 'B2B', (q) => ({
      flow: 'b2b_oauth',
      provider: c.req.param('provider'),
      organization: q('organization_id') ?? q('slug'),
      login_redirect_url: q('login_redirect_url'),
      signup_redirect_url: q('signup_redirect_url'),
      code_challenge: q('pkce_code_challenge'),
      custom_scopes: q('custom_scopes'),
    })),
  )

  app.get('/v1/b2b/public/oauth/:provider/discovery/start', (c) =>
    start(c, 'B2B', (q) => ({
      flow: 'discovery_oauth',
      provider: c.req.param('provider'),
      login_redirect_url: q('discovery_redirect_url'),
      code_challenge: q('pkce_code_challenge'),
      custom_scopes: q('custom_scopes'),
    })),
  )

  // The page's forms: an account picked, one typed, or a denial.
  app.post(CONSENT_PATH, async (c) => {
    const form = await jsonBody<{ request: string; email?: string; name?: string; deny?: 'true' }>(
      c,
    )
    const requestId = form.request
    const answer: Answer =
      form.deny === 'true'
        ? { deny: true }
        : { email: form.email ?? '', name: form.name || undefined }
    try {
      return c.redirect(consent.answer(requestId, answer), 303)
    } catch (err) {
      // A typed address that is not one: the page again, saying so.
      if (!(err instanceof StytchError) || err.errorType === 'oauth_consent_not_found') throw err
      const { consentPage, CONSENT_HEADERS } = await page()
      return c.html(
        await consentPage(consent.waiting(requestId), CONSENT_PATH, err.message),
        400,
        CONSENT_HEADERS,
      )
    }
  })

  const api = new Hono<AppEnv>()

  api.post('/v1/oauth/attach', async (c) => {
    const body = await jsonBody<{
      provider: string
      user_id?: string
      session_token?: string
      session_jwt?: string
    }>(c)
    const { provider, ...who } = body
    return ok(c, await oauthLogins.attach(provider, who))
  })

  api.post('/v1/oauth/authenticate', async (c) => {
    const body = await jsonBody<AccessBody & { token: string; code_verifier?: string }>(c)
    const result = await oauthLogins.authenticate(body.token, body.code_verifier, {
      session_token: body.session_token,
      session_jwt: body.session_jwt,
      session_duration_minutes: body.session_duration_minutes,
      session_custom_claims: body.session_custom_claims,
    })
    noteSubject(c, { user_id: result.user_id, session: result.user_session })
    return ok(c, result)
  })

  api.post('/v1/b2b/oauth/authenticate', async (c) => {
    const body = await jsonBody<MemberBody>(c)
    const result = await oauthLogins.authenticateMember(
      body.oauth_token,
      body.pkce_code_verifier,
      b2bSessionInput(body),
    )
    noteMember(c, result)
    return ok(c, result)
  })

  api.post('/v1/b2b/oauth/discovery/authenticate', async (c) => {
    const body = await jsonBody<DiscoveryBody>(c)
    return ok(
      c,
      oauthLogins.authenticateDiscovery(body.discovery_oauth_token, body.pkce_code_verifier),
    )
  })

  const sdk = new Hono<AppEnv>()
  const { data, caller, loginCaller, handOver, loggedIn, memberLoggedIn, memberLoginInput } =
    sdkCaller(config)

  sdk.post('/sdk/v1/oauth/attach', async (c) => {
    const session = caller(c, 'CONSUMER')
    const { provider } = await jsonBody<{ provider: string }>(c)
    return data(c, await oauthLogins.attach(provider, session))
  })

  sdk.post('/sdk/v1/oauth/authenticate', async (c) => {
    const caller = loginCaller(c, 'CONSUMER')
    const body = await jsonBody<{
      token: string
      code_verifier?: string
      session_duration_minutes?: number
    }>(c)
    const result = await oauthLogins.authenticate(
      body.token,
      body.code_verifier,
      { ...caller, session_duration_minutes: body.session_duration_minutes },
      SDK,
    )
    // The SDK reads the session as `session`; the backend's is `user_session` (Stytch's mobile
    // SDK docs list both for this route).
    const session = result.user_session
    return loggedIn(c, { ...result, ...(session ? { session } : {}) })
  })

  sdk.post('/sdk/v1/b2b/oauth/authenticate', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<MemberBody>(c)
    const result = await oauthLogins.authenticateMember(
      body.oauth_token,
      body.pkce_code_verifier,
      memberLoginInput(c, body),
      SDK,
    )
    return memberLoggedIn(c, result)
  })

  sdk.post('/sdk/v1/b2b/oauth/discovery/authenticate', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<DiscoveryBody>(c)
    const result = oauthLogins.authenticateDiscovery(
      body.discovery_oauth_token,
      body.pkce_code_verifier,
    )
    return data(c, handOver(c, result, undefined))
  })

  // Test control: each answer is taken by the next start of its provider (or of any, without
  // one), in order.
  const control = new Hono<AppEnv>()
  control.post('/_mock/oauth/answers', async (c) => {
    const body = await jsonBody<{
      provider?: string
      deny?: boolean
      email?: string
      name?: string
    }>(c)
    const answer = consent.queue({
      provider: body.provider,
      ...(body.deny === true ? { deny: true as const } : { email: body.email!, name: body.name }),
    })
    return ok(c, { answer, answers: consent.queued() })
  })
  control.get('/_mock/oauth/answers', (c) => ok(c, { answers: consent.queued() }))
  control.delete('/_mock/oauth/answers', (c) => {
    consent.clearQueued()
    return ok(c, { answers: [] })
  })

  return { public: app, api, sdk, control }
}
