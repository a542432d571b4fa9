// SCIM resources as the mock keeps them: the attributes an identity provider wrote, under RFC
// 7643's names whatever case it sent them in, and what they mean for a Stytch member: its email
// (userName, else the primary or work email), its name, and `scim_registration.scim_attributes`
// with every field the SDKs' models require ("" / [] / false where the provider sent nothing).
import { ScimError } from './errors.js'
import type { Resource } from './store.js'

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group'
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

/** RFC 7643's attribute names (User, Group, the enterprise extension), by their lower case. */
const NAMES = new Map(
  [
    'schemas',
    'id',
    'externalId',
    'meta',
    'userName',
    'name',
    'formatted',
    'familyName',
    'givenName',
    'middleName',
    'honorificPrefix',
    'honorificSuffix',
    'displayName',
    'nickName',
    'profileUrl',
    'title',
    'userType',
    'preferredLanguage',
    'locale',
    'timezone',
    'active',
    'password',
    'emails',
    'phoneNumbers',
    'ims',
    'photos',
    'addresses',
    'streetAddress',
    'locality',
    'region',
    'postalCode',
    'country',
    'groups',
    'entitlements',
    'roles',
    'x509Certificates',
    'value',
    'display',
    'type',
    'primary',
    '$ref',
    'members',
    'employeeNumber',
    'costCenter',
    'organization',
    'division',
    'department',
    'manager',
    ENTERPRISE_SCHEMA,
  ].map((name) => [name.toLowerCase(), name]),
)

/** Attributes whose value is a boolean, which some providers send as "True" / "False". */
const BOOLEANS = new Set(['active', 'primary'])

/** An attribute's RFC name, whatever case it came in. */
export const canonicalName = (name: string) => NAMES.get(name.toLowerCase()) ?? name

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** A value with its attributes under their RFC names, and "True"/"False" booleans as booleans. */
export function canonical(value: unknown, name = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, name))
  if (BOOLEANS.has(name) && typeof value === 'string' && /^(true|false)$/i.test(value))
    return value.toLowerCase() === 'true'
  // The enterprise manager may come as its id alone (Microsoft Entra).
  if (name === 'manager' && typeof value === 'string') return { value }
  if (!isObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    const canon = canonicalName(key)
    out[canon] = canonical(v, canon)
  }
  return out
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
export const isEmail = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= 254 && EMAIL.test(v)

const str = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v)
const list = (v: unknown): Record<string, unknown>[] =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).filter(isObject)

/** The member's email: the userName if it is an address, else the primary, work or first email. */
export function emailOf(resource: Resource): string | undefined {
  if (isEmail(resource.userName)) return resource.userName.toLowerCase()
  const emails = list(resource.emails).filter((e) => isEmail(e.value))
  const chosen =
    emails.find((e) => e.primary === true) ?? emails.find((e) => e.type === 'work') ?? emails[0]
  return chosen ? (chosen.value as string).toLowerCase() : undefined
}

/** The member's name: name.formatted, else given and family names, else displayName. */
export function nameOf(resource: Resource): string {
  const name = isObject(resource.name) ? resource.name : {}
  const formatted = str(name.formatted).trim()
  if (formatted) return formatted
  const parts = [name.givenName, name.middleName, name.familyName].map(str).filter(Boolean)
  return parts.length ? parts.join(' ') : str(resource.displayName).trim()
}

const triple = (v: unknown) =>
  list(v).map((e) => ({ value: str(e.value), type: str(e.type), primary: e.primary === true }))

