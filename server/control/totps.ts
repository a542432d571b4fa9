// The code an authenticator app would show now (/_mock/totps/{owner_id}): tests of TOTP logins
// read it instead of computing it from the secret. It follows the mock's clock.
import { Hono } from 'hono'
import { StytchError } from '../errors.js'
import { ok, type AppEnv } from '../platform/http/env.js'
import type { Platform } from '../platform/platform.js'

export function mockTotpRoutes({ totps }: Platform) {
  const app = new Hono<AppEnv>()

  app.get('/_mock/totps/:owner_id', (c) => {
    const current = totps.currentCode(c.req.param('owner_id'))
    if (!current) throw new StytchError('totp_not_found')
    return ok(c, current)
  })

  return app
}
