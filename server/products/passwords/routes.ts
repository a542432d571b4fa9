// Consumer passwords: /v1/passwords (create), authenticate, strength_check, migrate, the three
// resets (email/reset/start + email/reset, existing_password/reset, session/reset), their /sdk/v1
// twins, and the pre-built UI's user search.
import { Hono } from 'hono'
import type { Platform } from '../../platform/platform.js'
import { accessInput, jsonBody, type AccessBody } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { noteSubject } from '../../platform/http/login-answers.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import { SDK } from '../../platform/sessions/core.js'
import type { UserObject } from '../../platform/sessions/user-store.js'
import type { ConsumerMigrateInput, Passwords, ResetStartInput } from './passwords.js'

interface PasswordBody extends AccessBody {
  email: string
  password: string
  name?: UserObject['name']
  trusted_metadata?: Record<string, unknown>
  untrusted_metadata?: Record<string, unknown>
}
type ResetStartBody = ResetStartInput & { email: string }
type ResetBody = AccessBody & { token: string; password: string; code_verifier?: string }
type ExistingBody = AccessBody & { email: string; existing_password: string; new_password: string }
type SessionResetBody = AccessBody & { password: string }
type StrengthBody = { password: string; email?: string }

const resetStartInput = (body: ResetStartBody): ResetStartInput => ({
  reset_password_redirect_url: body.reset_password_redirect_url,
  login_redirect_url: body.login_redirect_url,
  reset_password_expiration_minutes: body.reset_password_expiration_minutes,
  code_challenge: body.code_challenge,
})

export function passwordRoutes({ config, passwords }: Platform & { passwords: Passwords }) {
  const api = new Hono<AppEnv>()

  api.post('/v1/passwords', async (c) => {
    const body = await jsonBody<PasswordBody>(c)
    const result = await passwords.create(body.email, body.password, {
      ...accessInput(body),
      name: body.name,
      trusted_metadata: body.trusted_metadata,
      untrusted_metadata: body.untrusted_metadata,
    })
    noteSubject(c, result)
    return ok(c, result)
  })

  api.post('/v1/passwords/authenticate', async (c) => {
    const body = await jsonBody<PasswordBody>(c)
    const result = await passwords.authenticate(body.email, body.password, accessInput(body))
    noteSubject(c, result)
    return ok(c, result)
  })

  api.post('/v1/passwords/strength_check', async (c) => {
    const body = await jsonBody<StrengthBody>(c)
    return ok(c, await passwords.strength(body.password, body.email))
  })

  api.post('/v1/passwords/migrate', async (c) => {
    const result = await passwords.migrate(await jsonBody<ConsumerMigrateInput>(c))
    noteSubject(c, result)
    return ok(c, result)
  })

  api.post('/v1/passwords/email/reset/start', async (c) => {
    const body = await jsonBody<ResetStartBody>(c)
    const result = await passwords.resetStart(body.email, resetStartInput(body))
    noteSubject(c, result)
    return ok(c, result)
  })

  api.post('/v1/passwords/email/reset', async (c) => {
    const body = await jsonBody<ResetBody>(c)
    const result = await passwords.resetByEmail(
      body.token,
      body.password,
      body.code_verifier,
      accessInput(body),
    )
    noteSubject(c, result)
    return ok(c, result)
  })

  api.post('/v1/passwords/existing_password/reset', async (c) => {
    const body = await jsonBody<ExistingBody>(c)
    const result = await passwords.resetByExistingPassword(
      body.email,
      body.existing_password,
      body.new_password,
      accessInput(body),
    )
    noteSubject(c, result)
    return ok(c, result)
  })

  api.post('/v1/passwords/session/reset', async (c) => {
    const body = await jsonBody<SessionResetBody>(c)
    const result = await passwords.resetBySession(body.password, accessInput(body))
    noteSubject(c, result)
    return ok(c, result)
  })

  const sdk = new Hono<AppEnv>()
  const { data, caller, loginCaller, loggedIn } = sdkCaller(config)
  type SdkBody = { email: string; password: string; session_duration_minutes?: number }

  for (const [path, login] of [
    ['/sdk/v1/passwords', passwords.create.bind(passwords)],
    ['/sdk/v1/passwords/authenticate', passwords.authenticate.bind(passwords)],
  ] as const) {
    sdk.post(path, async (c) => {
      const body = await jsonBody<SdkBody>(c)
      const session = loginCaller(c, 'CONSUMER') ?? {}
      const result = await login(
        body.email,
        body.password,
        { ...session, session_duration_minutes: body.session_duration_minutes },
        SDK,
      )
      return loggedIn(c, result)
    })
  }

  sdk.post('/sdk/v1/passwords/strength_check', async (c) => {
    loginCaller(c, 'CONSUMER')
    const body = await jsonBody<StrengthBody>(c)
    return data(c, await passwords.strength(body.password, body.email))
  })

  sdk.post('/sdk/v1/passwords/email/reset/start', async (c) => {
    loginCaller(c, 'CONSUMER')
    const body = await jsonBody<ResetStartBody>(c)
    const result = await passwords.resetStart(body.email, resetStartInput(body), SDK)
    noteSubject(c, result)
    return data(c)
  })

  sdk.post('/sdk/v1/passwords/email/reset', async (c) => {
    const session = loginCaller(c, 'CONSUMER') ?? {}
    const body = await jsonBody<ResetBody>(c)
    const result = await passwords.resetByEmail(
      body.token,
      body.password,
      body.code_verifier,
      { ...session, session_duration_minutes: body.session_duration_minutes },
      SDK,
    )
    return loggedIn(c, result)
  })

  sdk.post('/sdk/v1/passwords/existing_password/reset', async (c) => {
    const session = loginCaller(c, 'CONSUMER') ?? {}
    const body = await jsonBody<ExistingBody>(c)
    const result = await passwords.resetByExistingPassword(
      body.email,
      body.existing_password,
      body.new_password,
      { ...session, session_duration_minutes: body.session_duration_minutes },
      SDK,
    )
    return loggedIn(c, result)
  })

  // The SDK sends no token in the body: the session is the caller's (Basic auth or cookies).
  sdk.post('/sdk/v1/passwords/session/reset', async (c) => {
    const session = caller(c, 'CONSUMER')
    const body = await jsonBody<SessionResetBody>(c)
    const result = await passwords.resetBySession(body.password, {
      ...session,
      session_duration_minutes: body.session_duration_minutes,
    })
    return loggedIn(c, result)
  })

  // The pre-built UI's password screen asks first which kind of user an email belongs to.
  sdk.post('/sdk/v1/users/search', async (c) => {
    loginCaller(c, 'CONSUMER')
    const body = await jsonBody<{ email: string }>(c)
    return data(c, { userType: passwords.userType(body.email) })
  })

  return { api, sdk }
}
