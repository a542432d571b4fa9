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
  request(line: RequestLine): void
  error(message: string, fields?: Record<string, unknown>): void
}

const RANK = { silent: 0, error: 1, info: 2, debug: 3 } as const

export function createLogger(
  level: Config['logLevel'],
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Logger {
  const emit = (at: keyof typeof RANK, fields: Record<string, unknown>) => {
    if (RANK[at] <= RANK[level]) write(JSON.stringify({ level: at, ...fields }))
  }
  return {
    request: (line) =>
      emit(line.status >= 500 ? 'error' : line.path === '/_mock/health' ? 'debug' : 'info', {
        msg: 'request',
        ...line,
      }),
    error: (message, fields = {}) => emit('error', { msg: message, ...fields }),
  }
}
