// Schemathesis (PyPI, pinned in requirements.txt, installed once into a cached virtualenv) against
// the built mock on free loopback ports with a fresh in-memory database, as a client that knows
// only openapi.yaml: every response must have a declared status, content type and body, no
// request may meet a 5xx, a schema-valid request may not be refused as malformed, and no
// operation may refuse most of the schema-valid requests it gets as invalid.
//
// `st` runs once per credential (Schemathesis keeps one HTTP session per worker, with the first
// operation's credentials, so per-operation credentials do not mix within a run): the project's
// Basic credentials for /v1, /_mock and the routes that need none; the consumer public token for
// /sdk/v1; the B2B public token for /sdk/v1/b2b; then /_mock/faults alone, last, as the faults it
// adds change what /v1 and /sdk/v1 answer. Settings and exclusions: schemathesis.toml; the
// refusal count: hooks.py. Bounded by examples per operation (not by time, which would make the
// number of requests depend on the machine) with a fixed seed; a run over the time budget fails.
//
// FUZZ_SEED=<n> or FUZZ_SEED=random, FUZZ_MAX_EXAMPLES=<n> to explore; reports (st's output,
// JUnit, refusal counts) go to FUZZ_REPORT_DIR, by default <tmpdir>/stytch-mock-fuzz.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, waitFor } from '../helpers/ports.js'
import { specOperations } from '../helpers/spec.js'
import { ensureVenv } from '../helpers/venv.js'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../..', import.meta.url))
const here = join(root, 'test/fuzz')
const venv = join(
  process.env.XDG_CACHE_HOME || join(homedir(), '.cache'),
  'stytch-mock/schemathesis-venv',
)
const reportDir = process.env.FUZZ_REPORT_DIR || join(tmpdir(), 'stytch-mock-fuzz')

const SEED =
  process.env.FUZZ_SEED === 'random'
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(process.env.FUZZ_SEED ?? 20_251_206)
const MAX_EXAMPLES = Number(process.env.FUZZ_MAX_EXAMPLES ?? 100)
/**
 * For all four runs together, per operation in the spec, so it grows with the API: Schemathesis
 * spends about 1.2-1.5 s an operation on 2 cores at 100 examples (most of it its own work; 426 s
 * for 354 operations), and CI's machine has been a third slower than that. The budget is there to
 * stop a run that hangs, not to time the mock (that is `npm run bench`'s job).
 */
const SECONDS_PER_OPERATION = 2.5
const OPERATIONS = specOperations().length
const TIME_BUDGET_MS = Math.round(OPERATIONS * SECONDS_PER_OPERATION * 1000)

// The mock's credentials, set here rather than taken from its defaults.
const PROJECT_ID = 'project-test-11111111-1111-4111-8111-111111111111'
const SECRET = 'secret-test-stytch-mock-local-only-00000000000='
const PUBLIC_TOKEN = 'public-token-test-11111111-1111-4111-8111-111111111111'
const B2B_PUBLIC_TOKEN = 'public-token-test-22222222-2222-4222-8222-222222222222'

const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'positive_data_acceptance',
  'validation_refusals', // hooks.py
]

/** One `st run` per credential; together they select every operation, each once. */
const RUNS = [
  {
    name: 'project',
    auth: `${PROJECT_ID}:${SECRET}`,
    filter: ['--exclude-path-regex', '^/(sdk/v1/|_mock/faults)'],
  },
  {
    name: 'consumer',
    auth: `${PUBLIC_TOKEN}:${PUBLIC_TOKEN}`,
    filter: ['--include-path-regex', '^/sdk/v1/(?!b2b/)'],
  },
  {
    name: 'b2b',
    auth: `${B2B_PUBLIC_TOKEN}:${B2B_PUBLIC_TOKEN}`,
    filter: ['--include-path-regex', '^/sdk/v1/b2b/'],
  },
  {
    name: 'faults',
    auth: `${PROJECT_ID}:${SECRET}`,
    filter: ['--include-path-regex', '^/_mock/faults'],
  },
] as const

