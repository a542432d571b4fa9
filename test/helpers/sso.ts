// SSO in tests: a SAML connection of the mock's stand-in identity provider, made active the way
// an admin does it (its metadata URL, then an attribute mapping), through the official SDK.
import type * as stytch from 'stytch'
import { expect } from 'vitest'

/** The attributes the stand-in sends, mapped as the admin portal's defaults name them. */
export const MAPPING = {
  email: 'NameID',
  first_name: 'firstName',
  last_name: 'lastName',
  groups: 'groups',
}

/**
 * An active SAML connection of the organization, named "Acme SAML": `create` adds to its
 * creation (identity_provider, ...), `update` to the update that maps the attributes (role
 * assignments, another attribute_mapping, ...).
 */
export async function standInSaml(
  b2b: stytch.B2BClient,
  mockUrl: string,
  organizationId: string,
  update: Record<string, unknown> = {},
  create: Record<string, unknown> = {},
) {
  const { connection } = await b2b.sso.saml.createConnection({
    organization_id: organizationId,
    display_name: 'Acme SAML',
    ...create,
  })
  const id = connection!.connection_id
  await b2b.sso.saml.updateByURL({
    organization_id: organizationId,
    connection_id: id,
    metadata_url: `${mockUrl}/v1/public/sso/idp/${id}/metadata`,
  })
  const { connection: active } = await b2b.sso.saml.updateConnection({
    organization_id: organizationId,
    connection_id: id,
    attribute_mapping: MAPPING,
    ...update,
  })
  expect(active!.status).toBe('active')
  return active!
}
