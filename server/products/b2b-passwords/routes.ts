// B2B passwords: /v1/b2b/passwords/{authenticate, strength_check, migrate, email/reset/start,
// email/reset, email/require_reset, existing_password/reset, session/reset, discovery/...} and
// their /sdk/v1 twins.
import { Hono } from 'hono'
import type { Platform } from '../../platform/platform.js'
import { jsonBody } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import {
  b2bSessionInput,
  noteMember,
  type B2BSessionBody,
} from '../../platform/http/login-answers.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import { SDK } from '../../platform/sessions/core.js'
import type {
  DiscoveryResetStart,
  MemberMigrateInput,
  MemberPasswords,
  MemberResetStart,
} from './passwords.js'

type AuthenticateBody = B2BSessionBody & {
  organization_id: string
  email_address: string
  password: string
}
type ResetBody = B2BSessionBody & {
  password_reset_token: string
  password: string
  code_verifier?: string
}
type ExistingBody = B2BSessionBody & {
  organization_id: string
  email_address: string
  existing_password: string
  new_password: string
}
type SessionResetBody = B2BSessionBody & { organization_id?: string; password: string }
type StrengthBody = { password: string; email_address?: string }
type DiscoveryResetBody = {
  password_reset_token: string
  password: string
  pkce_code_verifier?: string
}

const resetStart = (body: MemberResetStart): MemberResetStart => ({
  organization_id: body.organization_id,
  email_address: body.email_address,
  reset_password_redirect_url: body.reset_password_redirect_url,
  reset_password_expiration_minutes: body.reset_password_expiration_minutes,
  code_challenge: body.code_challenge,
})
const discoveryResetStart = (body: DiscoveryResetStart): DiscoveryResetStart => ({
  email_address: body.email_address,
  reset_password_redirect_url: body.reset_password_redirect_url,
  reset_password_expiration_minutes: body.reset_password_expiration_minutes,
  pkce_code_challenge: body.pkce_code_challenge,
})

