// B2B email magic links, organization-scoped: /v1/b2b/magic_links/email/login_or_signup,
// /v1/b2b/magic_links/authenticate and their /sdk/v1 twins. The organization's policies decide
// between a member session and an intermediate session (member_authenticated false,
// mfa_required / primary_required). Invites: /v1/b2b/magic_links/email/invite and its /sdk/v1
// twin, which a logged-in member calls for its own organization; both are RBAC-checked
// (stytch.member create) when a member asks.
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
import type { MemberActions } from '../b2b-sessions/member-actions.js'
import type { InviteInput, MemberMagicLinks } from './magic-links.js'

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

const inviteInput = (body: InviteInput): InviteInput => ({
  organization_id: body.organization_id,
  email_address: body.email_address,
  invite_redirect_url: body.invite_redirect_url,
  invited_by_member_id: body.invited_by_member_id,
  name: body.name,
  trusted_metadata: body.trusted_metadata,
  untrusted_metadata: body.untrusted_metadata,
  roles: body.roles,
  invite_expiration_minutes: body.invite_expiration_minutes,
})

export function b2bMagicLinkRoutes({
  config,
  b2bMagicLinks,
  memberActions,
}: Platform & { b2bMagicLinks: MemberMagicLinks; memberActions: MemberActions }) {
  const api = new Hono<AppEnv>()
  const mayInvite = (
    session: Parameters<MemberActions['authorize']>[0],
    organization_id?: string,
  ) =>
    memberActions.authorize(session, {
      organization_id,
      resource_id: 'stytch.member',
      action: 'create',
    })

  api.post('/v1/b2b/magic_links/email/invite', async (c) => {
    const input = inviteInput(await jsonBody<InviteInput>(c))
    const session = memberActions.fromHeaders(c)
    const caller = session && (await mayInvite(session, input.organization_id))
    const result = b2bMagicLinks.invite({
      ...input,
      invited_by_member_id: input.invited_by_member_id ?? caller?.member.member_id,
    })
    c.set('subject', { member_id: result.member_id })
    return ok(c, result)
  })

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
  const { data, caller, loginCaller, memberLoggedIn, memberLoginInput } = sdkCaller(config)

  sdk.post('/sdk/v1/b2b/magic_links/email/login_or_signup', async (c) => {
    loginCaller(c, 'B2B')
    const { member_id } = await b2bMagicLinks.send(sendInput(await jsonBody<SendBody>(c)))
    c.set('subject', { member_id })
    return data(c)
  })

  // The organization is the caller's; the caller is the inviter; trusted metadata is the
  // backend's to set.
  sdk.post('/sdk/v1/b2b/magic_links/email/invite', async (c) => {
    const session = caller(c, 'B2B')
    const body = await jsonBody<Omit<InviteInput, 'organization_id' | 'trusted_metadata'>>(c)
    const { member, organization } = await mayInvite(session)
    const result = b2bMagicLinks.invite({
      ...inviteInput({ ...body, organization_id: organization.organization_id }),
      invited_by_member_id: member.member_id,
      trusted_metadata: undefined,
    })
    c.set('subject', { member_id: result.member_id })
    return data(c, result)
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
