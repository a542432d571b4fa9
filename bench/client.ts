// The load client, in a process of its own so the bench's bookkeeping (100,000 tokens, fetches,
// GC) never competes with it. Reads one job from the JSON file named by argv[2]: a URL, and either
// a request list built in full before the clock starts (autocannon builds each request's bytes once
// and cycles through them: no per-request callback), or a named flow whose steps depend on earlier
// answers (a passcode login: send, read the code from the outbox, authenticate). Prints the result
// as one JSON line.
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'

export interface ClientJob {
  url: string
  connections: number
  seconds: number
  requests?: {
    method: 'GET' | 'POST'
    path: string
    headers: Record<string, string>
    body?: string
  }[]
  /** Requests per second in all, when set (bench/cpu.ts): else as fast as the server answers. */
  rate?: number
  /** A flow instead of a list; `headers` go on each of its requests. */
  flow?: { name: 'passcode-login'; headers: Record<string, string> }
}

export interface ClientResult {
  rps: number
  p99: number
  errors: number
  /** Responses by status class: a load that answers 4xx must not pass for throughput. */
  non2xx: number
  /** Responses in all (bench/cpu.ts divides CPU time by it). */
  total?: number
}

interface FlowContext {
  email?: string
  method_id?: string
  code?: string
}

/**
 * A whole passcode login per three requests, each login with an address of its own (autocannon
 * starts each pass through the steps with a fresh context): send a code, read it from the outbox,
 * authenticate it into a session. The rate counts requests; logins are a third of it.
 */
function passcodeLogin(headers: Record<string, string>): autocannon.Request[] {
  let next = 0
  return [
    {
      method: 'POST',
      path: '/v1/otps/email/login_or_create',
      headers,
      setupRequest: (req, context: FlowContext) => {
        context.email = `bench-login-${process.pid}-${next++}@example.com`
        return { ...req, body: JSON.stringify({ email: context.email }) }
      },
      onResponse: (_status, body, context: FlowContext) => {
        context.method_id = (JSON.parse(body) as { email_id: string }).email_id
      },
    },
    {
      method: 'GET',
      headers,
      setupRequest: (req, context: FlowContext) => ({
        ...req,
        path: `/_mock/outbox?to=${encodeURIComponent(context.email!)}&limit=1`,
      }),
      onResponse: (_status, body, context: FlowContext) => {
        context.code = (
          JSON.parse(body) as { messages: { otp_code: string }[] }
        ).messages[0]!.otp_code
      },
    },
    {
      method: 'POST',
      path: '/v1/otps/authenticate',
      headers,
      setupRequest: (req, context: FlowContext) => ({
        ...req,
        body: JSON.stringify({
          method_id: context.method_id,
          code: context.code,
          session_duration_minutes: 60,
        }),
      }),
    },
  ]
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ClientJob
const result = await autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.seconds,
  ...(job.rate ? { overallRate: job.rate } : {}),
  requests: job.flow ? passcodeLogin(job.flow.headers) : job.requests!,
})
const out: ClientResult = {
  rps: result.requests.average,
  p99: result.latency.p99,
  errors: result.errors + result.timeouts,
  non2xx: result.non2xx,
  total: result.requests.total,
}
process.stdout.write(JSON.stringify(out) + '\n')
