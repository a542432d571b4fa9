// /_mock/sessions and /_mock/b2b/sessions: a logged-in user or member in one call.
import { Hono } from 'hono'
import { StytchError } from '../errors.js'
import type { NewOrganization } from '../sessions/organizations.js'
import {
  jsonBody,
  optionalArray,
  optionalBoolean,
  optionalInteger,
  optionalObject,
  optionalString,
  optionalStrings,
} from './body.js'
import { ok, type AppEnv, type Deps } from './env.js'

const ORG_SETTINGS = [
  'mfa_policy',
  'auth_methods',
  'allowed_auth_methods',
  'organization_name',
  'email_jit_provisioning',
  'email_allowed_domains',
] as const

export function mockSessionRoutes({ seeder, core }: Deps) {
  const app = new Hono<AppEnv>()

  app.post('/_mock/sessions', async (c) => {
    const body = await jsonBody(c)
    const attributes = optionalObject(body, 'attributes')
    if (attributes && Object.values(attributes).some((v) => typeof v !== 'string')) {
      throw new StytchError(
        'invalid_argument',
        'attributes.ip_address and attributes.user_agent must be strings.',
      )
    }
    const result = await seeder.consumerSession({
      user_id: optionalString(body, 'user_id'),
      email: optionalString(body, 'email'),
      session_token: optionalString(body, 'session_token'),
      session_duration_minutes: optionalInteger(body, 'session_duration_minutes'),
      expires_in_seconds: optionalInteger(body, 'expires_in_seconds'),
      jwt_age_seconds: optionalInteger(body, 'jwt_age_seconds'),
      authentication_factors: optionalArray(body, 'authentication_factors'),
      custom_claims: optionalObject(body, 'custom_claims'),
      attributes: attributes && { ip_address: '', user_agent: '', ...attributes },
      roles: optionalStrings(body, 'roles'),
    })
    return ok(c, result)
  })

  app.post('/_mock/b2b/sessions', async (c) => {
    const body = await jsonBody(c)
    const settings = optionalObject(body, 'organization') ?? {}
    for (const key of Object.keys(settings)) {
      if (!(ORG_SETTINGS as readonly string[]).includes(key)) {
        throw new StytchError(
          'invalid_argument',
          `organization.${key} is not a setting; use ${ORG_SETTINGS.join(', ')}.`,
        )
      }
    }
    const result = await seeder.memberSession({
      organization_id: optionalString(body, 'organization_id'),
      organization_slug: optionalString(body, 'organization_slug'),
      member_id: optionalString(body, 'member_id'),
      email_address: optionalString(body, 'email_address'),
      organization: orgSettings(settings),
      is_admin: optionalBoolean(body, 'is_admin'),
      mfa_enrolled: optionalBoolean(body, 'mfa_enrolled'),
      session_token: optionalString(body, 'session_token'),
      session_duration_minutes: optionalInteger(body, 'session_duration_minutes'),
      expires_in_seconds: optionalInteger(body, 'expires_in_seconds'),
      jwt_age_seconds: optionalInteger(body, 'jwt_age_seconds'),
      authentication_factors: optionalArray(body, 'authentication_factors'),
      custom_claims: optionalObject(body, 'custom_claims'),
    })
    return ok(c, result)
  })

  // A session of either kind ends now, on the mock's clock, for everyone else untouched.
  app.post('/_mock/sessions/:session_id/expire', (c) => {
    core.expire(c.req.param('session_id'))
    return ok(c)
  })

  return app
}

function orgSettings(
  settings: Record<string, unknown>,
): Omit<NewOrganization, 'organization_id' | 'organization_slug'> {
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const value = optionalString(settings, name)
    if (value !== undefined && !allowed.includes(value as T)) {
      throw new StytchError(
        'invalid_argument',
        `organization.${name} must be one of ${allowed.join(', ')}.`,
      )
    }
    return value as T | undefined
  }
  return {
    organization_name: optionalString(settings, 'organization_name'),
    mfa_policy: oneOf('mfa_policy', ['OPTIONAL', 'REQUIRED_FOR_ALL']),
    auth_methods: oneOf('auth_methods', ['ALL_ALLOWED', 'RESTRICTED']),
    allowed_auth_methods: optionalStrings(settings, 'allowed_auth_methods'),
    email_jit_provisioning: oneOf('email_jit_provisioning', ['RESTRICTED', 'NOT_ALLOWED']),
    email_allowed_domains: optionalStrings(settings, 'email_allowed_domains'),
  }
}
