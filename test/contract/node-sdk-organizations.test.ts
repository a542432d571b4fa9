// Issue #24, B2B organizations and members through the official `stytch` Node SDK (B2BClient):
// organizations.create/get/update/delete/search/metrics/deleteExternalId and every
// organizations.members method, their errors, each setting's effect on the login flows and
// sessions, and the writes run as a member (the SDK's `authorization` option) held to Stytch's
// built-in RBAC resources.
import * as stytch from 'stytch'
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { controlOf, failure, mockWithSdk, type RunningMock } from '../helpers/server.js'
import { FIXTURE } from '../helpers/world.js'

let mock: RunningMock
let control: ReturnType<typeof controlOf>
let b2b: stytch.B2BClient

const sdk = mockWithSdk((options) => new stytch.B2BClient(options))
beforeAll(() => {
  ;({ mock, client: b2b } = sdk)
  control = controlOf(mock)
})

/** correct-horse-battery, bcrypt cost 4 (made with Python's bcrypt). */
const BCRYPT = '$2b$04$Gp.w6x2nfDJ32ufFjzItROMaJFv2mg9VpRRus9Yhv8qHIj0DoK2ri'
const random = () => Math.random().toString(36).slice(2, 10)
const slugOf = (name: string) => `${name}-${random()}`

/** A new organization through the SDK; its settings as given. */
async function newOrg(settings: Partial<stytch.B2BOrganizationsCreateRequest> = {}) {
  const { organization } = await b2b.organizations.create({
    organization_name: 'Test Org',
    organization_slug: slugOf('org'),
    ...settings,
  })
  return organization
}

/** A logged-in member of the organization (made if new), by the mock's control API. */
async function loginAs(
  organization_id: string,
  email_address: string,
  extra: { is_admin?: boolean; roles?: string[] } = {},
) {
  const { status, body } = await control('POST', '/_mock/b2b/sessions', {
    organization_id,
    email_address,
    ...extra,
  })
  expect(status).toBe(200)
  return body as { session_token: string; session_jwt: string; member: stytch.Member }
}

const outbox = async (to: string) =>
  (await control('GET', `/_mock/outbox?to=${encodeURIComponent(to)}`)).body.messages as {
    token?: string
    otp_code?: string
    url?: string
    member_id?: string
  }[]

const roleIds = (member: { roles: { role_id: string }[] }) =>
  member.roles.map((r) => r.role_id).sort()

describe('organizations.create and get', () => {
  it('creates an organization with its settings; get finds it by id, slug and external id', async () => {
    const slug = slugOf('Acme-Labs')
    const external = `ext-${random()}`
    const { organization, status_code } = await b2b.organizations.create({
      organization_name: 'Acme Labs',
      organization_slug: slug,
      organization_external_id: external,
      organization_logo_url: 'https://example.com/logo.png',
      email_allowed_domains: ['Acme-Labs.example'],
      email_jit_provisioning: 'RESTRICTED',
      mfa_policy: 'REQUIRED_FOR_ALL',
      trusted_metadata: { plan: 'pro', gone: null },
    })
    expect(status_code).toBe(200)
    expect(organization).toMatchObject({
      organization_name: 'Acme Labs',
      organization_slug: slug.toLowerCase(),
      organization_external_id: external,
      organization_logo_url: 'https://example.com/logo.png',
      email_allowed_domains: ['acme-labs.example'],
      email_jit_provisioning: 'RESTRICTED',
      mfa_policy: 'REQUIRED_FOR_ALL',
      // An authentication setting was given: email invites default to NOT_ALLOWED.
      email_invites: 'NOT_ALLOWED',
      trusted_metadata: { plan: 'pro' },
    })
    expect(organization.organization_id).toMatch(/^organization-test-/)
    for (const key of [organization.organization_id, slug.toLowerCase(), external]) {
      const got = await b2b.organizations.get({ organization_id: key })
      expect(got.organization).toEqual(organization)
    }
    // No authentication setting at all: invites are allowed.
    expect((await newOrg()).email_invites).toBe('ALL_ALLOWED')
  })

  it("one organization's external id does not hold another's slug, nor the other way round", async () => {
    const name = slugOf('dual')
    await newOrg({ organization_external_id: name })
    const second = await newOrg({ organization_slug: name })
    expect(second.organization_slug).toBe(name)
    const third = await newOrg({ organization_external_id: second.organization_slug + '-x' })
    expect(third.organization_external_id).toBe(name + '-x')
  })

  it('derives a slug from the name when none is given', async () => {
    const name = `Zeta ${random()} Corp`
    const { organization: org } = await b2b.organizations.create({ organization_name: name })
    expect(org.organization_slug).toBe(name.toLowerCase().replace(/ /g, '-'))
  })

  it('refuses a taken slug or external id, a bad slug, no name, and inconsistent settings', async () => {
    const first = await newOrg({ organization_external_id: `ext-${random()}` })
    const cases: [Partial<stytch.B2BOrganizationsCreateRequest>, number, string][] = [
      [
        { organization_slug: first.organization_slug.toUpperCase() },
        400,
        'organization_slug_already_used',
      ],
      [
        { organization_external_id: first.organization_external_id! },
        400,
        'organization_external_id_already_used',
      ],
      [{ organization_slug: 'a' }, 400, 'invalid_organization_slug'],
      [{ organization_slug: 'no spaces' }, 400, 'invalid_organization_slug'],
      [{ organization_name: '' }, 400, 'organization_name_missing'],
      [{ organization_external_id: 'bad id!' }, 400, 'invalid_organization_external_id'],
      [{ auth_methods: 'RESTRICTED' }, 400, 'allowed_auth_methods_required_for_restricted'],
      [{ mfa_methods: 'RESTRICTED' }, 400, 'allowed_mfa_methods_required_for_restricted'],
      [{ email_allowed_domains: ['gmail.com'] }, 400, 'organization_settings_domain_too_common'],
      [{ mfa_policy: 'SOMETIMES' }, 400, 'invalid_argument'],
      [
        { rbac_email_implicit_role_assignments: [{ domain: 'x.example', role_id: 'nope' }] },
        400,
        'invalid_rbac_role_id',
      ],
    ]
    for (const [settings, status, type] of cases)
      expect(await failure(newOrg(settings)), JSON.stringify(settings)).toEqual({ status, type })
    expect(
      await failure(b2b.organizations.create({} as stytch.B2BOrganizationsCreateRequest)),
    ).toEqual({ status: 400, type: 'organization_name_missing' })
    expect(await failure(b2b.organizations.get({ organization_id: 'no-such-org' }))).toEqual({
      status: 404,
      type: 'organization_not_found',
    })
  })
})

