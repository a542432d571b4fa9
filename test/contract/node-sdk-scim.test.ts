// Issue #30, SCIM: every scim.connection method of the official `stytch` Node SDK (B2BClient) and
// its failures, RBAC through the SDK's `authorization` option, token rotation; and the SCIM 2.0
// endpoint the connection's base_url names, driven with RFC 7644 requests over fetch as an
// identity provider sends them (Okta's and Microsoft Entra's shapes): members provisioned, found
// by filter, patched, deprovisioned (their sessions gone at once) and reactivated, groups granting
// roles that show in the session and its JWT. Every response is checked against openapi.yaml.
import fc from 'fast-check'
import * as stytch from 'stytch'
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { controlOf, failure, mockWithSdk, type RunningMock } from '../helpers/server.js'
import { basicHeader, FIXTURE, ORIGIN } from '../helpers/world.js'

let mock: RunningMock
let control: ReturnType<typeof controlOf>
let b2b: stytch.B2BClient

const sdk = mockWithSdk((options) => new stytch.B2BClient(options))
beforeAll(() => {
  ;({ mock, client: b2b } = sdk)
  control = controlOf(mock)
})
beforeEach(async () => {
  mock.clock.reset()
  await control('POST', '/_mock/reset')
})

const random = () => Math.random().toString(36).slice(2, 10)
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

async function newOrg(settings: Partial<stytch.B2BOrganizationsCreateRequest> = {}) {
  const { organization } = await b2b.organizations.create({
    organization_name: 'SCIM Org',
    organization_slug: `scim-${random()}`,
    ...settings,
  })
  return organization
}

/** A logged-in member of the organization (made if new), by the mock's control API. */
async function loginAs(organization_id: string, email_address: string, is_admin = false) {
  const { status, body } = await control('POST', '/_mock/b2b/sessions', {
    organization_id,
    email_address,
    is_admin,
  })
  expect(status).toBe(200)
  return body as { session_token: string; session_jwt: string; member: stytch.Member }
}

/** A new organization with a SCIM connection; `scim` calls its endpoint with its token. */
async function withConnection(identity_provider?: string) {
  const org = await newOrg()
  const { connection } = await b2b.scim.connection.create({
    organization_id: org.organization_id,
    display_name: 'Okta',
    ...(identity_provider ? { identity_provider } : {}),
  })
  return {
    org,
    connection: connection!,
    scim: scimClient(connection!.base_url, connection!.bearer_token),
  }
}

interface ScimReply {
  status: number
  type: string | null
  body: any
}

/** RFC 7644 requests to a SCIM base URL with a bearer token, as an identity provider sends them. */
function scimClient(baseUrl: string, token: string | null) {
  const base = baseUrl.split('?')[0]!
  return async (method: string, path: string, body?: unknown): Promise<ScimReply> => {
    const res = await fetch(base + path, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: text ? JSON.parse(text) : null,
    }
  }
}

const userBody = (email: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER],
  userName: email,
  externalId: `okta-${random()}`,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: email, type: 'work', primary: true }],
  active: true,
  ...extra,
})

const member = async (organization_id: string, member_id: string) =>
  (await b2b.organizations.members.get({ organization_id, member_id })).member
const roleIds = (m: { roles: { role_id: string }[] }) => m.roles.map((r) => r.role_id).sort()
const jwtRoles = (jwt: string) =>
  (
    JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString())[
      'https://stytch.com/session'
    ].roles as string[]
  ).sort()

describe('scim.connection.create and get', () => {
  it('creates the connection with a 48-character token shown once; get and the organization name it', async () => {
    const org = await newOrg()
    const res = await b2b.scim.connection.create({
      organization_id: org.organization_id,
      display_name: 'Okta SCIM',
      identity_provider: 'okta',
    })
    const connection = res.connection!
    expect(res.status_code).toBe(200)
    expect(connection).toMatchObject({
      organization_id: org.organization_id,
      status: 'active',
      display_name: 'Okta SCIM',
      identity_provider: 'okta',
      base_url: `${mock.url}/v1/b2b/scim/${connection.connection_id}`,
      scim_group_implicit_role_assignments: [],
    })
    expect(connection.connection_id).toMatch(/^scim-connection-test-[0-9a-f-]{36}$/)
    expect(connection.bearer_token).toMatch(/^[A-Za-z0-9]{48}$/)
    expect(Date.parse(connection.bearer_token_expires_at!)).toBeGreaterThan(Date.now() + 3e10)

    const { connection: got } = await b2b.scim.connection.get({
      organization_id: org.organization_id,
    })
    expect(got).toMatchObject({
      connection_id: connection.connection_id,
      bearer_token_last_four: connection.bearer_token.slice(-4),
      next_bearer_token_last_four: '',
      base_url: connection.base_url,
    })
    expect(got).not.toHaveProperty('bearer_token')
    const { organization } = await b2b.organizations.get({
      organization_id: org.organization_slug,
    })
    expect(organization.scim_active_connection).toEqual({
      connection_id: connection.connection_id,
      display_name: 'Okta SCIM',
      bearer_token_last_four: connection.bearer_token.slice(-4),
      bearer_token_expires_at: connection.bearer_token_expires_at,
    })
  })

  it("appends Entra's SCIM 2.0 compliance flag to a microsoft-entra connection's base_url", async () => {
    const { connection } = await withConnection('microsoft-entra')
    expect(connection.base_url).toBe(
      `${mock.url}/v1/b2b/scim/${connection.connection_id}?aadOptscim062020`,
    )
  })

  it('refuses a second connection, an unknown provider and an unknown organization', async () => {
    const { org } = await withConnection()
    expect(
      await failure(b2b.scim.connection.create({ organization_id: org.organization_id })),
    ).toEqual({ status: 400, type: 'active_scim_connection_exists' })
    const other = await newOrg()
    expect(
      await failure(
        b2b.scim.connection.create({
          organization_id: other.organization_id,
          identity_provider: 'keycloak',
        }),
      ),
    ).toEqual({ status: 400, type: 'invalid_scim_idp' })
    expect(
      await failure(b2b.scim.connection.create({ organization_id: 'organization-test-nope' })),
    ).toEqual({ status: 404, type: 'organization_not_found' })
  })

  it('answers connection null for an organization without one', async () => {
    const org = await newOrg()
    const res = await b2b.scim.connection.get({ organization_id: org.organization_id })
    expect(res.connection).toBeNull()
  })
})

