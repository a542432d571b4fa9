// The server's CPU per request, the measure that holds on a busy machine where throughput does
// not: each server (the mock as `npm start` runs it, and the bare Hono floor of bench/floor.ts)
// is driven by the load client (bench/client.ts) for a few seconds, and its main thread's CPU
// time (from /proc, user + system) and its whole process's (libuv's pool included: RS256
// signing) are divided by the requests it answered. Rounds alternate the servers, so drift on a
// shared machine falls on both alike. Two builds can be compared in one run: MOCK_DIRS names
// package folders with a built dist/ (default: this one).
//
//   npx tsx bench/cpu.ts [scenario ...]     scenarios: token jwt jwks sdk (default: all)
//   CPU_ROUNDS=5 CPU_SECONDS=3 CPU_RATE=3000 MOCK_DIRS=/tmp/base:. LOG_LEVELS=info,silent
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { AUTH, freePort, median, PROJECT, PUBLIC_TOKEN, sleep, workspace } from './common.js'

const ROUNDS = Number(process.env.CPU_ROUNDS ?? 5)
const SECONDS = Number(process.env.CPU_SECONDS ?? 3)
const CONNECTIONS = Number(process.env.CPU_CONNECTIONS ?? 10)
/** A fixed rate (req/s) for every server, so that per-second work weighs the same on each. */
const RATE = Number(process.env.CPU_RATE ?? 0)
const DIRS = (process.env.MOCK_DIRS ?? '.').split(':').map((d) => resolve(d))
const LEVELS = (process.env.LOG_LEVELS ?? 'info,silent').split(',')
const HEADERS = { 'content-type': 'application/json', authorization: AUTH }
const TICK_US = 1e6 / 100 // USER_HZ

const { dir, children, runClient } = workspace('stytch-mock-cpu-')

/** utime + stime, in µs, of /proc/<pid>/stat or /proc/<pid>/task/<pid>/stat (`sys`: stime only). */
function cpuUs(path: string, sys = false): number {
  const text = readFileSync(path, 'utf8')
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return ((sys ? 0 : Number(fields[11])) + Number(fields[12])) * TICK_US
}

interface Server {
  name: string
  url: string
  pid: number
  stop(): Promise<void>
}

