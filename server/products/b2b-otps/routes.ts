// B2B passcodes: email, organization-scoped (/v1/b2b/otps/email/login_or_signup,
// /v1/b2b/otps/email/authenticate), and SMS, a member's second factor (/v1/b2b/otps/sms/send,
// /v1/b2b/otps/sms/authenticate); each with its /sdk/v1 twin.
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
import type { MemberPasscodes } from './passcodes.js'
import type { MemberSmsPasscodes } from './sms.js'

interface SendBody {
  organization_id: string
  email_address: string
  login_expiration_minutes?: number
  signup_expiration_minutes?: number
}
type AuthenticateBody = B2BSessionBody & {
  organization_id: string
  email_address: string
  code: string
}

interface SmsSendBody extends B2BSessionBody {
  organization_id: string
  member_id: string
  mfa_phone_number?: string
}
type SmsAuthenticateBody = B2BSessionBody & {
  organization_id: string
  member_id: string
  code: string
  set_mfa_enrollment?: 'enroll' | 'unenroll'
  set_default_mfa?: boolean
}

const smsSendInput = (body: SmsSendBody) => ({
  organization_id: body.organization_id,
  member_id: body.member_id,
  mfa_phone_number: body.mfa_phone_number ?? undefined,
})
const smsAuthenticateInput = (body: SmsAuthenticateBody) => ({
  organization_id: body.organization_id,
  member_id: body.member_id,
  code: body.code,
  set_mfa_enrollment: body.set_mfa_enrollment ?? undefined,
  set_default_mfa: body.set_default_mfa ?? undefined,
})

const sendInput = (body: SendBody) => ({
  organization_id: body.organization_id,
  email_address: body.email_address,
  login_expiration_minutes: body.login_expiration_minutes,
  signup_expiration_minutes: body.signup_expiration_minutes,
})

export function b2bOtpRoutes({
  config,
  b2bPasscodes,
  b2bSmsPasscodes,
}: Platform & { b2bPasscodes: MemberPasscodes; b2bSmsPasscodes: MemberSmsPasscodes }) {
  const api = new Hono<AppEnv>()

  api.post('/v1/b2b/otps/email/login_or_signup', async (c) => {
    const result = b2bPasscodes.send(sendInput(await jsonBody<SendBody>(c)))
    c.set('subject', { member_id: result.member_id })
    return ok(c, result)
  })

  api.post('/v1/b2b/otps/email/authenticate', async (c) => {
    const body = await jsonBody<AuthenticateBody>(c)
    const result = await b2bPasscodes.authenticate({
      organization_id: body.organization_id,
      email_address: body.email_address,
      code: body.code,
      ...b2bSessionInput(body),
    })
    noteMember(c, result)
    return ok(c, result)
  })

  api.post('/v1/b2b/otps/sms/send', async (c) => {
    const body = await jsonBody<SmsSendBody>(c)
    const result = await b2bSmsPasscodes.send({ ...smsSendInput(body), ...b2bSessionInput(body) })
    c.set('subject', { member_id: result.member_id })
    return ok(c, result)
  })

  api.post('/v1/b2b/otps/sms/authenticate', async (c) => {
    const body = await jsonBody<SmsAuthenticateBody>(c)
    const result = await b2bSmsPasscodes.authenticate({
      ...smsAuthenticateInput(body),
      ...b2bSessionInput(body),
    })
    noteMember(c, result)
    return ok(c, result)
  })

  const sdk = new Hono<AppEnv>()
  const { data, loginCaller, memberLoggedIn, memberLoginInput } = sdkCaller(config)

  sdk.post('/sdk/v1/b2b/otps/email/login_or_signup', async (c) => {
    loginCaller(c, 'B2B')
    const { member_id } = b2bPasscodes.send(sendInput(await jsonBody<SendBody>(c)))
    c.set('subject', { member_id })
    return data(c)
  })

  sdk.post('/sdk/v1/b2b/otps/email/authenticate', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<AuthenticateBody>(c)
    const result = await b2bPasscodes.authenticate(
      {
        organization_id: body.organization_id,
        email_address: body.email_address,
        code: body.code,
        ...memberLoginInput(c, body),
      },
      SDK,
    )
    return memberLoggedIn(c, result)
  })

  sdk.post('/sdk/v1/b2b/otps/sms/send', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<SmsSendBody>(c)
    const { member_id } = await b2bSmsPasscodes.send(
      { ...smsSendInput(body), ...memberLoginInput(c, body) },
      SDK,
    )
    c.set('subject', { member_id })
    return data(c)
  })

  sdk.post('/sdk/v1/b2b/otps/sms/authenticate', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<SmsAuthenticateBody>(c)
    const result = await b2bSmsPasscodes.authenticate(
      { ...smsAuthenticateInput(body), ...memberLoginInput(c, body) },
      SDK,
    )
    return memberLoggedIn(c, result)
  })

  return { api, sdk }
}