describe('scim.connection.update and delete', () => {
  it('renames the connection (the organization follows); refuses unknown and foreign connections', async () => {
    const { org, connection } = await withConnection()
    const { connection: updated } = await b2b.scim.connection.update({
      organization_id: org.organization_id,
      connection_id: connection.connection_id,
      display_name: 'Entra',
      identity_provider: 'microsoft-entra',
    })
    expect(updated).toMatchObject({ display_name: 'Entra', identity_provider: 'microsoft-entra' })
    expect(updated!.base_url).toMatch(/\?aadOptscim062020$/)
    const { organization } = await b2b.organizations.get({ organization_id: org.organization_id })
    expect(organization.scim_active_connection?.display_name).toBe('Entra')

    const other = await withConnection()
    for (const connection_id of ['scim-connection-test-nope', other.connection.connection_id])
      expect(
        await failure(
          b2b.scim.connection.update({
            organization_id: org.organization_id,
            connection_id,
            display_name: 'x',
          }),
        ),
      ).toEqual({ status: 404, type: 'no_active_scim_connection' })
  })

  it('refuses a role assignment for a group the connection does not have, or a role not in the policy', async () => {
    const { org, connection, scim } = await withConnection()
    const ids = { organization_id: org.organization_id, connection_id: connection.connection_id }
    expect(
      await failure(
        b2b.scim.connection.update({
          ...ids,
          scim_group_implicit_role_assignments: [
            { role_id: 'stytch_admin', group_id: 'scim-group-test-nope', group_name: '' },
          ],
        }),
      ),
    ).toEqual({ status: 400, type: 'scim_group_role_assignment_group_does_not_exist' })
    const group = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'eng' })
    expect(
      await failure(
        b2b.scim.connection.update({
          ...ids,
          scim_group_implicit_role_assignments: [
            { role_id: 'no-such-role', group_id: group.body.id, group_name: 'eng' },
          ],
        }),
      ),
    ).toEqual({ status: 400, type: 'invalid_rbac_role_id' })
    const res = await fetch(
      `${mock.url}/v1/b2b/scim/${org.organization_id}/connection/${connection.connection_id}`,
      {
        method: 'PUT',
        headers: {
          authorization: `Basic ${Buffer.from(`${mock.config.projectId}:${mock.config.secret}`).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          scim_group_implicit_role_assignments: [{ role_id: 'stytch_admin' }],
        }),
      },
    )
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error_type: string }).error_type).toBe(
      'scim_group_role_assignment_does_not_contain_group_id',
    )
  })

  it('deletes the connection: the token is refused, the organization forgets it, members keep no registration', async () => {
    const { org, connection, scim } = await withConnection()
    const ada = await scim('POST', '/Users', userBody(`ada-${random()}@acme.example`))
    expect(ada.status).toBe(201)
    const res = await b2b.scim.connection.delete({
      organization_id: org.organization_id,
      connection_id: connection.connection_id,
    })
    expect(res.connection_id).toBe(connection.connection_id)
    expect((await scim('GET', '/Users')).status).toBe(401)
    expect(
      (await b2b.scim.connection.get({ organization_id: org.organization_id })).connection,
    ).toBeNull()
    const { organization } = await b2b.organizations.get({ organization_id: org.organization_id })
    expect(organization.scim_active_connection).toBeUndefined()
    const kept = await member(org.organization_id, ada.body.id)
    expect(kept.status).toBe('active')
    expect(kept.scim_registration).toBeUndefined()
    expect(
      await failure(
        b2b.scim.connection.delete({
          organization_id: org.organization_id,
          connection_id: connection.connection_id,
        }),
      ),
    ).toEqual({ status: 404, type: 'no_active_scim_connection' })
    // A new connection may be made now.
    await b2b.scim.connection.create({ organization_id: org.organization_id })
  })

  it('goes with its organization: organizations.delete drops the connection and its token', async () => {
    const { org, scim } = await withConnection()
    expect((await scim('GET', '/Users')).status).toBe(200)
    await b2b.organizations.delete({ organization_id: org.organization_id })
    expect((await scim('GET', '/Users')).status).toBe(401)
  })
})

describe('RBAC: the SDK authorization option', () => {
  it('lets an admin of the organization act, refuses a plain member and an admin of another organization', async () => {
    const org = await newOrg()
    const admin = await loginAs(org.organization_id, `admin-${random()}@acme.example`, true)
    const plain = await loginAs(org.organization_id, `plain-${random()}@acme.example`)
    expect(
      await failure(
        b2b.scim.connection.create(
          { organization_id: org.organization_id },
          { authorization: { session_token: plain.session_token } },
        ),
      ),
    ).toEqual({ status: 403, type: 'session_authorization_error' })
    const { connection } = await b2b.scim.connection.create(
      { organization_id: org.organization_id },
      { authorization: { session_jwt: admin.session_jwt } },
    )
    expect(
      await failure(
        b2b.scim.connection.get(
          { organization_id: org.organization_id },
          { authorization: { session_token: plain.session_token } },
        ),
      ),
    ).toEqual({ status: 403, type: 'session_authorization_error' })
    const acmeAdmin = await loginAs(
      FIXTURE.acme.organization_id,
      `a-${random()}@acme.example`,
      true,
    )
    expect(
      await failure(
        b2b.scim.connection.rotateStart(
          { organization_id: org.organization_id, connection_id: connection!.connection_id },
          { authorization: { session_token: acmeAdmin.session_token } },
        ),
      ),
    ).toEqual({ status: 403, type: 'session_authorization_tenancy_error' })
  })
})

describe('bearer token rotation', () => {
  it('takes both tokens during a rotation; after complete only the new one', async () => {
    const { org, connection, scim } = await withConnection()
    const ids = { organization_id: org.organization_id, connection_id: connection.connection_id }
    expect(await failure(b2b.scim.connection.rotateComplete(ids))).toEqual({
      status: 400,
      type: 'scim_connection_not_rotating_token',
    })
    const started = (await b2b.scim.connection.rotateStart(ids)).connection!
    expect(started.next_bearer_token).toMatch(/^[A-Za-z0-9]{48}$/)
    expect(started.bearer_token_last_four).toBe(connection.bearer_token.slice(-4))
    expect(started.next_bearer_token_expires_at).toBeTruthy()
    const next = scimClient(connection.base_url, started.next_bearer_token)
    expect((await scim('GET', '/Users')).status).toBe(200)
    expect((await next('GET', '/Users')).status).toBe(200)
    expect((await b2b.scim.connection.get(ids)).connection!.next_bearer_token_last_four).toBe(
      started.next_bearer_token.slice(-4),
    )

    const done = (await b2b.scim.connection.rotateComplete(ids)).connection!
    expect(done.bearer_token_last_four).toBe(started.next_bearer_token.slice(-4))
    expect(done.next_bearer_token_last_four).toBe('')
    const old = await scim('GET', '/Users')
    expect(old.status).toBe(401)
    expect(old.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '401',
    })
    expect((await next('GET', '/Users')).status).toBe(200)
    const { organization } = await b2b.organizations.get({ organization_id: org.organization_id })
    expect(organization.scim_active_connection?.bearer_token_last_four).toBe(
      started.next_bearer_token.slice(-4),
    )
  })

  it('cancel drops the next token and keeps the current one', async () => {
    const { org, connection, scim } = await withConnection()
    const ids = { organization_id: org.organization_id, connection_id: connection.connection_id }
    const started = (await b2b.scim.connection.rotateStart(ids)).connection!
    const cancelled = (await b2b.scim.connection.rotateCancel(ids)).connection!
    expect(cancelled.next_bearer_token_last_four).toBe('')
    expect(cancelled.bearer_token_last_four).toBe(connection.bearer_token.slice(-4))
    expect(
      (await scimClient(connection.base_url, started.next_bearer_token)('GET', '/Users')).status,
    ).toBe(401)
    expect((await scim('GET', '/Users')).status).toBe(200)
    expect(await failure(b2b.scim.connection.rotateCancel(ids))).toEqual({
      status: 400,
      type: 'scim_connection_not_rotating_token',
    })
  })

  it("refuses another connection's token, no token, and an expired one", async () => {
    const a = await withConnection()
    const b = await withConnection()
    const crossed = scimClient(a.connection.base_url, b.connection.bearer_token)
    expect((await crossed('GET', '/Users')).status).toBe(401)
    const bare = await scimClient(a.connection.base_url, null)('GET', '/Users')
    expect(bare.status).toBe(401)
    expect(bare.type).toMatch(/^application\/scim\+json/)
    await control('POST', '/_mock/clock', { advance_seconds: 5 * 365 * 24 * 3600 })
    expect((await a.scim('GET', '/Users')).status).toBe(401)
  })
})

describe('the SCIM endpoint: Users', () => {
  it('provisions a member with its scim_registration; links the member who has the email', async () => {
    const { org, connection, scim } = await withConnection()
    const email = `ada-${random()}@acme.example`
    const created = await scim('POST', '/Users', userBody(email, { title: 'Countess' }))
    expect(created.status).toBe(201)
    expect(created.type).toMatch(/^application\/scim\+json/)
    expect(created.body).toMatchObject({
      schemas: [USER],
      userName: email,
      active: true,
      groups: [],
      meta: {
        resourceType: 'User',
        location: `${mock.url}/v1/b2b/scim/${connection.connection_id}/Users/${created.body.id}`,
      },
    })
    const m = await member(org.organization_id, created.body.id)
    expect(m).toMatchObject({ email_address: email, name: 'Ada Lovelace', status: 'active' })
    expect(m.scim_registration).toMatchObject({
      connection_id: connection.connection_id,
      external_id: created.body.externalId,
      scim_attributes: {
        user_name: email,
        id: created.body.id,
        active: true,
        title: 'Countess',
        emails: [{ value: email, type: 'work', primary: true }],
        name: { given_name: 'Ada', family_name: 'Lovelace', formatted: '' },
        phone_numbers: [],
        groups: [],
      },
    })
    expect(m.scim_registration!.registration_id).toMatch(/^scim-member-registration-test-/)

    const grace = await loginAs(org.organization_id, `grace-${random()}@acme.example`)
    const linked = await scim('POST', '/Users', userBody(grace.member.email_address))
    expect(linked.body.id).toBe(grace.member.member_id)
    expect((await scim('POST', '/Users', userBody(email.toUpperCase()))).body).toMatchObject({
      status: '409',
      scimType: 'uniqueness',
    })
    const bad = await scim('POST', '/Users', { schemas: [USER], userName: 'not-an-email' })
    expect(bad).toMatchObject({ status: 400, body: { scimType: 'invalidValue' } })
    const missing = await scim('POST', '/Users', { schemas: [USER] })
    expect(missing).toMatchObject({ status: 400, body: { scimType: 'invalidValue' } })
  })

  it('finds Users by filter and pages them', async () => {
    const { scim } = await withConnection()
    const emails = [0, 1, 2].map((i) => `user${i}-${random()}@acme.example`)
    const ids: string[] = []
    for (const email of emails)
      ids.push(
        (await scim('POST', '/Users', userBody(email, { externalId: `ext-${email}` }))).body.id,
      )
    const q = async (filter: string) => {
      const res = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`)
      expect(res.status).toBe(200)
      return (res.body.Resources as { id: string }[]).map((r) => r.id)
    }
    expect(await q(`userName eq "${emails[1]!.toUpperCase()}"`)).toEqual([ids[1]])
    expect(await q(`externalId eq "ext-${emails[2]}"`)).toEqual([ids[2]])
    expect(await q(`externalId eq "EXT-${emails[2]}"`)).toEqual([])
    expect(await q(`emails[type eq "work"].value eq "${emails[0]}"`)).toEqual([ids[0]])
    expect(await q(`emails[type eq "home"].value eq "${emails[0]}"`)).toEqual([])
    expect(await q(`userName sw "user" and not (userName eq "${emails[0]}")`)).toEqual(ids.slice(1))
    const page = await scim('GET', '/Users?startIndex=2&count=1')
    expect(page.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 3,
      startIndex: 2,
      itemsPerPage: 1,
    })
    expect(page.body.Resources[0].id).toBe(ids[1])
    const broken = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq')}`)
    expect(broken).toMatchObject({ status: 400, body: { scimType: 'invalidFilter' } })
    expect((await scim('GET', '/Users/member-test-nope')).status).toBe(404)
  })

  it("patches in Okta's and Entra's shapes; the member's name and email follow", async () => {
    const { org, scim } = await withConnection()
    const email = `ada-${random()}@acme.example`
    const { id } = (await scim('POST', '/Users', userBody(email))).body
    const okta = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'name.givenName', value: 'Augusta' }],
    })
    expect(okta.status).toBe(200)
    expect(okta.body.name).toEqual({ givenName: 'Augusta', familyName: 'Lovelace' })
    expect((await member(org.organization_id, id)).name).toBe('Augusta Lovelace')

    const renamed = `augusta-${random()}@acme.example`
    const entra = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: renamed },
        { op: 'Replace', path: 'userName', value: renamed },
        { op: 'Add', value: { 'name.familyName': 'King', displayName: 'Ada King' } },
        {
          op: 'Add',
          path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
          value: 'Analytics',
        },
      ],
    })
    expect(entra.status).toBe(200)
    const m = await member(org.organization_id, id)
    expect(m.email_address).toBe(renamed)
    expect(m.retired_email_addresses.map((r) => r.email_address)).toContain(email)
    expect(m.name).toBe('Augusta King')
    expect(m.scim_registration?.scim_attributes?.enterprise_extension).toMatchObject({
      department: 'Analytics',
    })
    const noTarget = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'remove' }],
    })
    expect(noTarget).toMatchObject({ status: 400, body: { scimType: 'noTarget' } })
    const badPath = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'emails[type eq', value: 'x' }],
    })
    expect(badPath).toMatchObject({ status: 400, body: { scimType: 'invalidPath' } })
    const readOnly = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'groups', value: [{ value: 'x' }] }],
    })
    expect(readOnly).toMatchObject({ status: 400, body: { scimType: 'mutability' } })
  })

  it('deprovisions with active "False" (every session gone at once), reactivates with active true', async () => {
    const { org, scim } = await withConnection()
    const session = await loginAs(org.organization_id, `ada-${random()}@acme.example`)
    const { id } = (await scim('POST', '/Users', userBody(session.member.email_address))).body
    expect(id).toBe(session.member.member_id)
    await b2b.organizations.members.update({
      organization_id: org.organization_id,
      member_id: id,
      roles: ['stytch_user'],
    })
    const off = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', value: { active: 'False' } }],
    })
    expect(off.status).toBe(200)
    expect(off.body.active).toBe(false)
    expect(
      await failure(b2b.sessions.authenticate({ session_token: session.session_token })),
    ).toEqual({
      status: 404,
      type: 'session_not_found',
    })
    expect(
      await failure(b2b.sessions.authenticate({ session_jwt: session.session_jwt })),
    ).toMatchObject({ status: 404 })
    const gone = await b2b.organizations.members.dangerouslyGet({
      member_id: id,
      include_deleted: true,
    })
    expect(gone.member.status).toBe('deleted')
    expect(gone.member.scim_registration?.scim_attributes?.active).toBe(false)

    const on = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'active', value: true }],
    })
    expect(on.body.active).toBe(true)
    const back = await member(org.organization_id, id)
    expect(back.status).toBe('active')
    // Explicit roles must be granted again (Stytch's SCIM actions).
    expect(roleIds(back)).toEqual(['stytch_member'])
    await loginAs(org.organization_id, back.email_address)
  })

  it('DELETE deprovisions the member and the User is gone; a new push reactivates the same member', async () => {
    const { org, scim } = await withConnection()
    const session = await loginAs(org.organization_id, `ada-${random()}@acme.example`)
    const body = userBody(session.member.email_address)
    const { id } = (await scim('POST', '/Users', body)).body
    const deleted = await scim('DELETE', `/Users/${id}`)
    expect(deleted.status).toBe(204)
    expect((await scim('GET', `/Users/${id}`)).status).toBe(404)
    expect(
      await failure(b2b.sessions.authenticate({ session_token: session.session_token })),
    ).toEqual({
      status: 404,
      type: 'session_not_found',
    })
    expect(
      await failure(
        b2b.organizations.members.get({ organization_id: org.organization_id, member_id: id }),
      ),
    ).toEqual({ status: 404, type: 'member_not_found' })
    const again = await scim('POST', '/Users', body)
    expect(again.body.id).toBe(id)
    expect((await member(org.organization_id, id)).status).toBe('active')
  })

  it('patches the enterprise extension named by its schema URN alone, as one complex attribute', async () => {
    const { org, scim } = await withConnection()
    const { id } = (await scim('POST', '/Users', userBody(`ada-${random()}@acme.example`))).body
    const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
    const added = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'add', path: ENTERPRISE, value: { department: 'Analytics', costCenter: '42' } },
        { op: 'replace', path: ENTERPRISE.toLowerCase(), value: { department: 'Engines' } },
      ],
    })
    expect(added.status).toBe(200)
    expect(added.body[ENTERPRISE]).toEqual({ department: 'Engines', costCenter: '42' })
    expect(Object.keys(added.body).filter((k) => k.startsWith('urn:'))).toEqual([ENTERPRISE])
    expect(
      (await member(org.organization_id, id)).scim_registration?.scim_attributes
        ?.enterprise_extension,
    ).toMatchObject({ department: 'Engines', cost_center: '42' })
    const wrong = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: ENTERPRISE, value: 'Engines' }],
    })
    expect(wrong).toMatchObject({ status: 400, body: { scimType: 'invalidValue' } })
  })

  it('PUT replaces the User (Okta profile push)', async () => {
    const { org, scim } = await withConnection()
    const email = `ada-${random()}@acme.example`
    const { id } = (await scim('POST', '/Users', userBody(email, { nickName: 'Ada' }))).body
    const put = await scim(
      'PUT',
      `/Users/${id}`,
      userBody(email, { name: { formatted: 'Lady Ada' } }),
    )
    expect(put.status).toBe(200)
    expect(put.body.nickName).toBeUndefined()
    const m = await member(org.organization_id, id)
    expect(m.name).toBe('Lady Ada')
    expect(m.scim_registration?.scim_attributes?.nick_name).toBe('')
  })
})

