// RBAC policies: the project's (rbac.policy, consumer GET /v1/rbac/policy and B2B
// GET /v1/b2b/rbac/policy) and an organization's own roles (B2B rbac.organizations.getOrgPolicy /
// setOrgPolicy, /v1/b2b/rbac/organizations/{organization_id}). The SDKs' local authorization
// checks fetch these; authorization_check answers from the same ones.
import { Hono } from 'hono'
import type { Platform } from '../../platform/platform.js'
import { readInput } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import type { PolicyRole } from '../../platform/sessions/rbac-policies.js'

export function rbacRoutes({ directory, rbac }: Platform) {
  const api = new Hono<AppEnv>()
  api.get('/v1/rbac/policy', (c) => ok(c, { policy: rbac.served }))
  // A B2B project's policy holds Stytch's built-in resources and default roles.
  api.get('/v1/b2b/rbac/policy', (c) => ok(c, { policy: rbac.servedB2B }))
  /** The organization the path names: its id or slug, as Stytch takes either. */
  const organizationId = (idOrSlug: string) => directory.organization(idOrSlug).organization_id

  api.get('/v1/b2b/rbac/organizations/:organization_id', async (c) => {
    const { params } = await readInput(c)
    return ok(c, { org_policy: rbac.orgPolicy(organizationId(params.organization_id!)) })
  })

  api.put('/v1/b2b/rbac/organizations/:organization_id', async (c) => {
    const { params, body } = await readInput(c)
    const { org_policy } = body as { org_policy: { roles: PolicyRole[] } }
    const id = organizationId(params.organization_id!)
    return ok(c, { org_policy: rbac.setOrgPolicy(id, org_policy.roles) })
  })

  return { api }
}
