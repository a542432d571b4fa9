// /sdk/v1 login flows, as @stytch/vanilla-js (and its pre-built UI) calls them from a browser:
// one-time passcodes, magic links, passwords and B2B organization logins. The same domain as the
// /v1 routes; the frontend's own field names (an OTP is `token`, not `code`), its {data}
// envelope, the caller's stored session or intermediate session, and HttpOnly cookies.
import { Hono, type Context } from 'hono'
import { SDK } from '../sessions/core.js'
import type { JsonObject } from '../sessions/claims.js'
import { b2bLinkInput, b2bPasscodeInput } from './b2b-login.js'
import { jsonBody, optionalInteger, optionalString, requiredString } from './body.js'
import type { AppEnv, Deps } from './env.js'
import { magicLinkInput } from './login.js'
import { sdkCaller } from './sdk-caller.js'

export function sdkLoginRoutes({ config, logins, memberLogins }: Deps) {
  const app = new Hono<AppEnv>()
  const { data, caller, loginCaller, loggedIn, memberLoggedIn, memberLoginInput } =
    sdkCaller(config)
  const consumer = (c: Context<AppEnv>) => loginCaller(c, 'CONSUMER')
  const b2b = (c: Context<AppEnv>) => loginCaller(c, 'B2B')

  const consumerSession = (c: Context<AppEnv>, body: JsonObject) => ({
    ...(consumer(c) ?? {}),
    session_duration_minutes: optionalInteger(body, 'session_duration_minutes'),
  })

  /**
   * Who a send is for: login_or_create anyone; send/primary an existing user; send/secondary the
   * logged-in caller, to whose user the address is added (the SDK's `send` with a session).
   */
  const sendTarget = (c: Context<AppEnv>, path: string) =>
    path === 'send/secondary'
      ? { create: false, ...caller(c, 'CONSUMER') }
      : (consumer(c), { create: path === 'login_or_create' })
  const SENDS = ['login_or_create', 'send/primary', 'send/secondary'] as const

  for (const channel of ['email', 'sms'] as const) {
    const field = channel === 'email' ? 'email' : 'phone_number'
    for (const path of SENDS) {
      app.post(`/sdk/v1/otps/${channel}/${path}`, async (c) => {
        const target = sendTarget(c, path)
        const body = await jsonBody(c)
        const { method_id, user_id } = await logins.sendPasscode(
          channel,
          requiredString(body, field),
          { ...target, expiration_minutes: optionalInteger(body, 'expiration_minutes') },
          SDK,
        )
        c.set('subject', { user_id })
        return data(c, { method_id })
      })
    }
  }

  app.post('/sdk/v1/otps/authenticate', async (c) => {
    const body = await jsonBody(c)
    const result = await logins.authenticatePasscode(
      requiredString(body, 'method_id'),
      requiredString(body, 'token'),
      consumerSession(c, body),
      SDK,
    )
    return loggedIn(c, result)
  })

  for (const path of SENDS) {
    app.post(`/sdk/v1/magic_links/email/${path}`, async (c) => {
      const target = sendTarget(c, path)
      const body = await jsonBody(c)
      const { user_id } = await logins.sendMagicLink(
        requiredString(body, 'email'),
        { ...magicLinkInput(body, target.create), ...target },
        SDK,
      )
      c.set('subject', { user_id })
      return data(c)
    })
  }

  app.post('/sdk/v1/magic_links/authenticate', async (c) => {
    const body = await jsonBody(c)
    const result = await logins.authenticateMagicLink(
      requiredString(body, 'token'),
      optionalString(body, 'code_verifier'),
      consumerSession(c, body),
      SDK,
    )
    return loggedIn(c, result)
  })

  app.post('/sdk/v1/passwords', async (c) => {
    const body = await jsonBody(c)
    const result = await logins.createPassword(
      requiredString(body, 'email'),
      requiredString(body, 'password'),
      consumerSession(c, body),
      SDK,
    )
    return loggedIn(c, result)
  })

  app.post('/sdk/v1/passwords/authenticate', async (c) => {
    const body = await jsonBody(c)
    const result = await logins.authenticatePassword(
      requiredString(body, 'email'),
      requiredString(body, 'password'),
      consumerSession(c, body),
      SDK,
    )
    return loggedIn(c, result)
  })

  app.post('/sdk/v1/passwords/strength_check', async (c) => {
    consumer(c)
    const body = await jsonBody(c)
    return data(c, logins.strength(requiredString(body, 'password'), optionalString(body, 'email')))
  })

  // The pre-built UI's password screen asks first which kind of user an email belongs to.
  app.post('/sdk/v1/users/search', async (c) => {
    consumer(c)
    const body = await jsonBody(c)
    return data(c, { userType: logins.userType(requiredString(body, 'email')) })
  })

  app.post('/sdk/v1/b2b/magic_links/email/login_or_signup', async (c) => {
    b2b(c)
    const { member_id } = await memberLogins.sendMagicLink(b2bLinkInput(await jsonBody(c)))
    c.set('subject', { member_id })
    return data(c)
  })

  app.post('/sdk/v1/b2b/magic_links/authenticate', async (c) => {
    b2b(c)
    const body = await jsonBody(c)
    const result = await memberLogins.authenticateMagicLink(
      requiredString(body, 'magic_links_token'),
      optionalString(body, 'pkce_code_verifier'),
      memberLoginInput(c, body),
      SDK,
    )
    return memberLoggedIn(c, result)
  })

  app.post('/sdk/v1/b2b/otps/email/login_or_signup', async (c) => {
    b2b(c)
    const { member_id } = memberLogins.sendPasscode(b2bPasscodeInput(await jsonBody(c)))
    c.set('subject', { member_id })
    return data(c)
  })

  app.post('/sdk/v1/b2b/otps/email/authenticate', async (c) => {
    b2b(c)
    const body = await jsonBody(c)
    const result = await memberLogins.authenticatePasscode(
      {
        organization_id: requiredString(body, 'organization_id'),
        email_address: requiredString(body, 'email_address'),
        code: requiredString(body, 'code'),
        ...memberLoginInput(c, body),
      },
      SDK,
    )
    return memberLoggedIn(c, result)
  })

  return app
}