describe('the SCIM endpoint: Groups and roles', () => {
  it("grants the group's role (session and JWT at once), takes it away when the member leaves", async () => {
    const { org, connection, scim } = await withConnection()
    const session = await loginAs(org.organization_id, `ada-${random()}@acme.example`)
    const { id } = (await scim('POST', '/Users', userBody(session.member.email_address))).body
    const group = await scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'engineers',
      members: [{ value: id }],
    })
    expect(group.status).toBe(201)
    expect(group.body.id).toMatch(/^scim-group-test-[0-9a-f-]{36}$/)
    expect(group.body.members).toMatchObject([{ value: id }])
    const ids = { organization_id: org.organization_id, connection_id: connection.connection_id }
    const { connection: updated } = await b2b.scim.connection.update({
      ...ids,
      scim_group_implicit_role_assignments: [
        { role_id: 'stytch_user', group_id: group.body.id, group_name: '' },
      ],
    })
    expect(updated!.scim_group_implicit_role_assignments).toEqual([
      { role_id: 'stytch_user', group_id: group.body.id, group_name: 'engineers' },
    ])
    const m = await member(org.organization_id, id)
    expect(m.roles.find((r) => r.role_id === 'stytch_user')?.sources).toEqual([
      {
        type: 'scim_connection_group',
        details: { connection_id: connection.connection_id, group_id: group.body.id },
      },
    ])
    expect(m.scim_registration?.scim_attributes?.groups).toEqual([
      { value: group.body.id, display: 'engineers' },
    ])
    const auth = await b2b.sessions.authenticate({ session_token: session.session_token })
    expect(auth.member_session.roles).toContain('stytch_user')
    expect(jwtRoles(auth.session_jwt)).toContain('stytch_user')
    expect((await scim('GET', `/Users/${id}`)).body.groups).toMatchObject([
      { value: group.body.id, display: 'engineers' },
    ])

    // scim2-client's and Entra's removals; then a rename.
    const removed = await scim('PATCH', `/Groups/${group.body.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'remove', path: `members[value eq "${id}"]` }],
    })
    expect(removed.body.members).toEqual([])
    const after = await b2b.sessions.authenticate({ session_token: session.session_token })
    expect(after.member_session.roles).not.toContain('stytch_user')
    expect(jwtRoles(after.session_jwt)).not.toContain('stytch_user')
    await scim('PATCH', `/Groups/${group.body.id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'Add', path: 'members', value: [{ value: id }] },
        { op: 'Replace', path: 'displayName', value: 'engineering' },
      ],
    })
    expect(roleIds(await member(org.organization_id, id))).toContain('stytch_user')
    expect(
      (await b2b.scim.connection.get({ organization_id: org.organization_id })).connection!
        .scim_group_implicit_role_assignments[0]!.group_name,
    ).toBe('engineering')
    // Okta's rename: a path-less replace naming the group's id beside its new name.
    const okta = await scim('PATCH', `/Groups/${group.body.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { id: group.body.id, displayName: 'Engineering' } }],
    })
    expect(okta.body).toMatchObject({ id: group.body.id, displayName: 'Engineering' })
    await scim('PATCH', `/Groups/${group.body.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Remove', path: 'members', value: [{ value: id }] }],
    })
    expect(roleIds(await member(org.organization_id, id))).not.toContain('stytch_user')
    expect((await scim('POST', '/Groups', { displayName: 'ENGINEERING' })).body).toMatchObject({
      status: '409',
      scimType: 'uniqueness',
    })
    expect(
      (
        await scim('POST', '/Groups', {
          displayName: 'x',
          members: [{ value: 'member-test-nope' }],
        })
      ).status,
    ).toBe(400)
  })

  it('a deprovisioned member holds no group role; deleting the group drops its role grant', async () => {
    const { org, connection, scim } = await withConnection()
    const { id } = (await scim('POST', '/Users', userBody(`ada-${random()}@acme.example`))).body
    const group = (
      await scim('POST', '/Groups', { displayName: 'admins', members: [{ value: id }] })
    ).body
    const ids = { organization_id: org.organization_id, connection_id: connection.connection_id }
    await b2b.scim.connection.update({
      ...ids,
      scim_group_implicit_role_assignments: [
        { role_id: 'stytch_admin', group_id: group.id, group_name: 'admins' },
      ],
    })
    expect((await member(org.organization_id, id)).is_admin).toBe(true)
    await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    })
    expect(
      roleIds(
        (await b2b.organizations.members.dangerouslyGet({ member_id: id, include_deleted: true }))
          .member,
      ),
    ).toEqual(['stytch_member'])
    await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'active', value: true }],
    })
    expect((await member(org.organization_id, id)).is_admin).toBe(true)
    expect((await scim('DELETE', `/Groups/${group.id}`)).status).toBe(204)
    expect((await member(org.organization_id, id)).is_admin).toBe(false)
    expect(
      (await b2b.scim.connection.get({ organization_id: org.organization_id })).connection!
        .scim_group_implicit_role_assignments,
    ).toEqual([])
    expect((await scim('GET', `/Groups/${group.id}`)).status).toBe(404)
  })

  it('getGroups pages the groups with next_cursor, null on the last page', async () => {
    const { org, connection, scim } = await withConnection()
    const made: string[] = []
    for (const name of ['a', 'b', 'c'])
      made.push((await scim('POST', '/Groups', { displayName: name })).body.id)
    const ids = { organization_id: org.organization_id, connection_id: connection.connection_id }
    const first = await b2b.scim.connection.getGroups({ ...ids, limit: 2 })
    expect(first.scim_groups.map((g) => g.group_id)).toEqual(made.slice(0, 2))
    expect(first.scim_groups[0]).toEqual({
      group_id: made[0],
      group_name: 'a',
      organization_id: org.organization_id,
      connection_id: connection.connection_id,
    })
    expect(first.next_cursor).toBeTruthy()
    const second = await b2b.scim.connection.getGroups({
      ...ids,
      limit: 2,
      cursor: first.next_cursor!,
    })
    expect(second.scim_groups.map((g) => g.group_id)).toEqual([made[2]])
    expect(second.next_cursor).toBeNull()
    expect(await failure(b2b.scim.connection.getGroups({ ...ids, cursor: 'bm9wZQ' }))).toEqual({
      status: 400,
      type: 'invalid_cursor',
    })
    const list = await scim(
      'GET',
      `/Groups?filter=${encodeURIComponent('displayName eq "B"')}&excludedAttributes=members`,
    )
    expect(list.body.Resources).toEqual([
      expect.objectContaining({ id: made[1], displayName: 'b' }),
    ])
    expect(list.body.Resources[0]).not.toHaveProperty('members')
  })

  it('serves the discovery documents', async () => {
    const { scim } = await withConnection()
    expect((await scim('GET', '/ServiceProviderConfig')).body).toMatchObject({
      patch: { supported: true },
      filter: { supported: true },
    })
    expect((await scim('GET', '/ResourceTypes')).body.totalResults).toBe(2)
    expect((await scim('GET', `/Schemas/${USER}`)).body.id).toBe(USER)
    expect((await scim('GET', '/Schemas/nope')).status).toBe(404)
  })
})

