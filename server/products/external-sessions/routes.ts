// /v1/sessions/attest, /v1/b2b/sessions/attest (and their /sdk/v1 twins), /v1/sessions/migrate,
// /v1/b2b/sessions/migrate.
import { Hono } from 'hono'
import type { Platform } from '../../platform/platform.js'
import { accessInput, jsonBody, type AccessBody } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import {
  b2bSessionInput,
  noteMember,
  noteSubject,
  type B2BSessionBody,
} from '../../platform/http/login-answers.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import { SDK } from '../../platform/sessions/core.js'
import type { ExternalSessions } from './external.js'

type AttestBody = AccessBody & { profile_id: string; token: string }
type B2BAttestBody = B2BSessionBody & {
  profile_id: string
  token: string
  organization_id?: string
}

export function externalSessionRoutes({
  config,
  externalSessions: external,
}: Platform & { externalSessions: ExternalSessions }) {
  const api = new Hono<AppEnv>()
  api.post('/v1/sessions/attest', async (c) => {
    const body = await jsonBody<AttestBody>(c)
    const result = await external.attest(body.profile_id, body.token, accessInput(body))
    noteSubject(c, result)
    return ok(c, result)
  })
  api.post('/v1/b2b/sessions/attest', async (c) => {
    const body = await jsonBody<B2BAttestBody>(c)
    const result = await external.attestMember(
      body.profile_id,
      body.token,
      body.organization_id,
      b2bSessionInput(body),
    )
    noteMember(c, result)
    return ok(c, result)
  })
  api.post('/v1/sessions/migrate', async (c) => {
    const body = await jsonBody<AccessBody & { session_token: string }>(c)
    const result = await external.migrate(body.session_token, {
      session_duration_minutes: body.session_duration_minutes,
      session_custom_claims: body.session_custom_claims,
    })
    noteSubject(c, result)
    return ok(c, result)
  })
  api.post('/v1/b2b/sessions/migrate', async (c) => {
    const body = await jsonBody<
      B2BSessionBody & { session_token: string; organization_id: string }
    >(c)
    const result = await external.migrateMember(body.session_token, body.organization_id, {
      session_duration_minutes: body.session_duration_minutes,
      session_custom_claims: body.session_custom_claims,
    })
    noteMember(c, result)
    return ok(c, result)
  })

  const sdk = new Hono<AppEnv>()
  const { loginCaller, loggedIn, memberLoggedIn, memberLoginInput } = sdkCaller(config)
  sdk.post('/sdk/v1/sessions/attest', async (c) => {
    const session = loginCaller(c, 'CONSUMER') ?? {}
    const body = await jsonBody<{
      profile_id: string
      token: string
      session_duration_minutes?: number
    }>(c)
    const result = await external.attest(
      body.profile_id,
      body.token,
      { ...session, session_duration_minutes: body.session_duration_minutes },
      SDK,
    )
    return loggedIn(c, result)
  })
  sdk.post('/sdk/v1/b2b/sessions/attest', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<B2BAttestBody>(c)
    const result = await external.attestMember(
      body.profile_id,
      body.token,
      body.organization_id,
      memberLoginInput(c, body),
      SDK,
    )
    return memberLoggedIn(c, result)
  })

  return { api, sdk }
}
