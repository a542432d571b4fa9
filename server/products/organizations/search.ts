// Stytch's search query for organizations and members: `{operator: AND | OR, operands: [{filter_name,
// filter_value}]}` (no query, or no operands: everything), a page of `limit` (100 unless given),
// and an opaque cursor for the next page. Each filter's name and value are the spec's rules
// (openapi.yaml: OrganizationSearchQuery, MemberSearchQuery); here is what each one matches.
import { createHash } from 'node:crypto'
import { StytchError } from '../../errors.js'
import type {
  MemberObject,
  OrganizationObject,
} from '../../platform/sessions/organization-store.js'
import { memberRoleIds } from '../../platform/sessions/organizations.js'

export interface Operand {
  filter_name: string
  filter_value: unknown
}
export interface SearchQuery {
  operator: 'AND' | 'OR'
  operands: Operand[]
}
export interface SearchPage {
  cursor?: string | undefined
  limit?: number | undefined
  query?: SearchQuery | undefined
}

const DEFAULT_LIMIT = 100

const lower = (v: unknown) => String(v).toLowerCase()
const strings = (v: unknown) => (v as string[]).map(lower)
const has = (values: unknown, value: unknown) => strings(values).includes(lower(value))
const fuzzy = (value: unknown, text: unknown) => lower(text).includes(lower(value))

type Filter<T> = (item: T, value: unknown) => boolean

/** What each organization filter matches; `membersOf` reads an organization's members. */
export function organizationFilters(
  membersOf: (organizationId: string) => MemberObject[],
): Record<string, Filter<OrganizationObject>> {
  const emails = (org: OrganizationObject) =>
    membersOf(org.organization_id)
      .filter((m) => m.status !== 'deleted')
      .map((m) => m.email_address)
  return {
    organization_ids: (org, v) => (v as string[]).includes(org.organization_id),
    organization_slugs: (org, v) => has(v, org.organization_slug),
    organization_name_fuzzy: (org, v) => fuzzy(v, org.organization_name),
    organization_slug_fuzzy: (org, v) => fuzzy(v, org.organization_slug),
    member_emails: (org, v) => emails(org).some((e) => has(v, e)),
    member_email_fuzzy: (org, v) => emails(org).some((e) => fuzzy(v, e)),
    allowed_domains: (org, v) => (org.email_allowed_domains as string[]).some((d) => has(v, d)),
    allowed_domain_fuzzy: (org, v) =>
      (org.email_allowed_domains as string[]).some((d) => fuzzy(v, d)),
    claimed_email_domains: (org, v) =>
      (org.claimed_email_domains as string[]).some((d) => has(v, d)),
    has_active_sso_connection: (org, v) =>
      (org.sso_active_connections as unknown[]).length > 0 === v,
    sso_connection_id: (org, v) =>
      (org.sso_active_connections as { connection_id: string }[]).some(
        (c) => c.connection_id === v,
      ),
  }
}

/** What each member filter matches. */
export const MEMBER_FILTERS: Record<string, Filter<MemberObject>> = {
  member_ids: (m, v) => (v as string[]).includes(m.member_id),
  member_emails: (m, v) => has(v, m.email_address),
  member_email_fuzzy: (m, v) => fuzzy(v, m.email_address),
  member_is_breakglass: (m, v) => m.is_breakglass === v,
  statuses: (m, v) => has(v, m.status),
  member_mfa_phone_numbers: (m, v) => (v as string[]).includes(String(m.mfa_phone_number)),
  member_phone_numbers: (m, v) => (v as string[]).includes(String(m.mfa_phone_number)),
  member_mfa_phone_number_fuzzy: (m, v) =>
    m.mfa_phone_number !== '' && fuzzy(v, m.mfa_phone_number),
  member_phone_number_fuzzy: (m, v) => m.mfa_phone_number !== '' && fuzzy(v, m.mfa_phone_number),
  member_password_exists: (m, v) => (m.member_password_id !== '') === v,
  member_roles: (m, v) => memberRoleIds(m).some((r) => (v as string[]).includes(r)),
}

/** The items the query matches, in order. */
export function matching<T>(
  items: T[],
  query: SearchQuery | undefined,
  filters: Record<string, Filter<T>>,
): T[] {
  const operands = query?.operands ?? []
  if (operands.length === 0) return items
  const test = (item: T, o: Operand) => filters[o.filter_name]!(item, o.filter_value)
  return items.filter((item) =>
    query!.operator === 'OR'
      ? operands.some((o) => test(item, o))
      : operands.every((o) => test(item, o)),
  )
}

/**
 * One page of the results and Stytch's results_metadata. The cursor names the next page's
 * offset and the query it belongs to: another query's, or one never handed out, is 400
 * user_search_invalid_cursor.
 */
export function page<T>(results: T[], input: SearchPage) {
  const key = queryKey(input.query)
  const offset = input.cursor === undefined || input.cursor === '' ? 0 : offsetOf(input.cursor, key)
  const limit = input.limit || DEFAULT_LIMIT
  const next = offset + limit
  return {
    items: results.slice(offset, next),
    results_metadata: {
      total: results.length,
      next_cursor: next < results.length ? cursorOf(next, key) : null,
    },
  }
}

const queryKey = (query: SearchQuery | undefined) =>
  createHash('sha256')
    .update(JSON.stringify(query ?? null))
    .digest('base64url')
    .slice(0, 16)

const cursorOf = (offset: number, key: string) =>
  Buffer.from(`${offset}:${key}`).toString('base64url')

function offsetOf(cursor: string, key: string): number {
  const [offset, of] = Buffer.from(cursor, 'base64url').toString('utf8').split(':')
  if (of !== key || !/^[1-9][0-9]{0,8}$/.test(offset ?? ''))
    throw new StytchError('user_search_invalid_cursor')
  return Number(offset)
}
