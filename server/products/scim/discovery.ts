// The SCIM 2.0 discovery documents (RFC 7644 §4, RFC 7643 §5-§7): what the endpoint supports
// (PATCH, filters up to 1000 results; no bulk, sorting, ETags or password change), its two
// resource types, and the schemas of the attributes it keeps.
import { ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './resource.js'

const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType'
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema'

export function serviceProviderConfig(base: string) {
  return {
    schemas: [SPC_SCHEMA],
    documentationUri: 'https://stytch.com/docs/b2b/guides/scim/overview',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: 1000 },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: "The SCIM connection's bearer token, in an Authorization: Bearer header.",
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  }
}

export function resourceTypes(base: string) {
  return [
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'A member of the organization.',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'A group of members; its role assignments grant them roles.',
      schema: GROUP_SCHEMA,
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
    },
  ]
}

interface AttrOptions {
  type?: 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime' | 'binary'
  multi?: boolean
  required?: boolean
  caseExact?: boolean
  mutability?: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly'
  returned?: 'always' | 'never' | 'default'
  uniqueness?: 'none' | 'server'
  sub?: object[]
  referenceTypes?: string[]
}

const attr = (name: string, o: AttrOptions = {}) => ({
  name,
  type: o.type ?? 'string',
  multiValued: o.multi ?? false,
  description: name,
  required: o.required ?? false,
  caseExact: o.caseExact ?? false,
  mutability: o.mutability ?? 'readWrite',
  returned: o.returned ?? 'default',
  uniqueness: o.uniqueness ?? 'none',
  ...(o.sub ? { subAttributes: o.sub } : {}),
  ...(o.referenceTypes ? { referenceTypes: o.referenceTypes } : {}),
})

/** A multi-valued complex attribute of value, type, primary (emails, phoneNumbers, ...). */
const typed = (name: string) =>
  attr(name, {
    type: 'complex',
    multi: true,
    sub: [attr('value'), attr('display'), attr('type'), attr('primary', { type: 'boolean' })],
  })

const schema = (id: string, name: string, attributes: object[], base: string) => ({
  schemas: [SCHEMA_SCHEMA],
  id,
  name,
  description: `${name} attributes`,
  attributes,
  meta: { resourceType: 'Schema', location: `${base}/Schemas/${id}` },
})

export function schemas(base: string) {
  const ref = (types: string[], mutability: AttrOptions['mutability'] = 'readOnly') =>
    attr('$ref', { type: 'reference', referenceTypes: types, mutability })
  return [
    schema(
      USER_SCHEMA,
      'User',
      [
        attr('userName', { required: true, uniqueness: 'server' }),
        attr('name', {
          type: 'complex',
          sub: [
            'formatted',
            'familyName',
            'givenName',
            'middleName',
            'honorificPrefix',
            'honorificSuffix',
          ].map((n) => attr(n)),
        }),
        ...[
          'displayName',
          'nickName',
          'title',
          'userType',
          'preferredLanguage',
          'locale',
          'timezone',
        ].map((n) => attr(n)),
        attr('profileUrl', { type: 'reference', referenceTypes: ['external'] }),
        attr('active', { type: 'boolean' }),
        attr('password', { mutability: 'writeOnly', returned: 'never' }),
        ...['emails', 'phoneNumbers', 'ims', 'photos', 'entitlements', 'roles'].map(typed),
        typed('x509Certificates'),
        attr('addresses', {
          type: 'complex',
          multi: true,
          sub: [
            ...['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country'].map(
              (n) => attr(n),
            ),
            attr('type'),
            attr('primary', { type: 'boolean' }),
          ],
        }),
        attr('groups', {
          type: 'complex',
          multi: true,
          mutability: 'readOnly',
          sub: [
            attr('value', { mutability: 'readOnly' }),
            ref(['Group']),
            attr('display', { mutability: 'readOnly' }),
            attr('type', { mutability: 'readOnly' }),
          ],
        }),
      ],
      base,
    ),
    schema(
      GROUP_SCHEMA,
      'Group',
      [
        attr('displayName', { required: true, uniqueness: 'server' }),
        attr('members', {
          type: 'complex',
          multi: true,
          sub: [
            attr('value', { mutability: 'immutable', caseExact: true }),
            ref(['User'], 'immutable'),
            attr('display', { mutability: 'readOnly' }),
            attr('type', { mutability: 'immutable' }),
          ],
        }),
      ],
      base,
    ),
    schema(
      ENTERPRISE_SCHEMA,
      'EnterpriseUser',
      [
        ...['employeeNumber', 'costCenter', 'organization', 'division', 'department'].map((n) =>
          attr(n),
        ),
        attr('manager', {
          type: 'complex',
          sub: [
            attr('value'),
            ref(['User'], 'readWrite'),
            attr('displayName', { mutability: 'readOnly' }),
          ],
        }),
      ],
      base,
    ),
  ]
}
