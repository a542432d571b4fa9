import { decodeJwt } from 'jose'
import { beforeEach, describe, expect, it } from 'vitest'
import { FIXTURE, testWorld, type TestWorld } from '../helpers/world.js'

let t: TestWorld
beforeEach(async () => {
  t = await testWorld()
  t.clock.freeze()
})

const authenticate = (body: unknown) => t.call('POST', '/v1/b2b/sessions/authenticate', { body })
const exchange = (body: unknown) => t.call('POST', '/v1/b2b/sessions/exchange', { body })

describe('POST /v1/b2b/sessions/authenticate', () => {
  it('authenticates the fixture member session and returns member_session, member and organization', async () => {
    const res = await authenticate({ session_token: FIXTURE.graceToken })
    expect(res.status).toBe(200)
    expect(res.body.member_session).toMatchObject({
      member_session_id: FIXTURE.graceSessionId,
      member_id: FIXTURE.acme.member_id,
      organization_id: FIXTURE.acme.organization_id,
      organization_slug: 'acme',
      roles: ['stytch_member', 'stytch_admin'],
    })
    expect(res.body.member_session).not.toHaveProperty('attributes')
    expect(res.body.member.email_address).toBe('grace@example.com')
    expect(res.body.organization.organization_id).toBe(FIXTURE.acme.organization_id)
  })

  it('mints a JWT with sub = member_id, the session claim id and the organization claim', async () => {
    const res = await authenticate({ session_token: FIXTURE.graceToken })
    const claims = decodeJwt(res.body.session_jwt)
    expect(claims.sub).toBe(FIXTURE.acme.member_id)
    expect((claims['https://stytch.com/session'] as { id: string }).id).toBe(FIXTURE.graceSessionId)
    expect(claims['https://stytch.com/organization']).toEqual({
      organization_id: FIXTURE.acme.organization_id,
      slug: 'acme',
    })
    expect(claims.exp).toBe(t.clock.nowSeconds() + 300)
  })

  it('accepts an expired but validly signed JWT of a live session, and extends with a duration', async () => {
    const first = await authenticate({ session_token: FIXTURE.graceToken })
    t.clock.advance(600)
    const res = await authenticate({
      session_jwt: first.body.session_jwt,
      session_duration_minutes: 30,
    })
    expect(res.status).toBe(200)
    expect(Date.parse(res.body.member_session.expires_at)).toBe(
      (t.clock.nowSeconds() + 1800) * 1000,
    )
  })

  it('does not accept a consumer session token or JWT, nor a member one at the consumer route', async () => {
    const consumer = await t.call('POST', '/v1/sessions/authenticate', {
      body: { session_token: FIXTURE.adaToken },
    })
    expect((await authenticate({ session_token: FIXTURE.adaToken })).body.error_type).toBe(
      'session_not_found',
    )
    expect((await authenticate({ session_jwt: consumer.body.session_jwt })).body.error_type).toBe(
      'session_not_found',
    )
    const member = await t.call('POST', '/v1/sessions/authenticate', {
      body: { session_token: FIXTURE.graceToken },
    })
    expect(member.status).toBe(404)
  })

  it.each([
    [
      { organization_id: FIXTURE.acme.organization_id, resource_id: 'documents', action: 'delete' },
      200,
    ],
    [{ organization_id: 'acme', resource_id: 'anything', action: 'any' }, 200],
    [
      { organization_id: FIXTURE.globex.organization_id, resource_id: 'documents', action: 'read' },
      403,
    ],
    [{ organization_id: 'no-such-org', resource_id: 'documents', action: 'read' }, 403],
  ])('answers authorization_check %j with %i', async (check, status) => {
    const res = await authenticate({
      session_token: FIXTURE.graceToken,
      authorization_check: check,
    })
    expect(res.status).toBe(status)
    if (status === 200)
      expect(res.body.verdict).toEqual({ authorized: true, granting_roles: ['stytch_admin'] })
    else expect(res.body.error_type).toBe('session_authorization_tenancy_error')
    if (status === 403)
      expect(res.body.error_url).toBe(
        'https://stytch.com/docs/b2b/api/errors/403#session_authorization_tenancy_error',
      )
  })

  it('denies an action no role of the member grants with 403 session_authorization_error', async () => {
    const ex = await exchange({ organization_id: 'globex', session_token: FIXTURE.graceToken })
    const res = await authenticate({
      session_token: ex.body.session_token,
      authorization_check: {
        organization_id: 'globex',
        resource_id: 'documents',
        action: 'delete',
      },
    })
    expect(res.status).toBe(403)
    expect(res.body.error_type).toBe('session_authorization_error')
  })
})