describe('organizations.update', () => {
  it('changes only what is given; metadata merges at the top level, null deletes', async () => {
    const org = await newOrg({ trusted_metadata: { a: 1, b: { deep: true } } })
    const { organization } = await b2b.organizations.update({
      organization_id: org.organization_id,
      organization_name: 'Renamed',
      trusted_metadata: { a: null, c: 3 },
      allowed_oauth_tenants: { slack: ['T123'] },
      oauth_tenant_jit_provisioning: 'RESTRICTED',
    })
    expect(organization).toMatchObject({
      organization_name: 'Renamed',
      organization_slug: org.organization_slug,
      trusted_metadata: { b: { deep: true }, c: 3 },
      allowed_oauth_tenants: { slack: ['T123'] },
      oauth_tenant_jit_provisioning: 'RESTRICTED',
      created_at: org.created_at,
    })
    expect(
      (await b2b.organizations.get({ organization_id: org.organization_id })).organization,
    ).toEqual(organization)
    // A field Stytch does not have is not stored (found by Schemathesis).
    const odd = await control('PUT', `/v1/b2b/organizations/${org.organization_id}`, {
      organization_name: 'Odd',
      not_a_setting: 1,
    })
    expect(odd.status).toBe(200)
    expect(odd.body.organization.organization_name).toBe('Odd')
    expect(odd.body.organization).not.toHaveProperty('not_a_setting')
  })

  it('moves the slug: the old one is free, a taken one is refused', async () => {
    const org = await newOrg()
    const other = await newOrg()
    const slug = slugOf('moved')
    await b2b.organizations.update({
      organization_id: org.organization_id,
      organization_slug: slug,
    })
    expect(
      (await b2b.organizations.get({ organization_id: slug })).organization.organization_id,
    ).toBe(org.organization_id)
    expect(
      await failure(b2b.organizations.get({ organization_id: org.organization_slug })),
    ).toEqual({
      status: 404,
      type: 'organization_not_found',
    })
    expect(
      await failure(
        b2b.organizations.update({
          organization_id: org.organization_id,
          organization_slug: other.organization_slug,
        }),
      ),
    ).toEqual({ status: 400, type: 'organization_slug_already_used' })
    expect(
      await failure(b2b.organizations.update({ organization_id: 'nope', organization_name: 'x' })),
    ).toEqual({ status: 404, type: 'organization_not_found' })
  })

  it('mfa_policy and auth_methods change what a login gets', async () => {
    const org = await newOrg()
    const email = `mfa-${random()}@example.com`
    await loginAs(org.organization_id, email)
    const sendAndAuthenticate = async () => {
      await b2b.magicLinks.email.loginOrSignup({
        organization_id: org.organization_id,
        email_address: email,
      })
      const token = (await outbox(email)).at(-1)!.token!
      return b2b.magicLinks.authenticate({ magic_links_token: token })
    }
    expect((await sendAndAuthenticate()).member_authenticated).toBe(true)
    await b2b.organizations.update({
      organization_id: org.organization_id,
      mfa_policy: 'REQUIRED_FOR_ALL',
    })
    const mfa = await sendAndAuthenticate()
    expect(mfa.member_authenticated).toBe(false)
    expect(mfa.mfa_required).not.toBeNull()
    await b2b.organizations.update({
      organization_id: org.organization_id,
      mfa_policy: 'OPTIONAL',
      auth_methods: 'RESTRICTED',
      allowed_auth_methods: ['password'],
    })
    const primary = await sendAndAuthenticate()
    expect(primary.member_authenticated).toBe(false)
    expect(primary.primary_required).toEqual({ allowed_auth_methods: ['password'] })
  })

  it('email_jit_provisioning RESTRICTED to email_allowed_domains lets new addresses of those domains join', async () => {
    const org = await newOrg()
    const domain = `${random()}.example`
    const email = `new@${domain}`
    expect(
      await failure(
        b2b.magicLinks.email.loginOrSignup({
          organization_id: org.organization_id,
          email_address: email,
        }),
      ),
    ).toEqual({ status: 403, type: 'email_jit_provisioning_not_allowed' })
    await b2b.organizations.update({
      organization_id: org.organization_id,
      email_jit_provisioning: 'RESTRICTED',
      email_allowed_domains: [domain],
    })
    const sent = await b2b.magicLinks.email.loginOrSignup({
      organization_id: org.organization_id,
      email_address: email,
    })
    expect(sent.member_created).toBe(true)
  })

  it('implicit roles by email domain: the members, their sessions and JWTs get them at once', async () => {
    const org = await newOrg()
    const domain = `${random()}.example`
    const { session_token, member } = await loginAs(org.organization_id, `ada@${domain}`)
    await b2b.organizations.update({
      organization_id: org.organization_id,
      rbac_email_implicit_role_assignments: [{ domain, role_id: 'stytch_admin' }],
    })
    const got = await b2b.organizations.members.get({
      organization_id: org.organization_id,
      member_id: member.member_id,
    })
    expect(got.member.roles).toContainEqual({
      role_id: 'stytch_admin',
      sources: [{ type: 'email_assignment', details: { email_domain: domain } }],
    })
    expect(got.member.is_admin).toBe(true)
    const auth = await b2b.sessions.authenticate({ session_token })
    expect(auth.member_session.roles.sort()).toEqual(['stytch_admin', 'stytch_member'])
    const claims = JSON.parse(Buffer.from(auth.session_jwt.split('.')[1]!, 'base64url').toString())
    expect(claims['https://stytch.com/session'].roles.sort()).toEqual([
      'stytch_admin',
      'stytch_member',
    ])
    // A member who joins later gets it too; taking the assignment away takes the role.
    const later = await b2b.organizations.members.create({
      organization_id: org.organization_id,
      email_address: `bob@${domain}`,
    })
    expect(roleIds(later.member)).toEqual(['stytch_admin', 'stytch_member'])
    await b2b.organizations.update({
      organization_id: org.organization_id,
      rbac_email_implicit_role_assignments: [],
    })
    expect((await b2b.sessions.authenticate({ session_token })).member_session.roles).toEqual([
      'stytch_member',
    ])
  })

  it("as a member: an admin may, a plain member gets Stytch's authorization error", async () => {
    const org = await newOrg()
    const admin = await loginAs(org.organization_id, `admin-${random()}@example.com`, {
      is_admin: true,
    })
    const plain = await loginAs(org.organization_id, `plain-${random()}@example.com`)
    const asAdmin = { authorization: { session_token: admin.session_token } }
    const asPlain = { authorization: { session_token: plain.session_token } }
    const { organization } = await b2b.organizations.update(
      {
        organization_id: org.organization_id,
        organization_name: 'By Admin',
        mfa_policy: 'OPTIONAL',
      },
      asAdmin,
    )
    expect(organization.organization_name).toBe('By Admin')
    expect(
      await failure(
        b2b.organizations.update(
          { organization_id: org.organization_id, organization_name: 'No' },
          asPlain,
        ),
      ),
    ).toEqual({ status: 403, type: 'session_authorization_error' })
    expect(
      await failure(
        b2b.organizations.update(
          { organization_id: org.organization_id, trusted_metadata: { x: 1 } },
          asAdmin,
        ),
      ),
    ).toEqual({ status: 400, type: 'cannot_update_trusted_metadata' })
    const elsewhere = await newOrg()
    expect(
      await failure(
        b2b.organizations.update(
          { organization_id: elsewhere.organization_id, organization_name: 'x' },
          asAdmin,
        ),
      ),
    ).toEqual({ status: 403, type: 'session_authorization_tenancy_error' })
    expect(
      await failure(b2b.organizations.delete({ organization_id: org.organization_id }, asPlain)),
    ).toEqual({ status: 403, type: 'session_authorization_error' })
    expect(
      await failure(
        b2b.organizations.update(
          { organization_id: org.organization_id, organization_name: 'x' },
          { authorization: { session_token: 'x'.repeat(44) } },
        ),
      ),
    ).toEqual({ status: 404, type: 'session_not_found' })
  })
})

describe('organizations.delete, metrics, deleteExternalId', () => {
  it('delete: the organization and its members go, every member session is revoked at once', async () => {
    const org = await newOrg({ organization_external_id: `ext-${random()}` })
    const a = await loginAs(org.organization_id, `a-${random()}@example.com`, { is_admin: true })
    const b = await loginAs(org.organization_id, `b-${random()}@example.com`)
    expect(
      (await b2b.organizations.metrics({ organization_id: org.organization_id })).member_count,
    ).toBe(2)
    const deleted = await b2b.organizations.delete(
      { organization_id: org.organization_id },
      { authorization: { session_token: a.session_token } },
    )
    expect(deleted.organization_id).toBe(org.organization_id)
    for (const { session_token } of [a, b])
      expect(await failure(b2b.sessions.authenticate({ session_token }))).toEqual({
        status: 404,
        type: 'session_not_found',
      })
    for (const key of [org.organization_id, org.organization_slug, org.organization_external_id!])
      expect(await failure(b2b.organizations.get({ organization_id: key }))).toEqual({
        status: 404,
        type: 'organization_not_found',
      })
    expect(
      await failure(
        b2b.organizations.members.dangerouslyGet({
          member_id: b.member.member_id,
          include_deleted: true,
        }),
      ),
    ).toEqual({ status: 404, type: 'member_not_found' })
    expect(
      await failure(b2b.organizations.delete({ organization_id: org.organization_id })),
    ).toEqual({
      status: 404,
      type: 'organization_not_found',
    })
    // The slug is free again.
    expect((await newOrg({ organization_slug: org.organization_slug })).organization_slug).toBe(
      org.organization_slug,
    )
  })

  it('metrics counts members that are not deleted', async () => {
    const org = await newOrg()
    const m = await b2b.organizations.members.create({
      organization_id: org.organization_id,
      email_address: `m-${random()}@example.com`,
    })
    await b2b.organizations.members.create({
      organization_id: org.organization_id,
      email_address: `n-${random()}@example.com`,
    })
    await b2b.organizations.members.delete({
      organization_id: org.organization_id,
      member_id: m.member_id,
    })
    expect(await b2b.organizations.metrics({ organization_id: org.organization_id })).toMatchObject(
      {
        member_count: 1,
        status_code: 200,
      },
    )
    expect(await failure(b2b.organizations.metrics({ organization_id: 'nope' }))).toEqual({
      status: 404,
      type: 'organization_not_found',
    })
  })

  it('deleteExternalId: the organization is no longer found by it', async () => {
    const external = `ext-${random()}`
    const org = await newOrg({ organization_external_id: external })
    const { organization } = await b2b.organizations.deleteExternalId({ organization_id: external })
    expect(organization.organization_id).toBe(org.organization_id)
    expect(organization.organization_external_id).toBeUndefined()
    expect(await failure(b2b.organizations.get({ organization_id: external }))).toEqual({
      status: 404,
      type: 'organization_not_found',
    })
  })
})