/** What each check guards, and the Schemathesis failure codes it reports. */
const GUARDS = [
  { check: 'not_a_server_error', what: 'no request meets a 5xx', codes: ['ST101', 'ST102'] },
  { check: 'status_code_conformance', what: 'every status is declared', codes: ['ST103'] },
  {
    check: 'content_type_conformance',
    what: 'every content type is declared',
    codes: ['ST104', 'ST105', 'ST106'],
  },
  {
    check: 'response_schema_conformance',
    what: 'every body matches its declared schema',
    codes: ['ST108', 'ST109', 'ST110', 'ST111'],
  },
  {
    check: 'positive_data_acceptance',
    what: 'no schema-valid request is refused with 400 or 422',
    codes: ['ST202'],
  },
  {
    check: 'validation_refusals',
    what: 'no operation refuses most of its schema-valid requests as invalid',
    codes: ['ST901'],
  },
]

interface Failure {
  run: string
  operation: string
  codes: string[]
  titles: string[]
  response: string
  curl: string
  text: string
}
interface Refusals {
  operation: string
  positive: number
  informative: number
  refused: number
  rate: number
  statuses: Record<string, number>
  example: string | null
  run?: string
}
interface RunResult {
  name: string
  exitCode: number | null
  timedOut: boolean
  output: string
  failures: Failure[]
  /** JUnit <error> elements: Schemathesis could not test an operation. */
  errors: string[]
  tested: string[]
  refusals: Refusals[]
}

let mock: ChildProcess | undefined
let mockLog = ''
let mockExit: number | string | null = null
let url = ''
let dataDir = ''
const results: RunResult[] = []

