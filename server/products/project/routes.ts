// The project itself: what the backend SDKs ask of it (project.metrics, debug.whoami) and what
// the frontend SDKs do (/sdk/v1: the bootstrap they load first, its settings and RBAC policy, and
// the telemetry events they send, accepted and dropped).
import { Hono } from 'hono'
import { StytchError } from '../../errors.js'
import type { Platform } from '../../platform/platform.js'
import { readInput } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import type { M2MCount } from '../m2m/clients.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'

export function projectRoutes({
  config,
  rbac,
  users,
  orgs,
  passwordPolicy,
  m2mClients,
}: Platform & { m2mClients: M2MCount }) {
  const api = new Hono<AppEnv>()
  // One mock serves both verticals: every count, consumer or B2B.
  api.get('/v1/projects/metrics', (c) =>
    ok(c, {
      project_id: config.projectId,
      metrics: [
        { metric_type: 'USER_COUNT', count: users.count() },
        { metric_type: 'ORGANIZATION_COUNT', count: orgs.count() },
        { metric_type: 'MEMBER_COUNT', count: orgs.countMembers() },
        { metric_type: 'M2M_CLIENT_COUNT', count: m2mClients.count() },
      ],
    }),
  )
  api.get('/v1/debug/whoami', (c) => ok(c, { project_id: config.projectId, name: 'stytch-mock' }))

  const sdk = new Hono<AppEnv>()
  const { data, verticalOf } = sdkCaller(config)

  sdk.get('/sdk/v1/projects/bootstrap/:public_token', async (c) => {
    const { params } = await readInput(c)
    const vertical = verticalOf(params.public_token!)
    if (!vertical) throw new StytchError('unauthorized_credentials')
    return data(c, {
      project_name: 'stytch-mock',
      disable_sdk_watermark: true,
      cname_domain: null,
      email_domains: [],
      captcha_settings: { enabled: false },
      pkce_required_for_email_magic_links: config.pkce,
      pkce_required_for_password_resets: config.pkce,
      pkce_required_for_oauth: config.pkce,
      pkce_required_for_sso: config.pkce,
      slug_pattern: null,
      create_organization_enabled: config.createOrganizations,
      password_config: passwordPolicy.bootstrap(),
      dfp_protected_auth_enabled: false,
      dfp_protected_auth_mode: null,
      rbac_policy: vertical === 'B2B' ? rbac.servedB2B : rbac.served,
      siwe_required_for_crypto_wallets: config.siweRequired,
      vertical,
    })
  })

  // Any body, never read: the spec states none of it.
  sdk.post('/sdk/v1/events', (c) => data(c))

  return { api, sdk }
}
