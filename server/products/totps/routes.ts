// Consumer authenticator apps: /v1/totps (create), /v1/totps/authenticate,
// /v1/totps/recovery_codes, /v1/totps/recover, and their /sdk/v1 twins, which act for the caller's
// own user (its session from Basic auth or the cookies).
import { Hono } from 'hono'
import type { Platform } from '../../platform/platform.js'
import { accessInput, jsonBody, type AccessBody } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { noteSubject } from '../../platform/http/login-answers.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import { SDK } from '../../platform/sessions/core.js'
import type { AuthenticatorApps } from './authenticator-apps.js'

interface CreateBody {
  user_id: string
  expiration_minutes?: number
}
type AuthenticateBody = AccessBody & { user_id: string; totp_code: string }
type RecoverBody = AccessBody & { user_id: string; recovery_code: string }
type SdkLoginBody = { session_duration_minutes?: number }

export function totpRoutes({
  config,
  consumer,
  authenticatorApps: apps,
}: Platform & { authenticatorApps: AuthenticatorApps }) {
  const api = new Hono<AppEnv>()

  api.post('/v1/totps', async (c) => {
    const body = await jsonBody<CreateBody>(c)
    const result = await apps.create(body.user_id, body.expiration_minutes)
    c.set('subject', { user_id: result.user_id })
    return ok(c, result)
  })

  api.post('/v1/totps/authenticate', async (c) => {
    const body = await jsonBody<AuthenticateBody>(c)
    const result = await apps.authenticate(body.user_id, body.totp_code, accessInput(body))
    noteSubject(c, result)
    return ok(c, result)
  })

  api.post('/v1/totps/recovery_codes', async (c) => {
    const body = await jsonBody<{ user_id: string }>(c)
    const result = apps.recoveryCodes(body.user_id)
    c.set('subject', { user_id: result.user_id })
    return ok(c, result)
  })

  api.post('/v1/totps/recover', async (c) => {
    const body = await jsonBody<RecoverBody>(c)
    const result = await apps.recover(body.user_id, body.recovery_code, accessInput(body))
    noteSubject(c, result)
    return ok(c, result)
  })

  // The frontend's twins: the caller's session names the user (checked before the request's
  // input, as Stytch answers 401 first).
  const sdk = new Hono<AppEnv>()
  const { data, caller, loggedIn } = sdkCaller(config)

  // The SDK keeps the user it reads from `__user` (user.getSync, user.onChange).
  sdk.post('/sdk/v1/totps', async (c) => {
    const session = caller(c, 'CONSUMER')
    const body = await jsonBody<{ expiration_minutes?: number }>(c)
    const userId = await apps.privilegedCaller(session)
    const { user, ...result } = await apps.create(userId, body.expiration_minutes)
    c.set('subject', { user_id: userId })
    return data(c, { ...result, __user: user })
  })

  sdk.post('/sdk/v1/totps/recovery_codes', async (c) => {
    const session = caller(c, 'CONSUMER')
    const userId = await apps.privilegedCaller(session)
    c.set('subject', { user_id: userId })
    return data(c, apps.recoveryCodes(userId))
  })

  // A code or recovery code from the SDK adds its factor to the caller's session.
  sdk.post('/sdk/v1/totps/authenticate', async (c) => {
    const session = caller(c, 'CONSUMER')
    const body = await jsonBody<SdkLoginBody & { totp_code: string }>(c)
    const { user_id } = await consumer.userOf(session)
    const input = { ...session, session_duration_minutes: body.session_duration_minutes }
    return loggedIn(c, await apps.authenticate(user_id, body.totp_code, input, SDK))
  })

  sdk.post('/sdk/v1/totps/recover', async (c) => {
    const session = caller(c, 'CONSUMER')
    const body = await jsonBody<SdkLoginBody & { recovery_code: string }>(c)
    const { user_id } = await consumer.userOf(session)
    const input = { ...session, session_duration_minutes: body.session_duration_minutes }
    return loggedIn(c, await apps.recover(user_id, body.recovery_code, input, SDK))
  })

  return { api, sdk }
}
