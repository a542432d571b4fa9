// B2B discovery, as the stytch Node SDK calls it: email magic links and passcodes that prove an
// address before any organization (/v1/b2b/magic_links/email/discovery/send,
// /v1/b2b/magic_links/discovery/authenticate, /v1/b2b/otps/email/discovery/*), the organizations
// that address can enter (/v1/b2b/discovery/organizations), and entering or creating one
// (/v1/b2b/discovery/intermediate_sessions/exchange, /v1/b2b/discovery/organizations/create).
import { Hono } from 'hono'
import type { JsonObject } from '../sessions/claims.js'
import { noteMember } from './b2b-login.js'
import {
  jsonBody,
  optionalInteger,
  optionalObject,
  optionalString,
  optionalStrings,
  requiredString,
} from './body.js'
import { ok, type AppEnv, type Deps } from './env.js'

const sessionInput = (body: JsonObject) => ({
  session_duration_minutes: optionalInteger(body, 'session_duration_minutes'),
  session_custom_claims: optionalObject(body, 'session_custom_claims'),
})

export const discoveryLinkInput = (body: JsonObject) => ({
  email_address: requiredString(body, 'email_address'),
  discovery_redirect_url: optionalString(body, 'discovery_redirect_url'),
  pkce_code_challenge: optionalString(body, 'pkce_code_challenge'),
  discovery_expiration_minutes: optionalInteger(body, 'discovery_expiration_minutes'),
})

export const discoveryPasscodeInput = (body: JsonObject) => ({
  email_address: requiredString(body, 'email_address'),
  discovery_expiration_minutes: optionalInteger(body, 'discovery_expiration_minutes'),
})

/** organizations/create's fields but the intermediate session (the SDK sends a subset). */
export const createOrganizationInput = (body: JsonObject) => ({
  ...sessionInput(body),
  organization_name: optionalString(body, 'organization_name'),
  organization_slug: optionalString(body, 'organization_slug'),
  organization_logo_url: optionalString(body, 'organization_logo_url'),
  trusted_metadata: optionalObject(body, 'trusted_metadata'),
  sso_jit_provisioning: optionalString(body, 'sso_jit_provisioning'),
  email_allowed_domains: optionalStrings(body, 'email_allowed_domains'),
  email_jit_provisioning: optionalString(body, 'email_jit_provisioning'),
  email_invites: optionalString(body, 'email_invites'),
  auth_methods: optionalString(body, 'auth_methods'),
  allowed_auth_methods: optionalStrings(body, 'allowed_auth_methods'),
  mfa_policy: optionalString(body, 'mfa_policy'),
  mfa_methods: optionalString(body, 'mfa_methods'),
  allowed_mfa_methods: optionalStrings(body, 'allowed_mfa_methods'),
})

/** Fields Stytch takes that change nothing here; still type-checked, as Stytch would. */
const accepted = (body: JsonObject, ...names: string[]) => {
  for (const name of names) optionalString(body, name)
}

export function discoveryRoutes({ discovery }: Deps) {
  const app = new Hono<AppEnv>()

  app.post('/v1/b2b/magic_links/email/discovery/send', async (c) => {
    const body = await jsonBody(c)
    accepted(body, 'login_template_id', 'locale')
    discovery.sendMagicLink(discoveryLinkInput(body))
    return ok(c)
  })

  app.post('/v1/b2b/magic_links/discovery/authenticate', async (c) => {
    const body = await jsonBody(c)
    return ok(
      c,
      discovery.authenticateMagicLink(
        requiredString(body, 'discovery_magic_links_token'),
        optionalString(body, 'pkce_code_verifier'),
      ),
    )
  })

  app.post('/v1/b2b/otps/email/discovery/send', async (c) => {
    const body = await jsonBody(c)
    accepted(body, 'login_template_id', 'locale')
    discovery.sendPasscode(discoveryPasscodeInput(body))
    return ok(c)
  })

  app.post('/v1/b2b/otps/email/discovery/authenticate', async (c) => {
    const body = await jsonBody(c)
    return ok(
      c,
      discovery.authenticatePasscode({
        email_address: requiredString(body, 'email_address'),
        code: requiredString(body, 'code'),
      }),
    )
  })

  app.post('/v1/b2b/discovery/organizations', async (c) => {
    const body = await jsonBody(c)
    return ok(
      c,
      await discovery.organizations({
        intermediate_session_token: optionalString(body, 'intermediate_session_token'),
        session_token: optionalString(body, 'session_token'),
        session_jwt: optionalString(body, 'session_jwt'),
      }),
    )
  })

  app.post('/v1/b2b/discovery/intermediate_sessions/exchange', async (c) => {
    const body = await jsonBody(c)
    accepted(body, 'locale', 'telemetry_id')
    const result = await discovery.exchange({
      intermediate_session_token: requiredString(body, 'intermediate_session_token'),
      organization_id: requiredString(body, 'organization_id'),
      ...sessionInput(body),
    })
    noteMember(c, result)
    return ok(c, result)
  })

  app.post('/v1/b2b/discovery/organizations/create', async (c) => {
    const body = await jsonBody(c)
    accepted(body, 'organization_external_id', 'telemetry_id', 'oauth_tenant_jit_provisioning')
    const result = await discovery.create({
      intermediate_session_token: requiredString(body, 'intermediate_session_token'),
      ...createOrganizationInput(body),
    })
    noteMember(c, result)
    return ok(c, result)
  })

  return app
}