async function launch(
  name: string,
  args: string[],
  env: Record<string, string>,
  port: number,
  readyPath: string,
  cwd = process.cwd(),
): Promise<Server> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  children.push(child)
  child.stdout!.resume()
  const url = `http://127.0.0.1:${port}`
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}`)
    if (
      await fetch(url + readyPath).then(
        (r) => r.status === 200,
        () => false,
      )
    )
      break
    await sleep(5)
  }
  return {
    name,
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    },
  }
}

const startFlags = (root: string) =>
  /exec node (.*?)\s*dist\/server\/main\.js/
    .exec(
      (
        JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
          scripts: { start: string }
        }
      ).scripts.start,
    )![1]!
    .split(/\s+/)
    .filter(Boolean)

async function mock(root: string, level: string): Promise<Server> {
  const port = await freePort()
  const data = join(dir, `data-${port}`)
  mkdirSync(data)
  const extra = (process.env.MOCK_NODE_FLAGS ?? '').split(' ').filter(Boolean)
  return launch(
    `${root === process.cwd() ? '.' : root} ${level}`,
    [...startFlags(root), ...extra, join(root, 'dist/server/main.js')],
    { PORT: String(port), HTTPS_PORT: 'off', STYTCH_MOCK_DATA_DIR: data, LOG_LEVEL: level },
    port,
    `/v1/sessions/jwks/${PROJECT}`,
    root,
  )
}

interface Req {
  method: 'GET' | 'POST'
  path: string
  headers: Record<string, string>
  body?: string
}

/** One measured load: µs of main-thread and of whole-process CPU per answered request. */
async function measure(server: Server, requests: Req[]) {
  const main = `/proc/${server.pid}/task/${server.pid}/stat`
  const all = `/proc/${server.pid}/stat`
  const m0 = cpuUs(main)
  const s0 = cpuUs(main, true)
  const a0 = cpuUs(all)
  const r = await runClient({
    url: server.url,
    connections: CONNECTIONS,
    seconds: SECONDS,
    requests,
    ...(RATE ? { rate: RATE } : {}),
  })
  const m1 = cpuUs(main)
  const s1 = cpuUs(main, true)
  const a1 = cpuUs(all)
  const n = r.total ?? r.rps * SECONDS
  if (r.errors + r.non2xx > 0) throw new Error(`${server.name}: ${r.errors + r.non2xx} failures`)
  return { main: (m1 - m0) / n, sys: (s1 - s0) / n, all: (a1 - a0) / n, rps: r.rps, p99: r.p99 }
}

async function post(url: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: HEADERS,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

async function seed(url: string, count: number) {
  const out: { session_token: string; session_jwt: string }[] = []
  for (let i = 0; i < count; i += 16)
    out.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(16, count - i) }, (_, k) =>
          post(url, '/_mock/sessions', {
            email: `bench-${(i + k) % 100}@example.com`,
            session_duration_minutes: 527040,
          }),
        ),
      )),
    )
  return out
}

const SCENARIOS = ['token', 'jwt', 'jwks', 'sdk'] as const
type Scenario = (typeof SCENARIOS)[number]

async function main() {
  const wanted = (process.argv.slice(2) as Scenario[]).filter((s) => SCENARIOS.includes(s))
  const scenarios = wanted.length ? wanted : [...SCENARIOS]
  const mocks: { server: Server; tokens: string[]; jwts: string[] }[] = []
  for (const root of DIRS)
    for (const level of LEVELS) {
      const server = await mock(root, level)
      const seeded = await seed(server.url, 1000)
      mocks.push({
        server,
        tokens: seeded.map((s) => s.session_token),
        jwts: seeded.map((s) => s.session_jwt),
      })
    }
  const jwksPath = `/v1/sessions/jwks/${PROJECT}`
  const documentFile = join(dir, 'jwks.json')
  writeFileSync(documentFile, await (await fetch(mocks[0]!.server.url + jwksPath)).text())
  const floorPort = await freePort()
  const floor = await launch(
    'floor',
    ['--import', 'tsx', 'bench/floor.ts', String(floorPort), documentFile],
    {},
    floorPort,
    '/ready',
  )
  const post1 = (path: string, body: object, headers: Record<string, string> = HEADERS): Req => ({
    method: 'POST',
    path,
    headers,
    body: JSON.stringify(body),
  })
  const requestsFor = (s: Scenario, m: (typeof mocks)[number]): Req[] => {
    switch (s) {
      case 'token':
        return m.tokens.map((t) => post1('/v1/sessions/authenticate', { session_token: t }))
      case 'jwt':
        return m.jwts.map((j) => post1('/v1/sessions/authenticate', { session_jwt: j }))
      case 'jwks':
        return [{ method: 'GET', path: jwksPath, headers: {} }]
      case 'sdk':
        return m.tokens.map((t) =>
          post1(
            '/sdk/v1/sessions/authenticate',
            {},
            {
              'content-type': 'application/json',
              authorization: 'Basic ' + Buffer.from(`${PUBLIC_TOKEN}:${t}`).toString('base64'),
              origin: 'http://localhost:3000',
            },
          ),
        )
    }
  }
  const floorPost = mocks[0]!.tokens.map((t) => post1('/floor', { session_token: t }))
  const floorGet: Req[] = [{ method: 'GET', path: '/floor', headers: {} }]

  // Warm-up, not counted.
  await measure(floor, floorPost)
  await measure(floor, floorGet)
  for (const s of scenarios) for (const m of mocks) await measure(m.server, requestsFor(s, m))

  const results = new Map<
    string,
    { main: number[]; sys: number[]; all: number[]; rps: number[]; p99: number[] }
  >()
  const note = (name: string, r: Awaited<ReturnType<typeof measure>>) => {
    const x = results.get(name) ?? { main: [], sys: [], all: [], rps: [], p99: [] }
    x.main.push(r.main)
    x.sys.push(r.sys)
    x.all.push(r.all)
    x.rps.push(r.rps)
    x.p99.push(r.p99)
    results.set(name, x)
  }
  for (let round = 1; round <= ROUNDS; round++)
    for (const s of scenarios) {
      const order = [
        ...mocks.map(
          (m) => () =>
            measure(m.server, requestsFor(s, m)).then((r) => note(`${s} ${m.server.name}`, r)),
        ),
        () =>
          measure(floor, s === 'jwks' ? floorGet : floorPost).then((r) => note(`${s} floor`, r)),
      ]
      for (const run of round % 2 ? order : order.reverse()) await run()
    }
  console.log(
    `CPU per request, median of ${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections${RATE ? `, ${RATE} req/s` : ''}`,
  )
  console.log(
    '| scenario | server | main thread µs (min) | of it, system | process µs | req/s | p99 ms | main vs floor |',
  )
  console.log('|---|---|---|---|---|---|---|---|')
  for (const s of scenarios) {
    const f = median(results.get(`${s} floor`)!.main)
    for (const [name, x] of results)
      if (name.startsWith(`${s} `))
        console.log(
          `| ${s} | ${name.slice(s.length + 1)} | ${median(x.main).toFixed(1)} (${Math.min(...x.main).toFixed(1)}) | ${median(x.sys).toFixed(1)} | ${median(x.all).toFixed(1)} | ${Math.round(median(x.rps))} | ${median(x.p99)} | ${(median(x.main) / f).toFixed(2)}× |`,
        )
  }
  await Promise.all([floor, ...mocks.map((m) => m.server)].map((s) => s.stop()))
}

await main()
process.exit(0)