export function b2bPasswordRoutes({
  config,
  memberPasswords: passwords,
}: Platform & { memberPasswords: MemberPasswords }) {
  const api = new Hono<AppEnv>()

  api.post('/v1/b2b/passwords/authenticate', async (c) => {
    const body = await jsonBody<AuthenticateBody>(c)
    const result = await passwords.authenticate(body, b2bSessionInput(body))
    noteMember(c, result)
    return ok(c, result)
  })

  api.post('/v1/b2b/passwords/strength_check', async (c) => {
    const body = await jsonBody<StrengthBody>(c)
    return ok(c, await passwords.strength(body.password, body.email_address))
  })

  api.post('/v1/b2b/passwords/migrate', async (c) => {
    const result = passwords.migrate(await jsonBody<MemberMigrateInput>(c))
    c.set('subject', { member_id: result.member_id })
    return ok(c, result)
  })

  api.post('/v1/b2b/passwords/email/reset/start', async (c) => {
    const result = passwords.resetStart(resetStart(await jsonBody<MemberResetStart>(c)))
    c.set('subject', { member_id: result.member_id })
    return ok(c, result)
  })

  api.post('/v1/b2b/passwords/email/reset', async (c) => {
    const body = await jsonBody<ResetBody>(c)
    const result = await passwords.resetByEmail(
      body.password_reset_token,
      body.password,
      body.code_verifier,
      b2bSessionInput(body),
    )
    noteMember(c, result)
    return ok(c, result)
  })

  api.post('/v1/b2b/passwords/email/require_reset', async (c) => {
    const result = passwords.requireReset(
      await jsonBody<{ email_address: string; organization_id?: string; member_id?: string }>(c),
    )
    if (result.member_id) c.set('subject', { member_id: result.member_id })
    return ok(c, result)
  })

  api.post('/v1/b2b/passwords/existing_password/reset', async (c) => {
    const body = await jsonBody<ExistingBody>(c)
    const result = await passwords.resetByExistingPassword(body, b2bSessionInput(body))
    noteMember(c, result)
    return ok(c, result)
  })

  api.post('/v1/b2b/passwords/session/reset', async (c) => {
    const body = await jsonBody<SessionResetBody>(c)
    const result = await passwords.resetBySession(body, b2bSessionInput(body))
    noteMember(c, result)
    return ok(c, result)
  })

  api.post('/v1/b2b/passwords/discovery/authenticate', async (c) => {
    const body = await jsonBody<{ email_address: string; password: string }>(c)
    return ok(c, await passwords.discoveryAuthenticate(body.email_address, body.password))
  })

  api.post('/v1/b2b/passwords/discovery/email/reset/start', async (c) => {
    passwords.discoveryResetStart(discoveryResetStart(await jsonBody<DiscoveryResetStart>(c)))
    return ok(c)
  })

  api.post('/v1/b2b/passwords/discovery/email/reset', async (c) => {
    const body = await jsonBody<DiscoveryResetBody>(c)
    return ok(
      c,
      await passwords.discoveryReset(
        body.password_reset_token,
        body.password,
        body.pkce_code_verifier,
      ),
    )
  })

  const sdk = new Hono<AppEnv>()
  const { data, caller, loginCaller, handOver, memberLoggedIn, memberLoginInput } =
    sdkCaller(config)
  /** A discovery answer: the new intermediate session handed over (its cookie in HttpOnly mode). */
  const discovered = (
    c: Parameters<typeof data>[0],
    result: { intermediate_session_token: string },
  ) => data(c, handOver(c, result, undefined))

  sdk.post('/sdk/v1/b2b/passwords/authenticate', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<AuthenticateBody>(c)
    const result = await passwords.authenticate(body, memberLoginInput(c, body), SDK)
    return memberLoggedIn(c, result)
  })

  sdk.post('/sdk/v1/b2b/passwords/strength_check', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<StrengthBody>(c)
    return data(c, await passwords.strength(body.password, body.email_address))
  })

  sdk.post('/sdk/v1/b2b/passwords/email/reset/start', async (c) => {
    loginCaller(c, 'B2B')
    const result = passwords.resetStart(resetStart(await jsonBody<MemberResetStart>(c)))
    c.set('subject', { member_id: result.member_id })
    return data(c)
  })

  sdk.post('/sdk/v1/b2b/passwords/email/reset', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<ResetBody>(c)
    const result = await passwords.resetByEmail(
      body.password_reset_token,
      body.password,
      body.code_verifier,
      memberLoginInput(c, body),
      SDK,
    )
    return memberLoggedIn(c, result)
  })

  sdk.post('/sdk/v1/b2b/passwords/existing_password/reset', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<ExistingBody>(c)
    const result = await passwords.resetByExistingPassword(body, memberLoginInput(c, body), SDK)
    return memberLoggedIn(c, result)
  })

  // The SDK sends no token and no organization: the session is the caller's (Basic auth or
  // cookies).
  sdk.post('/sdk/v1/b2b/passwords/session/reset', async (c) => {
    const session = caller(c, 'B2B')
    const body = await jsonBody<SessionResetBody>(c)
    const result = await passwords.resetBySession({ password: body.password }, session)
    return memberLoggedIn(c, result)
  })

  sdk.post('/sdk/v1/b2b/passwords/discovery/authenticate', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<{ email_address: string; password: string }>(c)
    return discovered(c, await passwords.discoveryAuthenticate(body.email_address, body.password))
  })

  sdk.post('/sdk/v1/b2b/passwords/discovery/reset/start', async (c) => {
    loginCaller(c, 'B2B')
    passwords.discoveryResetStart(discoveryResetStart(await jsonBody<DiscoveryResetStart>(c)))
    return data(c)
  })

  sdk.post('/sdk/v1/b2b/passwords/discovery/reset', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<DiscoveryResetBody>(c)
    const result = await passwords.discoveryReset(
      body.password_reset_token,
      body.password,
      body.pkce_code_verifier,
    )
    return discovered(c, result)
  })

  return { api, sdk }
}
