// npm run soak: a bounded 60-second mixed load on the production entry point over loopback.
// Passes when no request fails and resident memory is flat after warm-up (< 10% growth).
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60)
const WARMUP = Math.min(20, SECONDS / 3)
const WORKERS = 10
const PROJECT = 'project-test-11111111-1111-4111-8111-111111111111'
const AUTH =
  'Basic ' +
  Buffer.from(`${PROJECT}:secret-test-stytch-mock-local-only-00000000000=`).toString('base64')
const PUBLIC_TOKEN = 'public-token-test-11111111-1111-4111-8111-111111111111'

const port = await new Promise<number>((done) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as { port: number }).port
    s.close(() => done(p))
  })
})
const url = `http://127.0.0.1:${port}`
const child = spawn(process.execPath, ['dist/server/main.js'], {
  env: { ...process.env, PORT: String(port), HTTPS_PORT: 'off', LOG_LEVEL: 'error' },
  stdio: ['ignore', 'inherit', 'inherit'],
})
process.on('exit', () => child.kill('SIGKILL'))
const rssMb = () =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024
for (;;) {
  if (
    await fetch(`${url}/_mock/health`).then(
      (r) => r.ok,
      () => false,
    )
  )
    break
  await new Promise((r) => setTimeout(r, 10))
}

const call = async (method: string, path: string, body?: unknown, authorization = AUTH) => {
  const res = await fetch(url + path, {
    method,
    headers: { authorization, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const json = (await res.json()) as any
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${json.error_type}`)
  return json
}

const pool = await Promise.all(
  Array.from({ length: 500 }, (_, i) =>
    call('POST', '/_mock/sessions', {
      email: `soak-${i % 50}@example.com`,
      session_duration_minutes: 527040,
    }),
  ),
)
let requests = 0
const errors: string[] = []
const samples: { t: number; rss: number }[] = []
const started = performance.now()
const elapsed = () => (performance.now() - started) / 1000

const step = async () => {
  const s = pool[Math.floor(Math.random() * pool.length)]
  const roll = Math.random()
  if (roll < 0.55)
    await call('POST', '/v1/sessions/authenticate', { session_token: s.session_token })
  else if (roll < 0.7)
    await call('POST', '/v1/sessions/authenticate', {
      session_jwt: s.session_jwt,
      session_duration_minutes: 527040,
    })
  else if (roll < 0.8) {
    // A create and a revoke: the store keeps its size, so memory should too.
    const made = await call('POST', '/_mock/sessions', {
      email: `churn-${requests % 100}@example.com`,
      custom_claims: { n: requests },
    })
    await call('POST', '/v1/sessions/revoke', { session_token: made.session_token })
    requests++
  } else if (roll < 0.9) await call('GET', `/v1/sessions/jwks/${PROJECT}`)
  else
    await call(
      'POST',
      '/sdk/v1/sessions/authenticate',
      {},
      'Basic ' + Buffer.from(`${PUBLIC_TOKEN}:${s.session_token}`).toString('base64'),
    )
  requests++
}

const sampler = setInterval(() => samples.push({ t: elapsed(), rss: rssMb() }), 1000)
await Promise.all(
  Array.from({ length: WORKERS }, async () => {
    while (elapsed() < SECONDS) {
      try {
        await step()
      } catch (err) {
        errors.push(String(err))
      }
    }
  }),
)
clearInterval(sampler)
child.kill('SIGTERM')

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN
const afterWarmup = median(
  samples.filter((s) => s.t >= WARMUP && s.t < WARMUP + 10).map((s) => s.rss),
)
const atEnd = median(samples.filter((s) => s.t >= SECONDS - 10).map((s) => s.rss))
const growth = (atEnd - afterWarmup) / afterWarmup
console.log(`soak: ${SECONDS} s, ${WORKERS} workers, ${requests} requests, ${errors.length} errors`)
console.log(
  `resident memory: ${afterWarmup.toFixed(0)} MB after warm-up, ${atEnd.toFixed(0)} MB at the end (${(growth * 100).toFixed(1)}% growth; limit 10%)`,
)
for (const e of errors.slice(0, 5)) console.log(`  error: ${e}`)
const ok = errors.length === 0 && growth < 0.1
console.log(ok ? 'soak: passed' : 'soak: FAILED')
process.exit(ok ? 0 : 1)
