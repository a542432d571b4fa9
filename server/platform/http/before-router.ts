// The two calls a test suite makes most, answered before the router when nothing could make the
// routes answer otherwise: the JWKS (every JWT check of an app fetches it) and a consumer
// authenticate by session token or JWT alone (every request of an app under test makes one).
// The router and the middleware layers were a third of a JWKS call's cost and most of an
// authenticate's (#31). What such a call gets is what the routes give it: the same status,
// headers and bytes, a request id, its journal entry and its log line. Every other call, and
// these when a fault is set, go through the routes as before.
import type { IncomingMessage } from 'node:http'
import type { Hono } from 'hono'
import type { Logger } from '../../log.js'
import type { Platform } from '../platform.js'
import type { JournalRecord } from '../journal/journal.js'
import { credentialKey } from '../sessions/answer-cache.js'
import { newId } from '../tokens/ids.js'
import { JWKS_HEADERS, jwksAnswer } from '../tokens/jwks-route.js'
import type { AppEnv } from './env.js'
import { readBodyEarly } from './request.js'

type Fetch = Hono<AppEnv>['fetch']
type Deps = Pick<Platform, 'clock' | 'faults' | 'journal' | 'config' | 'keys' | 'consumer'>

/** An authenticate's body this small is the credential alone; a larger one goes to the routes. */
const SMALL_BODY = 4096
const JSON_HEADERS = { 'Content-Type': 'application/json' }

export function beforeRouter(app: Hono<AppEnv>, deps: Deps, logger: Logger): void {
  const { clock, faults, journal, config } = deps
  const served = (method: string, template: string) =>
    app.routes.some((r) => r.method === method && r.path === template)
  // Only the paths the products serve (sessions, b2b-sessions): a world without them routes all.
  const jwksPaths = new Set(
    ['/v1/sessions/jwks/:project_id', '/v1/b2b/sessions/jwks/:project_id']
      .filter((t) => served('GET', t))
      .map((t) => t.replace(':project_id', config.projectId)),
  )
  const authenticatePath = served('POST', '/v1/sessions/authenticate')
    ? '/v1/sessions/authenticate'
    : undefined
  if (jwksPaths.size === 0 && !authenticatePath) return
  const jwks = jwksAnswer(deps.keys)
  // The Basic credentials exactly as the official SDKs send them; any other spelling is the
  // routes' to check.
  const basic = `Basic ${Buffer.from(`${config.projectId}:${config.secret}`).toString('base64')}`

  /** Its journal entry and log line, as the routes' middleware writes them. */
  const answered = (
    call: Pick<JournalRecord, 'method' | 'path' | 'session_id' | 'user_id'>,
    requestId: string,
    started: number,
    virtualMs: number,
    wallMs: number,
  ) => {
    const duration = Math.round((performance.now() - started) * 100) / 100
    journal.record({
      ...call,
      status: 200,
      error_type: null,
      virtual_ms: virtualMs,
      wall_ms: wallMs,
      duration_ms: duration,
      member_id: null,
    })
    if (logger.logs(200, call.path))
      logger.request({
        method: call.method,
        path: call.path,
        status: 200,
        duration_ms: duration,
        error_type: null,
        request_id: requestId,
      })
  }

  const authenticate = async (
    incoming: IncomingMessage,
    routed: () => Response | Promise<Response>,
    path: string,
  ) => {
    const started = performance.now()
    const virtualMs = clock.nowMs()
    const wallMs = clock.wallMs()
    let ready
    try {
      const text = await readBodyEarly(incoming)
      const credential = text === null ? undefined : credentialOf(text)
      const pending = credential === undefined ? undefined : deps.consumer.readyAnswer(credential)
      ready = pending && (await pending)
    } catch {
      // The body could not be read (the client went away): the routes meet the same failure.
      return routed()
    }
    // Faults are checked again: one set while the body was read applies to this call.
    if (!ready || !faults.none) return routed()
    const requestId = newId('request-id')
    const response = new Response(`{"status_code":200,"request_id":"${requestId}",${ready.text}}`, {
      status: 200,
      headers: JSON_HEADERS,
    })
    answered(
      { method: 'POST', path, session_id: ready.session_id, user_id: ready.user_id },
      requestId,
      started,
      virtualMs,
      wallMs,
    )
    return response
  }

  const routed = app.fetch
  app.fetch = ((request, env, executionCtx) => {
    const method = request.method
    if (!faults.none || (method !== 'GET' && method !== 'POST'))
      return routed(request, env, executionCtx)
    const path = pathOf(request.url)
    const incoming = (env as { incoming?: IncomingMessage } | undefined)?.incoming
    const headers = incoming?.headers
    if (method === 'POST') {
      if (path !== authenticatePath || !headers || headers.authorization !== basic)
        return routed(request, env, executionCtx)
      const length = Number(headers['content-length'])
      if (!(length > 0 && length <= SMALL_BODY) || request.url.includes('?'))
        return routed(request, env, executionCtx)
      return authenticate(incoming!, () => routed(request, env, executionCtx), path)
    }
    if (!jwksPaths.has(path)) return routed(request, env, executionCtx)
    // The plain call jose makes: no credentials and no body.
    if (
      headers
        ? headers.authorization !== undefined || headers['content-length'] !== undefined
        : request.headers.has('authorization') || request.headers.has('content-length')
    )
      return routed(request, env, executionCtx)
    const started = performance.now()
    const virtualMs = clock.nowMs()
    const wallMs = clock.wallMs()
    const requestId = newId('request-id')
    const response = new Response(jwks(requestId), { status: 200, headers: JWKS_HEADERS })
    answered(
      { method: 'GET', path, session_id: null, user_id: null },
      requestId,
      started,
      virtualMs,
      wallMs,
    )
    return response
  }) as Fetch
}

/** A URL's path: from its first `/` after the scheme and host to `?` or `#`. */
function pathOf(url: string): string {
  const start = url.charCodeAt(0) === 47 ? 0 : url.indexOf('/', url.indexOf(':') + 4)
  let end = start
  while (end < url.length && url.charCodeAt(end) !== 63 && url.charCodeAt(end) !== 35) end++
  return url.slice(start, end)
}

/**
 * The credentialKey (answer-cache.ts) of a body that holds a session token or a JWT and nothing
 * else, or undefined.
 */
function credentialOf(text: string): string | undefined {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined
  const keys = Object.keys(body)
  if (keys.length !== 1 || (keys[0] !== 'session_token' && keys[0] !== 'session_jwt'))
    return undefined
  return credentialKey(body as Record<string, unknown>)
}
