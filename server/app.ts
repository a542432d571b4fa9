// createApp(deps) -> Hono: middleware, routes, and the one place errors become Stytch envelopes.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { faultError } from './control/faults.js'
import { errorBody, StytchError } from './errors.js'
import { createLogger, type Logger } from './log.js'
import { packageRoot } from './paths.js'
import { basicAuth } from './routes/auth.js'
import { b2bLoginRoutes } from './routes/b2b-login.js'
import { b2bSessionRoutes } from './routes/b2b-sessions.js'
import { consumerSessionRoutes } from './routes/consumer-sessions.js'
import { directoryRoutes } from './routes/directory.js'
import { discoveryRoutes } from './routes/discovery.js'
import { inspectorHttp } from './routes/inspector.js'
import { ok, type AppEnv, type Deps } from './routes/env.js'
import { jwksRoutes } from './routes/jwks.js'
import { loginRoutes } from './routes/login.js'
import { mockControlRoutes } from './routes/mock-control.js'
import { mockLoginRoutes } from './routes/mock-login.js'
import { mockSessionRoutes } from './routes/mock-sessions.js'
import { oauthPublicRoutes, oauthRoutes } from './routes/oauth.js'
import { sdkCors, sdkRoutes } from './routes/sdk.js'
import { sdkDiscoveryRoutes } from './routes/sdk-discovery.js'
import { sdkLoginRoutes } from './routes/sdk-login.js'
import { sdkOAuthRoutes } from './routes/sdk-oauth.js'
import { sdkReadRoutes } from './routes/sdk-reads.js'
import { header, MAX_BODY_BYTES } from './routes/request.js'
import { requestSubject } from './routes/subject.js'
import { newId } from './tokens/ids.js'

export interface AppOptions {
  /** Request lines, and unexpected errors (once each, with the request id). Default: silent. */
  logger?: Logger
  /** The local CA certificate, served at /_mock/ca.pem when the mock made one. */
  caPem?: string | null
}

/** The one way an error becomes a response: the Stytch envelope, its type noted for the journal. */
function errorResponse(c: Context<AppEnv>, err: StytchError) {
  c.set('errorType', err.errorType)
  return c.json(errorBody(err, c.var.requestId ?? newId('request-id')), err.status as 400)
}

export function createApp(
  deps: Deps,
  { logger = createLogger('silent'), caPem = null }: AppOptions = {},
) {
  // Read on first request, not at start-up: few runs ever ask for it.
  let spec: string | undefined
  const app = new Hono<AppEnv>()
  // The inspector page (/_mock/ui) and what it observes of the API and of test control.
  const inspector = inspectorHttp(deps)

  // One middleware for what every request gets (each layer costs a JWKS call about 2%, #17): its
  // id and timing, a declared body over the limit refused before any route (a chunked one is
  // when read), and its log line.
  app.use(async (c, next) => {
    const started = performance.now()
    c.set('requestId', newId('request-id'))
    if (Number(header(c, 'content-length') ?? 0) > MAX_BODY_BYTES) {
      // Its body is left unread: the connection cannot carry another request.
      c.header('Connection', 'close')
      c.res = errorResponse(c, new StytchError('request_too_large'))
    } else await next()
    if (logger.logs(c.res.status, c.req.path))
      logger.request({
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        duration_ms: Math.round((performance.now() - started) * 100) / 100,
        error_type: c.var.errorType ?? null,
        request_id: c.var.requestId,
      })
  })

  // The Stytch API: journaled, and open to injected faults.
  app.use('/v1/*', journalAndFaults(deps))
  app.route('/', jwksRoutes(deps))
  // OAuth's start routes and consent page: public, as a browser navigates to them.
  app.route('/', oauthPublicRoutes(deps))
  app.use('/v1/*', basicAuth(deps.config.projectId, deps.config.secret))
  app.use('/v1/*', inspector.observeApi)
  app.route('/', consumerSessionRoutes(deps))
  app.route('/', b2bSessionRoutes(deps))
  app.route('/', directoryRoutes(deps))
  app.route('/', loginRoutes(deps))
  app.route('/', b2bLoginRoutes(deps))
  app.route('/', discoveryRoutes(deps))
  app.route('/', oauthRoutes(deps))

  // The frontend SDK API: journaled and open to faults too.
  app.use('/sdk/v1/*', sdkCors())
  app.use('/sdk/v1/*', journalAndFaults(deps))
  app.use('/sdk/v1/*', inspector.observeApi)
  app.route('/', sdkRoutes(deps))
  app.route('/', sdkReadRoutes(deps))
  app.route('/', sdkLoginRoutes(deps))
  app.route('/', sdkDiscoveryRoutes(deps))
  app.route('/', sdkOAuthRoutes(deps))

  // The test-control API.
  app.get('/openapi.yaml', (c) =>
    c.body((spec ??= readFileSync(join(packageRoot(), 'openapi.yaml'), 'utf8')), 200, {
      'content-type': 'application/yaml; charset=utf-8',
    }),
  )
  app.get('/_mock/health', (c) => ok(c, { status: 'ok' }))
  // The CA certificate is public: no credentials, so `curl -o ca.pem` just works.
  app.get('/_mock/ca.pem', (c) => {
    if (!caPem)
      throw new StytchError(
        'route_not_found',
        'No local CA: HTTPS is off or uses STYTCH_MOCK_TLS_CERT.',
      )
    return c.body(caPem, 200, { 'content-type': 'application/x-pem-file' })
  })
  app.use('/_mock/ui/*', inspector.challenge)
  app.use('/_mock/*', basicAuth(deps.config.projectId, deps.config.secret))
  app.use('/_mock/*', inspector.sameOrigin)
  app.use('/_mock/*', inspector.observeControl)
  app.route('/', mockSessionRoutes(deps))
  app.route('/', mockControlRoutes(deps))
  app.route('/', mockLoginRoutes(deps))
  app.route('/', inspector.routes)

  app.notFound((c) => errorResponse(c, new StytchError('route_not_found')))
  app.onError((err, c) => {
    if (err instanceof StytchError) return errorResponse(c, err)
    logger.error('unexpected error', {
      request_id: c.var.requestId,
      method: c.req.method,
      path: c.req.path,
      stack: err.stack ?? String(err),
    })
    return errorResponse(c, new StytchError('internal_server_error'))
  })
  return app
}

/** Records every API call in the journal, and applies the first matching injected fault. */
function journalAndFaults(deps: Deps): MiddlewareHandler<AppEnv> {
  const { clock, faults, journal } = deps
  return async (c, next) => {
    const started = performance.now()
    const virtualMs = clock.nowMs()
    const wallMs = clock.wallMs()
    // Only when a scoped fault could apply: reading the subject costs a body parse and a lookup.
    const about = faults.scoped(c.req.method, c.req.path)
      ? await requestSubject(c, deps)
      : undefined
    const fault = faults.take(c.req.method, c.req.path, about)
    if (fault && fault.delay_ms > 0) await sleep(fault.delay_ms)
    const err = fault && faultError(fault)
    if (err) c.res = errorResponse(c, err)
    else await next()
    const subject = c.var.subject
    journal.record({
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      error_type: c.var.errorType ?? null,
      virtual_ms: virtualMs,
      wall_ms: wallMs,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
      session_id: subject?.session_id ?? null,
      user_id: subject?.user_id ?? null,
      member_id: subject?.member_id ?? null,
    })
  }
}

export type App = ReturnType<typeof createApp>
