// The mock on a real loopback port, for clients that need the wire: the official SDKs, jose.
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, vi } from 'vitest'
import { createApp } from '../../server/app.js'
import { Clock } from '../../server/clock.js'
import { loadConfig, type Config } from '../../server/config.js'
import { createWorld, type World } from '../../server/world.js'
import { assertMatchesSpec } from './spec.js'
import { basicHeader, ORIGIN } from './world.js'

export interface SeenRequest {
  method: string
  path: string
  authorization: string | null
  userAgent: string | null
  status: number
}

export interface RunningMock {
  url: string
  config: Config
  clock: Clock
  world: World
  /** Every request the server answered, in order. */
  seen: SeenRequest[]
  close(): Promise<void>
}

export async function startMock(env: Record<string, string> = {}): Promise<RunningMock> {
  const config = loadConfig({ LOG_LEVEL: 'silent', HTTPS_PORT: 'off', ...env })
  const clock = new Clock()
  const world = await createWorld(config, clock)
  const app = createApp(world)
  const seen: SeenRequest[] = []
  // Responses that break openapi.yaml; close() fails the suite if there are any.
  const violations: string[] = []
  // The adapter's env (its Node request) passed on, so routes read the request as the command's do.
  const fetch = async (req: Request, env?: unknown) => {
    const res = await app.fetch(req, env)
    try {
      const text = await res.clone().text()
      assertMatchesSpec(
        req.method,
        new URL(req.url).pathname,
        res.status,
        res.headers.get('content-type'),
        text,
      )
    } catch (err) {
      violations.push(String(err))
    }
    seen.push({
      method: req.method,
      path: new URL(req.url).pathname,
      authorization: req.headers.get('authorization'),
      userAgent: req.headers.get('user-agent'),
      status: res.status,
    })
    return res
  }
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    clock,
    world,
    seen,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        ;(server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.()
      })
      world.close()
      if (violations.length > 0)
        throw new Error(`responses broke openapi.yaml:\n${violations.join('\n')}`)
    },
  }
}

/** The mock on a loopback port with the official Node SDK pointed at it (`env` takes http, with a
 * console warning that is silenced), for a describe block: set up before all, closed after. */
export function mockWithSdk<C>(
  make: (options: { project_id: string; secret: string; env: string }) => C,
  env: Record<string, string> = {},
): { readonly mock: RunningMock; readonly client: C } {
  const state = {} as { mock: RunningMock; client: C }
  beforeAll(async () => {
    state.mock = await startMock(env)
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    state.client = make({
      project_id: state.mock.config.projectId,
      secret: state.mock.config.secret,
      env: `${state.mock.url}/`,
    })
  })
  afterAll(async () => {
    vi.restoreAllMocks()
    await state.mock.close()
  })
  return state
}

/** The Stytch error an SDK call rejects with, as { status, type }; fails if the call succeeds. */
export const failure = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (err: { status_code: number; error_type: string }) => ({
      status: err.status_code,
      type: err.error_type,
    }),
  )

/** A call to the mock's test-control (or backend) API with the project's Basic auth. */
export function controlOf(mock: Pick<RunningMock, 'url' | 'config'>) {
  const authorization =
    'Basic ' + Buffer.from(`${mock.config.projectId}:${mock.config.secret}`).toString('base64')
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(mock.url + path, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as Record<string, any> }
  }
}

/**
 * A frontend SDK call (/sdk/v1) to the mock, its session in Basic auth as @stytch/vanilla-js
 * sends it (the public token alone without one), from `origin` (null: no Origin header); the
 * consumer public token unless `publicToken` names another (the B2B one).
 */
export async function sdkCallOf(
  mock: RunningMock,
  method: string,
  path: string,
  session: string | null,
  body?: object,
  origin: string | null = ORIGIN,
  publicToken: string = mock.config.publicToken,
) {
  const res = await fetch(`${mock.url}/sdk/v1${path}`, {
    method,
    headers: {
      ...(origin === null ? {} : { origin }),
      'content-type': 'application/json',
      authorization: basicHeader(publicToken, session ?? publicToken),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const json = (await res.json()) as Record<string, any>
  return { status: res.status, data: json.data, error: json.error_type as string | undefined }
}