describe('organizations.search', () => {
  it('filters with AND and OR, pages with limit and cursor, reports the total', async () => {
    const tag = random()
    const made = []
    for (let i = 0; i < 5; i++)
      made.push(
        await newOrg({
          organization_name: `Search ${tag} ${i}`,
          organization_slug: `search-${tag}-${i}`,
          email_allowed_domains: i % 2 ? [`odd-${tag}.example`] : [],
        }),
      )
    await loginAs(made[4]!.organization_id, `finder-${tag}@example.com`)
    const byName = {
      filter_name: 'organization_name_fuzzy',
      filter_value: `search ${tag}`,
    } as const
    const first = await b2b.organizations.search({
      limit: 2,
      query: { operator: 'AND', operands: [byName] },
    })
    expect(first.organizations.map((o) => o.organization_id)).toEqual(
      made.slice(0, 2).map((o) => o.organization_id),
    )
    expect(first.results_metadata.total).toBe(5)
    const second = await b2b.organizations.search({
      limit: 2,
      cursor: first.results_metadata.next_cursor!,
      query: { operator: 'AND', operands: [byName] },
    })
    expect(second.organizations.map((o) => o.organization_slug)).toEqual([
      `search-${tag}-2`,
      `search-${tag}-3`,
    ])
    const last = await b2b.organizations.search({
      limit: 2,
      cursor: second.results_metadata.next_cursor!,
      query: { operator: 'AND', operands: [byName] },
    })
    expect(last.organizations).toHaveLength(1)
    expect(last.results_metadata.next_cursor).toBeNull()
    const and = await b2b.organizations.search({
      query: {
        operator: 'AND',
        operands: [
          byName,
          { filter_name: 'allowed_domains', filter_value: [`odd-${tag}.example`] },
        ],
      },
    })
    expect(and.organizations.map((o) => o.organization_slug)).toEqual([
      `search-${tag}-1`,
      `search-${tag}-3`,
    ])
    const or = await b2b.organizations.search({
      query: {
        operator: 'OR',
        operands: [
          { filter_name: 'organization_slugs', filter_value: [`search-${tag}-0`] },
          { filter_name: 'member_emails', filter_value: [`finder-${tag}@example.com`] },
        ],
      },
    })
    expect(or.organizations.map((o) => o.organization_slug)).toEqual([
      `search-${tag}-0`,
      `search-${tag}-4`,
    ])
    const all = await b2b.organizations.search({})
    expect(all.results_metadata.total).toBeGreaterThanOrEqual(8)
  })

  it("refuses invalid operators, filters, values and cursors with Stytch's error types", async () => {
    const bad = async (query: unknown, extra: object = {}) =>
      failure(b2b.organizations.search({ query, ...extra } as stytch.B2BOrganizationsSearchRequest))
    expect(await bad({ operator: 'XOR', operands: [] })).toEqual({
      status: 400,
      type: 'user_search_invalid_operator',
    })
    expect(
      await bad({ operator: 'AND', operands: [{ filter_name: 'color', filter_value: 'x' }] }),
    ).toEqual({
      status: 400,
      type: 'organization_search_filter_name_not_recognized',
    })
    expect(await bad({ operator: 'AND', operands: [{ filter_value: ['x'] }] })).toEqual({
      status: 400,
      type: 'organization_search_missing_filter_name',
    })
    expect(await bad({ operator: 'AND', operands: [{ filter_name: 'organization_ids' }] })).toEqual(
      {
        status: 400,
        type: 'organization_search_missing_filter_value',
      },
    )
    expect(
      await bad({
        operator: 'AND',
        operands: [{ filter_name: 'organization_ids', filter_value: 'x' }],
      }),
    ).toEqual({ status: 400, type: 'organization_search_expected_array_of_strings' })
    expect(
      await bad({
        operator: 'AND',
        operands: [{ filter_name: 'organization_name_fuzzy', filter_value: 'ab' }],
      }),
    ).toEqual({ status: 400, type: 'organization_search_organization_name_fuzzy_too_short' })
    expect(
      await bad({
        operator: 'AND',
        operands: [{ filter_name: 'has_active_sso_connection', filter_value: 'yes' }],
      }),
    ).toEqual({ status: 400, type: 'organization_search_expected_boolean' })
    expect(await bad(undefined, { cursor: 'not-a-cursor' })).toEqual({
      status: 400,
      type: 'user_search_invalid_cursor',
    })
    expect(await bad(undefined, { limit: 1001 })).toEqual({
      status: 400,
      type: 'user_search_invalid_limit',
    })
  })
})