/** The built CLI (built first if a source changed), on free loopback ports, its own data dir. */
async function startMock(): Promise<void> {
  await run(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: root, timeout: 120_000 })
  const port = await freePort()
  const httpsPort = await freePort()
  dataDir = mkdtempSync(join(tmpdir(), 'stytch-mock-fuzz-'))
  // Nothing from the caller's environment configures this mock.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(STYTCH_|PORT$|HOST$|HTTPS_PORT$|LOG_LEVEL$)/.test(k),
    ),
  )
  mock = spawn(process.execPath, ['dist/server/main.js'], {
    cwd: root,
    env: {
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      HTTPS_PORT: String(httpsPort), // so /_mock/ca.pem has a CA to serve
      STYTCH_MOCK_DB: ':memory:',
      STYTCH_MOCK_DATA_DIR: dataDir,
      STYTCH_PROJECT_ID: PROJECT_ID,
      STYTCH_SECRET: SECRET,
      STYTCH_PUBLIC_TOKEN: PUBLIC_TOKEN,
      STYTCH_B2B_PUBLIC_TOKEN: B2B_PUBLIC_TOKEN,
      LOG_LEVEL: 'error', // unexpected errors only, with their stack
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  mock.stdout!.on('data', (d: Buffer) => (mockLog += d.toString()))
  mock.stderr!.on('data', (d: Buffer) => (mockLog += d.toString()))
  mock.once('exit', (code, signal) => (mockExit = code ?? signal))
  url = `http://127.0.0.1:${port}`
  await waitFor(
    `the mock answering ${url}/_mock/health\n${mockLog}`,
    async () => {
      if (mockExit !== null) throw new Error(`the mock exited (${mockExit}):\n${mockLog}`)
      return fetch(`${url}/_mock/health`).then(
        (r) => r.ok,
        () => false,
      )
    },
    30_000,
  )
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&')

/** Schemathesis's JUnit report: per operation, each failing test case with its checks. */
function parseJunit(xml: string, runName: string) {
  const failures: Failure[] = []
  const errors: string[] = []
  const tested: string[] = []
  for (const m of xml.matchAll(/<testcase name="([^"]*)"[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const operation = unescapeXml(m[1]!)
    if (operation !== 'Run checks') tested.push(operation)
    const body = m[2] ?? ''
    for (const e of body.matchAll(/<error\b[^>]*>([\s\S]*?)<\/error>|<error\b[^>]*\/>/g))
      errors.push(`${operation}: ${unescapeXml(e[1] ?? e[0]).trim()}`)
    for (const f of body.matchAll(/<failure\b[^>]*>([\s\S]*?)<\/failure>/g)) {
      const text = unescapeXml(f[1]!)
      // One block per failing test case; an after-run check's has no test case id.
      const blocks = text.split(/^\d+\. Test Case ID: \S+$/m).filter((b) => /^- ST\d{3}/m.test(b))
      for (const block of blocks) {
        const checks = [...block.matchAll(/^- (ST\d{3}) (.*)$/gm)]
        const status = /^\[(\d{3})\] [^\n]*:\n\n\s*(.*)$/m.exec(block)
        failures.push({
          run: runName,
          operation,
          codes: checks.map((c) => c[1]!),
          titles: checks.map((c) => c[2]!.trim()),
          response: status ? `${status[1]} ${status[2]!.slice(0, 300)}` : '',
          curl: /^Reproduce with:\n\n\s*(.*)$/m.exec(block)?.[1] ?? '',
          text: block.trim(),
        })
      }
    }
  }
  return { failures, errors, tested }
}

/** One `st run`, killed when it outlasts `ms`. */
async function runSchemathesis(
  st: string,
  spec: (typeof RUNS)[number],
  ms: number,
): Promise<RunResult> {
  const junit = join(reportDir, `${spec.name}.junit.xml`)
  const refusalsFile = join(reportDir, `${spec.name}.refusals.json`)
  const args = [
    '--config-file',
    join(here, 'schemathesis.toml'),
    'run',
    join(root, 'openapi.yaml'),
    '--url',
    url,
    '--auth',
    spec.auth,
    ...spec.filter,
    '--checks',
    CHECKS.join(','),
    '--phases',
    'examples,coverage,fuzzing',
    '--max-examples',
    String(MAX_EXAMPLES),
    '--seed',
    String(SEED),
    '--report',
    'junit',
    '--report-junit-path',
    junit,
    '--no-color',
  ]
  const child = spawn(st, args, {
    cwd: here, // hooks.py is found relative to it
    env: {
      ...process.env,
      FUZZ_PROJECT_ID: PROJECT_ID,
      FUZZ_PUBLIC_TOKEN: PUBLIC_TOKEN,
      FUZZ_B2B_PUBLIC_TOKEN: B2B_PUBLIC_TOKEN,
      FUZZ_REFUSALS_REPORT: refusalsFile,
      // Hypothesis's caches in this test's report folder, which starts empty: not in the checkout,
      // and nothing from an earlier test run.
      HYPOTHESIS_STORAGE_DIRECTORY: join(reportDir, 'hypothesis'),
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    child.kill('SIGINT') // st stops and reports; SIGKILL if it does not
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref()
  }, ms)
  const [exitCode] = (await once(child, 'exit')) as [number | null]
  clearTimeout(timer)
  writeFileSync(join(reportDir, `${spec.name}.txt`), `st ${args.join(' ')}\n\n${output}`)
  const parsed = existsSync(junit)
    ? parseJunit(readFileSync(junit, 'utf8'), spec.name)
    : { failures: [], errors: [`no JUnit report:\n${output.slice(-3000)}`], tested: [] }
  const refusals: Refusals[] = existsSync(refusalsFile)
    ? (JSON.parse(readFileSync(refusalsFile, 'utf8')) as Refusals[])
    : []
  return { name: spec.name, exitCode, timedOut, output, ...parsed, refusals }
}

/** Failures of these codes, grouped by operation, one example each. */
function failuresOf(codes: string[]): string {
  const byOperation = new Map<string, Failure[]>()
  for (const f of results.flatMap((r) => r.failures)) {
    if (!f.codes.some((c) => codes.includes(c))) continue
    const key = `${f.operation} [${f.run}]`
    byOperation.set(key, [...(byOperation.get(key) ?? []), f])
  }
  return [...byOperation]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, list]) => {
      const f = list[0]!
      if (f.codes.includes('ST901')) return `${key}:\n${f.text}`
      return `${key}: ${list.length} distinct; ${f.titles.join(', ')}\n  ${f.response}\n  ${f.curl}`
    })
    .join('\n')
}

