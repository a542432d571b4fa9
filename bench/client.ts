// The load client, in a process of its own so the bench's bookkeeping (100,000 tokens, fetches,
// GC) never competes with it. Reads one job from the JSON file named by argv[2]: a URL, and a
// request list built in full before the clock starts (autocannon builds each request's bytes once
// and cycles through them: no per-request callback). Prints the result as one JSON line.
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'

export interface ClientJob {
  url: string
  connections: number
  seconds: number
  requests: {
    method: 'GET' | 'POST'
    path: string
    headers: Record<string, string>
    body?: string
  }[]
}

export interface ClientResult {
  rps: number
  p99: number
  errors: number
  /** Responses by status class: a load that answers 4xx must not pass for throughput. */
  non2xx: number
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ClientJob
const result = await autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.seconds,
  requests: job.requests,
})
const out: ClientResult = {
  rps: result.requests.average,
  p99: result.latency.p99,
  errors: result.errors + result.timeouts,
  non2xx: result.non2xx,
}
process.stdout.write(JSON.stringify(out) + '\n')
