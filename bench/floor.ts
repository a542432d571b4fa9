// The framework floor: a bare Hono route on @hono/node-server that parses a JSON body and answers
// a small JSON object. Run as its own process, like the mock.
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const app = new Hono()
app.post('/floor', async (c) => {
  const body = (await c.req.json()) as { session_token?: string }
  return c.json({ status_code: 200, ok: typeof body.session_token === 'string' })
})
app.get('/ready', (c) => c.json({ ok: true }))
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.argv[2]) })