describe('organizations.members: create, get, update', () => {
  it('create: the member with its fields, unverified, its roles; get by id, email or external id', async () => {
    const org = await newOrg()
    const email = `Create-${random()}@Example.com`
    const external = `emp-${random()}`
    const created = await b2b.organizations.members.create({
      organization_id: org.organization_id,
      email_address: email,
      name: 'Cee Ate',
      trusted_metadata: { level: 3 },
      untrusted_metadata: { theme: 'dark' },
      is_breakglass: true,
      mfa_phone_number: '+15555550123',
      mfa_enrolled: true,
      roles: ['stytch_admin'],
      external_id: external,
    })
    expect(created.member).toMatchObject({
      email_address: email.toLowerCase(),
      name: 'Cee Ate',
      status: 'active',
      email_address_verified: false,
      trusted_metadata: { level: 3 },
      untrusted_metadata: { theme: 'dark' },
      is_breakglass: true,
      mfa_phone_number: '+15555550123',
      mfa_phone_number_verified: false,
      mfa_enrolled: true,
      is_admin: true,
      external_id: external,
    })
    expect(roleIds(created.member)).toEqual(['stytch_admin', 'stytch_member'])
    expect(created.organization.organization_id).toBe(org.organization_id)
    for (const by of [
      { member_id: created.member_id },
      { member_id: external },
      { email_address: email },
    ]) {
      const got = await b2b.organizations.members.get({
        organization_id: org.organization_id,
        ...by,
      })
      expect(got.member).toEqual(created.member)
    }
    const pending = await b2b.organizations.members.create({
      organization_id: org.organization_id,
      email_address: `p-${random()}@example.com`,
      create_member_as_pending: true,
    })
    expect(pending.member.status).toBe('pending')
  })

  it('create refuses a duplicate email, external id or phone, an unknown role or organization', async () => {
    const org = await newOrg()
    const email = `dup-${random()}@example.com`
    const first = await b2b.organizations.members.create({
      organization_id: org.organization_id,
      email_address: email,
      external_id: `x-${random()}`,
      mfa_phone_number: '+15555550999',
    })
    const create = (extra: object) =>
      failure(
        b2b.organizations.members.create({
          organization_id: org.organization_id,
          email_address: `other-${random()}@example.com`,
          ...extra,
        }),
      )
    expect(await create({ email_address: email.toUpperCase() })).toEqual({
      status: 400,
      type: 'duplicate_member_email',
    })
    expect(await create({ external_id: first.member.external_id })).toEqual({
      status: 400,
      type: 'duplicate_member_external_id',
    })
    expect(await create({ mfa_phone_number: '+15555550999' })).toEqual({
      status: 400,
      type: 'duplicate_member_phone_number',
    })
    expect(await create({ roles: ['ghost'] })).toEqual({
      status: 400,
      type: 'invalid_rbac_role_id',
    })
    expect(await create({ email_address: 'not-an-email' })).toEqual({
      status: 400,
      type: 'invalid_email',
    })
    expect(await create({ mfa_phone_number: '555' })).toEqual({
      status: 400,
      type: 'invalid_phone_number',
    })
    expect(
      await create({
        untrusted_metadata: Object.fromEntries([...Array(21)].map((_, i) => [`k${i}`, i])),
      }),
    ).toEqual({ status: 400, type: 'metadata_too_many_keys' })
    expect(
      await failure(
        b2b.organizations.members.create({ organization_id: 'nope', email_address: email }),
      ),
    ).toEqual({ status: 404, type: 'organization_not_found' })
  })

  it("update: name, metadata, roles; the member's sessions and JWTs carry the new roles at once", async () => {
    const org = await newOrg()
    const { session_token, member } = await loginAs(
      org.organization_id,
      `up-${random()}@example.com`,
    )
    const { member: updated } = await b2b.organizations.members.update({
      organization_id: org.organization_id,
      member_id: member.member_id,
      name: 'New Name',
      untrusted_metadata: { a: 1 },
      trusted_metadata: { t: true },
      roles: ['stytch_admin'],
      is_breakglass: true,
      mfa_enrolled: true,
    })
    expect(updated).toMatchObject({
      name: 'New Name',
      untrusted_metadata: { a: 1 },
      trusted_metadata: { t: true },
      is_breakglass: true,
      mfa_enrolled: true,
      is_admin: true,
    })
    const auth = await b2b.sessions.authenticate({ session_token })
    expect(auth.member.name).toBe('New Name')
    expect(auth.member_session.roles.sort()).toEqual(['stytch_admin', 'stytch_member'])
    const local = await b2b.sessions.authenticateJwtLocal({ session_jwt: auth.session_jwt })
    expect(local.roles.sort()).toEqual(['stytch_admin', 'stytch_member'])
    await b2b.organizations.members.update({
      organization_id: org.organization_id,
      member_id: member.member_id,
      roles: [],
      untrusted_metadata: { a: null, b: 2 },
    })
    const after = await b2b.sessions.authenticate({ session_token })
    expect(after.member_session.roles).toEqual(['stytch_member'])
    expect(after.member.untrusted_metadata).toEqual({ b: 2 })
    expect(after.member.is_admin).toBe(false)
    // mfa_enrolled now asks a new login for MFA.
    expect(
      await failure(
        b2b.organizations.members.update({
          organization_id: org.organization_id,
          member_id: member.member_id,
          roles: ['ghost'],
        }),
      ),
    ).toEqual({ status: 400, type: 'invalid_rbac_role_id' })
  })

  it('update: the MFA phone once, default_mfa_method needs its factor, an unknown member 404', async () => {
    const org = await newOrg()
    const m = await b2b.organizations.members.create({
      organization_id: org.organization_id,
      email_address: `phone-${random()}@example.com`,
    })
    const update = (extra: object) =>
      b2b.organizations.members.update({
        organization_id: org.organization_id,
        member_id: m.member_id,
        ...extra,
      })
    expect(await failure(update({ default_mfa_method: 'sms_otp' }))).toEqual({
      status: 400,
      type: 'default_mfa_member_missing_factor',
    })
    const { member } = await update({
      mfa_phone_number: '+15555550100',
      default_mfa_method: 'sms_otp',
    })
    expect(member).toMatchObject({
      mfa_phone_number: '+15555550100',
      default_mfa_method: 'sms_otp',
    })
    expect(await failure(update({ mfa_phone_number: '+15555550101' }))).toEqual({
      status: 400,
      type: 'duplicate_member_phone_number_for_member',
    })
    const deleted = await b2b.organizations.members.deleteMFAPhoneNumber({
      organization_id: org.organization_id,
      member_id: m.member_id,
    })
    expect(deleted.member).toMatchObject({ mfa_phone_number: '', default_mfa_method: '' })
    expect(
      await failure(
        b2b.organizations.members.deleteMFAPhoneNumber({
          organization_id: org.organization_id,
          member_id: m.member_id,
        }),
      ),
    ).toEqual({ status: 404, type: 'member_phone_number_not_found' })
    expect((await update({ mfa_phone_number: '+15555550101' })).member.mfa_phone_number).toBe(
      '+15555550101',
    )
    expect(
      await failure(
        b2b.organizations.members.update({
          organization_id: org.organization_id,
          member_id: 'member-test-nope',
          name: 'x',
        }),
      ),
    ).toEqual({ status: 404, type: 'member_not_found' })
  })

  it('update email_address: unverified, the password cleared, the old address retired; unlinkRetiredEmail frees it', async () => {
    const org = await newOrg()
    const old = `old-${random()}@example.com`
    const fresh = `fresh-${random()}@example.com`
    const { member } = await loginAs(org.organization_id, old)
    await b2b.passwords.migrate({
      organization_id: org.organization_id,
      email_address: old,
      hash: BCRYPT,
      hash_type: 'bcrypt',
    })
    // A login link sent to the old address before the change.
    await b2b.magicLinks.email.loginOrSignup({
      organization_id: org.organization_id,
      email_address: old,
    })
    const stale = (await outbox(old)).at(-1)!.token!
    const { member: updated } = await b2b.organizations.members.update({
      organization_id: org.organization_id,
      member_id: member.member_id,
      email_address: fresh,
    })
    // It still logs the member in, but proves nothing about the address: the email stays.
    const late = await b2b.magicLinks.authenticate({ magic_links_token: stale })
    expect([late.member_id, late.member.email_address]).toEqual([member.member_id, fresh])
    expect(updated).toMatchObject({
      email_address: fresh,
      email_address_verified: false,
      member_password_id: '',
    })
    expect(updated.retired_email_addresses).toEqual([
      { email_id: expect.stringMatching(/^member-email-test-/), email_address: old },
    ])
    // The retired address is not free for another member until unlinked.
    const take = () =>
      b2b.organizations.members.create({ organization_id: org.organization_id, email_address: old })
    expect(await failure(take())).toEqual({ status: 400, type: 'retired_member_email' })
    expect(
      await failure(
        b2b.organizations.members.unlinkRetiredEmail({
          organization_id: org.organization_id,
          member_id: member.member_id,
        }),
      ),
    ).toEqual({ status: 400, type: 'retired_email_missing_email_identifiers' })
    const unlinked = await b2b.organizations.members.unlinkRetiredEmail({
      organization_id: org.organization_id,
      member_id: member.member_id,
      email_id: updated.retired_email_addresses[0]!.email_id,
      email_address: old,
    })
    expect(unlinked.organization_id).toBe(org.organization_id)
    expect(unlinked.member.retired_email_addresses).toEqual([])
    expect((await take()).member.email_address).toBe(old)
    expect(
      await failure(
        b2b.organizations.members.unlinkRetiredEmail({
          organization_id: org.organization_id,
          member_id: member.member_id,
          email_address: old,
        }),
      ),
    ).toEqual({ status: 404, type: 'email_not_found' })
  })

  it('as a member: stytch.self covers oneself for name and metadata; roles and others need stytch.member', async () => {
    const org = await newOrg()
    const plain = await loginAs(org.organization_id, `self-${random()}@example.com`)
    const other = await loginAs(org.organization_id, `other-${random()}@example.com`)
    const admin = await loginAs(org.organization_id, `boss-${random()}@example.com`, {
      is_admin: true,
    })
    const as = (s: { session_token: string }) => ({
      authorization: { session_token: s.session_token },
    })
    const update = (target: string, data: object, who: { session_token: string }) =>
      b2b.organizations.members.update(
        { organization_id: org.organization_id, member_id: target, ...data },
        as(who),
      )
    expect((await update(plain.member.member_id, { name: 'Me' }, plain)).member.name).toBe('Me')
    const denied = { status: 403, type: 'session_authorization_error' }
    expect(
      await failure(update(plain.member.member_id, { roles: ['stytch_admin'] }, plain)),
    ).toEqual(denied)
    expect(await failure(update(other.member.member_id, { name: 'You' }, plain))).toEqual(denied)
    expect(
      await failure(update(plain.member.member_id, { email_address: 'x@example.com' }, plain)),
    ).toEqual({
      status: 400,
      type: 'member_cannot_update_their_email_address',
    })
    expect(
      await failure(update(plain.member.member_id, { trusted_metadata: { a: 1 } }, admin)),
    ).toEqual({
      status: 400,
      type: 'cannot_update_trusted_metadata',
    })
    expect(
      roleIds((await update(other.member.member_id, { roles: ['stytch_admin'] }, admin)).member),
    ).toEqual(['stytch_admin', 'stytch_member'])
    expect(
      await failure(
        b2b.organizations.members.delete(
          { organization_id: org.organization_id, member_id: other.member.member_id },
          as(plain),
        ),
      ),
    ).toEqual(denied)
    expect(
      await failure(
        b2b.organizations.members.search({ organization_ids: [org.organization_id] }, as(plain)),
      ),
    ).toEqual(denied)
    expect(
      (
        await b2b.organizations.members.search(
          { organization_ids: [org.organization_id] },
          as(admin),
        )
      ).members,
    ).toHaveLength(3)
  })
})

