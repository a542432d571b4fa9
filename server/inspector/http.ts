// /_mock/ui: the inspector page (issue #16), and what it needs from the rest of the app.
// - The page, its live regions, its script and stylesheet; the browser's own Basic-auth prompt
//   (401 with WWW-Authenticate), a strict Content-Security-Policy, and no CORS at all.
// - One action with no /_mock endpoint: revoke a session (the same domain call as the revoke API).
// - Observers: the sessions a revoke deletes are remembered (revoked, and by which call), a failed
//   API call is linked in the journal to the session it named when the mock can tell, and every
//   test-control call is recorded (they are not in the journal).
// - A guard: a browser holding the inspector's credentials sends them with any request to /_mock,
//   even one another site's page makes, so calls that change state must come from the mock's own
//   origin (CSRF).
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import type { Config } from '../config.js'
import { StytchError } from '../errors.js'
import { ASSET_VERSION, SCRIPT, STYLE } from './assets.js'
import { Inspector, parseQuery } from './model.js'
import { isObject } from '../platform/sessions/claims.js'
import { SESSION_CLAIM, SESSION_ID_FORMAT } from '../platform/sessions/core.js'
import type { StoredSession } from './store.js'
import { basicAuthCheck } from '../platform/http/auth.js'
import { ok, type AppEnv } from '../platform/http/env.js'
import type { World } from '../world.js'
import { bodyText, header } from '../platform/http/request.js'
import { basicCredentials, sessionArguments } from '../platform/http/sdk-caller.js'

export const INSPECTOR_PATH = '/_mock/ui'

/** Nothing but the mock's own origin: its script, its stylesheet, its API. */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ')

const PAGE_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  // The page shows session tokens: never kept by a cache.
  'cache-control': 'no-store',
}

export function inspectorHttp(deps: World) {
  const inspector = new Inspector(deps)
  // Revokes the API makes beside /sessions/revoke (a password reset revokes the user's other
  // sessions): remembered as a revoke is, with why.
  deps.core.beforeRevokeAll.push((kind, subjectId, except, reason) => {
    for (const row of inspector.store.storedOf(kind, subjectId))
      if (row.session_id !== except)
        inspector.recorder.revoked({
          row,
          virtual_ms: deps.clock.nowMs(),
          wall_ms: deps.clock.wallMs(),
          via: reason,
          by: `${kind === 'member' ? 'member_id' : 'user_id'} (all its other sessions)`,
        })
  })
  return {
    inspector,
    /** /_mock/ui and below: Basic auth, answered with the browser's login prompt. */
    challenge: challenge(deps.config),
    /** /_mock: state changes only from the mock's own origin (or from outside a browser). */
    sameOrigin,
    /** /v1 and /sdk/v1, after their auth and before their routes. */
    observeApi: observeApi(deps, inspector),
    /** /_mock, after its auth. */
    observeControl: observeControl(deps, inspector),
    routes: inspectorRoutes(deps, inspector),
  }
}

let renderModule: Promise<typeof import('./render.js')> | undefined
const render = () => (renderModule ??= import('./render.js'))

