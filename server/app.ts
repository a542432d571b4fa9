// createApp(deps) -> Hono: middleware, routes, and the one place errors become Stytch envelopes.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { mockSessionRoutes } from './control/sessions.js'
import { mockControlRoutes } from './control/state.js'
import { mockOutboxRoutes } from './control/outbox.js'
import { mockTotpRoutes } from './control/totps.js'
import { errorBody, StytchError } from './errors.js'
import { inspectorHttp } from './inspector/http.js'
import { createLogger, type Logger } from './log.js'
import { packageRoot } from './paths.js'
import { basicAuth } from './platform/http/auth.js'
import { beforeRouter } from './platform/http/before-router.js'
import { ok, type AppEnv } from './platform/http/env.js'
import { notEmulated } from './platform/http/not-emulated.js'
import { header, MAX_BODY_BYTES } from './platform/http/request.js'
import { sdkCors, sdkOrigins } from './platform/http/sdk-cors.js'
import { requestSubject } from './platform/http/subject.js'
import { faultError } from './platform/journal/faults.js'
import type { ProductRoutes } from './platform/product.js'
import { newId } from './platform/tokens/ids.js'
import { PRODUCTS } from './products/registry.js'
import type { World } from './world.js'

/** Stytch's public routes: /v1/public/... and /v1/b2b/public/... */
const PUBLIC = /^\/v1\/(b2b\/)?public\//

export interface AppOptions {
  /** Request lines, and unexpected errors (once each, with the request id). Default: silent. */
  logger?: Logger
  /** The local CA certificate, served at /_mock/ca.pem when the mock made one. */
  caPem?: string | null
}

/** The one way an error becomes a response: the Stytch envelope, its type noted for the journal. */
function errorResponse(c: Context<AppEnv>, err: StytchError) {
  c.set('errorType', err.errorType)
  return c.json(errorBody(err, c.get('requestId') ?? newId('request-id')), err.status as 400)
}

export function createApp(
  deps: World,
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
        error_type: c.get('errorType') ?? null,
        request_id: c.get('requestId'),
      })
  })

  // Each product's routes, by where they go (platform/product.ts).
  const routes: ProductRoutes[] = PRODUCTS.map((p) =>
    'routes' in p && p.routes ? p.routes(deps as never) : {},
  )
  const mount = (place: keyof ProductRoutes) => {
    for (const r of routes) if (r[place]) app.route('/', r[place])
  }

  // The Stytch API: journaled, and open to injected faults. Public routes (the JWKS, OAuth's
  // start routes and consent page: a browser or jose calls them bare) come before the project's
  // Basic auth; a route Stytch has that no product serves answers 501 not_emulated.
  app.use('/v1/*', journalAndFaults(deps))
  mount('public')
  const projectAuth = basicAuth(deps.config.projectId, deps.config.secret)
  // Stytch's public routes take no project credentials, served or not.
  app.use('/v1/*', (c, next) => (PUBLIC.test(c.req.path) ? next() : projectAuth(c, next)))
  app.use('/v1/*', inspector.observeApi)
  mount('api')

  // The frontend SDK API: CORS first (errors and faults included), the allowed origins,
  // journaled and open to faults too.
  app.use('/sdk/v1/*', sdkCors())
  app.use('/sdk/v1/*', journalAndFaults(deps))
  app.use('/sdk/v1/*', inspector.observeApi)
  app.use('/sdk/v1/*', sdkOrigins(deps.config))
  mount('sdk')

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
  app.route('/', mockOutboxRoutes(deps))
  app.route('/', mockTotpRoutes(deps))
  mount('control')
  app.route('/', inspector.routes)

  beforeRouter(app, deps, logger)

  const unserved = notEmulated(logger)
  app.notFound(async (c) => errorResponse(c, await unserved(c.req.method, c.req.path)))
  app.onError((err, c) => {
    if (err instanceof StytchError) return errorResponse(c, err)
    logger.error('unexpected error', {
      request_id: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      stack: err.stack ?? String(err),
    })
    return errorResponse(c, new StytchError('internal_server_error'))
  })
  return app
}

/** Records every API call in the journal, and applies the first matching injected fault. */
function journalAndFaults(deps: World): MiddlewareHandler<AppEnv> {
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
    const subject = c.get('subject')
    journal.record({
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      error_type: c.get('errorType') ?? null,
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
