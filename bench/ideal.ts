// The least a Stytch stand-in can do for a consumer authenticate, as a bare Hono app on the same
// @hono/node-server, run as its own process like the floor: the project's Basic credentials
// compared, the body parsed (both read from Node's request before any router, as the mock's own
// fast path reads them), and the mock's own answer for that credential sent back (the same
// size and shape, read from the JSON file argv[3]: [{token, jwt, answer}]) with a fresh request id
// and a fresh RS256 session JWT, minted once per session per second, calls arriving meanwhile
// waiting for it. No database, journal, log or validation. What it serves under the bench's load
// is about the most any mock minting Stytch's JWTs could on the machine at hand; the mock's figure
// is also given as a ratio of it.
import { readFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { generateKeyPairSync } from 'node:crypto'
import { serve, type HttpBindings } from '@hono/node-server'
import { Hono } from 'hono'
import { AUTH } from './common.js'

interface Seeded {
  token: string
  jwt: string
  answer: string
}

// Where the request id and the JWT go in a session's answer.
const RID = '@@request_id@@'
const JWT = '@@session_jwt@@'

/** A session's answer around its two per-call parts, and its JWT's claims. */
interface Session {
  parts: string[]
  header: string
  claims: Record<string, unknown> & { 'https://stytch.com/session': Record<string, unknown> }
  second: number
  answer: Promise<string> | undefined
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const signer = await globalThis.crypto.subtle.importKey(
  'pkcs8',
  privateKey.export({ type: 'pkcs8', format: 'der' }),
  { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  false,
  ['sign'],
)

const sessions = new Map<string, Session>()
for (const s of JSON.parse(readFileSync(process.argv[3]!, 'utf8')) as Seeded[]) {
  const answer = JSON.parse(s.answer) as Record<string, unknown>
  const [header, payload] = (answer.session_jwt as string).split('.')
  const template = JSON.stringify({ ...answer, request_id: RID, session_jwt: JWT })
  const parts = template.split(new RegExp(`${RID}|${JWT}`))
  if (parts.length !== 3 || !(template.indexOf(RID) < template.indexOf(JWT)))
    throw new Error('an answer without one request_id before one session_jwt')
  const session: Session = {
    parts,
    header: header!,
    claims: JSON.parse(Buffer.from(payload!, 'base64url').toString()),
    second: 0,
    answer: undefined,
  }
  sessions.set(s.token, session)
  sessions.set(s.jwt, session)
}

/** The session's answer in this second, request id left out: one signature per second. */
function answerOf(session: Session, second: number): Promise<string> {
  if (session.second === second && session.answer) return session.answer
  const at = new Date(second * 1000).toISOString().replace('.000', '')
  const claims = {
    ...session.claims,
    'https://stytch.com/session': {
      ...session.claims['https://stytch.com/session'],
      last_accessed_at: at,
    },
    iat: second,
    nbf: second,
    exp: second + 300,
  }
  const input = `${session.header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`
  session.second = second
  const answer = globalThis.crypto.subtle
    .sign('RSASSA-PKCS1-v1_5', signer, Buffer.from(input))
    .then((sig) => `${input}.${Buffer.from(sig).toString('base64url')}`)
  session.answer = answer
  // A failed signature is tried again by the next call, not kept for the second.
  answer.catch(() => {
    if (session.answer === answer) session.answer = undefined
  })
  return answer
}

/** The request's body as the adapter's Node request streams it (no Request object is made). */
function bodyOf(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    incoming
      .on('data', (chunk: Buffer) => chunks.push(chunk))
      .on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
      .on('error', reject)
  })
}

const JSON_HEADERS = { 'content-type': 'application/json' }
const PATH = '/v1/sessions/authenticate'

/** The call, read as the mock's fast path reads it: before any router, from Node's request. */
async function authenticate(incoming: IncomingMessage): Promise<Response> {
  if (incoming.headers.authorization !== AUTH)
    return new Response('{"status_code":401}', { status: 401, headers: JSON_HEADERS })
  const body = JSON.parse(await bodyOf(incoming)) as {
    session_token?: string
    session_jwt?: string
  }
  const session = sessions.get(body.session_token ?? body.session_jwt ?? '')
  if (!session) return new Response('{"status_code":404}', { status: 404, headers: JSON_HEADERS })
  const jwt = await answerOf(session, Math.floor(Date.now() / 1000))
  const [a, b, rest] = session.parts
  return new Response(`${a}request-id-test-${globalThis.crypto.randomUUID()}${b}${jwt}${rest}`, {
    status: 200,
    headers: JSON_HEADERS,
  })
}

const app = new Hono()
app.get('/ready', (c) => c.json({ ok: true }))
serve({
  fetch: (request, env) => {
    // An HTTP/1.1 server: the adapter hands over Node's IncomingMessage.
    const incoming = (env as HttpBindings).incoming
    return request.method === 'POST' && incoming.url === PATH
      ? authenticate(incoming)
      : app.fetch(request, env)
  },
  hostname: '127.0.0.1',
  port: Number(process.argv[2]),
})
