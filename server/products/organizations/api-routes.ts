// The backend API of organizations and members (/v1/b2b/organizations...): the B2B SDKs'
// `organizations` and `organizations.members`. A write may run as a member (RBAC-checked) when
// the X-Stytch-Member-Session or X-Stytch-Member-SessionJWT header names its session.
import type { Context, Hono } from 'hono'
import { jsonBody, readInput } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import type { MemberSessions } from '../../platform/sessions/b2b.js'
import type { Directory } from '../../platform/sessions/directory.js'
import type { Actor, MemberActions } from '../b2b-sessions/member-actions.js'
import type { EmailUpdateInput, EmailUpdates } from './email-updates.js'
import type { MemberAdmin, MemberUpdate, NewMemberInput } from './members.js'
import type { OrganizationAdmin, OrganizationSettings } from './organizations.js'
import type { ProviderId, ProviderTokenAnswers } from './provider-tokens.js'
import type { SearchPage } from './search.js'

export interface OrganizationServices {
  members: MemberSessions
  memberActions: MemberActions
  directory: Directory
  organizationAdmin: OrganizationAdmin
  memberAdmin: MemberAdmin
  memberEmailUpdates: EmailUpdates
  providerTokenAnswers: ProviderTokenAnswers
}

const PROVIDERS: ProviderId[] = ['google', 'microsoft', 'slack', 'hubspot', 'github']

/** Adds the routes to `api` (after the reads in routes.ts). */
export function organizationApiRoutes(api: Hono<AppEnv>, s: OrganizationServices): void {
  const { organizationAdmin: orgs, memberAdmin: admin } = s

  /** The member the request's session headers name, if any. */
  const actor = async (c: Context<AppEnv>): Promise<Actor | null> => {
    const session = s.memberActions.fromHeaders(c)
    if (!session) return null
    const who = await s.memberActions.actor(session)
    c.set('subject', { member_id: who.member_id })
    return who
  }
  const params = async (c: Context<AppEnv>) => (await readInput(c)).params
  const answer = (
    c: Context<AppEnv>,
    found: { member: { member_id: string }; organization: object },
  ) => {
    c.set('subject', { member_id: found.member.member_id })
    return ok(c, { member_id: found.member.member_id, ...found })
  }

  api.post('/v1/b2b/organizations', async (c) => {
    const body = await jsonBody<OrganizationSettings & { organization_name: string }>(c)
    return ok(c, { organization: orgs.create(body) })
  })

  api.post('/v1/b2b/organizations/search', async (c) =>
    ok(c, orgs.search(await jsonBody<SearchPage>(c))),
  )

  api.put('/v1/b2b/organizations/:organization_id', async (c) => {
    const { organization_id } = await params(c)
    const body = await jsonBody<OrganizationSettings>(c)
    return ok(c, { organization: orgs.update(organization_id!, body, await actor(c)) })
  })

  api.delete('/v1/b2b/organizations/:organization_id', async (c) => {
    const { organization_id } = await params(c)
    return ok(c, { organization_id: orgs.delete(organization_id!, await actor(c)) })
  })

  api.get('/v1/b2b/organizations/:organization_id/metrics', async (c) => {
    const { organization_id } = await params(c)
    return ok(c, orgs.metrics(organization_id!))
  })

  api.delete('/v1/b2b/organizations/:organization_id/external_id', async (c) => {
    const { organization_id } = await params(c)
    return ok(c, { organization: orgs.deleteExternalId(organization_id!, await actor(c)) })
  })

  api.post('/v1/b2b/organizations/members/search', async (c) => {
    const body = await jsonBody<SearchPage & { organization_ids: string[] }>(c)
    return ok(c, admin.search(body, await actor(c)))
  })

  api.get('/v1/b2b/organizations/members/dangerously_get/:member_id', async (c) => {
    const { params: p, query } = await readInput(c)
    return answer(c, admin.dangerouslyGet(p.member_id!, String(query.include_deleted) === 'true'))
  })

  api.post('/v1/b2b/organizations/:organization_id/members', async (c) => {
    const { organization_id } = await params(c)
    const body = await jsonBody<NewMemberInput>(c)
    return answer(c, admin.create(organization_id!, body, await actor(c)))
  })

  // The static second segments before /members/{member_id}: Hono tries routes in this order.
  api.delete(
    '/v1/b2b/organizations/:organization_id/members/mfa_phone_numbers/:member_id',
    async (c) => {
      const p = await params(c)
      return answer(c, admin.deleteMFAPhoneNumber(p.organization_id!, p.member_id!, await actor(c)))
    },
  )

  api.delete(
    '/v1/b2b/organizations/:organization_id/members/passwords/:member_password_id',
    async (c) => {
      const p = await params(c)
      return answer(
        c,
        admin.deletePassword(p.organization_id!, p.member_password_id!, await actor(c)),
      )
    },
  )

  api.put('/v1/b2b/organizations/:organization_id/members/:member_id', async (c) => {
    const p = await params(c)
    const body = await jsonBody<MemberUpdate>(c)
    return answer(c, await admin.update(p.organization_id!, p.member_id!, body, await actor(c)))
  })

  api.delete('/v1/b2b/organizations/:organization_id/members/:member_id', async (c) => {
    const p = await params(c)
    const member_id = admin.delete(p.organization_id!, p.member_id!, await actor(c))
    c.set('subject', { member_id })
    return ok(c, { member_id })
  })

  api.put('/v1/b2b/organizations/:organization_id/members/:member_id/reactivate', async (c) => {
    const p = await params(c)
    return answer(c, admin.reactivate(p.organization_id!, p.member_id!, await actor(c)))
  })

  api.delete('/v1/b2b/organizations/:organization_id/members/:member_id/totp', async (c) => {
    const p = await params(c)
    return answer(c, admin.deleteTOTP(p.organization_id!, p.member_id!, await actor(c)))
  })

  api.post(
    '/v1/b2b/organizations/:organization_id/members/:member_id/unlink_retired_email',
    async (c) => {
      const p = await params(c)
      const body = await jsonBody<{ email_id?: string; email_address?: string }>(c)
      const found = admin.unlinkRetiredEmail(p.organization_id!, p.member_id!, body, await actor(c))
      c.set('subject', { member_id: found.member.member_id })
      return ok(c, {
        member_id: found.member.member_id,
        organization_id: found.organization.organization_id,
        ...found,
      })
    },
  )

  api.post(
    '/v1/b2b/organizations/:organization_id/members/:member_id/start_email_update',
    async (c) => {
      const p = await params(c)
      const body = await jsonBody<EmailUpdateInput>(c)
      return answer(
        c,
        s.memberEmailUpdates.start(p.organization_id!, p.member_id!, body, await actor(c)),
      )
    },
  )

  api.delete('/v1/b2b/organizations/:organization_id/members/:member_id/external_id', async (c) => {
    const p = await params(c)
    return answer(c, admin.deleteExternalId(p.organization_id!, p.member_id!, await actor(c)))
  })

  for (const provider of PROVIDERS)
    api.get(
      `/v1/b2b/organizations/:organization_id/members/:member_id/oauth_providers/${provider}`,
      async (c) => {
        const { params: p, query } = await readInput(c)
        const { member } = admin.find(p.organization_id!, p.member_id!, null)
        c.set('subject', { member_id: member.member_id })
        const refresh = String(query.include_refresh_token) === 'true'
        return ok(c, s.providerTokenAnswers.answer(member.member_id, provider, refresh))
      },
    )
}
