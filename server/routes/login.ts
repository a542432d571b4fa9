// /v1/otps, /v1/magic_links, /v1/passwords: the consumer login flows, as the stytch Node SDK calls
// them. A passcode or link goes to the outbox (/_mock/outbox); authenticate ends in a session.
import { Hono, type Context } from 'hono'
import { StytchError } from '../errors.js'
import type { JsonObject } from '../sessions/claims.js'
import {
  accessInput,
  jsonBody,
  optionalBoolean,
  optionalInteger,
  optionalObject,
  optionalString,
  requiredString,
} from './body.js'
import { ok, type AppEnv, type Deps } from './env.js'

/** What send and login_or_create share. */
const sendInput = (body: JsonObject, create: boolean) => ({
  create,
  create_user_as_pending: optionalBoolean(body, 'create_user_as_pending'),
  ...(create
    ? {}
    : {
        user_id: optionalString(body, 'user_id'),
        session_token: optionalString(body, 'session_token'),
        session_jwt: optionalString(body, 'session_jwt'),
      }),
  expiration_minutes: optionalInteger(body, 'expiration_minutes'),
})

/** A user's name: first, middle and last, each a string. */
function nameInput(body: JsonObject) {
  const name = optionalObject(body, 'name')
  if (!name) return undefined
  for (const key of Object.keys(name))
    if (!['first_name', 'middle_name', 'last_name'].includes(key))
      throw new StytchError('invalid_argument', `name.${key} is not a field of name.`)
  const part = (key: string) => optionalString(name, key)
  return {
    ...(part('first_name') === undefined ? {} : { first_name: part('first_name')! }),
    ...(part('middle_name') === undefined ? {} : { middle_name: part('middle_name')! }),
    ...(part('last_name') === undefined ? {} : { last_name: part('last_name')! }),
  }
}

export const magicLinkInput = (body: JsonObject, create: boolean) => ({
  ...sendInput(body, create),
  login_magic_link_url: optionalString(body, 'login_magic_link_url'),
  signup_magic_link_url: optionalString(body, 'signup_magic_link_url'),
  login_expiration_minutes: optionalInteger(body, 'login_expiration_minutes'),
  signup_expiration_minutes: optionalInteger(body, 'signup_expiration_minutes'),
  code_challenge: optionalString(body, 'code_challenge'),
})

/** The session of a login's answer, for the request journal. */
export function noteSubject(
  c: Context<AppEnv>,
  result: { user_id: string; session?: { session_id: string } | undefined },
) {
  c.set('subject', {
    user_id: result.user_id,
    ...(result.session ? { session_id: result.session.session_id } : {}),
  })
}

export function loginRoutes({ logins }: Deps) {
  const app = new Hono<AppEnv>()

  for (const channel of ['email', 'sms'] as const) {
    const field = channel === 'email' ? 'email' : 'phone_number'
    for (const [action, create] of [
      ['login_or_create', true],
      ['send', false],
    ] as const) {
      app.post(`/v1/otps/${channel}/${action}`, async (c) => {
        const body = await jsonBody(c)
        const { method_id, ...result } = await logins.sendPasscode(
          channel,
          requiredString(body, field),
          sendInput(body, create),
        )
        c.set('subject', { user_id: result.user_id })
        const { user_created, ...sent } = result
        return ok(c, create ? { ...sent, user_created } : sent)
      })
    }
  }

  app.post('/v1/otps/authenticate', async (c) => {
    const body = await jsonBody(c)
    optionalObject(body, 'options')
    const result = await logins.authenticatePasscode(
      requiredString(body, 'method_id'),
      requiredString(body, 'code'),
      accessInput(body),
    )
    noteSubject(c, result)
    return ok(c, result)
  })

  for (const [action, create] of [
    ['login_or_create', true],
    ['send', false],
  ] as const) {
    app.post(`/v1/magic_links/email/${action}`, async (c) => {
      const body = await jsonBody(c)
      const result = await logins.sendMagicLink(
        requiredString(body, 'email'),
        magicLinkInput(body, create),
      )
      c.set('subject', { user_id: result.user_id })
      const { user_created, ...sent } = result
      return ok(c, create ? { ...sent, user_created } : sent)
    })
  }

  app.post('/v1/magic_links/authenticate', async (c) => {
    const body = await jsonBody(c)
    optionalObject(body, 'options')
    const result = await logins.authenticateMagicLink(
      requiredString(body, 'token'),
      optionalString(body, 'code_verifier'),
      accessInput(body),
    )
    noteSubject(c, result)
    return ok(c, result)
  })

  app.post('/v1/passwords', async (c) => {
    const body = await jsonBody(c)
    const result = await logins.createPassword(
      requiredString(body, 'email'),
      requiredString(body, 'password'),
      { ...accessInput(body), name: nameInput(body) },
    )
    noteSubject(c, result)
    return ok(c, result)
  })

  app.post('/v1/passwords/authenticate', async (c) => {
    const body = await jsonBody(c)
    const result = await logins.authenticatePassword(
      requiredString(body, 'email'),
      requiredString(body, 'password'),
      accessInput(body),
    )
    noteSubject(c, result)
    return ok(c, result)
  })

  app.post('/v1/passwords/strength_check', async (c) => {
    const body = await jsonBody(c)
    const password = requiredString(body, 'password')
    return ok(c, logins.strength(password, optionalString(body, 'email')))
  })

  return app
}