function inspectorRoutes(deps: World, inspector: Inspector) {
  const app = new Hono<AppEnv>()
  const query = (c: Context<AppEnv>) => parseQuery((name) => c.req.query(name))

  app.get(INSPECTOR_PATH, async (c) => {
    const { buildView, renderPage } = await render()
    const vm = await buildView(inspector, query(c))
    return c.html(await renderPage(vm, ASSET_VERSION), 200, PAGE_HEADERS)
  })

  // What the page polls: its regions, rendered for the same address.
  app.get(`${INSPECTOR_PATH}/live`, async (c) => {
    const { buildView, renderRegions } = await render()
    const vm = await buildView(inspector, query(c))
    c.header('cache-control', 'no-store')
    return ok(c, { regions: await renderRegions(vm) })
  })

  app.get(`${INSPECTOR_PATH}/app.js`, (c) =>
    c.body(SCRIPT, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    }),
  )
  app.get(`${INSPECTOR_PATH}/app.css`, (c) =>
    c.body(STYLE, 200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    }),
  )

  // The one page action /_mock has no endpoint for: the revoke API's own domain call.
  app.post(`${INSPECTOR_PATH}/sessions/:session_id/revoke`, async (c) => {
    const id = c.req.param('session_id')
    if (!SESSION_ID_FORMAT.test(id)) throw new StytchError('invalid_session_id')
    const row = inspector.store.storedById(id)
    if (!row) throw new StytchError('session_not_found')
    if (row.kind === 'consumer') await deps.consumer.revoke({ session_id: id })
    else await deps.members.revoke({ member_session_id: id })
    inspector.recorder.revoked({
      row,
      virtual_ms: deps.clock.nowMs(),
      wall_ms: deps.clock.wallMs(),
      via: `the inspector (POST ${INSPECTOR_PATH}/sessions/{session_id}/revoke)`,
      by: 'session_id',
    })
    return ok(c)
  })

  return app
}

function challenge(config: Config): MiddlewareHandler<AppEnv> {
  const check = basicAuthCheck(config.projectId, config.secret)
  return async (c, next) => {
    try {
      check(header(c, 'authorization'))
    } catch (err) {
      // The Stytch envelope as everywhere on /_mock, plus the header that makes a browser ask.
      c.header('WWW-Authenticate', 'Basic realm="stytch-mock", charset="UTF-8"')
      throw err
    }
    await next()
  }
}

const sameOrigin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const method = c.req.method
  if (method !== 'GET' && method !== 'HEAD') {
    // Every current browser sends Sec-Fetch-Site; curl, SDKs and test code send none.
    const site = header(c, 'sec-fetch-site')
    if (site !== undefined && site !== 'same-origin' && site !== 'none')
      throw new StytchError(
        'unauthorized_credentials',
        `A ${site} page may not change the mock's state through /_mock: call it from the inspector, or from outside a browser.`,
      )
  }
  await next()
}

interface Named {
  session_token?: string
  session_jwt?: string
  session_id?: string
  member_id?: string
  by: string
}

/** The session (or member) a /v1 or /sdk/v1 call names, as the call itself reads it. */
async function named(c: Context<AppEnv>, config: Config): Promise<Named | undefined> {
  if (c.req.path.startsWith('/sdk/')) {
    const { user, password } = basicCredentials(header(c, 'authorization'))
    if (user !== config.publicToken && user !== config.b2bPublicToken) return undefined
    const session = sessionArguments(c, user, password)
    if (!session) return undefined
    const how = password && password !== user ? 'Basic auth' : 'cookie'
    return 'session_token' in session
      ? { session_token: session.session_token, by: `session_token (frontend SDK, ${how})` }
      : { session_jwt: session.session_jwt, by: `session_jwt (frontend SDK, ${how})` }
  }
  let body: unknown
  try {
    body = JSON.parse(await bodyText(c))
  } catch (err) {
    if (err instanceof StytchError) throw err
    return undefined
  }
  if (!isObject(body)) return undefined
  const text = (name: string) => (typeof body[name] === 'string' ? body[name] : undefined)
  const memberId = text('member_id')
  if (memberId !== undefined) return { member_id: memberId, by: 'member_id (all its sessions)' }
  for (const name of ['session_id', 'member_session_id'] as const) {
    const id = text(name)
    if (id !== undefined) return { session_id: id, by: name }
  }
  const token = text('session_token')
  if (token !== undefined) return { session_token: token, by: 'session_token' }
  const jwt = text('session_jwt')
  if (jwt !== undefined) return { session_jwt: jwt, by: 'session_jwt' }
  return undefined
}

