// Every method of the official SDKs whose route the mock does not serve answers Stytch's error
// envelope with its own type, 501 not_emulated, naming the SDK method and docs/coverage.md (#23):
// each unserved backend method called through the `stytch` Node SDK, each unserved /sdk/v1
// endpoint as the frontend SDK sends it. A path Stytch does not have stays 404 route_not_found.
import { readFileSync } from 'node:fs'
import { inspectRoutes } from 'hono/dev'
import * as stytch from 'stytch'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../server/app.js'
import { createLogger } from '../../server/log.js'
import { startMock, type RunningMock } from '../helpers/server.js'
import { basicHeader } from '../helpers/world.js'

interface Endpoint {
  method: string
  path: string
  side: 'backend' | 'frontend'
  sdk: string[]
  host?: string
  navigation?: boolean
}
const catalog = JSON.parse(readFileSync('server/platform/stytch-api.json', 'utf8')) as Endpoint[]

let mock: RunningMock
let served: (e: Endpoint) => boolean
const warnings: string[] = []
beforeAll(async () => {
  mock = await startMock()
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  const routes = inspectRoutes(createApp(mock.world))
    .filter((r) => !r.isMiddleware && r.method !== 'ALL')
    .map((r) => ({
      method: r.method,
      regex: new RegExp(`^${r.path.replace(/:[^/]+/g, '[^/]+')}$`),
    }))
  served = (e) => {
    const concrete = e.path.replace(/\{[^}]+\}/g, 'x')
    return routes.some((r) => r.method === e.method && r.regex.test(concrete))
  }
})
afterAll(async () => {
  vi.restoreAllMocks()
  await mock.close()
})

/** Any property read gives "~name~", as the coverage script calls every method. */
const placeholder: unknown = new Proxy(
  {},
  {
    get: (_t, key) =>
      key === Symbol.toPrimitive
        ? () => '~arg~'
        : typeof key === 'symbol' || key === 'then' || key === 'toJSON'
          ? undefined
          : key === 'scopes'
            ? ['~scopes~']
            : `~${key}~`,
  },
)

describe('not_emulated', () => {
  it('every unserved backend method, called through the Node SDK, answers 501 not_emulated naming it', async () => {
    const options = {
      project_id: mock.config.projectId,
      secret: mock.config.secret,
      env: `${mock.url}/`,
      // The fraud host's methods (Device Fingerprinting), pointed at the mock too.
      fraud_env: `${mock.url}/`,
    }
    const clients: Record<string, unknown> = {
      Client: new stytch.Client(options),
      B2BClient: new stytch.B2BClient(options),
    }
    const unserved = catalog.filter((e) => e.side === 'backend' && !served(e))
    // Only the fraud host's are left unserved (Device Fingerprinting needs Stytch's script).
    expect(unserved.length).toBeGreaterThan(0)
    expect(unserved.filter((e) => e.host !== 'fraud')).toEqual([])
    let called = 0
    for (const endpoint of unserved) {
      for (const name of endpoint.sdk) {
        const [root, ...path] = name.split('.')
        const owner = path.slice(0, -1).reduce<any>((at, key) => at[key], clients[root!])
        const method = owner[path.at(-1)!] as (arg: unknown) => Promise<unknown>
        type Failure = { status_code?: number; error_type?: string; error_message?: string }
        const err = await method.call(owner, placeholder).then(
          () => ({ error_type: 'none' }) as Failure,
          // idp.introspectTokenNetwork wraps the API's error in a ClientError (its cause).
          (e: Failure & { cause?: Failure }) => (e.cause?.status_code ? e.cause : e),
        )
        expect(err, name).toMatchObject({ status_code: 501, error_type: 'not_emulated' })
        expect(err.error_message, name).toContain(name)
        expect(err.error_message, name).toContain('docs/coverage.md')
        called++
      }
    }
    expect(called).toBeGreaterThanOrEqual(unserved.length)
  })

  it('every unserved /sdk/v1 endpoint answers 501 not_emulated, with CORS, as the browser sees it', async () => {
    const unserved = catalog.filter((e) => e.side === 'frontend' && !e.navigation && !served(e))
    // Shrinks as products land.
    expect(unserved.length).toBeGreaterThan(0)
    for (const endpoint of unserved) {
      const b2b = endpoint.path.startsWith('/sdk/v1/b2b/')
      const token = b2b ? mock.config.b2bPublicToken : mock.config.publicToken
      const res = await fetch(`${mock.url}${endpoint.path.replace(/\{[^}]+\}/g, 'x')}`, {
        method: endpoint.method,
        headers: {
          authorization: basicHeader(token, token),
          origin: 'http://localhost:3000',
          'content-type': 'application/json',
        },
        ...(endpoint.method === 'GET' ? {} : { body: '{}' }),
      })
      const body = (await res.json()) as { error_type: string; error_message: string }
      const what = `${endpoint.method} ${endpoint.path}`
      expect(res.status, what).toBe(501)
      expect(body.error_type, what).toBe('not_emulated')
      expect(body.error_message, what).toContain(endpoint.sdk[0]!)
      expect(res.headers.get('access-control-allow-origin'), what).toBe('http://localhost:3000')
    }
  })

  it('is journaled, and logged at warn once per route; a path Stytch does not have is 404', async () => {
    const lines: string[] = []
    const app = createApp(mock.world, { logger: createLogger('warn', (line) => lines.push(line)) })
    const auth = basicHeader(mock.config.projectId, mock.config.secret)
    mock.world.journal.clear()
    // A backend route with no path parameters that no product serves (the fraud host's).
    const sample = catalog.find((e) => e.side === 'backend' && !e.path.includes('{') && !served(e))!
    for (let i = 0; i < 3; i++)
      expect(
        (
          await app.request(sample.path, {
            method: sample.method,
            headers: { authorization: auth },
          })
        ).status,
      ).toBe(501)
    const typo = await app.request(`${sample.path}z`, {
      method: sample.method,
      headers: { authorization: auth },
    })
    expect(typo.status).toBe(404)
    expect(((await typo.json()) as { error_type: string }).error_type).toBe('route_not_found')
    const warned = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'not emulated')
    expect(warned).toEqual([
      {
        level: 'warn',
        msg: 'not emulated',
        route: `${sample.method} ${sample.path}`,
        sdk: sample.sdk,
      },
    ])
    // Each call's own request line is at warn too (a 501 is the caller's to act on).
    expect(lines.filter((l) => l.includes('"status":501'))).toHaveLength(3)
    const journal = mock.world.journal.list({ path: sample.path })
    expect(journal.map((r) => [r.status, r.error_type])).toEqual([
      [501, 'not_emulated'],
      [501, 'not_emulated'],
      [501, 'not_emulated'],
    ])
    expect(warnings).toEqual([])
  })
})