/** `scim_registration.scim_attributes`: Stytch's snake_case copy of the SCIM User. */
export function scimAttributes(
  resource: Resource,
  id: string,
  groups: { value: string; display: string }[],
) {
  const name = isObject(resource.name) ? resource.name : undefined
  const enterprise = isObject(resource[ENTERPRISE_SCHEMA])
    ? (resource[ENTERPRISE_SCHEMA] as Record<string, unknown>)
    : undefined
  const manager = enterprise && isObject(enterprise.manager) ? enterprise.manager : undefined
  return {
    user_name: str(resource.userName),
    id,
    external_id: str(resource.externalId),
    active: resource.active !== false,
    groups,
    display_name: str(resource.displayName),
    nick_name: str(resource.nickName),
    profile_url: str(resource.profileUrl),
    user_type: str(resource.userType),
    title: str(resource.title),
    preferred_language: str(resource.preferredLanguage),
    locale: str(resource.locale),
    timezone: str(resource.timezone),
    emails: triple(resource.emails),
    phone_numbers: triple(resource.phoneNumbers),
    addresses: list(resource.addresses).map((a) => ({
      formatted: str(a.formatted),
      street_address: str(a.streetAddress),
      locality: str(a.locality),
      region: str(a.region),
      postal_code: str(a.postalCode),
      country: str(a.country),
      type: str(a.type),
      primary: a.primary === true,
    })),
    ims: triple(resource.ims),
    photos: triple(resource.photos),
    entitlements: triple(resource.entitlements),
    roles: triple(resource.roles),
    x509certificates: triple(resource.x509Certificates),
    ...(name
      ? {
          name: {
            formatted: str(name.formatted),
            family_name: str(name.familyName),
            given_name: str(name.givenName),
            middle_name: str(name.middleName),
            honorific_prefix: str(name.honorificPrefix),
            honorific_suffix: str(name.honorificSuffix),
          },
        }
      : {}),
    ...(enterprise
      ? {
          enterprise_extension: {
            employee_number: str(enterprise.employeeNumber),
            cost_center: str(enterprise.costCenter),
            division: str(enterprise.division),
            department: str(enterprise.department),
            organization: str(enterprise.organization),
            ...(manager
              ? {
                  manager: {
                    value: str(manager.value),
                    ref: str(manager.$ref),
                    display_name: str(manager.displayName),
                  },
                }
              : {}),
          },
        }
      : {}),
  }
}

/**
 * What the mock keeps of a User the provider wrote: not its id, meta, groups or password. The
 * attributes a member is made of must have their types once their names are folded (a second
 * spelling may carry another value than the one the spec checked) and after a PATCH: 400
 * invalidValue otherwise.
 */
export function storedUser(input: Resource): Resource {
  const {
    id: _id,
    meta: _meta,
    schemas: _schemas,
    groups: _groups,
    password: _password,
    ...rest
  } = canonical(input) as Resource
  const wrong = (name: string, what: string) =>
    new ScimError(400, 'invalidValue', `${name} must be ${what}.`)
  if (typeof rest.userName !== 'string' || rest.userName === '')
    throw wrong('userName', 'a non-empty string')
  for (const name of ['externalId', 'displayName'] as const)
    if (rest[name] !== undefined && rest[name] !== null && typeof rest[name] !== 'string')
      throw wrong(name, 'a string')
  if (rest.active !== undefined && typeof rest.active !== 'boolean')
    throw wrong('active', 'a boolean')
  if (rest.name !== undefined && rest.name !== null) {
    if (!isObject(rest.name)) throw wrong('name', 'an object')
    for (const [sub, value] of Object.entries(rest.name))
      if (typeof value !== 'string') throw wrong(`name.${sub}`, 'a string')
  }
  const extension = rest[ENTERPRISE_SCHEMA]
  if (extension !== undefined && extension !== null && !isObject(extension))
    throw wrong(ENTERPRISE_SCHEMA, 'an object')
  return { ...rest, active: rest.active !== false }
}

/** Top-level attributes left out of an answer (`excludedAttributes`; `id` always stays). */
export function without(resource: Resource, excluded: string | undefined): Resource {
  if (!excluded) return resource
  const drop = new Set(excluded.split(',').map((a) => a.trim().toLowerCase()))
  drop.delete('id')
  drop.delete('schemas')
  return Object.fromEntries(Object.entries(resource).filter(([k]) => !drop.has(k.toLowerCase())))
}
