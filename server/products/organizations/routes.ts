// B2B organizations and members: the reads, /v1/b2b/organizations/{organization_id}
// (organizations.get), .../member (organizations.members.get), the frontend's organization.get and
// self.get, and the two lookups the pre-built B2B UI makes before a login: the organization by its
// slug (organization.getBySlug) and whether an email is a member (its password screens); then the
// writes (api-routes.ts, sdk-routes.ts).
import { Hono, type Context } from 'hono'
import type { Platform } from '../../platform/platform.js'
import { jsonBody, readInput } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import { normalEmail } from '../../platform/login/rules.js'
import { organizationApiRoutes, type OrganizationServices } from './api-routes.js'
import { organizationSdkRoutes } from './sdk-routes.js'

export function organizationRoutes(world: Platform & OrganizationServices) {
  const { config, directory, members, orgs } = world
  const api = new Hono<AppEnv>()

  api.get('/v1/b2b/organizations/:organization_id', async (c) => {
    const { params } = await readInput(c)
    return ok(c, { organization: directory.organization(params.organization_id!) })
  })

  api.get('/v1/b2b/organizations/:organization_id/member', async (c) => {
    const { params, query } = await readInput(c)
    const { member, organization } = directory.member(params.organization_id!, {
      member_id: query.member_id,
      email_address: query.email_address,
    })
    c.set('subject', { member_id: member.member_id })
    return ok(c, { member_id: member.member_id, member, organization })
  })

  const sdk = new Hono<AppEnv>()
  const { data, caller, loginCaller } = sdkCaller(config)
  const member = async (c: Context<AppEnv>) => {
    const result = await members.authenticate(caller(c, 'B2B'))
    const { member_session_id, member_id } = result.member_session
    c.set('subject', { session_id: member_session_id, member_id })
    return result
  }
  sdk.get('/sdk/v1/b2b/organizations/me', async (c) =>
    data(c, { organization: (await member(c)).organization }),
  )
  sdk.get('/sdk/v1/b2b/organizations/members/me', async (c) =>
    data(c, { member: (await member(c)).member }),
  )

  // What the UI needs to show an organization's login page (Stytch's OrganizationBySlugMatch).
  sdk.post('/sdk/v1/b2b/organizations/search', async (c) => {
    loginCaller(c, 'B2B')
    const { organization_slug } = await jsonBody<{ organization_slug: string }>(c)
    const found = orgs.organization(organization_slug)
    const org = found?.organization_slug === organization_slug ? found : null
    return data(c, {
      organization: org && {
        organization_id: org.organization_id,
        organization_name: org.organization_name,
        organization_logo_url: org.organization_logo_url,
        organization_slug: org.organization_slug,
        sso_active_connections: org.sso_active_connections,
        sso_default_connection_id: org.sso_default_connection_id ?? null,
        email_jit_provisioning: org.email_jit_provisioning,
        email_allowed_domains: org.email_allowed_domains,
        oauth_tenant_jit_provisioning: org.oauth_tenant_jit_provisioning,
        allowed_oauth_tenants: org.allowed_oauth_tenants ?? {},
        auth_methods: org.auth_methods,
        allowed_auth_methods: org.allowed_auth_methods,
        mfa_policy: org.mfa_policy,
      },
    })
  })

  // The password screens ask whether the email is a member first (null: the UI verifies the
  // email by magic link instead). What they read: status, name, member_password_id.
  sdk.post('/sdk/v1/b2b/organizations/members/search', async (c) => {
    loginCaller(c, 'B2B')
    const body = await jsonBody<{ email_address: string; organization_id: string }>(c)
    const org = directory.organization(body.organization_id)
    const found = orgs.memberByEmail(org.organization_id, normalEmail(body.email_address))
    return data(c, {
      member: found && {
        status: found.status,
        name: found.name,
        member_password_id: found.member_password_id,
      },
    })
  })

  organizationApiRoutes(api, world)
  organizationSdkRoutes(sdk, config, world)
  return { api, sdk }
}