describe('POST /v1/b2b/sessions/exchange', () => {
  it('switches into another organization where the same email is a member, keeping the factors', async () => {
    const before = await authenticate({ session_token: FIXTURE.graceToken })
    const res = await exchange({
      organization_id: FIXTURE.globex.organization_id,
      session_token: FIXTURE.graceToken,
      locale: 'en',
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      member_authenticated: true,
      intermediate_session_token: '',
      member_id: FIXTURE.globex.member_id,
      mfa_required: null,
      primary_required: null,
    })
    expect(res.body.member_session.organization_id).toBe(FIXTURE.globex.organization_id)
    expect(res.body.member_session.authentication_factors).toEqual(
      before.body.member_session.authentication_factors,
    )
    expect(res.body.session_token).not.toBe(FIXTURE.graceToken)
    expect(decodeJwt(res.body.session_jwt)['https://stytch.com/organization']).toEqual({
      organization_id: FIXTURE.globex.organization_id,
      slug: 'globex',
    })
    expect(Date.parse(res.body.member_session.expires_at)).toBe(
      (t.clock.nowSeconds() + 3600) * 1000,
    )
    // The new session authenticates; the original one stays active.
    expect((await authenticate({ session_token: res.body.session_token })).status).toBe(200)
    expect((await authenticate({ session_token: FIXTURE.graceToken })).status).toBe(200)
  })

  it('accepts a slug and a session_jwt', async () => {
    const { body } = await authenticate({ session_token: FIXTURE.graceToken })
    const res = await exchange({
      organization_id: 'globex',
      session_jwt: body.session_jwt,
      session_duration_minutes: 15,
    })
    expect(res.body.member_authenticated).toBe(true)
  })

  it('answers an MFA-required organization with an intermediate session and no member session', async () => {
    const res = await exchange({ organization_id: 'initech', session_token: FIXTURE.graceToken })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      member_authenticated: false,
      session_token: '',
      session_jwt: '',
      member_id: FIXTURE.initech.member_id,
      primary_required: null,
      mfa_required: { member_options: null, secondary_auth_initiated: null },
    })
    expect(res.body.intermediate_session_token).toMatch(/^[A-Za-z0-9_-]{44}$/)
    expect(res.body).not.toHaveProperty('member_session')
  })

  it("asks the MFA-required organization's second factor again: another member's TOTP does not carry over", async () => {
    const { session_token } = await t.world.members.create({
      member_id: FIXTURE.acme.member_id,
      duration_minutes: 60,
      authentication_factors: [
        {
          type: 'magic_link',
          delivery_method: 'email',
          email_factor: { email_id: 'e', email_address: 'grace@example.com' },
        },
        {
          type: 'totp',
          delivery_method: 'authenticator_app',
          authenticator_app_factor: { totp_id: 'totp-1' },
        },
      ],
    })
    const res = await exchange({ organization_id: 'initech', session_token })
    expect(res.body).toMatchObject({
      member_authenticated: false,
      session_token: '',
      mfa_required: { member_options: null, secondary_auth_initiated: null },
    })
  })

  it.each([
    [{ organization_id: 'globex' }, 400, 'no_session_arguments'],
    [{ session_token: FIXTURE.graceToken }, 400, 'invalid_organization_id'],
    [
      { organization_id: 'nowhere', session_token: FIXTURE.graceToken },
      404,
      'organization_not_found',
    ],
    [
      { organization_id: 'globex', session_token: FIXTURE.sandboxNotFoundToken },
      404,
      'session_not_found',
    ],
    [
      { organization_id: 'globex', session_token: FIXTURE.graceToken, session_duration_minutes: 2 },
      400,
      'invalid_session_duration_minutes',
    ],
  ])('answers %j with %i %s', async (body, status, type) => {
    const res = await exchange(body)
    expect(res.status).toBe(status)
    expect(res.body.error_type).toBe(type)
  })

  it('answers 404 member_not_found when the email has no member in the target organization', async () => {
    t.world.orgs.insertOrganization({
      ...(await authenticate({ session_token: FIXTURE.graceToken })).body.organization,
      organization_id: 'organization-test-00000000-0000-4000-8000-00000000000e',
      organization_slug: 'empty',
    })
    const res = await exchange({ organization_id: 'empty', session_token: FIXTURE.graceToken })
    expect(res.status).toBe(404)
    expect(res.body.error_type).toBe('member_not_found')
  })
})

