// A fresh world per test: in-memory database, bundled fixtures, a clock the test controls.
import { Clock } from '../../server/clock.js'
import { createApp } from '../../server/app.js'
import { createLogger } from '../../server/log.js'
import { loadConfig, type Config } from '../../server/config.js'
import { createWorld, type World } from '../../server/world.js'
import { assertMatchesSpec } from './spec.js'

export const FIXTURE = {
  adaToken: 'stytch-mock-fixture-session-token-ada-000001',
  adaUserId: 'user-test-0f8e6de5-a3b0-48eb-84e0-f087aa776313',
  adaSessionId: 'session-test-ccbf765d-93b2-46c1-95b1-3c163ec3d0af',
  sandboxToken: 'WJtR5BCy38Szd5AfoDpf0iqFKEt4EE5JhjlWUY7l3FtY',
  sandboxUserId: 'user-test-e3795c81-f849-4167-bfda-e4a6e9c280fd',
  sandboxNotFoundToken: '59cnLELtq5cFVS6uYK9f-pAWzBkhqZl8AvLhbhOvKNWw',
  graceToken: 'stytch-mock-fixture-member-token-grace-acme1',
  graceSessionId: 'member-session-test-9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c01',
  acme: {
    organization_id: 'organization-test-7d3e0c5e-4a9b-4c61-9f0e-2b8f5a1c6d01',
    slug: 'acme',
    member_id: 'member-test-5b1f9a2e-8c3d-4e7f-a6b5-3c2d1e0f9a01',
  },
  globex: {
    organization_id: 'organization-test-7d3e0c5e-4a9b-4c61-9f0e-2b8f5a1c6d02',
    slug: 'globex',
    member_id: 'member-test-5b1f9a2e-8c3d-4e7f-a6b5-3c2d1e0f9a02',
  },
  initech: {
    organization_id: 'organization-test-7d3e0c5e-4a9b-4c61-9f0e-2b8f5a1c6d03',
    slug: 'initech',
    member_id: 'member-test-5b1f9a2e-8c3d-4e7f-a6b5-3c2d1e0f9a03',
  },
}

/** The page origin the frontend SDK tests call from. */
export const ORIGIN = 'http://localhost:3000'

/** An HTTP Basic Authorization header. */
export const basicHeader = (user: string, password: string) =>
  'Basic ' + Buffer.from(`${user}:${password}`).toString('base64')

export interface CallOptions {
  body?: unknown
  /** Raw request body text, sent as is. */
  raw?: string
  /** false: no Authorization header; a string: that header. Default: the project's Basic auth. */
  auth?: false | string
  headers?: Record<string, string>
}

export interface Reply {
  status: number
  body: any
  headers: Headers
}

export interface TestWorld {
  world: World
  config: Config
  clock: Clock
  app: ReturnType<typeof createApp>
  call(method: string, path: string, options?: CallOptions): Promise<Reply>
  basic: string
}

export async function testWorld(env: Record<string, string> = {}): Promise<TestWorld> {
  const config = loadConfig({ LOG_LEVEL: 'silent', HTTPS_PORT: 'off', ...env })
  const clock = new Clock()
  const world = await createWorld(config, clock)
  const logs: string[] = []
  const app = createApp(world, { logger: createLogger('error', (line) => logs.push(line)) })
  const basic = basicHeader(config.projectId, config.secret)
  const call = async (method: string, path: string, options: CallOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...options.headers }
    if (options.auth !== false) headers.authorization = options.auth ?? basic
    let body: string | undefined = options.raw
    if (options.body !== undefined) {
      body = JSON.stringify(options.body)
      headers['content-type'] = 'application/json'
    }
    const res = await app.request(path, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    })
    const text = await res.text()
    assertMatchesSpec(method, path, res.status, res.headers.get('content-type'), text)
    const json: unknown = res.headers.get('content-type')?.startsWith('application/json')
      ? JSON.parse(text)
      : text
    // Injected faults may answer 5xx; an unexpected exception is what gets logged as such.
    if (logs.some((line) => line.includes('"msg":"unexpected error"')))
      throw new Error(`${method} ${path}: ${res.status} ${text}; logs: ${logs.join('\n')}`)
    return { status: res.status, body: json, headers: res.headers }
  }
  return { world, config, clock, app, call, basic }
}
