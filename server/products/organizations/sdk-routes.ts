// The frontend SDK's organization and member writes (/sdk/v1/b2b/organizations/...): the B2B
// client's organization.update and delete, organization.members.*, and self.*; each runs as the
// caller's member session, RBAC-checked as Stytch checks it. And what the pre-built admin portal
// reads besides: its configuration (/sdk/v1/b2b/admin_portal_config).
import type { Context, Hono } from 'hono'
import type { Config } from '../../config.js'
import type { Platform } from '../../platform/platform.js'
import { jsonBody, readInput } from '../../platform/http/body.js'
import type { AppEnv } from '../../platform/http/env.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import type { Actor } from '../b2b-sessions/member-actions.js'
import type { OrganizationServices } from './api-routes.js'
import type { EmailUpdateInput } from './email-updates.js'
import type { MemberUpdate, NewMemberInput } from './members.js'
import { UPDATE_ACTIONS, type OrganizationSettings } from './organizations.js'
import type { SearchPage } from './search.js'

/** What self.update may change (the SDK's B2BMemberUpdateOptions). */
type SelfUpdate = Pick<
  MemberUpdate,
  'name' | 'untrusted_metadata' | 'mfa_enrolled' | 'mfa_phone_number' | 'default_mfa_method'
>

// What the frontend SDK sends (its B2BOrganizationsUpdateOptions, B2BOrganizationsMembersCreate-
// and UpdateOptions): a field only the backend takes (external ids, trusted metadata, claimed
// domains) is not written from a browser.
const FRONTEND_SETTINGS = Object.keys(UPDATE_ACTIONS)
const FRONTEND_MEMBER_CREATE = [
  'email_address',
  'name',
  'untrusted_metadata',
  'create_member_as_pending',
  'is_breakglass',
  'mfa_phone_number',
  'mfa_enrolled',
  'roles',
]
const FRONTEND_MEMBER_UPDATE = [
  'name',
  'untrusted_metadata',
  'is_breakglass',
  'mfa_phone_number',
  'mfa_enrolled',
  'roles',
  'preserve_existing_sessions',
  'default_mfa_method',
  'email_address',
  'unlink_email',
]
const only = <T extends object>(body: T, fields: string[]): T =>
  Object.fromEntries(Object.entries(body).filter(([key]) => fields.includes(key))) as T

