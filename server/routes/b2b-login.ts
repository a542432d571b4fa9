// /v1/b2b/magic_links and /v1/b2b/otps/email: organization-scoped B2B logins, as the stytch Node
// SDK calls them. The organization's policies decide between a member session and an
// intermediate session (member_authenticated false, mfa_required / primary_required).
import { Hono, type Context } from 'hono'
import type { JsonObject } from '../sessions/claims.js'
import {
  jsonBody,
  optionalInteger,
  optionalObject,
  optionalString,
  requiredString,
} from './body.js'
import { ok, type AppEnv, type Deps } from './env.js'

export const b2bSessionInput = (body: JsonObject) => ({
  session_token: optionalString(body, 'session_token'),
  session_jwt: optionalString(body, 'session_jwt'),
  intermediate_session_token: optionalString(body, 'intermediate_session_token') || undefined,
  session_duration_minutes: optionalInteger(body, 'session_duration_minutes'),
  session_custom_claims: optionalObject(body, 'session_custom_claims'),
})

export const b2bLinkInput = (body: JsonObject) => ({
  organization_id: requiredString(body, 'organization_id'),
  email_address: requiredString(body, 'email_address'),
  login_redirect_url: optionalString(body, 'login_redirect_url'),
  signup_redirect_url: optionalString(body, 'signup_redirect_url'),
  login_expiration_minutes: optionalInteger(body, 'login_expiration_minutes'),
  signup_expiration_minutes: optionalInteger(body, 'signup_expiration_minutes'),
  pkce_code_challenge: optionalString(body, 'pkce_code_challenge'),
})

export const b2bPasscodeInput = (body: JsonObject) => ({
  organization_id: requiredString(body, 'organization_id'),
  email_address: requiredString(body, 'email_address'),
  login_expiration_minutes: optionalInteger(body, 'login_expiration_minutes'),
  signup_expiration_minutes: optionalInteger(body, 'signup_expiration_minutes'),
})

/** The member (and session) a B2B login answered about, for the request journal. */
export function noteMember(
  c: Context<AppEnv>,
  result: { member_id: string; member_session?: { member_session_id: string } | null },
) {
  c.set('subject', {
    member_id: result.member_id,
    ...(result.member_session ? { session_id: result.member_session.member_session_id } : {}),
  })
}

export function b2bLoginRoutes({ memberLogins }: Deps) {
  const app = new Hono<AppEnv>()

  app.post('/v1/b2b/magic_links/email/login_or_signup', async (c) => {
    const result = await memberLogins.sendMagicLink(b2bLinkInput(await jsonBody(c)))
    c.set('subject', { member_id: result.member_id })
    return ok(c, result)
  })

  app.post('/v1/b2b/magic_links/authenticate', async (c) => {
    const body = await jsonBody(c)
    optionalString(body, 'locale')
    const result = await memberLogins.authenticateMagicLink(
      requiredString(body, 'magic_links_token'),
      optionalString(body, 'pkce_code_verifier'),
      b2bSessionInput(body),
    )
    noteMember(c, result)
    return ok(c, result)
  })

  app.post('/v1/b2b/otps/email/login_or_signup', async (c) => {
    const result = memberLogins.sendPasscode(b2bPasscodeInput(await jsonBody(c)))
    c.set('subject', { member_id: result.member_id })
    return ok(c, result)
  })

  app.post('/v1/b2b/otps/email/authenticate', async (c) => {
    const body = await jsonBody(c)
    optionalString(body, 'locale')
    const result = await memberLogins.authenticatePasscode({
      organization_id: requiredString(body, 'organization_id'),
      email_address: requiredString(body, 'email_address'),
      code: requiredString(body, 'code'),
      ...b2bSessionInput(body),
    })
    noteMember(c, result)
    return ok(c, result)
  })

  return app
}