describe('organizations.members: delete and reactivate', () => {
  it('delete: sessions revoked at once; no login, exchange or get reaches the member until reactivated', async () => {
    const org = await newOrg()
    const email = `gone-${random()}@example.com`
    const { session_token, member } = await loginAs(org.organization_id, email)
    const other = await loginAs(FIXTURE.acme.organization_id, email)
    const deleted = await b2b.organizations.members.delete({
      organization_id: org.organization_id,
      member_id: member.member_id,
    })
    expect(deleted).toMatchObject({ member_id: member.member_id, status_code: 200 })
    expect(await failure(b2b.sessions.authenticate({ session_token }))).toEqual({
      status: 404,
      type: 'session_not_found',
    })
    const notFound = { status: 404, type: 'member_not_found' }
    expect(
      await failure(
        b2b.organizations.members.get({
          organization_id: org.organization_id,
          member_id: member.member_id,
        }),
      ),
    ).toEqual(notFound)
    expect(
      await failure(
        b2b.organizations.members.get({
          organization_id: org.organization_id,
          email_address: email,
        }),
      ),
    ).toEqual(notFound)
    expect(
      await failure(
        b2b.organizations.members.delete({
          organization_id: org.organization_id,
          member_id: member.member_id,
        }),
      ),
    ).toEqual(notFound)
    // No login: the organization does not let the address join again.
    expect(
      await failure(
        b2b.magicLinks.email.loginOrSignup({
          organization_id: org.organization_id,
          email_address: email,
        }),
      ),
    ).toEqual({ status: 403, type: 'email_jit_provisioning_not_allowed' })
    // No exchange into it from the member's other organization.
    expect(
      await failure(
        b2b.sessions.exchange({
          organization_id: org.organization_id,
          session_token: other.session_token,
        }),
      ),
    ).toEqual(notFound)
    // dangerouslyGet sees it only when asked; search only when asked.
    expect(
      await failure(b2b.organizations.members.dangerouslyGet({ member_id: member.member_id })),
    ).toEqual(notFound)
    const seen = await b2b.organizations.members.dangerouslyGet({
      member_id: member.member_id,
      include_deleted: true,
    })
    expect(seen.member.status).toBe('deleted')
    // Test control will not seed a session for it either.
    const seeded = await control('POST', '/_mock/b2b/sessions', {
      organization_id: org.organization_id,
      member_id: member.member_id,
    })
    expect([seeded.status, seeded.body.error_type]).toEqual([400, 'invalid_argument'])
    const reactivated = await b2b.organizations.members.reactivate({
      organization_id: org.organization_id,
      member_id: member.member_id,
    })
    expect(reactivated.member).toMatchObject({ status: 'active', email_address: email })
    const exchanged = await b2b.sessions.exchange({
      organization_id: org.organization_id,
      session_token: other.session_token,
    })
    expect(exchanged.member_id).toBe(member.member_id)
    expect(
      await failure(
        b2b.organizations.members.reactivate({
          organization_id: org.organization_id,
          member_id: member.member_id,
        }),
      ),
    ).toEqual({ status: 404, type: 'no_deleted_member_found_for_reactivation' })
  })

  it('reactivate refuses an unverified member and an address another member has taken', async () => {
    const org = await newOrg()
    const unverified = await b2b.organizations.members.create({
      organization_id: org.organization_id,
      email_address: `unv-${random()}@example.com`,
    })
    await b2b.organizations.members.delete({
      organization_id: org.organization_id,
      member_id: unverified.member_id,
    })
    expect(
      await failure(
        b2b.organizations.members.reactivate({
          organization_id: org.organization_id,
          member_id: unverified.member_id,
        }),
      ),
    ).toEqual({ status: 400, type: 'email_unverified_for_reactivation' })
    const email = `taken-${random()}@example.com`
    const { member } = await loginAs(org.organization_id, email)
    await b2b.organizations.members.delete({
      organization_id: org.organization_id,
      member_id: member.member_id,
    })
    const successor = await b2b.organizations.members.create({
      organization_id: org.organization_id,
      email_address: email,
    })
    expect(successor.member_id).not.toBe(member.member_id)
    expect(
      await failure(
        b2b.organizations.members.reactivate({
          organization_id: org.organization_id,
          member_id: member.member_id,
        }),
      ),
    ).toEqual({ status: 400, type: 'reactivation_email_belongs_to_another_member' })
  })
})

