// Reads next to a session: backend users.get / organizations.get / members.get, and the frontend
// SDK's user.get() / organization.get() / self.get(). Responses are validated against openapi.yaml.
import { beforeEach, describe, expect, it } from 'vitest'
import { basicHeader, FIXTURE, ORIGIN, testWorld, type TestWorld } from '../helpers/world.js'

let t: TestWorld
beforeEach(async () => {
  t = await testWorld()
})

const basic = basicHeader

describe('GET /v1/users/{user_id}', () => {
  it("answers the user's fields at the top level, the same object authenticate returns", async () => {
    const auth = await t.call('POST', '/v1/sessions/authenticate', {
      body: { session_token: FIXTURE.adaToken },
    })
    const res = await t.call('GET', `/v1/users/${FIXTURE.adaUserId}`)
    expect(res.status).toBe(200)
    const { status_code, request_id, ...user } = res.body
    expect(status_code).toBe(200)
    expect(request_id).toMatch(/^request-id-test-/)
    expect(user).toEqual(auth.body.user)
  })

  it('takes the external_id too, and answers 404 user_not_found for an unknown id', async () => {
    const byExternal = await t.call('GET', '/v1/users/ada-external-1')
    expect(byExternal.body.user_id).toBe(FIXTURE.adaUserId)
    const unknown = await t.call('GET', '/v1/users/user-test-00000000-0000-4000-8000-00000000dead')
    expect(unknown.status).toBe(404)
    expect(unknown.body).toMatchObject({
      error_type: 'user_not_found',
      error_message: 'User could not be found.',
    })
  })

  it('needs the project credentials', async () => {
    const res = await t.call('GET', `/v1/users/${FIXTURE.adaUserId}`, { auth: false })
    expect(res.status).toBe(401)
  })
})

describe('GET /v1/b2b/organizations/{organization_id}', () => {
  it('answers the organization, by id or slug; 404 organization_not_found otherwise', async () => {
    for (const id of [FIXTURE.acme.organization_id, 'acme']) {
      const res = await t.call('GET', `/v1/b2b/organizations/${id}`)
      expect(res.status).toBe(200)
      expect(res.body.organization.organization_id).toBe(FIXTURE.acme.organization_id)
    }
    const unknown = await t.call('GET', '/v1/b2b/organizations/organization-test-nope')
    expect(unknown.status).toBe(404)
    expect(unknown.body.error_type).toBe('organization_not_found')
  })
})

describe('GET /v1/b2b/organizations/{organization_id}/member', () => {
  const path = `/v1/b2b/organizations/${FIXTURE.acme.organization_id}/member`

  it('answers the member by member_id or email_address, with its organization', async () => {
    for (const query of [
      `member_id=${FIXTURE.acme.member_id}`,
      'email_address=Grace@Example.com',
    ]) {
      const res = await t.call('GET', `${path}?${query}`)
      expect(res.status).toBe(200)
      expect(res.body.member_id).toBe(FIXTURE.acme.member_id)
      expect(res.body.member.email_address).toBe('grace@example.com')
      expect(res.body.organization.organization_slug).toBe('acme')
    }
  })

  it('answers 404 member_not_found for a member of another organization or an unknown email', async () => {
    for (const query of [
      `member_id=${FIXTURE.globex.member_id}`,
      'email_address=nobody@example.com',
    ]) {
      const res = await t.call('GET', `${path}?${query}`)
      expect(res.status).toBe(404)
      expect(res.body.error_type).toBe('member_not_found')
    }
  })

  it('needs member_id or email_address; with both, member_id wins', async () => {
    const neither = await t.call('GET', path)
    expect(neither.status).toBe(400)
    expect(neither.body.error_type).toBe('invalid_argument')
    const both = await t.call(
      'GET',
      `${path}?member_id=${FIXTURE.acme.member_id}&email_address=grace@example.com`,
    )
    expect(both.status).toBe(200)
    expect(both.body.member_id).toBe(FIXTURE.acme.member_id)
  })
})

describe('the frontend SDK reads', () => {
  const get = (path: string, auth: string | false, headers: Record<string, string> = {}) =>
    t.call('GET', `/sdk/v1${path}`, { auth, headers: { origin: ORIGIN, ...headers } })

  it("GET /users/me answers the caller's user in data, with CORS for the page", async () => {
    const res = await get('/users/me', basic(t.config.publicToken, FIXTURE.adaToken))
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(res.headers.get('access-control-allow-credentials')).toBe('true')
    const { status_code, request_id, ...user } = res.body.data
    expect({ status_code, request_id: typeof request_id }).toEqual({
      status_code: 200,
      request_id: 'string',
    })
    expect(user.user_id).toBe(FIXTURE.adaUserId)
    expect(user.emails[0].email).toBe('ada@example.com')
  })

  it('answers the preflight of the reads', async () => {
    const res = await t.call('OPTIONS', '/sdk/v1/users/me', {
      auth: false,
      headers: { origin: ORIGIN, 'access-control-request-method': 'GET' },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
  })

  it('GET /b2b/organizations/me and /b2b/organizations/members/me answer the organization and member', async () => {
    const auth = basic(t.config.b2bPublicToken, FIXTURE.graceToken)
    const org = await get('/b2b/organizations/me', auth)
    expect(org.status).toBe(200)
    expect(org.body.data.organization.organization_id).toBe(FIXTURE.acme.organization_id)
    const member = await get('/b2b/organizations/members/me', auth)
    expect(member.status).toBe(200)
    expect(member.body.data.member.member_id).toBe(FIXTURE.acme.member_id)
  })

  it('uses the session cookie when the header carries no token (HttpOnly mode)', async () => {
    const res = await get('/users/me', basic(t.config.publicToken, t.config.publicToken), {
      cookie: `stytch_session=${FIXTURE.adaToken}`,
    })
    expect(res.status).toBe(200)
    expect(res.body.data.user_id).toBe(FIXTURE.adaUserId)
  })

  it('answers 401 without a session, 404 once the session is revoked, and refuses the other vertical', async () => {
    const none = await get('/users/me', basic(t.config.publicToken, t.config.publicToken))
    expect(none.status).toBe(401)
    expect(none.body.error_type).toBe('unauthorized_credentials')
    await t.call('POST', '/v1/sessions/revoke', { body: { session_token: FIXTURE.adaToken } })
    const revoked = await get('/users/me', basic(t.config.publicToken, FIXTURE.adaToken))
    expect(revoked.status).toBe(404)
    expect(revoked.body.error_type).toBe('session_not_found')
    const wrong = await get('/b2b/organizations/me', basic(t.config.publicToken, FIXTURE.adaToken))
    expect(wrong.body.error_type).toBe('invalid_b2b_endpoint')
  })
})
