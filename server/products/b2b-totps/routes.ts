// B2B TOTP: /v1/b2b/totp, /v1/b2b/totp/{authenticate, migrate}, and the frontend SDK's
// /sdk/v1/b2b/totp and /sdk/v1/b2b/totp/authenticate (the SDK sends its stored intermediate
// session; the session comes from Basic auth or the cookies).
import { Hono } from 'hono'
import { jsonBody } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import {
  b2bSessionInput,
  noteMember,
  type B2BSessionBody,
} from '../../platform/http/login-answers.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import type { Platform } from '../../platform/platform.js'
import { SDK } from '../../platform/sessions/core.js'
import type {
  MemberTotps,
  TotpAuthenticateInput,
  TotpCreateInput,
  TotpMigrateInput,
} from './totps.js'

type CreateBody = B2BSessionBody & TotpCreateInput
type AuthenticateBody = B2BSessionBody & TotpAuthenticateInput

const createInput = (body: CreateBody): TotpCreateInput => ({
  organization_id: body.organization_id,
  member_id: body.member_id,
  expiration_minutes: body.expiration_minutes,
})
const authenticateInput = (body: AuthenticateBody): TotpAuthenticateInput => ({
  organization_id: body.organization_id,
  member_id: body.member_id,
  code: body.code,
  set_mfa_enrollment: body.set_mfa_enrollment,
  set_default_mfa: body.set_default_mfa,
})

export function b2bTotpRoutes({ config, memberTotps }: Platform & { memberTotps: MemberTotps }) {
  const api = new Hono<AppEnv>()

  api.post('/v1/b2b/totp', async (c) => {
    const body = await jsonBody<CreateBody>(c)
    const result = await memberTotps.create(createInput(body), b2bSessionInput(body))
    c.set('subject', { member_id: result.member_id })
    return ok(c, result)
  })

  api.post('/v1/b2b/totp/authenticate', async (c) => {
    const body = await jsonBody<AuthenticateBody>(c)
    const result = await memberTotps.authenticate(authenticateInput(body), b2bSessionInput(body))
    noteMember(c, result)
    return ok(c, result)
  })

  api.post('/v1/b2b/totp/migrate', async (c) => {
    const result = memberTotps.migrate(await jsonBody<TotpMigrateInput>(c))
    c.set('subject', { member_id: result.member_id })
    return ok(c, result)
  })

  const sdk = new Hono<AppEnv>()
  const { data, loginCaller, memberLoggedIn, memberLoginInput } = sdkCaller(config)

  sdk.post('/sdk/v1/b2b/totp', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<CreateBody>(c)
    const result = await memberTotps.create(createInput(body), memberLoginInput(c, body), SDK)
    c.set('subject', { member_id: result.member_id })
    return data(c, result)
  })

  sdk.post('/sdk/v1/b2b/totp/authenticate', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<AuthenticateBody>(c)
    const result = await memberTotps.authenticate(
      authenticateInput(body),
      memberLoginInput(c, body),
      SDK,
    )
    return memberLoggedIn(c, result)
  })

  return { api, sdk }
}