describe('organizations.members.search', () => {
  it('searches across organizations with filters and pages; deleted members only when asked', async () => {
    const tag = random()
    const one = await newOrg()
    const two = await newOrg()
    const a = await b2b.organizations.members.create({
      organization_id: one.organization_id,
      email_address: `a-${tag}@example.com`,
      roles: ['stytch_admin'],
    })
    const b = await b2b.organizations.members.create({
      organization_id: two.organization_id,
      email_address: `b-${tag}@example.com`,
      is_breakglass: true,
    })
    const c = await b2b.organizations.members.create({
      organization_id: two.organization_id,
      email_address: `c-${tag}@example.com`,
    })
    await b2b.organizations.members.delete({
      organization_id: two.organization_id,
      member_id: c.member_id,
    })
    const ids = [one.organization_id, two.organization_id]
    const all = await b2b.organizations.members.search({ organization_ids: ids })
    expect(all.members.map((m) => m.member_id)).toEqual([a.member_id, b.member_id])
    expect(all.results_metadata).toEqual({ total: 2, next_cursor: null })
    expect(Object.keys(all.organizations).sort()).toEqual([...ids].sort())
    const page1 = await b2b.organizations.members.search({ organization_ids: ids, limit: 1 })
    expect(page1.members.map((m) => m.member_id)).toEqual([a.member_id])
    expect(Object.keys(page1.organizations)).toEqual([one.organization_id])
    const page2 = await b2b.organizations.members.search({
      organization_ids: ids,
      limit: 1,
      cursor: page1.results_metadata.next_cursor!,
    })
    expect(page2.members.map((m) => m.member_id)).toEqual([b.member_id])
    const q = (operator: 'AND' | 'OR', operands: object[]) =>
      b2b.organizations.members.search({
        organization_ids: ids,
        query: { operator, operands } as stytch.SearchQuery,
      })
    expect(
      (
        await q('AND', [{ filter_name: 'member_email_fuzzy', filter_value: `b-${tag}` }])
      ).members.map((m) => m.member_id),
    ).toEqual([b.member_id])
    expect(
      (await q('AND', [{ filter_name: 'member_is_breakglass', filter_value: true }])).members.map(
        (m) => m.member_id,
      ),
    ).toEqual([b.member_id])
    expect(
      (
        await q('AND', [{ filter_name: 'member_roles', filter_value: ['stytch_admin'] }])
      ).members.map((m) => m.member_id),
    ).toEqual([a.member_id])
    expect(
      (await q('AND', [{ filter_name: 'statuses', filter_value: ['deleted'] }])).members.map(
        (m) => m.member_id,
      ),
    ).toEqual([c.member_id])
    expect(
      (
        await q('OR', [
          { filter_name: 'member_ids', filter_value: [a.member_id] },
          { filter_name: 'member_emails', filter_value: [`B-${tag}@example.com`] },
        ])
      ).members.map((m) => m.member_id),
    ).toEqual([a.member_id, b.member_id])
    expect(
      (
        await q('AND', [
          { filter_name: 'member_ids', filter_value: [a.member_id] },
          { filter_name: 'member_is_breakglass', filter_value: true },
        ])
      ).members,
    ).toEqual([])
  })

  it("refuses invalid queries with Stytch's member search error types", async () => {
    const search = (data: object) =>
      failure(b2b.organizations.members.search(data as stytch.B2BOrganizationsMembersSearchRequest))
    const ids = [FIXTURE.acme.organization_id]
    expect(await search({ organization_ids: [] })).toEqual({
      status: 400,
      type: 'member_search_organization_ids_empty',
    })
    expect(await search({})).toEqual({ status: 400, type: 'member_search_organization_ids_empty' })
    expect(await search({ organization_ids: ['nope'] })).toEqual({
      status: 404,
      type: 'organization_not_found',
    })
    const op = (operand: object, operator = 'AND') =>
      search({ organization_ids: ids, query: { operator, operands: [operand] } })
    expect(await op({ filter_name: 'member_ids', filter_value: [] }, 'NOT')).toEqual({
      status: 400,
      type: 'user_search_invalid_operator',
    })
    expect(await op({ filter_name: 'shoe_size', filter_value: 42 })).toEqual({
      status: 400,
      type: 'member_search_filter_name_not_recognized',
    })
    expect(await op({ filter_name: 7, filter_value: 42 })).toEqual({
      status: 400,
      type: 'member_search_filter_name_must_be_string',
    })
    expect(await op({ filter_name: 'member_emails' })).toEqual({
      status: 400,
      type: 'member_search_missing_filter_value',
    })
    expect(await op({ filter_name: 'member_emails', filter_value: 'a@b.c' })).toEqual({
      status: 400,
      type: 'member_search_expected_array_of_strings',
    })
    expect(await op({ filter_name: 'member_email_fuzzy', filter_value: 'ab' })).toEqual({
      status: 400,
      type: 'member_search_member_email_fuzzy_too_short',
    })
    expect(await op({ filter_name: 'member_email_fuzzy', filter_value: ['abc'] })).toEqual({
      status: 400,
      type: 'member_search_expected_string',
    })
    expect(await op({ filter_name: 'member_is_breakglass', filter_value: 'yes' })).toEqual({
      status: 400,
      type: 'member_search_expected_boolean',
    })
    expect(await op({ filter_name: 'statuses', filter_value: ['sleeping'] })).toEqual({
      status: 400,
      type: 'search_invalid_status_filter',
    })
    expect(await search({ organization_ids: ids, cursor: 'bm9wZQ' })).toEqual({
      status: 400,
      type: 'user_search_invalid_cursor',
    })
  })
})

describe('organizations.members: factors, external ids, email updates, OAuth tokens', () => {
  it("deletePassword: the member's password no longer logs in", async () => {
    const org = await newOrg()
    const email = `pw-${random()}@example.com`
    await loginAs(org.organization_id, email)
    const password = 'correct-horse-battery'
    const migrated = await b2b.passwords.migrate({
      organization_id: org.organization_id,
      email_address: email,
      hash: BCRYPT,
      hash_type: 'bcrypt',
    })
    const passwordId = migrated.member.member_password_id
    expect(passwordId).not.toBe('')
    await b2b.passwords.authenticate({
      organization_id: org.organization_id,
      email_address: email,
      password,
    })
    const { member } = await b2b.organizations.members.deletePassword({
      organization_id: org.organization_id,
      member_password_id: passwordId,
    })
    expect(member.member_password_id).toBe('')
    expect(
      (
        await failure(
          b2b.passwords.authenticate({
            organization_id: org.organization_id,
            email_address: email,
            password,
          }),
        )
      ).status,
    ).toBeGreaterThanOrEqual(400)
    expect(
      await failure(
        b2b.organizations.members.deletePassword({
          organization_id: org.organization_id,
          member_password_id: passwordId,
        }),
      ),
    ).toEqual({ status: 400, type: 'member_password_not_found' })
  })

  it('deleteTOTP: the registration goes and the default MFA method falls back', async () => {
    const org = await newOrg()
    const m = await b2b.organizations.members.create({
      organization_id: org.organization_id,
      email_address: `totp-${random()}@example.com`,
      mfa_phone_number: '+15555550177',
    })
    // A TOTP registration as the TOTP product would leave it.
    const stored = mock.world.orgs.member(m.member_id)!
    mock.world.orgs.updateMember({
      ...stored,
      totp_registration_id: 'member-totp-test-1',
      default_mfa_method: 'totp',
    })
    const { member } = await b2b.organizations.members.deleteTOTP({
      organization_id: org.organization_id,
      member_id: m.member_id,
    })
    expect(member).toMatchObject({ totp_registration_id: '', default_mfa_method: 'sms_otp' })
    expect(
      await failure(
        b2b.organizations.members.deleteTOTP({
          organization_id: org.organization_id,
          member_id: m.member_id,
        }),
      ),
    ).toEqual({ status: 404, type: 'totp_not_found' })
  })

  it('deleteExternalId: the member is no longer found by it', async () => {
    const org = await newOrg()
    const external = `ext-${random()}`
    const m = await b2b.organizations.members.create({
      organization_id: org.organization_id,
      email_address: `e-${random()}@example.com`,
      external_id: external,
    })
    const { member } = await b2b.organizations.members.deleteExternalId({
      organization_id: org.organization_id,
      member_id: external,
    })
    expect(member.member_id).toBe(m.member_id)
    expect(member.external_id).toBeUndefined()
    expect(
      await failure(
        b2b.organizations.members.get({
          organization_id: org.organization_id,
          member_id: external,
        }),
      ),
    ).toEqual({ status: 404, type: 'member_not_found' })
  })

  it('startEmailUpdate: a link to the new address in the outbox, held for 5 minutes; following it switches the email', async () => {
    const org = await newOrg()
    const { member } = await loginAs(org.organization_id, `start-${random()}@example.com`)
    const { member: other } = await loginAs(org.organization_id, `rival-${random()}@example.com`)
    const target = `target-${random()}@example.com`
    const started = await b2b.organizations.members.startEmailUpdate({
      organization_id: org.organization_id,
      member_id: member.member_id,
      email_address: target,
      login_redirect_url: 'http://localhost:3000/confirm',
    })
    expect(started.member.email_address).toBe(member.email_address)
    const [message] = await outbox(target)
    expect(message).toMatchObject({ member_id: member.member_id })
    expect(message!.url).toMatch(
      /^http:\/\/localhost:3000\/confirm\?stytch_token_type=multi_tenant_magic_links&token=/,
    )
    const start = (id: string, email_address: string, extra: object = {}) =>
      failure(
        b2b.organizations.members.startEmailUpdate({
          organization_id: org.organization_id,
          member_id: id,
          email_address,
          ...extra,
        }),
      )
    expect(await start(other.member_id, target)).toEqual({
      status: 400,
      type: 'desired_email_updating_for_different_member',
    })
    expect(await start(other.member_id, member.email_address)).toEqual({
      status: 400,
      type: 'duplicate_member_email',
    })
    // The organization's login link, for the member, sent to the new address: following it
    // proves that address, which becomes the member's email (the old one retired).
    const token = new URL(message!.url!).searchParams.get('token')!
    const confirmed = await b2b.magicLinks.authenticate({
      magic_links_token: token,
      session_duration_minutes: 30,
    })
    expect(confirmed.member_id).toBe(member.member_id)
    expect(confirmed.member.email_address).toBe(target)
    expect(confirmed.member.retired_email_addresses.map((r) => r.email_address)).toEqual([
      member.email_address,
    ])
    expect(
      (await b2b.sessions.authenticate({ session_token: confirmed.session_token })).member
        .email_address,
    ).toBe(target)
    expect(await start(other.member_id, target)).toEqual({
      status: 400,
      type: 'duplicate_member_email',
    })
    // A passcode this time; the address is held for 5 minutes, then free again.
    const second = `second-${random()}@example.com`
    await b2b.organizations.members.startEmailUpdate({
      organization_id: org.organization_id,
      member_id: other.member_id,
      email_address: second,
      delivery_method: 'EMAIL_OTP',
    })
    expect((await outbox(second)).at(-1)!.otp_code).toMatch(/^[0-9]{6}$/)
    expect(await start(member.member_id, second)).toEqual({
      status: 400,
      type: 'desired_email_updating_for_different_member',
    })
    mock.clock.advance(6 * 60)
    await b2b.organizations.members.startEmailUpdate({
      organization_id: org.organization_id,
      member_id: member.member_id,
      email_address: second,
    })
    const unverified = await b2b.organizations.members.create({
      organization_id: org.organization_id,
      email_address: `u-${random()}@example.com`,
    })
    expect(await start(unverified.member_id, `t2-${random()}@example.com`)).toEqual({
      status: 400,
      type: 'member_has_no_active_verified_email',
    })
    mock.clock.reset()
  })

  it("oauthProviders: the tokens of the member's OAuth logins, per provider", async () => {
    // The tokens' remaining lifetime is read below: a clock that does not tick keeps it exact.
    mock.clock.freeze()
    onTestFinished(() => mock.clock.reset())
    const org = await newOrg()
    const { member } = await loginAs(org.organization_id, `oauth-${random()}@example.com`)
    const ids = { organization_id: org.organization_id, member_id: member.member_id }
    expect(await failure(b2b.organizations.members.oauthProviders.google(ids))).toEqual({
      status: 404,
      type: 'member_oauth_token_not_found',
    })
    const tokens = {
      provider_subject: 'sub-1',
      access_token: 'mock-access',
      refresh_token: 'mock-refresh',
      id_token: 'a.b.c',
      scopes: ['openid', 'email'],
      access_token_expires_at: mock.clock.nowSeconds() + 3600,
      provider_tenant_ids: ['T42'],
    }
    for (const p of ['google', 'microsoft', 'slack', 'hubspot', 'github'])
      mock.world.memberProviderTokens.record(member.member_id, p, tokens)
    const google = await b2b.organizations.members.oauthProviders.google({
      ...ids,
      include_refresh_token: true,
    })
    expect(google).toMatchObject({
      provider_type: 'Google',
      provider_subject: 'sub-1',
      access_token: 'mock-access',
      refresh_token: 'mock-refresh',
      id_token: 'a.b.c',
      scopes: ['openid', 'email'],
      access_token_expires_in: 3600,
    })
    expect(
      (await b2b.organizations.members.oauthProviders.microsoft(ids)).refresh_token,
    ).toBeUndefined()
    expect(
      (await b2b.organizations.members.oauthProviders.slack(ids)).registrations[0],
    ).toMatchObject({ provider_tenant_id: 'T42', access_token: 'mock-access' })
    expect(
      (
        await b2b.organizations.members.oauthProviders.hubspot({
          ...ids,
          include_refresh_token: true,
        })
      ).registrations[0],
    ).toMatchObject({ refresh_token: 'mock-refresh' })
    expect(
      (await b2b.organizations.members.oauthProviders.github(ids)).registrations[0],
    ).toMatchObject({ provider_tenant_ids: ['T42'] })
    expect(
      await failure(
        b2b.organizations.members.oauthProviders.github({
          organization_id: org.organization_id,
          member_id: 'member-test-none',
        }),
      ),
    ).toEqual({ status: 404, type: 'member_not_found' })
  })
})