/** The session id a JWT's payload names, read without verifying (only to find a record). */
function sessionIdOfJwt(jwt: string): string | undefined {
  try {
    const payload: unknown = JSON.parse(
      Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'),
    )
    const claim = isObject(payload) ? payload[SESSION_CLAIM] : undefined
    return isObject(claim) && typeof claim.id === 'string' ? claim.id : undefined
  } catch {
    return undefined
  }
}

function observeApi(deps: World, inspector: Inspector): MiddlewareHandler<AppEnv> {
  const { store, recorder } = inspector
  // Plain reads of the stored rows by unique key: this runs on the API's own path.
  const storedNamed = (n: Named): StoredSession[] => {
    if (n.member_id !== undefined) return store.storedOf('member', n.member_id)
    const id =
      n.session_id ?? (n.session_jwt !== undefined ? sessionIdOfJwt(n.session_jwt) : undefined)
    const row =
      id !== undefined
        ? store.storedById(id)
        : n.session_token !== undefined
          ? store.storedByToken(n.session_token)
          : undefined
    return row ? [row] : []
  }
  return async (c, next) => {
    // A revoke deletes its sessions: read them first, to remember them once the call succeeds.
    const revoke = c.req.method === 'POST' && c.req.path.endsWith('/sessions/revoke')
    const target = revoke ? await named(c, deps.config) : undefined
    const before = target ? storedNamed(target) : []
    await next()
    const status = c.res.status
    if (revoke && status === 200) {
      // A 200 means the revoke deleted exactly the sessions it named.
      for (const row of before)
        recorder.revoked({
          row,
          virtual_ms: deps.clock.nowMs(),
          wall_ms: deps.clock.wallMs(),
          via: `${c.req.method} ${c.req.path}`,
          by: target!.by,
        })
      const first = before[0]
      if (first && c.get('subject') === undefined)
        c.set('subject', subjectOf(first, before.length === 1))
      return
    }
    // A failed call about a session: name it in the journal, so its story can be found.
    if (status >= 400 && status !== 401 && status !== 413 && c.get('subject') === undefined) {
      try {
        const n = await named(c, deps.config)
        const row = n && (storedNamed(n)[0] ?? revokedNamed(inspector, n))
        if (row) c.set('subject', subjectOf(row, n.member_id === undefined))
      } catch {
        // Best effort: the answer stands as it is.
      }
    }
  }
}

/** A revoked session the call names, which only the inspector remembers. */
function revokedNamed(inspector: Inspector, n: Named): StoredSession | undefined {
  const { recorder } = inspector
  if (n.session_token !== undefined) return recorder.revocationByToken(n.session_token)?.row
  const id =
    n.session_id ?? (n.session_jwt !== undefined ? sessionIdOfJwt(n.session_jwt) : undefined)
  return id === undefined ? undefined : recorder.revocation(id)?.row
}

function subjectOf(
  row: Pick<StoredSession, 'kind' | 'subject_id' | 'session_id'>,
  withSession: boolean,
) {
  const who = row.kind === 'member' ? { member_id: row.subject_id } : { user_id: row.subject_id }
  return withSession ? { session_id: row.session_id, ...who } : who
}

function observeControl(deps: World, inspector: Inspector): MiddlewareHandler<AppEnv> {
  const { clock } = deps
  const { recorder } = inspector
  return async (c, next) => {
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD') return next()
    const before = clock.nowMs()
    const wall = clock.wallMs()
    await next()
    const path = c.req.path
    const status = c.res.status
    if (path === '/_mock/reset' && status === 200) recorder.reset()
    recorder.control({
      method,
      path,
      status,
      error_type: c.get('errorType') ?? null,
      wall_ms: wall,
      virtual_before_ms: before,
      virtual_after_ms: clock.nowMs(),
    })
    if (path === '/_mock/snapshots' && status === 200) {
      const taken = (await c.res.clone().json()) as { snapshot_id: string; created_at: string }
      recorder.snapshot({
        snapshot_id: taken.snapshot_id,
        created_at: taken.created_at,
        wall_ms: wall,
      })
    }
  }
}
