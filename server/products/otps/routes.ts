// Consumer one-time passcodes: /v1/otps/{email,sms,whatsapp}/{login_or_create,send},
// /v1/otps/authenticate and their /sdk/v1 twins (the frontend's `token` is the backend's `code`).
import { Hono } from 'hono'
import type { Platform } from '../../platform/platform.js'
import { accessInput, jsonBody, type AccessBody } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import {
  noteSubject,
  sendFor,
  type SendBody as TargetBody,
} from '../../platform/http/login-answers.js'
import { sdkCaller, SEND_PATHS } from '../../platform/http/sdk-caller.js'
import { SDK } from '../../platform/sessions/core.js'
import type { Passcodes } from './passcodes.js'

const CHANNELS = { email: 'email', sms: 'phone_number', whatsapp: 'phone_number' } as const

interface SendBody extends TargetBody {
  email?: string
  phone_number?: string
  expiration_minutes?: number
}

export function otpRoutes({ config, passcodes }: Platform & { passcodes: Passcodes }) {
  const api = new Hono<AppEnv>()

  for (const [channel, field] of Object.entries(CHANNELS) as [keyof typeof CHANNELS, string][]) {
    for (const [action, create] of [
      ['login_or_create', true],
      ['send', false],
    ] as const) {
      api.post(`/v1/otps/${channel}/${action}`, async (c) => {
        const body = await jsonBody<SendBody>(c)
        const { user_created, ...sent } = await passcodes.send(channel, body[field as 'email']!, {
          ...sendFor(body, create),
          expiration_minutes: body.expiration_minutes,
        })
        c.set('subject', { user_id: sent.user_id })
        // The backend's answer names the address's id, not method_id (the frontend's does).
        const { method_id, ...answer } = sent
        return ok(c, create ? { ...answer, user_created } : answer)
      })
    }
  }

  api.post('/v1/otps/authenticate', async (c) => {
    const body = await jsonBody<AccessBody & { method_id: string; code: string }>(c)
    const result = await passcodes.authenticate(body.method_id, body.code, accessInput(body))
    noteSubject(c, result)
    return ok(c, result)
  })

  const sdk = new Hono<AppEnv>()
  const { data, loginCaller, loggedIn, sendTarget } = sdkCaller(config)

  for (const [channel, field] of Object.entries(CHANNELS) as [keyof typeof CHANNELS, string][]) {
    for (const path of SEND_PATHS) {
      sdk.post(`/sdk/v1/otps/${channel}/${path}`, async (c) => {
        const target = sendTarget(c, path)
        const body = await jsonBody<SendBody>(c)
        const { method_id, user_id } = await passcodes.send(
          channel,
          body[field as 'email']!,
          { ...target, expiration_minutes: body.expiration_minutes },
          SDK,
        )
        c.set('subject', { user_id })
        return data(c, { method_id })
      })
    }
  }

  sdk.post('/sdk/v1/otps/authenticate', async (c) => {
    const body = await jsonBody<{
      method_id: string
      token: string
      session_duration_minutes?: number
    }>(c)
    const session = loginCaller(c, 'CONSUMER') ?? {}
    const result = await passcodes.authenticate(
      body.method_id,
      body.token,
      { ...session, session_duration_minutes: body.session_duration_minutes },
      SDK,
    )
    return loggedIn(c, result)
  })

  return { api, sdk }
}
