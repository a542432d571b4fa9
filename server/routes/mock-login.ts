// Test control for the login flows: the outbox tests read instead of an inbox, users with a
// password (POST /_mock/users), so a password login needs no sign-up first, and the answers
// the OAuth consent page gives next (/_mock/oauth/answers), so a test need not click it.
import { Hono } from 'hono'
import { StytchError } from '../errors.js'
import { MAX_LIST } from '../login/outbox.js'
import {
  jsonBody,
  optionalBoolean,
  optionalObject,
  optionalString,
  requiredString,
} from './body.js'
import { ok, type AppEnv, type Deps } from './env.js'

export function mockLoginRoutes({ outbox, logins, consent }: Deps) {
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

  // Each answer is taken by the next start of its provider (or of any, without one), in order.
  app.post('/_mock/oauth/answers', async (c) => {
    const body = await jsonBody(c)
    const deny = optionalBoolean(body, 'deny') === true
    const answer = consent.queue({
      provider: optionalString(body, 'provider'),
      ...(deny
        ? { deny: true as const }
        : { email: requiredString(body, 'email'), name: optionalString(body, 'name') }),
    })
    return ok(c, { answer, answers: consent.queued() })
  })

  app.get('/_mock/oauth/answers', (c) => ok(c, { answers: consent.queued() }))

  app.delete('/_mock/oauth/answers', (c) => {
    consent.clearQueued()
    return ok(c, { answers: [] })
  })

  return app
}
