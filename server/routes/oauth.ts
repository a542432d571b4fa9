// OAuth, as a browser and the stytch Node SDK meet it:
// - the public start routes the frontend SDK navigates to (no credentials; the public token is a
//   query parameter): /v1/public/oauth/{provider}/start, /v1/b2b/public/oauth/{provider}/start
//   and /v1/b2b/public/oauth/{provider}/discovery/start. They show the local consent page (or
//   redirect at once when a test queued the answer);
// - the consent page's form (POST /v1/public/oauth/consent), which redirects to the app;
// - the backend authenticate calls: /v1/oauth/authenticate, /v1/b2b/oauth/authenticate and
//   /v1/b2b/oauth/discovery/authenticate.
import { Hono, type Context } from 'hono'
import { StytchError } from '../errors.js'
import type { Answer, StartInput } from '../oauth/consent.js'
import { b2bSessionInput, noteMember } from './b2b-login.js'
import {
  jsonBody,
  optionalInteger,
  optionalObject,
  optionalString,
  requiredString,
} from './body.js'
import { ok, type AppEnv, type Deps } from './env.js'
import { noteSubject } from './login.js'
import { bodyText } from './request.js'
import { sdkCaller, type Vertical } from './sdk-caller.js'

// The page's JSX renderer is loaded on the first start, not at start-up.
let pageModule: Promise<typeof import('../oauth/consent-page.js')> | undefined
const page = () => (pageModule ??= import('../oauth/consent-page.js'))

export const CONSENT_PATH = '/v1/public/oauth/consent'

/** The public routes: registered before the /v1 Basic-auth check, which they must not meet. */
export function oauthPublicRoutes({ config, consent }: Deps) {
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
  const start = async (c: Context<AppEnv>, input: StartInput) => {
    const started = consent.start(input)
    if ('redirect' in started) return c.redirect(started.redirect, 302)
    const { consentPage, CONSENT_HEADERS } = await page()
    return c.html(await consentPage(started.view, CONSENT_PATH), 200, CONSENT_HEADERS)
  }
  const q = (c: Context<AppEnv>, name: string) => c.req.query(name) || undefined

  app.get('/v1/public/oauth/:provider/start', (c) => {
    checkPublicToken(c, 'CONSUMER')
    return start(c, {
      flow: 'oauth',
      provider: c.req.param('provider'),
      login_redirect_url: q(c, 'login_redirect_url'),
      signup_redirect_url: q(c, 'signup_redirect_url'),
      code_challenge: q(c, 'code_challenge'),
      custom_scopes: q(c, 'custom_scopes'),
    })
  })

  app.get('/v1/b2b/public/oauth/:provider/start', (c) => {
    checkPublicToken(c, 'B2B')
    return start(c, {
      flow: 'b2b_oauth',
      provider: c.req.param('provider'),
      organization: q(c, 'organization_id') ?? q(c, 'slug'),
      login_redirect_url: q(c, 'login_redirect_url'),
      signup_redirect_url: q(c, 'signup_redirect_url'),
      code_challenge: q(c, 'pkce_code_challenge'),
      custom_scopes: q(c, 'custom_scopes'),
    })
  })

  app.get('/v1/b2b/public/oauth/:provider/discovery/start', (c) => {
    checkPublicToken(c, 'B2B')
    return start(c, {
      flow: 'discovery_oauth',
      provider: c.req.param('provider'),
      login_redirect_url: q(c, 'discovery_redirect_url'),
      code_challenge: q(c, 'pkce_code_challenge'),
      custom_scopes: q(c, 'custom_scopes'),
    })
  })

  // The page's forms: an account picked, one typed, or a denial.
  app.post(CONSENT_PATH, async (c) => {
    const form = new URLSearchParams(await bodyText(c))
    const requestId = form.get('request') ?? ''
    const answer: Answer =
      form.get('deny') === 'true'
        ? { deny: true }
        : { email: form.get('email') ?? '', name: form.get('name') || undefined }
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

  return app
}

export function oauthRoutes({ oauthLogins }: Deps) {
  const app = new Hono<AppEnv>()

  app.post('/v1/oauth/authenticate', async (c) => {
    const body = await jsonBody(c)
    optionalString(body, 'telemetry_id')
    const result = await oauthLogins.authenticate(
      requiredString(body, 'token'),
      optionalString(body, 'code_verifier'),
      {
        session_token: optionalString(body, 'session_token'),
        session_jwt: optionalString(body, 'session_jwt'),
        session_duration_minutes: optionalInteger(body, 'session_duration_minutes'),
        session_custom_claims: optionalObject(body, 'session_custom_claims'),
      },
    )
    noteSubject(c, { user_id: result.user_id, session: result.user_session })
    return ok(c, result)
  })

  app.post('/v1/b2b/oauth/authenticate', async (c) => {
    const body = await jsonBody(c)
    optionalString(body, 'locale')
    optionalString(body, 'telemetry_id')
    const result = await oauthLogins.authenticateMember(
      requiredString(body, 'oauth_token'),
      optionalString(body, 'pkce_code_verifier'),
      b2bSessionInput(body),
    )
    noteMember(c, result)
    return ok(c, result)
  })

  app.post('/v1/b2b/oauth/discovery/authenticate', async (c) => {
    const body = await jsonBody(c)
    // A session given along changes nothing here; still type-checked, as Stytch would.
    b2bSessionInput(body)
    return ok(
      c,
      oauthLogins.authenticateDiscovery(
        requiredString(body, 'discovery_oauth_token'),
        optionalString(body, 'pkce_code_verifier'),
      ),
    )
  })

  return app
}
