// The OAuth 2.0 / OpenID Connect endpoints of Connected Apps, public (no project credentials), on
// both the project domain's paths (/v1/oauth2/..., /.well-known/...) and the stytch.com
// ones (/v1/public/{project_id}/oauth2/...):
// - the token endpoint, one route for every client: grant_type client_credentials goes to M2M,
//   authorization_code and refresh_token to Connected Apps;
// - introspection, revocation, userinfo, the JWKS, and the discovery documents, with CORS (MCP
//   clients and single-page apps call them from browsers);
// and sessions.exchangeAccessToken (backend, with Basic auth; frontend, the /sdk/v1 twins).
import { Hono, type Context } from 'hono'
import { cors } from 'hono/cors'
import { StytchError } from '../../errors.js'
import type { Platform } from '../../platform/platform.js'
import { jsonBody, readInput } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { noteMember, noteSubject } from '../../platform/http/login-answers.js'
import { decoded, header } from '../../platform/http/request.js'
import { basicCredentials, sdkCaller } from '../../platform/http/sdk-caller.js'
import type { JsonObject } from '../../platform/sessions/claims.js'
import type { ConnectedAppClients } from '../connected-apps/types.js'
import type { M2MTokens } from '../m2m/clients.js'
import { discovery, type IdpSettings } from './discovery.js'
import { OAuthError, type ClientCredentials, type IdpTokens } from './tokens.js'

type World = Platform & {
  idpTokens: IdpTokens
  idpSettings: IdpSettings
  m2mClients: M2MTokens
  connectedApps: ConnectedAppClients
}

/** What an OAuth error thrown by M2M or by this product carries (M2M's class is its own). */
interface OAuthFailure {
  error: string
  description: string
  status: number
}
const isOAuthFailure = (err: unknown): err is OAuthFailure =>
  err instanceof OAuthError ||
  (err instanceof Error &&
    typeof (err as Partial<OAuthFailure>).error === 'string' &&
    typeof (err as Partial<OAuthFailure>).description === 'string' &&
    typeof (err as Partial<OAuthFailure>).status === 'number')

// RFC 6749 §5.1 and §5.2: token responses are never cached.
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' }

