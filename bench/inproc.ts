// The main thread's CPU per request, in one process and one thread: the mock (listen(), from
// source) and the bare Hono floor of bench/floor.ts each serve real HTTP over loopback to a
// minimal client in this same thread (10 keep-alive connections, one request in flight on each,
// as autocannon drives them). Nothing else is scheduled between server and client, so the figure
// is steadier on a busy machine than bench/cpu.ts's; the client's own small share is in both the
// mock's and the floor's figure alike. Rounds alternate the two; min and median over rounds.
// Run from a package folder: `npx tsx bench/inproc.ts [token|jwt|jwks|sdk ...] | cat >/dev/null`
// (request lines go to stdout, through a pipe as in the bench; results to stderr).
//   INPROC_N=20000 INPROC_ROUNDS=7 LOG_LEVEL=info
import { readFileSync } from 'node:fs'
import { connect, type AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { loadConfig } from '../server/config.js'
import { createLogger } from '../server/log.js'
import { listen } from '../server/listen.js'

const N = Number(process.env.INPROC_N ?? 20000)
const ROUNDS = Number(process.env.INPROC_ROUNDS ?? 7)
const CONNECTIONS = 10
const level = (process.env.LOG_LEVEL ?? 'info') as 'info'

const threadUs = () => {
  const t = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')
  const f = t.slice(t.lastIndexOf(')') + 2).split(' ')
  return (Number(f[11]) + Number(f[12])) * 1e4
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const config = loadConfig({ PORT: '0', HTTPS_PORT: 'off', LOG_LEVEL: level })
const mock = await listen(config, { logger: createLogger(level) })
const auth = 'Basic ' + Buffer.from(`${config.projectId}:${config.secret}`).toString('base64')

const seeded: { session_token: string; session_jwt: string }[] = []
for (let i = 0; i < 1000; i++)
  seeded.push(
    (await mock.world.seeder.consumerSession({
      email: `bench-${i % 100}@example.com`,
      session_duration_minutes: 527040,
    } as never)) as { session_token: string; session_jwt: string },
  )

const jwksPath = `/v1/sessions/jwks/${config.projectId}`
const document = await (await fetch(mock.url + jwksPath)).text()
// INPROC_FLOOR_ANSWER=1: the floor's POST answers with the mock's own authenticate answer (its
// size alone, parsed and re-serialized as c.json does), to tell the answer's size from the work.
const answer = process.env.INPROC_FLOOR_ANSWER
  ? await (
      await fetch(mock.url + '/v1/sessions/authenticate', {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ session_token: seeded[0]!.session_token }),
      })
    ).json()
  : undefined
const floorApp = new Hono()
floorApp.post('/floor', async (c) => {
  const body = (await c.req.json()) as { session_token?: string }
  return c.json(answer ?? { status_code: 200, ok: typeof body.session_token === 'string' })
})
floorApp.get('/floor', (c) => c.body(document, 200, { 'content-type': 'application/json' }))
const floorServer = serve({ fetch: floorApp.fetch, hostname: '127.0.0.1', port: 0 })
await new Promise((r) => floorServer.once('listening', r))
const floorPort = (floorServer.address() as AddressInfo).port
const mockPort = Number(new URL(mock.url).port)

const request = (method: string, path: string, headers: Record<string, string>, body?: string) =>
  Buffer.from(
    `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join(
        '',
      )}${body === undefined ? '' : `content-length: ${Buffer.byteLength(body)}\r\n`}\r\n${body ?? ''}`,
  )
const postJson = (path: string, body: object, headers: Record<string, string> = {}) =>
  request(
    'POST',
    path,
    { 'content-type': 'application/json', authorization: auth, ...headers },
    JSON.stringify(body),
  )

/** Sends `n` requests over 10 connections, one in flight on each; resolves when all answered 200. */
function drive(port: number, requests: Buffer[], n: number): Promise<void> {
  let sent = 0
  let answered = 0
  return new Promise((done, fail) => {
    for (let k = 0; k < CONNECTIONS; k++) {
      const socket = connect(port, '127.0.0.1')
      socket.setNoDelay(true)
      let pending: Buffer = Buffer.alloc(0)
      const next = () => {
        if (sent >= n) return void socket.end()
        socket.write(requests[sent++ % requests.length]!)
      }
      socket.on('connect', next)
      socket.on('error', fail)
      socket.on('data', (chunk: Buffer) => {
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk
        for (;;) {
          const head = pending.indexOf('\r\n\r\n')
          if (head < 0) return
          const text = pending.toString('latin1', 0, head)
          const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text)?.[1] ?? 0)
          if (pending.length < head + 4 + length) return
          if (!text.startsWith('HTTP/1.1 200')) return fail(new Error(text.split('\r\n')[0]))
          pending = pending.subarray(head + 4 + length) as Buffer<ArrayBuffer>
          if (++answered === n) done()
          next()
        }
      })
    }
  })
}

const scenarios: Record<string, { mock: Buffer[]; floor: Buffer[] }> = {
  token: {
    mock: seeded.map((s) =>
      postJson('/v1/sessions/authenticate', { session_token: s.session_token }),
    ),
    floor: seeded.map((s) => postJson('/floor', { session_token: s.session_token })),
  },
  jwt: {
    mock: seeded.map((s) => postJson('/v1/sessions/authenticate', { session_jwt: s.session_jwt })),
    floor: seeded.map((s) => postJson('/floor', { session_token: s.session_token })),
  },
  jwks: {
    mock: [request('GET', jwksPath, {})],
    floor: [request('GET', '/floor', {})],
  },
  sdk: {
    mock: seeded.map((s) =>
      postJson(
        '/sdk/v1/sessions/authenticate',
        {},
        {
          authorization:
            'Basic ' + Buffer.from(`${config.publicToken}:${s.session_token}`).toString('base64'),
          origin: 'http://localhost:3000',
        },
      ),
    ),
    floor: seeded.map((s) => postJson('/floor', { session_token: s.session_token })),
  },
}

const wanted = process.argv.slice(2).filter((s) => s in scenarios)
for (const name of wanted.length ? wanted : Object.keys(scenarios)) {
  const s = scenarios[name]!
  const times: Record<'mock' | 'floor', number[]> = { mock: [], floor: [] }
  const run = async (which: 'mock' | 'floor') => {
    const t0 = threadUs()
    const w0 = performance.now()
    await drive(which === 'mock' ? mockPort : floorPort, s[which], N)
    times[which].push((threadUs() - t0) / N)
    return (performance.now() - w0) / 1000
  }
  await run('mock')
  await run('floor')
  times.mock = []
  times.floor = []
  for (let round = 0; round < ROUNDS; round++)
    for (const which of round % 2 ? (['floor', 'mock'] as const) : (['mock', 'floor'] as const))
      await run(which)
  const m = median(times.mock)
  const f = median(times.floor)
  process.stderr.write(
    `${name.padEnd(6)} LOG_LEVEL=${level}: mock ${m.toFixed(1)} µs (min ${Math.min(...times.mock).toFixed(1)}), floor ${f.toFixed(1)} µs (min ${Math.min(...times.floor).toFixed(1)}): ${(m / f).toFixed(2)}× the floor's CPU\n`,
  )
}
floorServer.close()
await mock.close()
process.exit(0)
