// Consumer WebAuthn: /v1/webauthn/register/start, register, authenticate/start, authenticate,
// PUT /v1/webauthn/{webauthn_registration_id} (update), GET /v1/webauthn/credentials/{user_id}/
// {domain}; and the frontend's twins, where the caller's session names the user and the page's
// Origin is the one the ceremony must come from.
import type { Context } from 'hono'
import { Hono } from 'hono'
import type { Platform } from '../../platform/platform.js'
import { accessInput, jsonBody, readInput, type AccessBody } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { noteSubject } from '../../platform/http/login-answers.js'
import { header } from '../../platform/http/request.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import { SDK } from '../../platform/sessions/core.js'
import type { OriginContext } from './options.js'
import type {
  AuthenticateStartInput,
  RegisterStartInput,
  WebAuthnRegistrations,
} from './registrations.js'

type RegisterBody = AccessBody & { user_id: string; public_key_credential: string }
type AuthenticateBody = AccessBody & { public_key_credential: string }
type SdkLoginBody = { public_key_credential: string; session_duration_minutes?: number }
type SdkStartBody = Omit<AuthenticateStartInput, 'user_id' | 'user_verification'>

export function webauthnRoutes({
  config,
  consumer,
  webauthn,
}: Platform & { webauthn: WebAuthnRegistrations }) {
  // A backend call carries no page origin: the rule of options.ts without it.
  const backend: OriginContext = { requestOrigin: undefined, allowedOrigins: config.allowedOrigins }
  const frontend = (c: Context<AppEnv>): OriginContext => ({
    requestOrigin: header(c, 'origin'),
    allowedOrigins: config.allowedOrigins,
  })

  const api = new Hono<AppEnv>()

  api.post('/v1/webauthn/register/start', async (c) => {
    const result = webauthn.registerStart(await jsonBody<RegisterStartInput>(c))
    c.set('subject', { user_id: result.user_id })
    return ok(c, result)
  })

  api.post('/v1/webauthn/register', async (c) => {
    const body = await jsonBody<RegisterBody>(c)
    const result = await webauthn.register(
      body.user_id,
      body.public_key_credential,
      accessInput(body),
      backend,
    )
    noteSubject(c, result)
    return ok(c, result)
  })

  api.post('/v1/webauthn/authenticate/start', async (c) => {
    const body = await jsonBody<Omit<AuthenticateStartInput, 'user_verification'>>(c)
    const result = webauthn.authenticateStart(body)
    if (result.user_id) c.set('subject', { user_id: result.user_id })
    return ok(c, result)
  })

  api.post('/v1/webauthn/authenticate', async (c) => {
    const body = await jsonBody<AuthenticateBody>(c)
    const result = await webauthn.authenticate(
      body.public_key_credential,
      accessInput(body),
      backend,
    )
    noteSubject(c, result)
    return ok(c, result)
  })

  api.put('/v1/webauthn/:webauthn_registration_id', async (c) => {
    const { params, body } = await readInput(c)
    const result = webauthn.update(params.webauthn_registration_id!, body.name as string)
    c.set('subject', { user_id: result.user_id })
    return ok(c, { webauthn_registration: result.webauthn_registration })
  })

  api.get('/v1/webauthn/credentials/:user_id/:domain', async (c) => {
    const { params } = await readInput(c)
    const { user_id, credentials } = webauthn.listCredentials(params.user_id!, params.domain!)
    c.set('subject', { user_id })
    return ok(c, { credentials })
  })

  // The frontend's twins: the session (Basic auth or the cookies) names the user, checked before
  // the request's input, as Stytch answers 401 first.
  const sdk = new Hono<AppEnv>()
  const { data, caller, loginCaller, loggedIn } = sdkCaller(config)

  sdk.post('/sdk/v1/webauthn/register/start', async (c) => {
    const session = caller(c, 'CONSUMER')
    const body = await jsonBody<Omit<RegisterStartInput, 'user_id'>>(c)
    const userId = await webauthn.privilegedCaller(session)
    c.set('subject', { user_id: userId })
    return data(c, webauthn.registerStart({ ...body, user_id: userId }))
  })

  // The registration's factor joins the caller's session.
  sdk.post('/sdk/v1/webauthn/register', async (c) => {
    const session = caller(c, 'CONSUMER')
    const body = await jsonBody<SdkLoginBody>(c)
    const { user_id } = await consumer.userOf(session)
    const input = { ...session, session_duration_minutes: body.session_duration_minutes }
    const result = await webauthn.register(
      user_id,
      body.public_key_credential,
      input,
      frontend(c),
      SDK,
    )
    return loggedIn(c, result)
  })

  // primary: no session, any discoverable credential; secondary: the session's user's.
  sdk.post('/sdk/v1/webauthn/authenticate/start/primary', async (c) => {
    loginCaller(c, 'CONSUMER')
    const body = await jsonBody<SdkStartBody>(c)
    return data(c, webauthn.authenticateStart(body))
  })

  sdk.post('/sdk/v1/webauthn/authenticate/start/secondary', async (c) => {
    const session = caller(c, 'CONSUMER')
    const body = await jsonBody<SdkStartBody>(c)
    const { user_id } = await consumer.userOf(session)
    c.set('subject', { user_id })
    return data(c, webauthn.authenticateStart({ ...body, user_id }))
  })

  // With a session along, the factor is added to it (step-up); else a new session.
  sdk.post('/sdk/v1/webauthn/authenticate', async (c) => {
    const session = loginCaller(c, 'CONSUMER') ?? {}
    const body = await jsonBody<SdkLoginBody>(c)
    const input = { ...session, session_duration_minutes: body.session_duration_minutes }
    const result = await webauthn.authenticate(body.public_key_credential, input, frontend(c), SDK)
    return loggedIn(c, result)
  })

  sdk.put('/sdk/v1/webauthn/update/:webauthn_registration_id', async (c) => {
    const session = caller(c, 'CONSUMER')
    const { params, body } = await readInput(c)
    const { user_id } = await consumer.userOf(session)
    c.set('subject', { user_id })
    const result = webauthn.update(params.webauthn_registration_id!, body.name as string, user_id)
    return data(c, { webauthn_registration: result.webauthn_registration })
  })

  return { api, sdk }
}
