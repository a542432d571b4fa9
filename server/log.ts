// One-line JSON logs. Only method, path (no query), status, duration, error_type and the request
// id: never headers or bodies, so tokens, JWTs and secrets cannot leak into them.
import type { Config } from './config.js'

export interface RequestLine {
  method: string
  path: string
  status: number
  duration_ms: number
  error_type: string | null
  request_id: string
}

export interface Logger {
  /** Whether a request with this status and path would be logged: else skip building its line. */
  logs(status: number, path: string): boolean
  request(line: RequestLine): void
  error(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  /** Writes what waits; before the process exits. */
  flush(): void
}

const RANK = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 } as const

/** Request lines wait at most this long, or until this much text waits. */
const FLUSH_MS = 20
const FLUSH_BYTES = 16 * 1024

/**
 * Lines to stdout in batches, not one write per line: under load, a write per request line (and
 * the reader it wakes each time) cost a fifth of a JWKS call's throughput (#17). `now` writes
 * what waits and the line at once, for errors, which may come just before the process exits.
 * Lines are encoded straight into the batch's buffer: joining them as text first, and encoding
 * the joined text at the write, cost half as much again per line (#31).
 */
function stdoutLines(): { write(line: string, now: boolean): void; flush(): void } {
  let batch = Buffer.allocUnsafe(FLUSH_BYTES * 2)
  let used = 0
  let timer: NodeJS.Timeout | undefined
  const flush = () => {
    clearTimeout(timer)
    timer = undefined
    if (used === 0) return
    // The stream keeps the bytes until written: the next lines go into a buffer of their own.
    const out = batch.subarray(0, used)
    batch = Buffer.allocUnsafe(FLUSH_BYTES * 2)
    used = 0
    process.stdout.write(out)
  }
  return {
    write: (line, now) => {
      // At most 3 bytes per UTF-16 unit: make room first; a line longer than a batch goes alone.
      if (line.length * 3 + 1 > batch.length - used) {
        flush()
        if (line.length * 3 + 1 > batch.length) return void process.stdout.write(`${line}\n`)
      }
      used += batch.write(line, used, 'utf8')
      batch[used++] = 10
      if (now || used >= FLUSH_BYTES) flush()
      else timer ??= setTimeout(flush, FLUSH_MS)
    },
    flush,
  }
}

export function createLogger(
  level: Config['logLevel'],
  to?: (line: string, now: boolean) => void,
): Logger {
  const out = to ? { write: to, flush: () => {} } : stdoutLines()
  const write = out.write
  const emit = (at: keyof typeof RANK, fields: Record<string, unknown>) => {
    if (RANK[at] <= RANK[level]) write(JSON.stringify({ level: at, ...fields }), at === 'error')
  }
  // 501 not_emulated is the caller's to act on, not the mock's failure.
  const levelOf = (status: number, path: string) =>
    status === 501 ? 'warn' : status >= 500 ? 'error' : path === '/_mock/health' ? 'debug' : 'info'
  return {
    logs: (status, path) => RANK[levelOf(status, path)] <= RANK[level],
    // The same object emit() would make, without spreading one per request: a line is written
    // for every call at the default level, and its cost is measured (#17).
    // One template, the client's path the only field escaped: the method is one Node's HTTP
    // parser accepted, the request id one the mock made, the error type a catalog name.
    request: (line) => {
      const at = levelOf(line.status, line.path)
      if (RANK[at] > RANK[level]) return
      const errorType = line.error_type === null ? 'null' : `"${line.error_type}"`
      write(
        `{"level":"${at}","msg":"request","method":"${line.method}","path":${JSON.stringify(line.path)},"status":${line.status},"duration_ms":${line.duration_ms},"error_type":${errorType},"request_id":"${line.request_id}"}`,
        at === 'error',
      )
    },
    error: (message, fields = {}) => emit('error', { msg: message, ...fields }),
    warn: (message, fields = {}) => emit('warn', { msg: message, ...fields }),
    flush: out.flush,
  }
}
