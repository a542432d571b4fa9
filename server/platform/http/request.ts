// Reading a request's headers and body. On @hono/node-server they come straight from Node's
// IncomingMessage: Hono's own `c.req.header()` builds a WHATWG Headers first, and reading a body
// through Hono builds a whole undici Request around a web stream. Profiled under load, that was
// about a tenth of a JWKS request's and of an authenticate's server time (issue #17). Elsewhere
// (`app.request()` in tests) Hono's own reading is used, with the same limit and answers.
import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'
import { StytchError } from '../../errors.js'
import type { AppEnv } from './env.js'

export const MAX_BODY_BYTES = 1024 * 1024

/** A percent-encoded part decoded, or as it came when it is not valid percent-encoding. */
export function decoded(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

const incomingOf = (c: Context): IncomingMessage | undefined =>
  (c.env as { incoming?: IncomingMessage } | undefined)?.incoming

/** A request header by its lowercase name; repeated headers keep the first, as Node does. */
export function header(c: Context, name: Lowercase<string>): string | undefined {
  const incoming = incomingOf(c)
  if (!incoming) return c.req.header(name)
  const value = incoming.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

/**
 * The body as text, read once per request (a scoped fault may read it before the route), and
 * never more than MAX_BODY_BYTES of it: 413 with `Connection: close`, because the rest of the
 * body is left unread and the connection cannot carry another request.
 */
export async function bodyText(c: Context<AppEnv>): Promise<string> {
  const read = c.get('bodyText')
  if (read !== undefined) return read
  // A GET's or HEAD's body means nothing (a fetch Request cannot even carry one): read as none,
  // whichever way the request came in.
  if (c.req.method === 'GET' || c.req.method === 'HEAD') {
    c.set('bodyText', '')
    return ''
  }
  const incoming = incomingOf(c)
  const early = incoming && readEarly.get(incoming)
  const text = await (early ?? (incoming ? readLimited(incoming) : readWebLimited(c.req.raw.body)))
  tooLargeIf(c, text === null)
  c.set('bodyText', text!)
  return text!
}

/** Bodies read before the router (before-router.ts): the route's reading is that one. */
const readEarly = new WeakMap<IncomingMessage, Promise<string | null>>()

/**
 * The body read before the router, as bodyText() reads it: the route that reads it then gets the
 * same text, or the same failure (null past MAX_BODY_BYTES, or the stream's error).
 */
export function readBodyEarly(incoming: IncomingMessage): Promise<string | null> {
  const reading = readLimited(incoming)
  readEarly.set(incoming, reading)
  return reading
}

/** The body, or null past MAX_BODY_BYTES; then it stops reading but leaves the socket be. */
function readLimited(incoming: IncomingMessage): Promise<string | null> {
  if (incoming.readableEnded) return Promise.resolve('')
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const done = (result: string | null) => {
      incoming.off('data', onData).off('end', onEnd).off('error', reject)
      resolve(result)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        incoming.pause()
        done(null)
      } else chunks.push(chunk)
    }
    const onEnd = () =>
      done(
        chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'),
      )
    incoming.on('data', onData).on('end', onEnd).on('error', reject)
  })
}

async function readWebLimited(body: ReadableStream<Uint8Array> | null): Promise<string | null> {
  if (!body) return ''
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return Buffer.concat(chunks).toString('utf8')
    size += value.length
    if (size > MAX_BODY_BYTES) {
      await reader.cancel()
      return null
    }
    chunks.push(value)
  }
}

/** Before any route: a declared length over the limit is refused without reading a byte. */
export function tooLargeIf(c: Context, tooLarge: boolean): void {
  if (!tooLarge) return
  c.header('Connection', 'close')
  throw new StytchError('request_too_large')
}
