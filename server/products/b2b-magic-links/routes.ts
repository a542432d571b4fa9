// B2B email magic links, organization-scoped: /v1/b2b/magic_links/email/login_or_signup,
// /v1/b2b/magic_links/authenticate and their /sdk/v1 twins. The organization's policies decide
// between a member session and an intermediate session (member_authenticated false,
// mfa_required / primary_required).
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
import type { MemberMagicLinks } from './magic-links.js'

interface SendBody {
  organization_id: string
  email_address: string
  login_redirect_url?: string
  signup_redirect_url?: string
  login_expiration_minutes?: number
  signup_expiration_minutes?: number
  pkce_code_challenge?: string
}
type AuthenticateBody = B2BSessionBody & { magic_links_token: string; pkce_code_verifier?: string }

const sendInput = (body: SendBody) => ({
  organization_id: body.organization_id,
  email_address: body.email_address,
  login_redirect_url: body.login_redirect_url,
  signup_redirect_url: body.signup_redirect_url,
  login_expiration_minutes: body.login_expiration_minutes,
  signup_expiration_minutes: body.signup_expiration_minutes,
  pkce_code_challenge: body.pkce_code_challenge,
})

export function b2bMagicLinkRoutes({
  config,
  b2bMagicLinks,
}: Platform & { b2bMagicLinks: MemberMagicLinks }) {
  const api = new Hono<AppEnv>()

  api.post('/v1/b2b/magic_links/email/login_or_signup', async (c) => {
    const result = await b2bMagicLinks.send(sendInput(await jsonBody<SendBody>(c)))
    c.set('subject', { member_id: result.member_id })
    return ok(c, result)
  })

  api.post('/v1/b2b/magic_links/authenticate', async (c) => {
    const body = await jsonBody<AuthenticateBody>(c)
    const result = await b2bMagicLinks.authenticate(
      body.magic_links_token,
      body.pkce_code_verifier,
      b2bSessionInput(body),
    )
    noteMember(c, result)
    return ok(c, result)
  })

  const sdk = new Hono<AppEnv>()
  const { data, loginCaller, memberLoggedIn, memberLoginInput } = sdkCaller(config)

  sdk.post('/sdk/v1/b2b/magic_links/email/login_or_signup', async (c) => {
    loginCaller(c, 'B2B')
    const { member_id } = await b2bMagicLinks.send(sendInput(await jsonBody<SendBody>(c)))
    c.set('subject', { member_id })
    return data(c)
  })

  sdk.post('/sdk/v1/b2b/magic_links/authenticate', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<AuthenticateBody>(c)
    const result = await b2bMagicLinks.authenticate(
      body.magic_links_token,
      body.pkce_code_verifier,
      memberLoginInput(c, body),
      SDK,
    )
    return memberLoggedIn(c, result)
  })

  return { api, sdk }
}
