// B2B recovery codes: /v1/b2b/recovery_codes/{recover, rotate} and
// /v1/b2b/recovery_codes/{organization_id}/{member_id}; the frontend SDK's
// /sdk/v1/b2b/recovery_codes/{recover, rotate} and GET /sdk/v1/b2b/recovery_codes, the last two
// for the caller's own member (its session from Basic auth or the cookies).
import { type Context, Hono } from 'hono'
import { jsonBody, readInput } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import {
  b2bSessionInput,
  noteMember,
  type B2BSessionBody,
} from '../../platform/http/login-answers.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import type { Platform } from '../../platform/platform.js'
import { SDK } from '../../platform/sessions/core.js'
import type { MemberRecoveryCodes, RecoverInput } from './recovery-codes.js'

type RecoverBody = B2BSessionBody & RecoverInput
type MemberBody = { organization_id: string; member_id: string }

const recoverInput = (body: RecoverBody): RecoverInput => ({
  organization_id: body.organization_id,
  member_id: body.member_id,
  recovery_code: body.recovery_code,
})

export function b2bRecoveryCodeRoutes({
  config,
  members,
  memberRecoveryCodes: codes,
}: Platform & { memberRecoveryCodes: MemberRecoveryCodes }) {
  const api = new Hono<AppEnv>()

  api.post('/v1/b2b/recovery_codes/recover', async (c) => {
    const body = await jsonBody<RecoverBody>(c)
    const result = await codes.recover(recoverInput(body), b2bSessionInput(body))
    noteMember(c, result)
    return ok(c, result)
  })

  api.get('/v1/b2b/recovery_codes/:organization_id/:member_id', async (c) => {
    const { params } = await readInput(c)
    const result = codes.get(params.organization_id!, params.member_id!)
    c.set('subject', { member_id: result.member_id })
    return ok(c, result)
  })

  api.post('/v1/b2b/recovery_codes/rotate', async (c) => {
    const body = await jsonBody<MemberBody>(c)
    const result = codes.rotate(body.organization_id, body.member_id)
    c.set('subject', { member_id: result.member_id })
    return ok(c, result)
  })

  const sdk = new Hono<AppEnv>()
  const { data, caller, loginCaller, memberLoggedIn, memberLoginInput } = sdkCaller(config)

  /** The caller's member: its live member session (none: 401 unauthorized_credentials). */
  const me = async (c: Context<AppEnv>) => {
    const { member_session } = await members.authenticate(caller(c, 'B2B'))
    c.set('subject', {
      member_id: member_session.member_id,
      session_id: member_session.member_session_id,
    })
    return member_session
  }

  sdk.post('/sdk/v1/b2b/recovery_codes/recover', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<RecoverBody>(c)
    const result = await codes.recover(recoverInput(body), memberLoginInput(c, body), SDK)
    return memberLoggedIn(c, result)
  })

  sdk.post('/sdk/v1/b2b/recovery_codes/rotate', async (c) => {
    const session = await me(c)
    await readInput(c)
    const result = codes.rotate(session.organization_id, session.member_id)
    return data(c, { recovery_codes: result.recovery_codes })
  })

  sdk.get('/sdk/v1/b2b/recovery_codes', async (c) => {
    const session = await me(c)
    const result = codes.get(session.organization_id, session.member_id)
    return data(c, { recovery_codes: result.recovery_codes })
  })

  return { api, sdk }
}