describe('the frontend SDK scim.* (/sdk/v1/b2b/scim)', () => {
  /** A call as @stytch/vanilla-js makes it, with the member's session. */
  const frontend = async (token: string, method: string, path: string, body?: object) => {
    const res = await fetch(`${mock.url}/sdk/v1/b2b/scim${path}`, {
      method,
      headers: {
        authorization: basicHeader(mock.config.b2bPublicToken, token),
        origin: ORIGIN,
        'content-type': 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const json = (await res.json()) as Record<string, any>
    return { status: res.status, data: json.data, error: json.error_type as string | undefined }
  }

  it("runs as the caller's member in its organization: groups before any connection, create to delete", async () => {
    const org = await newOrg()
    const admin = (await loginAs(org.organization_id, `admin-${random()}@acme.example`, true))
      .session_token
    const plain = (await loginAs(org.organization_id, `plain-${random()}@acme.example`))
      .session_token
    // The admin portal's Org Settings asks before any connection exists.
    expect((await frontend(admin, 'POST', '/groups', { limit: 1000 })).data).toMatchObject({
      scim_groups: [],
      next_cursor: null,
    })
    expect((await frontend(admin, 'GET', '')).data.connection).toBeNull()
    expect(await frontend(plain, 'POST', '', { display_name: 'x' })).toMatchObject({
      status: 403,
      error: 'session_authorization_error',
    })
    expect((await frontend(plain, 'POST', '/groups', {})).status).toBe(403)

    const created = await frontend(admin, 'POST', '', {
      display_name: 'Okta',
      identity_provider: 'okta',
    })
    expect(created.status).toBe(200)
    const connection = created.data.connection
    expect(connection.bearer_token).toMatch(/^[A-Za-z0-9]{48}$/)
    expect(connection.base_url).toBe(`${mock.url}/v1/b2b/scim/${connection.connection_id}`)
    const scim = scimClient(connection.base_url, connection.bearer_token)
    const group = (await scim('POST', '/Groups', { displayName: 'eng' })).body
    const updated = await frontend(admin, 'PUT', `/${connection.connection_id}`, {
      connection_id: connection.connection_id,
      display_name: 'Okta prod',
      scim_group_implicit_role_assignments: [{ group_id: group.id, role_id: 'stytch_admin' }],
    })
    expect(updated.data.connection).toMatchObject({
      display_name: 'Okta prod',
      scim_group_implicit_role_assignments: [
        { group_id: group.id, role_id: 'stytch_admin', group_name: 'eng' },
      ],
    })
    expect((await frontend(admin, 'POST', '/groups', { limit: 1 })).data.scim_groups).toEqual([
      {
        group_id: group.id,
        group_name: 'eng',
        organization_id: org.organization_id,
        connection_id: connection.connection_id,
      },
    ])
    const id = { connection_id: connection.connection_id }
    expect(await frontend(admin, 'POST', '/rotate/complete', id)).toMatchObject({
      status: 400,
      error: 'scim_connection_not_rotating_token',
    })
    const started = await frontend(admin, 'POST', '/rotate/start', id)
    const next = started.data.connection.next_bearer_token as string
    expect((await frontend(admin, 'POST', '/rotate/cancel', id)).data.connection).toMatchObject({
      next_bearer_token_last_four: '',
    })
    expect((await scimClient(connection.base_url, next)('GET', '/Groups')).status).toBe(401)
    const again = (await frontend(admin, 'POST', '/rotate/start', id)).data.connection
    const done = await frontend(admin, 'POST', '/rotate/complete', id)
    expect(done.data.connection.bearer_token_last_four).toBe(again.next_bearer_token.slice(-4))
    expect((await scim('GET', '/Groups')).status).toBe(401)
    expect(await frontend(plain, 'DELETE', `/${connection.connection_id}`)).toMatchObject({
      status: 403,
    })
    expect((await frontend(admin, 'DELETE', `/${connection.connection_id}`)).data).toMatchObject({
      connection_id: connection.connection_id,
    })
    expect((await frontend(admin, 'GET', '')).data.connection).toBeNull()
  })
})

describe('tenancy: one connection reaches only its own organization', () => {
  it("refuses another connection's Users and Groups by id, and links only its own organization's member by email", async () => {
    const a = await withConnection()
    const b = await withConnection()
    const bob = await loginAs(b.org.organization_id, `bob-${random()}@acme.example`)
    const user = (await b.scim('POST', '/Users', userBody(bob.member.email_address))).body.id
    const group = (
      await b.scim('POST', '/Groups', { displayName: 'b', members: [{ value: user }] })
    ).body.id
    for (const [method, path, body] of [
      ['GET', `/Users/${user}`],
      ['PUT', `/Users/${user}`, userBody(`x-${random()}@acme.example`, { active: false })],
      [
        'PATCH',
        `/Users/${user}`,
        { Operations: [{ op: 'replace', path: 'active', value: false }] },
      ],
      ['DELETE', `/Users/${user}`],
      ['GET', `/Groups/${group}`],
      ['PUT', `/Groups/${group}`, { displayName: 'taken' }],
      [
        'PATCH',
        `/Groups/${group}`,
        { Operations: [{ op: 'replace', path: 'displayName', value: 'x' }] },
      ],
      ['DELETE', `/Groups/${group}`],
    ] as const)
      expect((await a.scim(method, path, body)).status, `${method} ${path}`).toBe(404)
    expect(
      await a.scim('POST', '/Groups', { displayName: 'a', members: [{ value: user }] }),
    ).toMatchObject({ status: 400, body: { scimType: 'invalidValue' } })
    expect(
      (await a.scim('GET', `/Users?filter=${encodeURIComponent(`id eq "${user}"`)}`)).body
        .totalResults,
    ).toBe(0)
    // The same address pushed to A is a new member of A; B's member and session are untouched.
    const theirs = await a.scim(
      'POST',
      '/Users',
      userBody(bob.member.email_address, { active: false }),
    )
    expect(theirs.status).toBe(201)
    expect(theirs.body.id).not.toBe(user)
    expect(await member(b.org.organization_id, user)).toMatchObject({
      status: 'active',
      scim_registration: { connection_id: b.connection.connection_id },
    })
    expect(
      (await b2b.sessions.authenticate({ session_token: bob.session_token })).member.member_id,
    ).toBe(user)
    expect((await b.scim('GET', `/Groups/${group}`)).body.members).toMatchObject([{ value: user }])
  })

  it("refuses an email another member of the organization holds; the PATCH's other changes are not kept", async () => {
    const { org, scim } = await withConnection()
    const grace = await loginAs(org.organization_id, `grace-${random()}@acme.example`)
    const { id } = (await scim('POST', '/Users', userBody(`ada-${random()}@acme.example`))).body
    for (const Operations of [
      [
        { op: 'replace', path: 'name.givenName', value: 'Augusta' },
        { op: 'replace', path: 'userName', value: grace.member.email_address.toUpperCase() },
      ],
      [
        { op: 'replace', path: 'userName', value: 'ada' },
        { op: 'replace', path: 'emails', value: [{ value: grace.member.email_address }] },
      ],
    ])
      expect(await scim('PATCH', `/Users/${id}`, { schemas: [PATCH], Operations })).toMatchObject({
        status: 409,
        body: { scimType: 'uniqueness' },
      })
    expect(await member(org.organization_id, id)).toMatchObject({ name: 'Ada Lovelace' })
    expect((await scim('GET', `/Users/${id}`)).body.name.givenName).toBe('Ada')
    expect(await member(org.organization_id, grace.member.member_id)).toMatchObject({
      status: 'active',
      email_address: grace.member.email_address,
    })
    expect(grace.member.scim_registration).toBeUndefined()
    expect(
      (await member(org.organization_id, grace.member.member_id)).scim_registration,
    ).toBeUndefined()
  })

  it("refuses a frontend caller another organization's connection id", async () => {
    const a = await withConnection()
    const b = await withConnection()
    const admin = (await loginAs(a.org.organization_id, `admin-${random()}@acme.example`, true))
      .session_token
    const call = async (method: string, path: string, body?: object) => {
      const res = await fetch(`${mock.url}/sdk/v1/b2b/scim${path}`, {
        method,
        headers: {
          authorization: basicHeader(mock.config.b2bPublicToken, admin),
          origin: ORIGIN,
          'content-type': 'application/json',
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      return {
        status: res.status,
        type: ((await res.json()) as { error_type?: string }).error_type,
      }
    }
    const id = b.connection.connection_id
    for (const [method, path, body] of [
      ['PUT', `/${id}`, { connection_id: id, display_name: 'mine' }],
      ['DELETE', `/${id}`],
      ['POST', '/rotate/start', { connection_id: id }],
      ['POST', '/rotate/complete', { connection_id: id }],
      ['POST', '/rotate/cancel', { connection_id: id }],
    ] as const)
      expect(await call(method, path, body), `${method} ${path}`).toEqual({
        status: 404,
        type: 'no_active_scim_connection',
      })
    const { connection } = await b2b.scim.connection.get({ organization_id: b.org.organization_id })
    expect(connection).toMatchObject({ display_name: 'Okta', next_bearer_token_last_four: '' })
    expect((await b.scim('GET', '/Users')).status).toBe(200)
  })
})

describe('a large directory', () => {
  it("lists by reading only the members it answers; provisioning reads none of the organization's others", async () => {
    const { scim } = await withConnection()
    const tag = random()
    const ids: string[] = []
    for (let i = 0; i < 30; i++)
      ids.push((await scim('POST', '/Users', userBody(`u${i}-${tag}@acme.example`))).body.id)
    await scim('PATCH', `/Users/${ids[3]}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    })
    const read = vi.spyOn(mock.world.orgs, 'member')
    const scan = vi.spyOn(mock.world.orgs, 'membersOf')
    try {
      const q = (filter: string) => scim('GET', `/Users?filter=${encodeURIComponent(filter)}`)
      const found = await q(`userName eq "U7-${tag}@acme.example"`)
      expect(found.body.Resources.map((u: { id: string }) => u.id)).toEqual([ids[7]])
      expect(read.mock.calls.length).toBeLessThanOrEqual(1)
      read.mockClear()
      const page = await scim('GET', '/Users?startIndex=11&count=5')
      expect(page.body).toMatchObject({ totalResults: 30, itemsPerPage: 5 })
      expect(page.body.Resources.map((u: { id: string }) => u.id)).toEqual(ids.slice(10, 15))
      expect(read.mock.calls.length).toBeLessThanOrEqual(5)
      // A filter on what only the answer says (active, groups, meta) still sees it.
      const inactive = await q(`active eq false and userName ew "-${tag}@acme.example"`)
      expect(inactive.body.Resources.map((u: { id: string }) => u.id)).toEqual([ids[3]])
      expect((await scim('POST', '/Users', userBody(`new-${tag}@acme.example`))).status).toBe(201)
      expect(scan).not.toHaveBeenCalled()
    } finally {
      read.mockRestore()
      scan.mockRestore()
    }
  })
})

describe('state', () => {
  it('a snapshot keeps the connection, its token, users, groups and grants; restore brings them back', async () => {
    const { org, connection, scim } = await withConnection()
    const { id } = (await scim('POST', '/Users', userBody(`ada-${random()}@acme.example`))).body
    const group = (await scim('POST', '/Groups', { displayName: 'eng', members: [{ value: id }] }))
      .body
    const ids = { organization_id: org.organization_id, connection_id: connection.connection_id }
    await b2b.scim.connection.update({
      ...ids,
      scim_group_implicit_role_assignments: [
        { role_id: 'stytch_user', group_id: group.id, group_name: 'eng' },
      ],
    })
    const { snapshot_id } = (await control('POST', '/_mock/snapshots')).body
    await b2b.scim.connection.delete(ids)
    expect((await scim('GET', '/Users')).status).toBe(401)
    expect((await control('POST', `/_mock/snapshots/${snapshot_id}/restore`)).status).toBe(200)
    expect((await scim('GET', `/Users/${id}`)).body.groups).toMatchObject([{ value: group.id }])
    expect(roleIds(await member(org.organization_id, id))).toContain('stytch_user')
    expect((await b2b.scim.connection.getGroups(ids)).scim_groups).toHaveLength(1)
  })
})

describe('hostile SCIM input', () => {
  it('answers any filter, PATCH or body with a SCIM response, never a 5xx', async () => {
    const { scim } = await withConnection()
    const { id } = (await scim('POST', '/Users', userBody(`ada-${random()}@acme.example`))).body
    const group = (await scim('POST', '/Groups', { displayName: 'eng' })).body.id
    const word = fc.constantFrom(
      'userName',
      'emails',
      'name.givenName',
      'members',
      'active',
      'eq',
      'and',
      'or',
      'not',
      'pr',
      '(',
      ')',
      '[',
      ']',
      '"x"',
      '.value',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
      'true',
      '"',
      '\\',
      ' ',
    )
    const text = fc.oneof(
      fc.string(),
      fc.array(word, { maxLength: 12 }).map((w) => w.join(' ')),
    )
    const op = fc.record(
      {
        op: fc.constantFrom('add', 'Replace', 'remove', 'copy'),
        path: text,
        value: fc.jsonValue({ maxDepth: 3 }),
      },
      { requiredKeys: ['op'] },
    )
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          text.map((filter) => ['GET', `/Users?filter=${encodeURIComponent(filter)}`] as const),
          fc
            .array(op, { minLength: 1, maxLength: 4 })
            .map(
              (Operations) => ['PATCH', `/Users/${id}`, { schemas: [PATCH], Operations }] as const,
            ),
          fc
            .array(op, { minLength: 1, maxLength: 4 })
            .map((Operations) => ['PATCH', `/Groups/${group}`, { Operations }] as const),
          fc.jsonValue({ maxDepth: 3 }).map((body) => ['PUT', `/Users/${id}`, body] as const),
          // Attribute names fold case: a second spelling escapes the body's schema checks.
          fc
            .dictionary(
              fc.constantFrom('USERNAME', 'Active', 'NAME', 'externalID', 'Emails', 'displayname'),
              fc.jsonValue({ maxDepth: 2 }),
            )
            .map(
              (extra) =>
                ['POST', '/Users', { userName: `f-${random()}@acme.example`, ...extra }] as const,
            ),
          fc
            .dictionary(
              fc.constantFrom('userName', 'emails', 'active', 'name', 'members', 'displayName'),
              fc.jsonValue({ maxDepth: 2 }),
            )
            .map((body) => ['POST', '/Groups', body] as const),
        ),
        async ([method, path, body]) => {
          const res = await scim(method, path, body)
          expect(res.status, JSON.stringify([method, path, body, res.body])).toBeLessThan(500)
          expect(res.type).toMatch(/^application\/scim\+json/)
        },
      ),
      { numRuns: 150, seed: 30 },
    )
  })

  it('takes each attribute once whatever case it is named in: a second spelling of a wrong type is 400 invalidValue, after a PATCH too', async () => {
    const { org, scim } = await withConnection()
    for (const extra of [{ username: 123 }, { USERNAME: { a: 1 } }, { Active: 'maybe' }]) {
      const res = await scim('POST', '/Users', userBody(`ada-${random()}@acme.example`, extra))
      expect(res, JSON.stringify(extra)).toMatchObject({
        status: 400,
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
          scimType: 'invalidValue',
        },
      })
      expect(res.type).toMatch(/^application\/scim\+json/)
    }
    const { id } = (await scim('POST', '/Users', userBody(`ada-${random()}@acme.example`))).body
    for (const [path, value] of [
      ['active', 'maybe'],
      ['externalId', { a: 1 }],
      ['name', 'Ada'],
      ['name.givenName', ['Ada']],
      ['displayName', 5],
    ] as const) {
      const res = await scim('PATCH', `/Users/${id}`, {
        schemas: [PATCH],
        Operations: [{ op: 'replace', path, value }],
      })
      expect(res, path).toMatchObject({ status: 400, body: { scimType: 'invalidValue' } })
    }
    const kept = await member(org.organization_id, id)
    expect(kept).toMatchObject({ status: 'active', name: 'Ada Lovelace' })
    expect((await scim('GET', `/Users/${id}`)).body).toMatchObject({
      active: true,
      name: { givenName: 'Ada', familyName: 'Lovelace' },
    })
  })

  it('writes no attribute named __proto__ or constructor through to a prototype (the mock runs in this process)', async () => {
    const { connection, scim } = await withConnection()
    const { id } = (await scim('POST', '/Users', userBody(`ada-${random()}@acme.example`))).body
    const group = (await scim('POST', '/Groups', { displayName: 'eng' })).body.id
    const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
    const op = (path: string | null, value: unknown) =>
      JSON.stringify({
        schemas: [PATCH],
        Operations: [{ op: 'add', ...(path === null ? {} : { path }), value }],
      })
    // Raw JSON text: an object literal would turn "__proto__" into a prototype, not a key.
    const bodies = [
      op('__proto__.polluted', 1),
      op('constructor.prototype.polluted', 1),
      op(`${ENTERPRISE}:__proto__`, { polluted: 1 }),
      op('name.__proto__', { polluted: 1 }),
      op('emails[type eq "work"].__proto__', { polluted: 1 }),
      op('emails[__proto__ eq "x"]', { polluted: 1 }),
      op(null, { '': 1 }).replace('{"":1}', '{"__proto__":{"polluted":1}}'),
      op(null, { [ENTERPRISE]: {} }).replace('{}', '{"__proto__":{"polluted":1}}'),
      op('emails', [{}]).replace('[{}]', '[{"__proto__":{"polluted":1},"value":"x"}]'),
    ]
    for (const path of [`/Users/${id}`, `/Groups/${group}`])
      for (const body of bodies) {
        const res = await fetch(`${connection.base_url}${path}`, {
          method: 'PATCH',
          headers: {
            authorization: `Bearer ${connection.bearer_token}`,
            'content-type': 'application/scim+json',
          },
          body,
        })
        expect(res.status, `${path} ${body}`).toBeLessThan(500)
        expect(({} as Record<string, unknown>).polluted, body).toBeUndefined()
      }
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted')
  })

  it('adds tens of thousands of values in one PATCH in linear time (no event loop held for seconds)', async () => {
    const { scim } = await withConnection()
    const { id } = (await scim('POST', '/Users', userBody(`ada-${random()}@acme.example`))).body
    const group = (await scim('POST', '/Groups', { displayName: 'eng' })).body.id
    const value = Array.from({ length: 40_000 }, (_, i) => ({ value: `v${i}` }))
    const started = Date.now()
    const user = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'entitlements', value }],
    })
    expect(user.status).toBe(200)
    expect(user.body.entitlements).toHaveLength(40_000)
    const members = await scim('PATCH', `/Groups/${group}`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value }],
    })
    expect(members).toMatchObject({ status: 400, body: { scimType: 'invalidValue' } })
    expect(Date.now() - started).toBeLessThan(4000)
  })
})

describe('the inspector (/_mock/ui)', () => {
  it("shows an organization's SCIM connection and groups, and a member's SCIM registration", async () => {
    const { org, connection, scim } = await withConnection()
    const email = `ada-${random()}@acme.example`
    const { id } = (await scim('POST', '/Users', userBody(email))).body
    const group = (
      await scim('POST', '/Groups', { displayName: 'engineers', members: [{ value: id }] })
    ).body
    await b2b.scim.connection.update({
      organization_id: org.organization_id,
      connection_id: connection.connection_id,
      scim_group_implicit_role_assignments: [
        { role_id: 'stytch_user', group_id: group.id, group_name: '' },
      ],
    })
    const ui = async (query: string) => {
      const res = await fetch(`${mock.url}/_mock/ui${query}`, {
        headers: { authorization: basicHeader(mock.config.projectId, mock.config.secret) },
      })
      expect(res.status).toBe(200)
      return (await res.text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
    }
    const orgPage = await ui(`?org=${org.organization_id}`)
    expect(orgPage).toContain('SCIM connection')
    expect(orgPage).toContain(connection.connection_id)
    expect(orgPage).toContain(`…${connection.bearer_token.slice(-4)}`)
    expect(orgPage).toMatch(new RegExp(`engineers ${group.id} stytch_user`))
    const memberPage = await ui(`?member=${id}`)
    expect(memberPage).toContain('SCIM registration')
    expect(memberPage).toMatch(new RegExp(`userName ${email}`))
    expect(memberPage).toMatch(/Groups engineers/)
  })
})