describe('state', () => {
  it('organizations and members written through the SDK survive a snapshot and restore', async () => {
    const org = await newOrg()
    const m = await b2b.organizations.members.create({
      organization_id: org.organization_id,
      email_address: `snap-${random()}@example.com`,
    })
    const snap = await control('POST', '/_mock/snapshots')
    await b2b.organizations.members.update({
      organization_id: org.organization_id,
      member_id: m.member_id,
      name: 'After',
    })
    await b2b.organizations.delete({ organization_id: org.organization_id })
    expect(
      (await control('POST', `/_mock/snapshots/${snap.body.snapshot_id}/restore`)).status,
    ).toBe(200)
    const got = await b2b.organizations.members.get({
      organization_id: org.organization_id,
      member_id: m.member_id,
    })
    expect(got.member.name).toBe('')
  })
})

describe('the frontend SDK routes (/sdk/v1), as @stytch/vanilla-js calls them', () => {
  /** A call as the browser makes it: the B2B public token and the session token. */
  const sdkCall = async (
    session: { session_token: string } | null,
    method: string,
    path: string,
    body?: unknown,
  ) => {
    const token = mock.config.b2bPublicToken
    const res = await fetch(`${mock.url}/sdk/v1${path}`, {
      method,
      headers: {
        authorization:
          'Basic ' + Buffer.from(`${token}:${session?.session_token ?? token}`).toString('base64'),
        'content-type': 'application/json',
        origin: 'http://localhost:3000',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const json = (await res.json()) as any
    return { status: res.status, data: json.data, error: json.error_type as string | undefined }
  }

  it('every organization, organization.members and self write; a plain member is refused', async () => {
    const org = await newOrg()
    const admin = await loginAs(org.organization_id, `sdk-admin-${random()}@example.com`, {
      is_admin: true,
    })
    const plain = await loginAs(org.organization_id, `sdk-plain-${random()}@example.com`)
    const denied = { status: 403, error: 'session_authorization_error' }
    const refused = async (...args: Parameters<typeof sdkCall>) => {
      const { status, error } = await sdkCall(...args)
      return { status, error }
    }

    const updated = await sdkCall(admin, 'PUT', '/b2b/organizations/me', {
      organization_name: 'SDK Org',
    })
    expect(updated.data.organization.organization_name).toBe('SDK Org')
    expect(
      await refused(plain, 'PUT', '/b2b/organizations/me', { organization_name: 'x' }),
    ).toEqual(denied)
    // No action is needed to change nothing.
    expect((await sdkCall(plain, 'PUT', '/b2b/organizations/me', {})).status).toBe(200)
    // What only the backend takes is not written from a browser (no action guards it there).
    await sdkCall(plain, 'PUT', '/b2b/organizations/me', {
      organization_external_id: 'hijack',
      claimed_email_domains: ['hijack.example'],
    })
    const after = (await b2b.organizations.get({ organization_id: org.organization_id }))
      .organization
    expect(after.organization_external_id ?? null).not.toBe('hijack')
    expect(after.claimed_email_domains).not.toContain('hijack.example')
    const plainSelf = await sdkCall(
      plain,
      'PUT',
      `/b2b/organizations/members/${plain.member.member_id}`,
      {
        name: 'Plain',
        external_id: 'hijack-member',
      },
    )
    expect(plainSelf.data.member).toMatchObject({ name: 'Plain' })
    expect(plainSelf.data.member.external_id ?? '').not.toBe('hijack-member')

    const created = await sdkCall(admin, 'POST', '/b2b/organizations/members', {
      email_address: `sdk-new-${random()}@example.com`,
      mfa_phone_number: '+15555550111',
    })
    const id = created.data.member_id as string
    expect(created.data.member.mfa_phone_number).toBe('+15555550111')
    expect(
      await refused(plain, 'POST', '/b2b/organizations/members', {
        email_address: 'y@example.com',
      }),
    ).toEqual(denied)

    const found = await sdkCall(admin, 'POST', '/b2b/organizations/me/members/search', {
      limit: 10,
    })
    expect(found.data.results_metadata.total).toBe(3)
    expect(await refused(plain, 'POST', '/b2b/organizations/me/members/search', {})).toEqual(denied)

    const reroled = await sdkCall(admin, 'PUT', `/b2b/organizations/members/${id}`, {
      member_id: id,
      roles: ['stytch_admin'],
      name: 'N',
    })
    expect(roleIds(reroled.data.member)).toEqual(['stytch_admin', 'stytch_member'])
    expect(
      await refused(plain, 'PUT', `/b2b/organizations/members/${id}`, { member_id: id, roles: [] }),
    ).toEqual(denied)

    const phone = await sdkCall(
      admin,
      'DELETE',
      `/b2b/organizations/members/mfa_phone_numbers/${id}`,
    )
    expect(phone.data.member.mfa_phone_number).toBe('')
    expect(await refused(plain, 'DELETE', `/b2b/organizations/members/totp/${id}`)).toEqual(denied)
    expect((await sdkCall(admin, 'DELETE', `/b2b/organizations/members/totp/${id}`)).error).toBe(
      'totp_not_found',
    )

    const update = await sdkCall(admin, 'PUT', `/b2b/organizations/members/${id}`, {
      member_id: id,
      email_address: `sdk-moved-${random()}@example.com`,
    })
    const retired = update.data.member.retired_email_addresses[0]
    const unlinked = await sdkCall(
      admin,
      'POST',
      `/b2b/organizations/members/${id}/unlink_retired_email`,
      {
        email_id: retired.email_id,
      },
    )
    expect(unlinked.data.member.retired_email_addresses).toEqual([])

    expect(await refused(plain, 'DELETE', `/b2b/organizations/members/${id}`)).toEqual(denied)
    expect(
      (await sdkCall(admin, 'DELETE', `/b2b/organizations/members/${id}`)).data.member_id,
    ).toBe(id)
    expect(await refused(plain, 'PUT', `/b2b/organizations/members/${id}/reactivate`)).toEqual(
      denied,
    )
    // Its email was never verified (the address changed): it cannot come back.
    expect((await sdkCall(admin, 'PUT', `/b2b/organizations/members/${id}/reactivate`)).error).toBe(
      'email_unverified_for_reactivation',
    )

    // self.*: the caller's own member, stytch.self's actions (every member has them).
    const self = await sdkCall(plain, 'PUT', '/b2b/organizations/members/update', {
      name: 'Me Myself',
      untrusted_metadata: { theme: 'dark' },
      mfa_phone_number: '+15555550112',
      default_mfa_method: 'sms_otp',
    })
    expect(self.data.member).toMatchObject({
      name: 'Me Myself',
      mfa_phone_number: '+15555550112',
      default_mfa_method: 'sms_otp',
    })
    expect(
      (await sdkCall(plain, 'DELETE', '/b2b/organizations/members/deletePhoneNumber')).data.member
        .mfa_phone_number,
    ).toBe('')
    expect((await sdkCall(plain, 'DELETE', '/b2b/organizations/members/deleteTOTP')).error).toBe(
      'totp_not_found',
    )
    expect(
      (await sdkCall(plain, 'POST', '/b2b/organizations/members/unlink_retired_email', {})).error,
    ).toBe('retired_email_missing_email_identifiers')
    const target = `sdk-self-${random()}@example.com`
    const started = await sdkCall(plain, 'POST', '/b2b/organizations/members/start_email_update', {
      email_address: target,
    })
    expect(started.data.member_id).toBe(plain.member.member_id)
    expect((await outbox(target)).at(-1)!.member_id).toBe(plain.member.member_id)
    expect(
      await refused(
        plain,
        'POST',
        `/b2b/organizations/members/${admin.member.member_id}/start_email_update`,
        { email_address: `z-${random()}@example.com` },
      ),
    ).toEqual(denied)
    const forOther = await sdkCall(
      admin,
      'POST',
      `/b2b/organizations/members/${plain.member.member_id}/start_email_update`,
      {
        email_address: target,
      },
    )
    // The plain member's own update holds the address.
    expect(forOther.error).toBe(undefined)
    expect(forOther.data.member_id).toBe(plain.member.member_id)

    // Passwords: the same route for self.deletePassword and organization.members.deletePassword.
    await b2b.passwords.migrate({
      organization_id: org.organization_id,
      email_address: plain.member.email_address,
      hash: BCRYPT,
      hash_type: 'bcrypt',
    })
    const withPassword = await b2b.organizations.members.get({
      organization_id: org.organization_id,
      member_id: plain.member.member_id,
    })
    const pw = withPassword.member.member_password_id
    await b2b.passwords.migrate({
      organization_id: org.organization_id,
      email_address: admin.member.email_address,
      hash: BCRYPT,
      hash_type: 'bcrypt',
    })
    const adminPw = (
      await b2b.organizations.members.get({
        organization_id: org.organization_id,
        member_id: admin.member.member_id,
      })
    ).member.member_password_id
    expect(
      await refused(plain, 'DELETE', `/b2b/organizations/members/passwords/${adminPw}`),
    ).toEqual(denied)
    expect(
      (await sdkCall(plain, 'DELETE', `/b2b/organizations/members/passwords/${pw}`)).data.member
        .member_password_id,
    ).toBe('')

    const config = await sdkCall(null, 'GET', '/b2b/admin_portal_config')
    expect(config.data).toMatchObject({ organization_config: { mfa_controls_enabled: true } })

    expect(await refused(plain, 'DELETE', '/b2b/organizations/me')).toEqual(denied)
    expect((await sdkCall(admin, 'DELETE', '/b2b/organizations/me')).data.organization_id).toBe(
      org.organization_id,
    )
    expect(await refused(admin, 'GET', '/b2b/organizations/me')).toEqual({
      status: 404,
      error: 'session_not_found',
    })
    expect(await refused(null, 'PUT', '/b2b/organizations/me', {})).toEqual({
      status: 401,
      error: 'unauthorized_credentials',
    })
  })

  it('a member deleting itself signs itself out', async () => {
    const org = await newOrg()
    const me = await loginAs(org.organization_id, `leaver-${random()}@example.com`)
    const res = await sdkCall(me, 'DELETE', `/b2b/organizations/members/${me.member.member_id}`)
    expect(res.data.member_id).toBe(me.member.member_id)
    expect(await failure(b2b.sessions.authenticate({ session_token: me.session_token }))).toEqual({
      status: 404,
      type: 'session_not_found',
    })
  })
})

describe('sso.getConnections', () => {
  it('lists the connections of an organization; an unknown organization 404; as a member, stytch.sso get', async () => {
    const org = await newOrg()
    expect(await b2b.sso.getConnections({ organization_id: org.organization_id })).toMatchObject({
      status_code: 200,
      saml_connections: [],
      oidc_connections: [],
      external_connections: [],
    })
    expect(await failure(b2b.sso.getConnections({ organization_id: 'nowhere' }))).toEqual({
      status: 404,
      type: 'organization_not_found',
    })
    const admin = await loginAs(org.organization_id, `sso-admin-${random()}@example.com`, {
      is_admin: true,
    })
    const plain = await loginAs(org.organization_id, `sso-plain-${random()}@example.com`)
    const as = (session_token: string) => ({ authorization: { session_token } })
    expect(
      (
        await b2b.sso.getConnections(
          { organization_id: org.organization_id },
          as(admin.session_token),
        )
      ).status_code,
    ).toBe(200)
    expect(
      await failure(
        b2b.sso.getConnections({ organization_id: org.organization_id }, as(plain.session_token)),
      ),
    ).toEqual({ status: 403, type: 'session_authorization_error' })
    expect(
      await failure(
        b2b.sso.getConnections(
          { organization_id: FIXTURE.acme.organization_id },
          as(admin.session_token),
        ),
      ),
    ).toEqual({ status: 403, type: 'session_authorization_tenancy_error' })
  })
})
