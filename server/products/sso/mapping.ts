// A connection's attribute_mapping, both ways: the stand-in identity provider names what it sends
// by it (an identity → SAML attributes or OIDC claims), and the ACS / callback reads what any
// identity provider sent by it (attributes → the member's email, name, external id, groups and
// trusted_metadata). The mapping maps Stytch's keys to the IdP's names: {email: 'NameID',
// first_name: 'firstName', groups: 'groups', department: 'dept', ...}.
import { createHash } from 'node:crypto'
import { looksLikeEmail, normalEmail } from '../../platform/login/rules.js'
import type { SsoIdentity } from './journey-store.js'

/** The keys Stytch reads itself; any other key of the mapping goes to trusted_metadata. */
const STANDARD = ['email', 'first_name', 'last_name', 'full_name', 'groups', 'idp_user_id']

/** What the stand-in names an attribute the mapping leaves out (the admin portal's defaults). */
const SAML_NAMES: Record<string, string> = {
  email: 'email',
  first_name: 'firstName',
  last_name: 'lastName',
  full_name: 'fullName',
  groups: 'groups',
  idp_user_id: 'idp_user_id',
}
/** OpenID Connect's standard claims. */
const OIDC_NAMES: Record<string, string> = {
  email: 'email',
  first_name: 'given_name',
  last_name: 'family_name',
  full_name: 'name',
  groups: 'groups',
  idp_user_id: 'sub',
}

/** An identity as a person types it on the identity provider's page (or a test queues it). */
export interface TypedIdentity {
  email: string
  first_name?: string | undefined
  last_name?: string | undefined
  /** A full name; split into first and last when those are not given. */
  name?: string | undefined
  groups?: string[] | undefined
  /** The IdP's id for the person (NameID, or sub): default the email (SAML) or a stable id (OIDC). */
  external_id?: string | undefined
  /** Further attributes, by the IdP's names. */
  attributes?: Record<string, string[]> | undefined
}

type Mapping = Record<string, string>

/**
 * An empty record for names an identity provider or a person chose: a name such as `__proto__`
 * or `constructor` is a key like any other, not Object.prototype's.
 */
export const namedRecord = <T>(): Record<string, T> => Object.create(null) as Record<string, T>

/** The record's own value under a name (never one Object.prototype has). */
export const ownValue = <T>(record: Record<string, T>, name: string): T | undefined =>
  Object.hasOwn(record, name) ? record[name] : undefined

const mapped = (mapping: Mapping, key: string) => {
  const name = mapping[key]
  return typeof name === 'string' && name.trim() !== '' ? name : undefined
}

/**
 * What the stand-in identity provider sends for an identity: the SAML NameID (or OIDC sub) and
 * the attributes by the connection's names (the defaults where it names none).
 */
export function sentAttributes(
  kind: 'saml' | 'oidc',
  mapping: Mapping,
  who: TypedIdentity,
  connectionId: string,
): { subject: string; attributes: Record<string, string[]> } {
  const defaults = kind === 'saml' ? SAML_NAMES : OIDC_NAMES
  const nameOf = (key: string) => mapped(mapping, key) ?? defaults[key]!
  const email = normalEmail(who.email)
  const split = splitName(who.name ?? '')
  const first = who.first_name?.trim() || split.first
  const last = who.last_name?.trim() || split.last
  const full = who.name?.trim() || [first, last].filter(Boolean).join(' ')
  const externalId =
    who.external_id?.trim() || (kind === 'saml' ? email : stableSubject(connectionId, email))
  const attributes = namedRecord<string[]>()
  const put = (name: string, values: string[]) => {
    if (name === 'NameID' || values.length === 0) return
    attributes[name] = values
  }
  // SAML's NameID carries the email when the mapping says so, else the IdP's id for the person.
  const emailInNameId = kind === 'saml' && nameOf('email') === 'NameID'
  const subject = emailInNameId ? email : externalId
  // SAML: a full name and an IdP user id only where the mapping asks for them (an IdP sends what
  // it is configured to); OIDC: its standard claims, always.
  const wanted = (key: string) => kind === 'oidc' || mapped(mapping, key) !== undefined
  put(nameOf('email'), [email])
  if (first) put(nameOf('first_name'), [first])
  if (last) put(nameOf('last_name'), [last])
  if (full && wanted('full_name')) put(nameOf('full_name'), [full])
  put(nameOf('groups'), (who.groups ?? []).map((g) => g.trim()).filter(Boolean))
  if (kind === 'saml' && emailInNameId && wanted('idp_user_id'))
    put(nameOf('idp_user_id'), [externalId])
  if (kind === 'oidc') attributes[nameOf('idp_user_id')] = [externalId]
  for (const [name, values] of Object.entries(who.attributes ?? {})) put(name, values)
  return { subject, attributes }
}

/**
 * What a login says of the person, read through the mapping: the email (the mapped attribute, or
 * the NameID / sub), the name, the external id (idp_user_id, else the NameID / sub), and the
 * mapping's other keys for trusted_metadata. Null email when none is an email address. An OIDC
 * login reads the standard claims where the mapping names none.
 */
export function readIdentity(
  kind: 'saml' | 'oidc',
  given: Mapping,
  subject: string,
  attributes: Record<string, string[]>,
): Omit<SsoIdentity, 'email'> & { email: string | null } {
  // OIDC's standard claims need no mapping (Stytch reads them; its mapping adds custom claims).
  const mapping = kind === 'oidc' ? { ...OIDC_NAMES, ...given } : given
  const value = (key: string) => {
    const name = mapped(mapping, key)
    if (name === undefined) return undefined
    if (name === 'NameID') return subject
    return ownValue(attributes, name)
      ?.find((v) => v.trim() !== '')
      ?.trim()
  }
  const emailValue = value('email') ?? (mapped(mapping, 'email') ? undefined : subject)
  const email = emailValue && looksLikeEmail(emailValue) ? normalEmail(emailValue) : null
  const full = value('full_name')
  const name = full ?? [value('first_name'), value('last_name')].filter(Boolean).join(' ')
  const trusted = namedRecord<string>()
  for (const key of Object.keys(mapping)) {
    if (STANDARD.includes(key)) continue
    const v = value(key)
    if (v !== undefined) trusted[key] = v
  }
  return {
    email,
    name,
    external_id: value('idp_user_id') || subject,
    attributes,
    trusted,
  }
}

/** The groups a login's attributes carry, by the mapping's `groups` name. */
export function groupsOf(mapping: Mapping, attributes: Record<string, string[]>): string[] {
  const name = mapped(mapping, 'groups')
  return name ? (ownValue(attributes, name) ?? []) : []
}

function splitName(name: string): { first: string; last: string } {
  const parts = name.trim().split(/\s+/).filter(Boolean)
  const first = parts.shift() ?? ''
  return { first, last: parts.join(' ') }
}

/** The stand-in OIDC provider's subject for an email: the same person always gets the same one. */
export function stableSubject(connectionId: string, email: string): string {
  return createHash('sha256').update(`${connectionId}:${email}`).digest('hex').slice(0, 24)
}
