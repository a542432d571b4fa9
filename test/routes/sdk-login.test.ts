// /sdk/v1 login flows as @stytch/vanilla-js sends them (bodies from its source, see openapi.yaml):
// the frontend's field names, the {data} envelope, the public token's vertical, the caller's
// stored session or intermediate session, and HttpOnly cookies.
import { beforeEach, describe, expect, it } from 'vitest'
import { basicHeader, FIXTURE, ORIGIN, testWorld, type TestWorld } from '../helpers/world.js'

let t: TestWorld
beforeEach(async () => {
  t = await testWorld()
})

const consumer = (token?: string) =>
  basicHeader(t.config.publicToken, token ?? t.config.publicToken)
const b2b = (token?: string) =>
  basicHeader(t.config.b2bPublicToken, token ?? t.config.b2bPublicToken)
const sdk = (path: string, auth: string, body: unknown, headers: Record<string, string> = {}) =>
  t.call('POST', `/sdk/v1${path}`, { auth, body, headers: { origin: ORIGIN, ...headers } })
const latest = (to: string) => t.world.outbox.list(to).at(-1)!

describe('consumer logins from the browser', () => {
  it('a passcode: method_id only, then `token` (not `code`) ends in a session with cookies-ready tokens', async () => {
    const sent = await sdk('/otps/email/login_or_create', consumer(), {
      email: 'web@example.com',
      expiration_minutes: 5,
    })
    expect(sent.status).toBe(200)
    expect(Object.keys(sent.body.data).sort()).toEqual(['method_id', 'request_id', 'status_code'])
    const code = latest('web@example.com').otp_code!
    const auth = await sdk('/otps/authenticate', consumer(), {
      token: code,
      method_id: sent.body.data.method_id,
      session_duration_minutes: 30,
    })
    expect(auth.status).toBe(200)
    expect(auth.body.data.session_token).toMatch(/^[A-Za-z0-9_-]{44}$/)
    expect(auth.body.data.session.authentication_factors[0].type).toBe('otp')
    // A stale session in the header (the SDK sends its stored one) does not block a new login.
    await sdk('/otps/email/login_or_create', consumer(), { email: 'web@example.com' })
    const again = await sdk('/otps/authenticate', consumer('x'.repeat(44)), {
      token: latest('web@example.com').otp_code,
      method_id: sent.body.data.method_id,
      session_duration_minutes: 30,
    })
    expect(again.status).toBe(200)
    // The live one of the same user gets the factor instead of a new session.
    await sdk('/magic_links/email/login_or_create', consumer(), { email: 'web@example.com' })
    const linked = await sdk('/magic_links/authenticate', consumer(auth.body.data.session_token), {
      token: latest('web@example.com').token,
      session_duration_minutes: 30,
    })
    expect(linked.body.data.session.session_id).toBe(auth.body.data.session.session_id)
    expect(
      linked.body.data.session.authentication_factors.map((f: { type: string }) => f.type),
    ).toEqual(['otp', 'magic_link'])
  })

  it('passwords: users/search picks the screen, strength_check always has feedback, create and authenticate', async () => {
    const search = (email: string) => sdk('/users/search', consumer(), { email })
    expect((await search('fresh@example.com')).body.data.userType).toBe('new')
    expect((await search('ada@example.com')).body.data.userType).toBe('passwordless')
    const strength = await sdk('/passwords/strength_check', consumer(), {
      email: 'fresh@example.com',
      password: 'short',
    })
    expect(strength.body.data.feedback.luds_requirements.missing_characters).toBe(3)
    expect(strength.body.data.feedback.warning).not.toBe('')
    const created = await sdk('/passwords', consumer(), {
      email: 'fresh@example.com',
      password: 'correct-horse-battery',
      session_duration_minutes: 30,
    })
    expect(created.status).toBe(200)
    expect(created.body.data.email_id).toMatch(/^email-test-/)
    expect((await search('fresh@example.com')).body.data.userType).toBe('password')
    const login = await sdk('/passwords/authenticate', consumer(), {
      email: 'fresh@example.com',
      password: 'correct-horse-battery',
      session_duration_minutes: 30,
    })
    expect(login.body.data.user_id).toBe(created.body.data.user_id)
  })

  it("send/secondary adds an address to the caller's user; Stytch's sandbox values are backend-only", async () => {
    const none = await sdk('/otps/sms/send/secondary', consumer(), { phone_number: '+14155550111' })
    expect(none.body.error_type).toBe('unauthorized_credentials')
    const sent = await sdk('/otps/sms/send/secondary', consumer(FIXTURE.adaToken), {
      phone_number: '+14155550111',
    })
    expect(sent.status).toBe(200)
    const user = await t.call('GET', `/v1/users/${FIXTURE.adaUserId}`)
    expect(user.body.phone_numbers).toEqual([
      { phone_id: sent.body.data.method_id, phone_number: '+14155550111', verified: false },
    ])
    const sandbox = await sdk('/passwords/authenticate', consumer(), {
      email: 'sandbox@stytch.com',
      password: 'anything',
      session_duration_minutes: 30,
    })
    expect(sandbox.body.error_type).toBe('no_user_password')
  })

  it('a name of the wrong shape, and an outbox address with an unencoded +', async () => {
    const named = await sdk('/passwords', consumer(), {
      email: 'named@example.com',
      password: 'correct-horse-battery',
    })
    expect(named.status).toBe(200)
    const bad = await t.call('POST', '/v1/passwords', {
      body: { email: 'n2@example.com', password: 'correct-horse-battery', name: { first_name: 5 } },
    })
    expect(bad.body.error_type).toBe('invalid_argument')
    const unknown = await t.call('POST', '/v1/passwords', {
      body: { email: 'n3@example.com', password: 'correct-horse-battery', name: { nick: 'x' } },
    })
    expect(unknown.body.error_type).toBe('invalid_argument')
    const plus = await t.call('GET', '/_mock/outbox?to=+14155550111')
    expect(plus.status).toBe(400)
    expect(plus.body.error_message).toContain('%2B')
  })

  it('refuses the B2B public token, and no public token at all', async () => {
    const wrong = await sdk('/otps/email/login_or_create', b2b(), { email: 'x@example.com' })
    expect(wrong.body.error_type).toBe('invalid_consumer_endpoint')
    const none = await sdk('/passwords/strength_check', basicHeader('nobody', ''), {
      password: 'x',
    })
    expect(none.body.error_type).toBe('unauthorized_credentials')
  })

  it('HttpOnly mode: tokens only in cookies', async () => {
    t = await testWorld({ STYTCH_MOCK_HTTPONLY_COOKIES: 'true' })
    await t.call('POST', '/_mock/users', { body: { email: 'h@example.com', password: 'pw' } })
    const login = await sdk('/passwords/authenticate', consumer(), {
      email: 'h@example.com',
      password: 'pw',
      session_duration_minutes: 30,
    })
    expect(login.body.data.session_token).toBe('')
    expect(login.headers.get('set-cookie')).toMatch(/stytch_session=[A-Za-z0-9_-]{44};.*HttpOnly/)
  })
})

