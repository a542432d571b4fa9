// Consumer email magic links: /v1/magic_links/email/{login_or_create,send},
// /v1/magic_links/authenticate and their /sdk/v1 twins; the backend's invites
// (/v1/magic_links/email/{invite,revoke_invite}) and embeddable tokens (/v1/magic_links), which
// the frontend SDK does not offer.
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
import type { InviteInput, MagicLinks } from './magic-links.js'

interface SendBody extends TargetBody {
  email: string
  login_magic_link_url?: string
  signup_magic_link_url?: string
  login_expiration_minutes?: number
  signup_expiration_minutes?: number
  code_challenge?: string
}

const linkInput = (body: SendBody) => ({
  login_magic_link_url: body.login_magic_link_url,
  signup_magic_link_url: body.signup_magic_link_url,
  login_expiration_minutes: body.login_expiration_minutes,
  signup_expiration_minutes: body.signup_expiration_minutes,
  code_challenge: body.code_challenge,
})

export function magicLinkRoutes({ config, magicLinks }: Platform & { magicLinks: MagicLinks }) {
  const api = new Hono<AppEnv>()

  for (const [action, create] of [
    ['login_or_create', true],
    ['send', false],
  ] as const) {
    api.post(`/v1/magic_links/email/${action}`, async (c) => {
      const body = await jsonBody<SendBody>(c)
      const result = await magicLinks.send(body.email, {
        ...linkInput(body),
        ...sendFor(body, create),
      })
      c.set('subject', { user_id: result.user_id })
      const { user_created, ...sent } = result
      return ok(c, create ? { ...sent, user_created } : sent)
    })
  }

  api.post('/v1/magic_links/email/invite', async (c) => {
    const body = await jsonBody<InviteInput & { email: string }>(c)
    const result = magicLinks.invite(body.email, {
      name: body.name,
      trusted_metadata: body.trusted_metadata,
      untrusted_metadata: body.untrusted_metadata,
      invite_magic_link_url: body.invite_magic_link_url,
      invite_expiration_minutes: body.invite_expiration_minutes,
    })
    c.set('subject', { user_id: result.user_id })
    return ok(c, result)
  })

  api.post('/v1/magic_links/email/revoke_invite', async (c) => {
    magicLinks.revokeInvite((await jsonBody<{ email: string }>(c)).email)
    return ok(c)
  })

  api.post('/v1/magic_links', async (c) => {
    const body = await jsonBody<{ user_id: string; expiration_minutes?: number }>(c)
    const result = magicLinks.create(body.user_id, body.expiration_minutes)
    c.set('subject', { user_id: result.user_id })
    return ok(c, result)
  })

  api.post('/v1/magic_links/authenticate', async (c) => {
    const body = await jsonBody<AccessBody & { token: string; code_verifier?: string }>(c)
    const result = await magicLinks.authenticate(body.token, body.code_verifier, accessInput(body))
    noteSubject(c, result)
    return ok(c, result)
  })

  const sdk = new Hono<AppEnv>()
  const { data, loginCaller, loggedIn, sendTarget } = sdkCaller(config)

  for (const path of SEND_PATHS) {
    sdk.post(`/sdk/v1/magic_links/email/${path}`, async (c) => {
      const target = sendTarget(c, path)
      const body = await jsonBody<SendBody>(c)
      const { user_id } = await magicLinks.send(body.email, { ...linkInput(body), ...target }, SDK)
      c.set('subject', { user_id })
      return data(c)
    })
  }

  sdk.post('/sdk/v1/magic_links/authenticate', async (c) => {
    const body = await jsonBody<{
      token: string
      code_verifier?: string
      session_duration_minutes?: number
    }>(c)
    const session = loginCaller(c, 'CONSUMER') ?? {}
    const result = await magicLinks.authenticate(
      body.token,
      body.code_verifier,
      { ...session, session_duration_minutes: body.session_duration_minutes },
      SDK,
    )
    return loggedIn(c, result)
  })

  return { api, sdk }
}
