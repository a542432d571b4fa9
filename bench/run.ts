// npm run bench: the production entry point under load over loopback. Every figure is a ratio
// against a baseline measured in the same run: each load scenario alternates with the framework
// floor (bench/floor.ts), medians of several rounds. Bounded: fixed durations, 10 connections,
// loopback only; everything it starts, it stops.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3)
const CONNECTIONS = 10
const PROJECT = 'project-test-11111111-1111-4111-8111-111111111111'
const SECRET = 'secret-test-stytch-mock-local-only-00000000000='
const PUBLIC_TOKEN = 'public-token-test-11111111-1111-4111-8111-111111111111'
const AUTH = 'Basic ' + Buffer.from(`${PROJECT}:${SECRET}`).toString('base64')
const BIG = 100_000
const dir = mkdtempSync(join(tmpdir(), 'stytch-mock-bench-'))
const children: ChildProcess[] = []
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => done(port))
    })
  })
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024

interface Server {
  url: string
  pid: number
  startMs: number
  stop(): Promise<void>
}

/** Spawns a server; resolves when `readyPath` first answers 200 (startMs: spawn to that 200). */
async function launch(
  args: string[],
  env: Record<string, string>,
  port: number,
  readyPath: string,
): Promise<Server> {
  const started = performance.now()
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  children.push(child)
  const url = `http://127.0.0.1:${port}`
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}`)
    const ok = await fetch(url + readyPath).then(
      (r) => r.status === 200,
      () => false,
    )
    if (ok) break
    await sleep(1)
  }
  const startMs = performance.now() - started
  const stop = async () => {
    if (child.exitCode !== null) return
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
  }
  return { url, pid: child.pid!, startMs, stop }
}

const mock = async (extra: Record<string, string> = {}) => {
  const port = await freePort()
  const env = {
    PORT: String(port),
    HTTPS_PORT: 'off',
    LOG_LEVEL: 'silent',
    STYTCH_MOCK_DATA_DIR: join(dir, 'data'),
    ...extra,
  }
  return launch(['dist/server/main.js'], env, port, `/v1/sessions/jwks/${PROJECT}`)
}

async function post(url: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

interface Load {
  rps: number
  p99: number
  errors: number
}

/** One bounded autocannon run; `make(i)` gives the i-th request's body and extra headers. */
async function load(
  url: string,
  method: 'GET' | 'POST',
  path: string,
  make?: (i: number) => { body?: string; headers?: Record<string, string> },
): Promise<Load> {
  let i = 0
  const result = await autocannon({
    url: url + path,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method,
        headers: { 'content-type': 'application/json', authorization: AUTH },
        ...(make
          ? {
              setupRequest: (req: any) => {
                const { body, headers } = make(i++)
                return {
                  ...req,
                  ...(body === undefined ? {} : { body }),
                  headers: { ...req.headers, ...headers },
                }
              },
            }
          : {}),
      },
    ],
  })
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  }
}

/** Seeds `count` sessions through POST /_mock/sessions, `concurrency` at a time, over 1,000 users. */
async function seed(url: string, count: number, concurrency: number): Promise<string[]> {
  const tokens: string[] = new Array(count)
  let next = 0
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const s = await post(url, '/_mock/sessions', {
        email: `big-${i % 1000}@example.com`,
        session_duration_minutes: 527040,
      })
      tokens[i] = s.session_token
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return tokens
}

async function main() {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`
  console.log(
    `stytch-mock bench: ${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections, ${machine}`,
  )
  mkdirSync(join(dir, 'data'), { recursive: true })

  const floorPort = await freePort()
  const floor = await launch(
    ['--import', 'tsx', 'bench/floor.ts', String(floorPort)],
    {},
    floorPort,
    '/ready',
  )
  const small = await mock()
  const seeded = await Promise.all(
    Array.from({ length: 1000 }, (_, i) =>
      post(small.url, '/_mock/sessions', {
        email: `bench-${i % 100}@example.com`,
        session_duration_minutes: 527040,
      }),
    ),
  )
  const tokens = seeded.map((s) => s.session_token as string)
  const jwts = seeded.map((s) => s.session_jwt as string)
  const big = await mock({ STYTCH_MOCK_DB: join(dir, 'big.db') })
  const seedStarted = performance.now()
  const bigTokens = await seed(big.url, BIG, 16)
  const seedSeconds = (performance.now() - seedStarted) / 1000
  const bigRss = rssMb(big.pid)
  // The same access pattern as the 1,000-session scenario (1,000 sessions, round robin), spread
  // over the whole 100,000-row table: what changes is only the size of the store.
  const spread = Array.from({ length: 1000 }, (_, i) => bigTokens[i * (BIG / 2 / 1000)]!)
  const fixtureUser = 'user-test-0f8e6de5-a3b0-48eb-84e0-f087aa776313'
  // Revokes take tokens from the upper half only (the spread above is in the lower half), and
  // each round starts from this snapshot again: a fast round must not run out of live sessions.
  const bigSnapshot = (await post(big.url, '/_mock/snapshots')).snapshot_id as string
  let revokeNext = BIG / 2

  const scenarios: { name: string; run: () => Promise<Load> }[] = [
    {
      name: 'authenticate by session_token (1,000 sessions)',
      run: () =>
        load(small.url, 'POST', '/v1/sessions/authenticate', (i) => ({
          body: JSON.stringify({ session_token: tokens[i % 1000] }),
        })),
    },
    {
      name: 'authenticate by session_jwt',
      run: () =>
        load(small.url, 'POST', '/v1/sessions/authenticate', (i) => ({
          body: JSON.stringify({ session_jwt: jwts[i % 1000] }),
        })),
    },
    {
      name: 'authenticate with session_duration_minutes',
      run: () =>
        load(small.url, 'POST', '/v1/sessions/authenticate', (i) => ({
          body: JSON.stringify({
            session_token: tokens[i % 1000],
            session_duration_minutes: 527040,
          }),
        })),
    },
    {
      name: 'GET /v1/sessions/jwks/{project_id}',
      run: () => load(small.url, 'GET', `/v1/sessions/jwks/${PROJECT}`),
    },
    {
      name: 'POST /_mock/sessions (create)',
      run: () =>
        load(small.url, 'POST', '/_mock/sessions', () => ({
          body: JSON.stringify({ user_id: fixtureUser }),
        })),
    },
    {
      name: 'POST /v1/sessions/revoke',
      run: async () => {
        revokeNext = BIG / 2
        const revoked = await load(big.url, 'POST', '/v1/sessions/revoke', () => ({
          body: JSON.stringify({ session_token: bigTokens[revokeNext++]! }),
        }))
        if (revokeNext > BIG) throw new Error('the revoke pool ran out: raise BIG')
        await post(big.url, `/_mock/snapshots/${bigSnapshot}/restore`)
        return revoked
      },
    },
    {
      name: 'POST /sdk/v1/sessions/authenticate',
      run: () =>
        load(small.url, 'POST', '/sdk/v1/sessions/authenticate', (i) => ({
          body: '{}',
          headers: {
            authorization:
              'Basic ' + Buffer.from(`${PUBLIC_TOKEN}:${tokens[i % 1000]}`).toString('base64'),
            origin: 'http://localhost:3000',
          },
        })),
    },
    {
      name: 'authenticate by token, 100,000 sessions, file DB',
      run: () =>
        load(big.url, 'POST', '/v1/sessions/authenticate', (i) => ({
          body: JSON.stringify({ session_token: spread[i % 1000] }),
        })),
    },
  ]

  // Warm-up, not counted: JIT, connection pools, SQLite page cache.
  await load(floor.url, 'POST', '/floor', (i) => ({
    body: JSON.stringify({ session_token: tokens[i % 1000] }),
  }))
  await load(small.url, 'POST', '/v1/sessions/authenticate', (i) => ({
    body: JSON.stringify({ session_token: tokens[i % 1000] }),
  }))

  const floorRuns = new Map<string, number[]>()
  const runs = new Map<string, Load[]>()
  for (let round = 1; round <= ROUNDS; round++) {
    for (const s of scenarios) {
      const f = await load(floor.url, 'POST', '/floor', (i) => ({
        body: JSON.stringify({ session_token: tokens[i % 1000] }),
      }))
      const r = await s.run()
      floorRuns.set(s.name, [...(floorRuns.get(s.name) ?? []), f.rps])
      runs.set(s.name, [...(runs.get(s.name) ?? []), r])
      process.stdout.write(
        `  round ${round}: ${s.name}: ${Math.round(r.rps)} req/s (floor ${Math.round(f.rps)})\n`,
      )
    }
  }

  // Reset, measured from the client (HTTP round trip included), against the bundled fixtures.
  const resetMs: number[] = []
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now()
    await post(small.url, '/_mock/reset')
    resetMs.push(performance.now() - t0)
  }

  // Start-up: spawn to the first 200 on JWKS, alternating with a bare node:http server.
  const bareMs: number[] = []
  const mockMs: number[] = []
  const bare = `require('node:http').createServer((q, s) => { s.setHeader('content-type', 'application/json'); s.end('{}') }).listen(Number(process.argv[1]), '127.0.0.1')`
  for (let i = 0; i < 10; i++) {
    const p = await freePort()
    const b = await launch(['-e', bare, String(p)], {}, p, '/')
    bareMs.push(b.startMs)
    await b.stop()
    const m = await mock()
    mockMs.push(m.startMs)
    await m.stop()
  }

  const stat = (name: string) => {
    const r = runs.get(name)!
    return {
      rps: median(r.map((x) => x.rps)),
      p99: median(r.map((x) => x.p99)),
      floor: median(floorRuns.get(name)!),
      errors: r.reduce((n, x) => n + x.errors, 0),
    }
  }
  const rows: {
    scenario: string
    figure: string
    ratio: string
    target: string
    ok: boolean | null
  }[] = []
  const ratioRow = (name: string, target: number | null, extra = '') => {
    const s = stat(name)
    const ratio = s.rps / s.floor
    rows.push({
      scenario: name,
      figure: `${Math.round(s.rps)} req/s, p99 ${s.p99} ms${s.errors ? `, ${s.errors} errors` : ''}`,
      ratio: `${(ratio * 100).toFixed(0)}% of floor (${Math.round(s.floor)} req/s)`,
      target: target === null ? '' : `≥ ${target * 100}%${extra}`,
      ok: target === null ? s.errors === 0 : ratio >= target && s.errors === 0,
    })
    return s
  }
  const byToken = ratioRow('authenticate by session_token (1,000 sessions)', 0.2, ', p99 < 10 ms')
  rows.at(-1)!.ok = rows.at(-1)!.ok! && byToken.p99 < 10
  ratioRow('authenticate by session_jwt', 0.15)
  ratioRow('authenticate with session_duration_minutes', null)
  ratioRow('GET /v1/sessions/jwks/{project_id}', 0.6)
  ratioRow('POST /_mock/sessions (create)', null)
  ratioRow('POST /v1/sessions/revoke', null)
  ratioRow('POST /sdk/v1/sessions/authenticate', null)
  const bigStat = ratioRow('authenticate by token, 100,000 sessions, file DB', null)
  const bigVsSmall = bigStat.rps / byToken.rps
  rows.push({
    scenario: '100,000 vs 1,000 sessions',
    figure: `${Math.round(bigStat.rps)} vs ${Math.round(byToken.rps)} req/s`,
    ratio: `${(bigVsSmall * 100).toFixed(0)}%`,
    target: '≥ 80%',
    ok: bigVsSmall >= 0.8,
  })
  rows.push({
    scenario: 'resident memory, 100,000 sessions (file DB)',
    figure: `${bigRss.toFixed(0)} MB (seeded through /_mock in ${seedSeconds.toFixed(0)} s)`,
    ratio: '',
    target: '< 200 MB',
    ok: bigRss < 200,
  })
  const startRatio = median(mockMs) / median(bareMs)
  rows.push({
    scenario: 'start to first 200 on JWKS (median of 10)',
    figure: `${median(mockMs).toFixed(0)} ms vs bare node:http ${median(bareMs).toFixed(0)} ms`,
    ratio: `${startRatio.toFixed(2)}×`,
    target: '≤ 2.5×',
    ok: startRatio <= 2.5,
  })
  rows.push({
    scenario: 'POST /_mock/reset (median of 50, bundled fixtures)',
    figure: `${median(resetMs).toFixed(2)} ms`,
    ratio: '',
    target: '< 20 ms',
    ok: median(resetMs) < 20,
  })

  await Promise.all([floor.stop(), small.stop(), big.stop()])
  console.log('')
  console.log('| scenario | measured | ratio | target | |')
  console.log('|---|---|---|---|---|')
  for (const r of rows)
    console.log(
      `| ${r.scenario} | ${r.figure} | ${r.ratio} | ${r.target} | ${r.ok === null ? '' : r.ok ? 'met' : 'MISSED'} |`,
    )
  mkdirSync('bench', { recursive: true })
  writeFileSync(
    'bench/results.json',
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine,
        rounds: ROUNDS,
        seconds: SECONDS,
        connections: CONNECTIONS,
        rows,
      },
      null,
      2,
    ),
  )
  console.log('\nwritten: bench/results.json')
}

await main()
process.exit(0)
