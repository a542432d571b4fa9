// Test control for the login flows: the outbox tests read instead of an inbox, and users with a
// password (POST /_mock/users), so a password login needs no sign-up first.
import { Hono } from 'hono'
import { StytchError } from '../errors.js'
import { MAX_LIST } from '../login/outbox.js'
import { jsonBody, optionalObject, optionalString, requiredString } from './body.js'
import { ok, type AppEnv, type Deps } from './env.js'

export function mockLoginRoutes({ outbox, logins }: Deps) {
  const app = new Hono<AppEnv>()

  app.get('/_mock/outbox', (c) => {
    const to = c.req.query('to') || undefined
    // A phone number's + arrives as a space when the query is not encoded: say so.
    if (to !== undefined && !to.includes('@') && !/^\+[1-9][0-9]{1,14}$/.test(to))
      throw new StytchError(
        'invalid_argument',
        `to must be an email address or an E.164 phone number (encode + as %2B), got "${to}".`,
      )
    const limitText = c.req.query('limit')
    const limit = limitText === undefined ? 100 : Number(limitText)
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST)
      throw new StytchError('invalid_argument', `limit must be an integer from 1 to ${MAX_LIST}.`)
    return ok(c, { messages: outbox.list(to, limit) })
  })

  app.delete('/_mock/outbox', (c) => {
    outbox.clear()
    return ok(c)
  })

  app.post('/_mock/users', async (c) => {
    const body = await jsonBody(c)
    const user = await logins.seedUser({
      email: requiredString(body, 'email'),
      password: optionalString(body, 'password'),
      phone_number: optionalString(body, 'phone_number'),
      name: optionalObject(body, 'name'),
    })
    c.set('subject', { user_id: user.user_id })
    return ok(c, { user_id: user.user_id, user })
  })

  return app
}