export function idpTokenRoutes(world: World) {
  const { config, idpTokens, idpSettings, m2mClients, connectedApps } = world
  const pub = new Hono<AppEnv>()
  // Any origin, no credentials: a browser-based client sends its own in the body or a header.
  const open = cors({
    origin: '*',
    allowHeaders: ['Authorization', 'Content-Type'],
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    maxAge: 600,
  })
  for (const path of [
    '/.well-known/*',
    '/v1/oauth2/token',
    '/v1/oauth2/introspect',
    '/v1/oauth2/revoke',
    '/v1/oauth2/userinfo',
    '/v1/public/:project_id/oauth2/token',
    '/v1/public/:project_id/oauth2/introspect',
    '/v1/public/:project_id/oauth2/revoke',
    '/v1/public/:project_id/.well-known/*',
  ])
    pub.use(path, open)

  const oauthError = (c: Context<AppEnv>, err: OAuthFailure) => {
    c.set('errorType', err.error)
    return c.json(
      {
        status_code: err.status,
        request_id: c.get('requestId'),
        error: err.error,
        error_description: err.description,
        error_uri: `https://stytch.com/docs/api/errors/${err.status}#${err.error}`,
      },
      err.status as 400,
      {
        ...NO_STORE,
        // RFC 6750 §3: a refused Bearer token names its error in the header. (Not for
        // invalid_client: Stytch's token endpoint sends none, and OAuth libraries then read the body.)
        ...(err.error === 'invalid_token'
          ? {
              'www-authenticate': `Bearer error="invalid_token", error_description="${err.description}"`,
            }
          : {}),
      },
    )
  }

  /** The route's input, a schema failure as OAuth's invalid_request; the project id checked. */
  const input = async (c: Context<AppEnv>) => {
    let read
    try {
      read = await readInput(c)
    } catch (err) {
      if (err instanceof StytchError && err.status === 400)
        throw new OAuthError('invalid_request', err.message)
      throw err
    }
    const projectId = read.params.project_id
    if (projectId !== undefined && projectId !== config.projectId)
      throw new StytchError('project_not_found')
    return read.body as Record<string, string | undefined> & { scopes?: string[] }
  }

  /**
   * The client's credentials: the body's, else Basic auth's (RFC 6749 §2.3.1, form-encoded).
   * With both, the body's id wins, and Basic's secret counts only for that same id (Stytch's
   * Python SDK sends the project's Basic credentials with every call).
   */
  const credentials = (c: Context<AppEnv>, body: Record<string, unknown>): ClientCredentials => {
    const auth = header(c, 'authorization')
    const basic = auth?.toLowerCase().startsWith('basic ') ? basicCredentials(auth) : null
    const basicId = basic ? decoded(basic.user) : undefined
    const basicSecret = basic ? decoded(basic.password) : undefined
    const bodyId = typeof body.client_id === 'string' ? body.client_id : undefined
    const bodySecret = typeof body.client_secret === 'string' ? body.client_secret : undefined
    const client_id = bodyId ?? basicId
    const client_secret = bodySecret ?? (basicId === client_id ? basicSecret : undefined)
    return { client_id, client_secret }
  }

  /** The issuer of what this request issues: the project domain's, or stytch.com's (RFC docs). */
  const issuerOf = (c: Context<AppEnv>) =>
    c.req.path.startsWith('/v1/public/')
      ? `stytch.com/${config.projectId}`
      : new URL(c.req.url).origin

  const oauth =
    (handle: (c: Context<AppEnv>) => Promise<Response>) => async (c: Context<AppEnv>) => {
      try {
        return await handle(c)
      } catch (err) {
        if (isOAuthFailure(err)) return oauthError(c, err)
        throw err
      }
    }

  const token = oauth(async (c) => {
    const body = await input(c)
    const creds = credentials(c, body)
    const issued =
      body.grant_type === 'authorization_code' || body.grant_type === 'refresh_token'
        ? await idpTokens.token(
            {
              ...creds,
              grant_type: body.grant_type,
              code: body.code,
              redirect_uri: body.redirect_uri,
              code_verifier: body.code_verifier,
              refresh_token: body.refresh_token,
              scope: body.scope,
            },
            issuerOf(c),
          )
        : await m2mClients.token({
            grant_type: body.grant_type,
            ...creds,
            // `scope` as RFC 6749 has it; Stytch's Rust SDK sends a `scopes` array instead.
            scope: body.scope ?? body.scopes?.join(' '),
          })
    return c.json({ status_code: 200, request_id: c.get('requestId'), ...issued }, 200, NO_STORE)
  })
  pub.post('/v1/public/:project_id/oauth2/token', token)
  pub.post('/v1/oauth2/token', token)

  const introspect = oauth(async (c) => {
    const body = await input(c)
    const answer = await idpTokens.introspect(
      { ...credentials(c, body), token: body.token!, token_type_hint: body.token_type_hint },
      issuerOf(c),
    )
    // The envelope after the claims: a template's `status_code` or `request_id` claim changes none.
    return c.json({ ...answer, status_code: 200, request_id: c.get('requestId') }, 200, NO_STORE)
  })
  pub.post('/v1/public/:project_id/oauth2/introspect', introspect)
  pub.post('/v1/oauth2/introspect', introspect)

  const revoke = oauth(async (c) => {
    const body = await input(c)
    await idpTokens.revoke({ ...credentials(c, body), token: body.token! })
    return ok(c)
  })
  pub.post('/v1/public/:project_id/oauth2/revoke', revoke)
  pub.post('/v1/oauth2/revoke', revoke)

  // The access token as a Bearer header (RFC 6750 §2.1), or (POST) in the form body (§2.2).
  const userinfo = oauth(async (c) => {
    const body = c.req.method === 'POST' ? await input(c) : {}
    const auth = header(c, 'authorization')
    const bearer = /^Bearer\s+(\S+)$/i.exec(auth ?? '')?.[1]
    return ok(c, await idpTokens.userinfo(bearer ?? body.access_token))
  })
  pub.get('/v1/oauth2/userinfo', userinfo)
  pub.post('/v1/oauth2/userinfo', userinfo)

  // The project's JWKS (the sessions' keys, as Stytch's connected-apps docs say).
  pub.get('/.well-known/jwks.json', (c) =>
    c.body(`{"keys":${world.keys.ring.jwksJson()}}`, 200, { 'content-type': 'application/json' }),
  )
  const documents = (c: Context<AppEnv>) =>
    ok(
      c,
      discovery(
        new URL(c.req.url).origin,
        idpSettings.authorizationUrl(),
        connectedApps.dynamicRegistrationEnabled(),
        (world.rbac.project.scopes ?? []).map((s) => s.scope),
      ),
    )
  pub.get('/.well-known/openid-configuration', documents)
  pub.get('/.well-known/oauth-authorization-server', documents)
  // In oauth() as every route whose input() may refuse in OAuth's terms.
  pub.get(
    '/v1/public/:project_id/.well-known/openid-configuration',
    oauth(async (c) => {
      await input(c)
      return documents(c)
    }),
  )

  // sessions.exchangeAccessToken: backend (consumer, B2B) and frontend twins.
  type ExchangeBody = {
    access_token: string
    session_duration_minutes?: number
    session_custom_claims?: JsonObject
  }
  const api = new Hono<AppEnv>()
  api.post('/v1/sessions/exchange_access_token', async (c) => {
    const body = await jsonBody<ExchangeBody>(c)
    const result = await idpTokens.exchange('consumer', body.access_token, body)
    noteSubject(c, result)
    return ok(c, result)
  })
  api.post('/v1/b2b/sessions/exchange_access_token', async (c) => {
    const body = await jsonBody<ExchangeBody>(c)
    const result = await idpTokens.exchange('b2b', body.access_token, body)
    noteMember(c, result)
    return ok(c, result)
  })

  const sdk = new Hono<AppEnv>()
  const { loginCaller, loggedIn, memberLoggedIn } = sdkCaller(config)
  sdk.post('/sdk/v1/sessions/exchange_access_token', async (c) => {
    loginCaller(c, 'CONSUMER')
    const body = await jsonBody<ExchangeBody>(c)
    const result = await idpTokens.exchange('consumer', body.access_token, {
      session_duration_minutes: body.session_duration_minutes,
    })
    return loggedIn(c, result)
  })
  sdk.post('/sdk/v1/b2b/sessions/exchange_access_token', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<ExchangeBody>(c)
    const result = await idpTokens.exchange('b2b', body.access_token, {
      session_duration_minutes: body.session_duration_minutes,
    })
    return memberLoggedIn(c, result)
  })

  // Test control: the project's Authorization URL (the page of your app the discovery documents
  // send a client to; Stytch's dashboard setting).
  const control = new Hono<AppEnv>()
  control.get('/_mock/connected_apps/authorization_url', (c) =>
    ok(c, { authorization_url: idpSettings.authorizationUrl() }),
  )
  control.put('/_mock/connected_apps/authorization_url', async (c) => {
    const { authorization_url } = await jsonBody<{ authorization_url: string }>(c)
    idpSettings.setAuthorizationUrl(authorization_url)
    return ok(c, { authorization_url })
  })

  return { public: pub, api, sdk, control }
}