describe('B2B logins from the browser', () => {
  it('HttpOnly mode: the intermediate session travels in its cookie, and the next login reads it', async () => {
    t = await testWorld({ STYTCH_MOCK_HTTPONLY_COOKIES: 'true' })
    const org = FIXTURE.initech.organization_id
    const send = () =>
      sdk('/b2b/otps/email/login_or_signup', b2b(), {
        organization_id: org,
        email_address: 'grace@example.com',
      })
    await send()
    const first = await sdk('/b2b/otps/email/authenticate', b2b(), {
      organization_id: org,
      email_address: 'grace@example.com',
      code: latest('grace@example.com').otp_code,
      session_duration_minutes: 30,
    })
    expect(first.body.data.intermediate_session_token).toBe('')
    const cookies = first.headers.get('set-cookie') ?? ''
    const ist = /stytch_intermediate_session_token=([A-Za-z0-9_-]{44})/.exec(cookies)?.[1]
    expect(ist).toBeDefined()
    expect(cookies).toMatch(/stytch_session=;/)
    await send()
    await sdk(
      '/b2b/otps/email/authenticate',
      b2b(),
      {
        organization_id: org,
        email_address: 'grace@example.com',
        code: latest('grace@example.com').otp_code,
        session_duration_minutes: 30,
      },
      { cookie: `stytch_intermediate_session_token=${ist}` },
    )
    // Read from the cookie and used up: the backend API no longer knows it.
    await t.call('POST', '/v1/b2b/otps/email/login_or_signup', {
      body: { organization_id: org, email_address: 'grace@example.com' },
    })
    const reused = await t.call('POST', '/v1/b2b/otps/email/authenticate', {
      body: {
        organization_id: org,
        email_address: 'grace@example.com',
        code: latest('grace@example.com').otp_code,
        intermediate_session_token: ist,
      },
    })
    expect(reused.body.error_type).toBe('intermediate_session_not_found')
  })

  it('a magic link of an organization without MFA: a member session', async () => {
    const sent = await sdk('/b2b/magic_links/email/login_or_signup', b2b(), {
      organization_id: FIXTURE.acme.organization_id,
      email_address: 'grace@example.com',
    })
    expect(Object.keys(sent.body.data).sort()).toEqual(['request_id', 'status_code'])
    const auth = await sdk('/b2b/magic_links/authenticate', b2b(), {
      magic_links_token: latest('grace@example.com').token,
      session_duration_minutes: 30,
    })
    expect(auth.body.data).toMatchObject({
      member_authenticated: true,
      intermediate_session_token: '',
      mfa_required: null,
      primary_required: null,
    })
    expect(auth.body.data.member_session.organization_id).toBe(FIXTURE.acme.organization_id)
  })

  it('a passcode into an MFA organization: an intermediate session, carried on to the next login', async () => {
    const org = FIXTURE.initech.organization_id
    await sdk('/b2b/otps/email/login_or_signup', b2b(), {
      organization_id: org,
      email_address: 'grace@example.com',
    })
    const first = await sdk('/b2b/otps/email/authenticate', b2b(), {
      organization_id: org,
      email_address: 'grace@example.com',
      code: latest('grace@example.com').otp_code,
      session_duration_minutes: 30,
    })
    expect(first.body.data.member_authenticated).toBe(false)
    expect(first.body.data.member_session).toBeNull()
    const ist = first.body.data.intermediate_session_token
    expect(ist).toMatch(/^[A-Za-z0-9_-]{44}$/)
    // The SDK adds its stored IST to the next login: the factors join, MFA is still owed.
    await sdk('/b2b/magic_links/email/login_or_signup', b2b(), {
      organization_id: org,
      email_address: 'grace@example.com',
    })
    const second = await sdk('/b2b/magic_links/authenticate', b2b(), {
      magic_links_token: latest('grace@example.com').token,
      intermediate_session_token: ist,
      session_duration_minutes: 30,
    })
    expect(second.body.data.member_authenticated).toBe(false)
    // The first intermediate session is used up: its factors went into the new one.
    await t.call('POST', '/v1/b2b/otps/email/login_or_signup', {
      body: { organization_id: org, email_address: 'grace@example.com' },
    })
    const reused = await t.call('POST', '/v1/b2b/otps/email/authenticate', {
      body: {
        organization_id: org,
        email_address: 'grace@example.com',
        code: latest('grace@example.com').otp_code,
        intermediate_session_token: ist,
      },
    })
    expect(reused.body.error_type).toBe('intermediate_session_not_found')
    // A stale IST from the browser does not block a login; from the backend API it is an error.
    const stale = await sdk('/b2b/otps/email/login_or_signup', b2b(), {
      organization_id: FIXTURE.acme.organization_id,
      email_address: 'grace@example.com',
    })
    expect(stale.status).toBe(200)
    const fromBrowser = await sdk('/b2b/otps/email/authenticate', b2b(), {
      organization_id: FIXTURE.acme.organization_id,
      email_address: 'grace@example.com',
      code: latest('grace@example.com').otp_code,
      intermediate_session_token: 'y'.repeat(44),
      session_duration_minutes: 30,
    })
    expect(fromBrowser.body.data.member_authenticated).toBe(true)
    await t.call('POST', '/v1/b2b/otps/email/login_or_signup', {
      body: { organization_id: FIXTURE.acme.organization_id, email_address: 'grace@example.com' },
    })
    const fromApi = await t.call('POST', '/v1/b2b/otps/email/authenticate', {
      body: {
        organization_id: FIXTURE.acme.organization_id,
        email_address: 'grace@example.com',
        code: latest('grace@example.com').otp_code,
        intermediate_session_token: 'y'.repeat(44),
      },
    })
    expect(fromApi.body.error_type).toBe('intermediate_session_not_found')
  })
})