function refusalTable(): string {
  const rows = results
    .flatMap((r) => r.refusals.map((row) => ({ ...row, run: r.name })))
    .sort(
      (a, b) => b.rate - a.rate || b.refused - a.refused || a.operation.localeCompare(b.operation),
    )
  const refusing = rows.filter((r) => r.refused > 0)
  const unreached = rows.filter((r) => r.informative === 0)
  const clean = rows.length - refusing.length - unreached.length
  return [
    'Schema-valid requests refused as invalid (400 invalid_argument or bad_request), of those that',
    'reached the operation (answered other than 401, 403, 429 or 5xx), worst first:',
    ...refusing.map(
      (r) =>
        `${(r.rate * 100).toFixed(0).padStart(4)}% ${String(r.refused).padStart(4)}/${String(r.informative).padEnd(4)}` +
        ` ${r.operation} [${r.run}]`,
    ),
    `None refused: ${clean} operations.`,
    `Every schema-valid request answered 401/403/429/5xx: ${unreached.map((r) => `${r.operation} [${r.run}]`).join(', ') || 'none'}.`,
  ].join('\n')
}

/** Fails the test with `text` as the message when there is any. */
function none(text: string): void {
  if (text) throw new Error(`\n${text}`)
}

beforeAll(async () => {
  rmSync(reportDir, { recursive: true, force: true })
  mkdirSync(reportDir, { recursive: true })
  const st = join(await ensureVenv(venv, join(here, 'requirements.txt'), 'fuzz'), 'bin/st')
  await startMock()
  const deadline = Date.now() + TIME_BUDGET_MS
  const started = Date.now()
  for (const spec of RUNS) {
    const result = await runSchemathesis(st, spec, Math.max(deadline - Date.now(), 1_000))
    results.push(result)
    if (result.timedOut) break
  }
  const table = refusalTable()
  writeFileSync(join(reportDir, 'refusals.txt'), `${table}\n`)
  console.log(
    `fuzz: Schemathesis, seed ${SEED}, ${MAX_EXAMPLES} examples per operation, ` +
      `${results.reduce((n, r) => n + r.tested.length, 0)} operations in ` +
      `${Math.round((Date.now() - started) / 1000)} s of a ${TIME_BUDGET_MS / 1000} s budget ` +
      `(${OPERATIONS} in the spec); reports in ${reportDir}\n${table}`,
  )
}, TIME_BUDGET_MS + 300_000) // and the virtualenv, the build and the mock's start

afterAll(async () => {
  if (mock && mockExit === null) {
    mock.kill('SIGTERM')
    await once(mock, 'exit')
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

describe('Schemathesis against the running mock', () => {
  it('every run finished within the time budget, tested operations and reported no errors', () => {
    const problems = RUNS.map((spec) => {
      const r = results.find((x) => x.name === spec.name)
      if (!r) return `${spec.name}: not run (the time budget ran out before it)`
      if (r.timedOut) return `${r.name}: still running after the ${TIME_BUDGET_MS / 1000} s budget`
      if (r.exitCode !== 0 && r.exitCode !== 1)
        return `${r.name}: st exited ${r.exitCode}\n${r.output.slice(-3000)}`
      if (r.tested.length === 0) return `${r.name}: no operation tested`
      if (r.errors.length > 0) return `${r.name}: errors\n${r.errors.join('\n')}`
      return null
    }).filter(Boolean)
    none(problems.join('\n'))
  })

  it('each operation was tested by exactly one run', () => {
    const runsOf = new Map<string, string[]>()
    for (const r of results)
      for (const op of r.tested) runsOf.set(op, [...(runsOf.get(op) ?? []), r.name])
    expect([...runsOf].filter(([, runs]) => runs.length > 1)).toEqual([])
  })

  it.each(GUARDS.map((g) => [`${g.check}: ${g.what}`, g.codes] as const))('%s', (_, codes) => {
    none(failuresOf([...codes]))
  })

  it('no other check failed', () => {
    const known = GUARDS.flatMap((g) => g.codes)
    const other = results.flatMap((r) => r.failures.flatMap((f) => f.codes))
    none(failuresOf(other.filter((c) => !known.includes(c))))
  })

  it('the mock logged no error (a 5xx or an unexpected exception) and is still running', () => {
    const errors = mockLog.split('\n').filter((line) => line.startsWith('{"level":"error"'))
    none(errors.join('\n'))
    expect(mockExit).toBeNull()
  })
})
