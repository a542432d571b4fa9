// The framework floor: bare Hono routes on @hono/node-server, run as their own process like the
// mock. POST parses a JSON body and answers a small JSON object; GET answers the document in the
// file named by argv[3] (the bench passes the mock's own JWKS response, so the JWKS route is
// compared with a bare route serving the very same bytes).
import { readFileSync } from 'node:fs'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const document = readFileSync(process.argv[3]!, 'utf8')
const app = new Hono()
app.post('/floor', async (c) => {
  const body = (await c.req.json()) as { session_token?: string }
  return c.json({ status_code: 200, ok: typeof body.session_token === 'string' })
})
app.get('/floor', (c) => c.body(document, 200, { 'content-type': 'application/json' }))
app.get('/ready', (c) => c.json({ ok: true }))
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.argv[2]) })
