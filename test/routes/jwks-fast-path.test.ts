// The JWKS answered before the router (server/platform/http/before-router.ts) must answer exactly
// as the routes do: the same status, headers and bytes (request id aside), the same journal
// entry and log line, and every fault, scoped ones too. Each call here is made on a real port
// (the adapter hands the app the Node request) and through app.request (no Node request), and
// compared with the same call made while a fault elsewhere sends every call through the routes.
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app.js'
import { Clock } from '../../server/clock.js'
import { loadConfig, type Config } from '../../server/config.js'
import { createLogger } from '../../server/log.js'
import { createWorld, type World } from '../../server/world.js'
import { basicHeader } from '../helpers/world.js'
import { wireCall, type WireAnswer as Answer } from '../helpers/wire.js'

let world: World
let config: Config
let app: ReturnType<typeof createApp>
let lines: string[]
let server: ReturnType<typeof serve>
let port: number

beforeEach(async () => {
  config = loadConfig({ LOG_LEVEL: 'silent', HTTPS_PORT: 'off' })
  world = await createWorld(config, new Clock())
  lines = []
  app = createApp(world, { logger: createLogger('info', (line) => lines.push(line)) })
  server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s))
  })
  port = (server.address() as AddressInfo).port
})

afterEach(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    ;(server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.()
  })
  world.close()
})

const jwksPath = () => `/v1/sessions/jwks/${config.projectId}`
const ids = /request-id-test-[0-9a-f-]+/g

/** A call on the real port. */
const wire = (method: string, path: string, headers: Record<string, string> = {}) =>
  wireCall(port, method, path, headers)

/** The same call through app.request (no Node request in env). */
async function inProcess(method: string, path: string, headers: Record<string, string> = {}) {
  const res = await app.request(path, { method, headers })
  return {
    status: res.status,
    headers: Object.fromEntries(res.headers),
    body: await res.text(),
  } satisfies Answer
}

const sameish = (a: Answer) => ({ ...a, body: a.body.replace(ids, 'ID') })

/** The call's answer, journal entry and log line; then the same with the routes answering. */
async function fastAndRouted(
  call: typeof wire,
  method: string,
  path: string,
  headers: Record<string, string> = {},
) {
  const once = async () => {
    lines.length = 0
    const answer = await call(method, path, headers)
    const [entry] = world.journal.list({ limit: 1 })
    const log = lines.map((l) => l.replace(ids, 'ID').replace(/"duration_ms":[\d.]+/, ''))
    const { duration_ms: _d, virtual_time: _v, wall_time: _w, ...journal } = entry ?? {}
    return { answer: sameish(answer), journal, log }
  }
  const fast = await once()
  // A fault on another route: while any fault is set, every call goes through the routes.
  const other = world.faults.add({ path: '/v1/users/nobody', status: 500, times: -1 })
  const routed = await once()
  world.faults.remove(other.fault_id)
  return { fast, routed }
}

describe('the JWKS answered before the router', () => {
  for (const [name, call] of [
    ['on a real port', wire],
    ['through app.request', inProcess],
  ] as const) {
    it(`answers ${name} as the routes do: bytes, headers, journal and log line`, async () => {
      const variants: [string, string, Record<string, string>?][] = [
        ['GET', jwksPath()],
        ['GET', `/v1/b2b/sessions/jwks/${config.projectId}`],
        ['GET', `${jwksPath()}?cache=1&x=%20`],
        ['HEAD', jwksPath()],
        ['GET', jwksPath(), { origin: 'http://localhost:3000', 'x-request-id': 'mine' }],
        ['GET', jwksPath(), { authorization: basicHeader(config.projectId, config.secret) }],
        ['GET', jwksPath(), { authorization: basicHeader('a', 'b') }],
        ['GET', '/v1/sessions/jwks/project-test-00000000-0000-4000-8000-000000000000'],
        ['GET', `${jwksPath()}/`],
        ['GET', jwksPath().replace('jwks', 'JWKS')],
      ]
      for (const [method, path, headers] of variants) {
        const { fast, routed } = await fastAndRouted(call, method, path, headers)
        expect(fast, `${method} ${path} ${JSON.stringify(headers)}`).toEqual(routed)
      }
    })
  }

  it('gives each call its own request id, in the body and the log line', async () => {
    const a = await wire('GET', jwksPath())
    const b = await wire('GET', jwksPath())
    const [idA, idB] = [a.body, b.body].map((body) => JSON.parse(body).request_id as string)
    expect(idA).toMatch(/^request-id-test-/)
    expect(idA).not.toBe(idB)
    expect(lines.map((l) => JSON.parse(l).request_id)).toEqual([idA, idB])
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'info',
      method: 'GET',
      path: jwksPath(),
      status: 200,
      error_type: null,
    })
  })

  it('writes no request line below info', async () => {
    const quiet: string[] = []
    const warnApp = createApp(world, { logger: createLogger('warn', (l) => quiet.push(l)) })
    expect((await warnApp.request(jwksPath())).status).toBe(200)
    expect(quiet).toEqual([])
    expect(world.journal.list({ path: jwksPath() })).toHaveLength(1)
  })

  it.each([
    ['every call', { path: '*' }],
    ['the path', { path: '/v1/sessions/jwks/*' }],
    ['the exact path', { path: `/v1/sessions/jwks/${'PROJECT'}` }],
    ['the method', { path: '/v1/*', method: 'get' }],
  ])('keeps a fault set on %s', async (_name, scope) => {
    const path = scope.path.replace('PROJECT', config.projectId)
    world.faults.add({ ...scope, path, status: 503, times: 1 })
    for (const call of [wire, inProcess]) {
      if (call === inProcess) world.faults.add({ ...scope, path, status: 503, times: 1 })
      const res = await call('GET', jwksPath())
      expect(res.status).toBe(503)
      expect(JSON.parse(res.body).error_type).toBe('service_unavailable')
      expect(world.journal.list({ limit: 1 })[0]).toMatchObject({
        path: jwksPath(),
        status: 503,
        error_type: 'service_unavailable',
      })
      // Used up: the next call is the JWKS again.
      expect((await call('GET', jwksPath())).status).toBe(200)
    }
  })

  it('keeps a fault of another method off the JWKS, and a delay on it', async () => {
    world.faults.add({ path: jwksPath(), method: 'POST', status: 500, times: -1 })
    expect((await wire('GET', jwksPath())).status).toBe(200)
    world.faults.clear()
    world.faults.add({ path: jwksPath(), delay_ms: 150, times: 1 })
    const started = performance.now()
    expect((await wire('GET', jwksPath())).status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
  })

  it('serves the keys as they are now: after a rotation, a retirement and a reset', async () => {
    const keys = async () => JSON.parse((await wire('GET', jwksPath())).body).keys as object[]
    expect(await keys()).toHaveLength(1)
    await world.keys.rotate()
    expect(await keys()).toEqual(world.keys.ring.jwks())
    expect(await keys()).toHaveLength(2)
    world.keys.retire()
    expect(await keys()).toEqual(world.keys.ring.jwks())
    expect(await keys()).toHaveLength(1)
    world.keys.reset()
    expect((await keys())[0]).toMatchObject({ kid: world.keys.configuredKid })
  })

  it('refuses a declared body over the limit as the routes do', async () => {
    const big = String(10 * 1024 * 1024)
    const res = await inProcess('GET', jwksPath(), { 'content-length': big })
    expect(res.status).toBe(413)
    expect(JSON.parse(res.body).error_type).toBe('request_too_large')
  })
})
