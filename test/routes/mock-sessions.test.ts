import { decodeJwt } from 'jose'
import { beforeEach, describe, expect, it } from 'vitest'
import { FIXTURE, testWorld, type TestWorld } from '../helpers/world.js'

let t: TestWorld
beforeEach(async () => {
  t = await testWorld()
})

describe('POST /_mock/sessions', () => {
  it('creates a user by email and a session that authenticates through the API', async () => {
    const res = await t.call('POST', '/_mock/sessions', {
      body: { email: 'New.Person@Example.com', custom_claims: { tier: 'gold' } },
    })
    expect(res.status).toBe(200)
    expect(res.body.user.emails[0].email).toBe('new.person@example.com')
    expect(res.body.session.authentication_factors[0]).toMatchObject({
      type: 'magic_link',
      delivery_method: 'email',
    })
    expect(decodeJwt(res.body.session_jwt).tier).toBe('gold')
    const auth = await t.call('POST', '/v1/sessions/authenticate', {
      body: { session_token: res.body.session_token },
    })
    expect(auth.status).toBe(200)
    expect(auth.body.user.user_id).toBe(res.body.user.user_id)
    // The same email again finds the same user.
    const again = await t.call('POST', '/_mock/sessions', {
      body: { email: 'new.person@example.com' },
    })
    expect(again.body.user.user_id).toBe(res.body.user.user_id)
  })

  it('uses an existing user by user_id, a chosen token, duration, factors and attributes', async () => {
    const token = 'chosen-token-chosen-token-chosen-token-00001'
    const res = await t.call('POST', '/_mock/sessions', {
      body: {
        user_id: FIXTURE.adaUserId,
        session_token: token,
        session_duration_minutes: 5,
        authentication_factors: [
          {
            type: 'otp',
            delivery_method: 'sms',
            phone_number_factor: { phone_id: 'phone-test-1', phone_number: '+10000000000' },
          },
        ],
        attributes: { ip_address: '203.0.113.1' },
      },
    })
    expect(res.status).toBe(200)
    expect(res.body.session_token).toBe(token)
    expect(res.body.session.attributes).toEqual({ ip_address: '203.0.113.1', user_agent: '' })
    expect(
      Date.parse(res.body.session.expires_at) - Date.parse(res.body.session.last_accessed_at),
    ).toBe(300_000)
    expect(res.body.session.authentication_factors[0].type).toBe('otp')
  })

  it('creates a new user with a chosen user_id', async () => {
    const user_id = 'user-test-00000000-0000-4000-8000-0000000000aa'
    const res = await t.call('POST', '/_mock/sessions', {
      body: { user_id, email: 'chosen@example.com' },
    })
    expect(res.body.user.user_id).toBe(user_id)
  })

  it.each([
    [{}, 'invalid_argument'],
    [{ user_id: 'bob' }, 'invalid_argument'],
    [{ email: 'not-an-email' }, 'invalid_argument'],
    [{ email: 'a@example.com', session_token: 'short' }, 'invalid_argument'],
    [{ email: 'a@example.com', session_token: FIXTURE.adaToken }, 'duplicate_session_token'],
    [{ email: 'a@example.com', session_duration_minutes: 1 }, 'invalid_session_duration_minutes'],
    [{ email: 'a@example.com', custom_claims: { sub: 'x' } }, 'reserved_claims_in_custom_claims'],
    [{ email: 'a@example.com', authentication_factors: [{ type: 'otp' }] }, 'invalid_argument'],
    [{ email: 'a@example.com', attributes: { ip_address: 1 } }, 'invalid_argument'],
  ])('answers %j with 400 %s', async (body, type) => {
    const res = await t.call('POST', '/_mock/sessions', { body })
    expect(res.status).toBe(400)
    expect(res.body.error_type).toBe(type)
  })

  it('requires the project credentials', async () => {
    const res = await t.call('POST', '/_mock/sessions', {
      body: { email: 'a@example.com' },
      auth: false,
    })
    expect(res.status).toBe(401)
  })
})

describe('POST /_mock/b2b/sessions', () => {
  it('creates an organization and member if new, with a session that authenticates and exchanges', async () => {
    const res = await t.call('POST', '/_mock/b2b/sessions', {
      body: {
        organization_slug: 'newco',
        email_address: 'grace@example.com',
        is_admin: true,
        organization: { mfa_policy: 'OPTIONAL' },
      },
    })
    expect(res.status).toBe(200)
    expect(res.body.organization.organization_slug).toBe('newco')
    expect(res.body.member.is_admin).toBe(true)
    expect(res.body.member_session.roles).toEqual(['stytch_member', 'stytch_admin'])
    const auth = await t.call('POST', '/v1/b2b/sessions/authenticate', {
      body: { session_token: res.body.session_token },
    })
    expect(auth.status).toBe(200)
    // Grace is also a member of the fixture organization globex: exchange works from the new session.
    const ex = await t.call('POST', '/v1/b2b/sessions/exchange', {
      body: { organization_id: 'globex', session_token: res.body.session_token },
    })
    expect(ex.body.member_authenticated).toBe(true)
  })

  it('uses existing fixture organizations and members by id or slug', async () => {
    const res = await t.call('POST', '/_mock/b2b/sessions', {
      body: { organization_slug: 'initech', member_id: FIXTURE.initech.member_id },
    })
    expect(res.body.member.member_id).toBe(FIXTURE.initech.member_id)
    expect(res.body.organization.mfa_policy).toBe('REQUIRED_FOR_ALL')
  })

  it.each([
    [{ email_address: 'a@example.com' }],
    [{ organization_slug: 'acme' }],
    [{ organization_slug: 'acme', member_id: FIXTURE.globex.member_id }],
    [{ organization_slug: 'Bad Slug', email_address: 'a@example.com' }],
    [{ organization_slug: 'newco', member_id: 'member-test-00000000-0000-4000-8000-000000000000' }],
    [
      {
        organization_slug: 'newco',
        email_address: 'a@example.com',
        organization: { colour: 'red' },
      },
    ],
    [
      {
        organization_slug: 'newco',
        email_address: 'a@example.com',
        organization: { mfa_policy: 'SOMETIMES' },
      },
    ],
  ])('answers %j with 400 invalid_argument', async (body) => {
    const res = await t.call('POST', '/_mock/b2b/sessions', { body })
    expect(res.status).toBe(400)
    expect(res.body.error_type).toBe('invalid_argument')
  })
})