describe('POST /v1/b2b/sessions/revoke', () => {
  it.each(['member_session_id', 'session_token', 'session_jwt'] as const)(
    'revokes by %s',
    async (by) => {
      const auth = await authenticate({ session_token: FIXTURE.graceToken })
      const value = {
        member_session_id: FIXTURE.graceSessionId,
        session_token: FIXTURE.graceToken,
        session_jwt: auth.body.session_jwt,
      }[by]
      expect(
        (await t.call('POST', '/v1/b2b/sessions/revoke', { body: { [by]: value } })).status,
      ).toBe(200)
      expect((await authenticate({ session_token: FIXTURE.graceToken })).body.error_type).toBe(
        'session_not_found',
      )
      expect((await authenticate({ session_jwt: auth.body.session_jwt })).body.error_type).toBe(
        'session_not_found',
      )
    },
  )

  it('revokes every session of a member by member_id, and only that member', async () => {
    const second = await t.world.members.create({
      member_id: FIXTURE.acme.member_id,
      duration_minutes: 60,
      authentication_factors: [],
    })
    const other = await exchange({ organization_id: 'globex', session_token: FIXTURE.graceToken })
    const res = await t.call('POST', '/v1/b2b/sessions/revoke', {
      body: { member_id: FIXTURE.acme.member_id },
    })
    expect(res.status).toBe(200)
    for (const token of [FIXTURE.graceToken, second.session_token]) {
      expect((await authenticate({ session_token: token })).status).toBe(404)
    }
    expect((await authenticate({ session_token: other.body.session_token })).status).toBe(200)
  })

  it.each([
    [{}, 400, 'no_session_revoke_arguments'],
    [
      { member_id: FIXTURE.acme.member_id, session_token: FIXTURE.graceToken },
      400,
      'too_many_session_revoke_arguments',
    ],
    [{ member_id: 'member-test-00000000-0000-4000-8000-000000000000' }, 404, 'member_not_found'],
  ])('answers %j with %i %s', async (body, status, type) => {
    const res = await t.call('POST', '/v1/b2b/sessions/revoke', { body })
    expect(res.status).toBe(status)
    expect(res.body.error_type).toBe(type)
  })
})

describe('GET /v1/b2b/sessions and the B2B JWKS', () => {
  it('lists a member’s active sessions by organization id or slug', async () => {
    for (const org of [FIXTURE.acme.organization_id, 'acme']) {
      const res = await t.call(
        'GET',
        `/v1/b2b/sessions?organization_id=${org}&member_id=${FIXTURE.acme.member_id}`,
      )
      expect(res.status).toBe(200)
      expect(
        res.body.member_sessions.map((s: { member_session_id: string }) => s.member_session_id),
      ).toEqual([FIXTURE.graceSessionId])
    }
  })

  it.each([
    ['', 'invalid_organization_id'],
    [`?organization_id=acme`, 'invalid_argument'],
    [`?organization_id=nowhere&member_id=${FIXTURE.acme.member_id}`, 'organization_not_found'],
    [`?organization_id=globex&member_id=${FIXTURE.acme.member_id}`, 'member_not_found'],
  ])('answers %s with %s', async (query, type) => {
    expect((await t.call('GET', `/v1/b2b/sessions${query}`)).body.error_type).toBe(type)
  })

  it('serves the same keys at the B2B JWKS path, without credentials', async () => {
    const b2b = await t.call('GET', `/v1/b2b/sessions/jwks/${t.config.projectId}`, { auth: false })
    const consumer = await t.call('GET', `/v1/sessions/jwks/${t.config.projectId}`, { auth: false })
    expect(b2b.status).toBe(200)
    expect(b2b.body.keys).toEqual(consumer.body.keys)
  })
})