export function organizationSdkRoutes(
  sdk: Hono<AppEnv>,
  config: Config,
  s: OrganizationServices & Pick<Platform, 'rbac'>,
): void {
  const { organizationAdmin: orgs, memberAdmin: admin } = s
  const { data, caller, loginCaller, clearCookies } = sdkCaller(config)

  /** The caller's member session, as the actor of the write. */
  const me = async (c: Context<AppEnv>): Promise<Actor> => {
    const actor = await s.memberActions.actor(caller(c, 'B2B'))
    c.set('subject', { member_id: actor.member_id })
    return actor
  }
  const param = async (c: Context<AppEnv>, name: string) => (await readInput(c)).params[name]!
  const answer = (
    c: Context<AppEnv>,
    found: { member: { member_id: string }; organization: object },
  ) => data(c, { member_id: found.member.member_id, ...found })
  /** A write that ended the caller's own sessions: its cookies go too (HttpOnly mode). */
  const signedOut = (c: Context<AppEnv>, body: object) => {
    clearCookies(c)
    return data(c, body)
  }

  sdk.put('/sdk/v1/b2b/organizations/me', async (c) => {
    const actor = await me(c)
    const body = only(await jsonBody<OrganizationSettings>(c), FRONTEND_SETTINGS)
    return data(c, { organization: orgs.update(actor.organization_id, body, actor) })
  })

  sdk.delete('/sdk/v1/b2b/organizations/me', async (c) => {
    const actor = await me(c)
    return signedOut(c, { organization_id: orgs.delete(actor.organization_id, actor) })
  })

  sdk.post('/sdk/v1/b2b/organizations/members', async (c) => {
    const actor = await me(c)
    const body = only(await jsonBody<NewMemberInput>(c), FRONTEND_MEMBER_CREATE)
    return answer(c, admin.create(actor.organization_id, body, actor))
  })

  sdk.post('/sdk/v1/b2b/organizations/me/members/search', async (c) => {
    const actor = await me(c)
    const body = await jsonBody<SearchPage>(c)
    const { cursor, limit, query } = body
    return data(
      c,
      admin.search({ cursor, limit, query, organization_ids: [actor.organization_id] }, actor),
    )
  })

  // self.*: the caller's own member. The static paths before /members/{member_id}.
  sdk.put('/sdk/v1/b2b/organizations/members/update', async (c) => {
    const actor = await me(c)
    const body = await jsonBody<SelfUpdate>(c)
    const { name, untrusted_metadata, mfa_enrolled, mfa_phone_number, default_mfa_method } = body
    const patch = { name, untrusted_metadata, mfa_enrolled, mfa_phone_number, default_mfa_method }
    return answer(c, await admin.update(actor.organization_id, actor.member_id, patch, actor))
  })

  sdk.delete('/sdk/v1/b2b/organizations/members/deletePhoneNumber', async (c) => {
    const actor = await me(c)
    return answer(c, admin.deleteMFAPhoneNumber(actor.organization_id, actor.member_id, actor))
  })

  sdk.delete('/sdk/v1/b2b/organizations/members/deleteTOTP', async (c) => {
    const actor = await me(c)
    return answer(c, admin.deleteTOTP(actor.organization_id, actor.member_id, actor))
  })

  sdk.post('/sdk/v1/b2b/organizations/members/unlink_retired_email', async (c) => {
    const actor = await me(c)
    const body = await jsonBody<{ email_id?: string; email_address?: string }>(c)
    return answer(c, admin.unlinkRetiredEmail(actor.organization_id, actor.member_id, body, actor))
  })

  sdk.post('/sdk/v1/b2b/organizations/members/start_email_update', async (c) => {
    const actor = await me(c)
    const body = await jsonBody<EmailUpdateInput>(c)
    return answer(
      c,
      s.memberEmailUpdates.start(actor.organization_id, actor.member_id, body, actor),
    )
  })

  // self.deletePassword and organization.members.deletePassword: the same call.
  sdk.delete('/sdk/v1/b2b/organizations/members/passwords/:password_id', async (c) => {
    const actor = await me(c)
    const passwordId = await param(c, 'password_id')
    return answer(c, admin.deletePassword(actor.organization_id, passwordId, actor))
  })

  sdk.delete('/sdk/v1/b2b/organizations/members/mfa_phone_numbers/:member_id', async (c) => {
    const actor = await me(c)
    const memberId = await param(c, 'member_id')
    return answer(c, admin.deleteMFAPhoneNumber(actor.organization_id, memberId, actor))
  })

  sdk.delete('/sdk/v1/b2b/organizations/members/totp/:member_id', async (c) => {
    const actor = await me(c)
    const memberId = await param(c, 'member_id')
    return answer(c, admin.deleteTOTP(actor.organization_id, memberId, actor))
  })

  sdk.put('/sdk/v1/b2b/organizations/members/:member_id', async (c) => {
    const actor = await me(c)
    const memberId = await param(c, 'member_id')
    const body = only(await jsonBody<MemberUpdate>(c), FRONTEND_MEMBER_UPDATE)
    return answer(c, await admin.update(actor.organization_id, memberId, body, actor))
  })

  sdk.delete('/sdk/v1/b2b/organizations/members/:member_id', async (c) => {
    const actor = await me(c)
    const memberId = await param(c, 'member_id')
    const member_id = admin.delete(actor.organization_id, memberId, actor)
    return member_id === actor.member_id ? signedOut(c, { member_id }) : data(c, { member_id })
  })

  sdk.put('/sdk/v1/b2b/organizations/members/:member_id/reactivate', async (c) => {
    const actor = await me(c)
    const memberId = await param(c, 'member_id')
    return answer(c, admin.reactivate(actor.organization_id, memberId, actor))
  })

  sdk.post('/sdk/v1/b2b/organizations/members/:member_id/unlink_retired_email', async (c) => {
    const actor = await me(c)
    const memberId = await param(c, 'member_id')
    const body = await jsonBody<{ email_id?: string; email_address?: string }>(c)
    return answer(c, admin.unlinkRetiredEmail(actor.organization_id, memberId, body, actor))
  })

  sdk.post('/sdk/v1/b2b/organizations/members/:member_id/start_email_update', async (c) => {
    const actor = await me(c)
    const memberId = await param(c, 'member_id')
    const body = await jsonBody<EmailUpdateInput>(c)
    return answer(c, s.memberEmailUpdates.start(actor.organization_id, memberId, body, actor))
  })

  // What Stytch's pre-built admin portal asks before showing its screens: SSO (SAML and OIDC
  // connections), SCIM and MFA settings, all served.
  sdk.get('/sdk/v1/b2b/admin_portal_config', (c) => {
    loginCaller(c, 'B2B')
    return data(c, {
      sso_config: {
        sso_enabled: true,
        can_create_saml_connection: true,
        can_create_oidc_connection: true,
      },
      organization_config: { mfa_controls_enabled: true },
      scim_config: { scim_enabled: true },
    })
  })
}
