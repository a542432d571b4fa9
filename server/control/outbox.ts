// The outbox tests read instead of an inbox (/_mock/outbox): every email and text message the
// login products sent.
import { Hono } from 'hono'
import { queryInput } from '../platform/http/body.js'
import { ok, type AppEnv } from '../platform/http/env.js'
import type { Platform } from '../platform/platform.js'

export function mockOutboxRoutes({ outbox }: Platform) {
  const app = new Hono<AppEnv>()

  // `to` an email address or an E.164 number (a + sent unencoded arrives as a space, which the
  // spec's pattern refuses); `limit` 1 to 1000 (openapi.yaml).
  app.get('/_mock/outbox', async (c) => {
    const { to, limit } = await queryInput<{ to?: string; limit?: number }>(c)
    return ok(c, { messages: outbox.list(to || undefined, limit ?? 100) })
  })

  app.delete('/_mock/outbox', (c) => {
    outbox.clear()
    return ok(c)
  })

  return app
}
