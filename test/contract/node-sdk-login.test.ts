// The official `stytch` Node SDK through every login flow (#15): one-time passcodes, magic links,
// passwords, B2B organization logins, their failures, and the outbox a test reads instead of an
// inbox. Every response is also checked against openapi.yaml (helpers/server.ts).
import { createHash } from 'node:crypto'
import * as stytch from 'stytch'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { OutboxMessage } from '../../server/index.js'
import { controlOf, failure, mockWithSdk, type RunningMock, startMock } from '../helpers/server.js'
import { FIXTURE } from '../helpers/world.js'

let mock: RunningMock
let control: ReturnType<typeof controlOf>
let client: stytch.Client
let b2b: stytch.B2BClient

const sdk = mockWithSdk((options) => ({
  consumer: new stytch.Client(options),
  b2b: new stytch.B2BClient(options),
}))
beforeAll(() => {
  ;({ mock } = sdk)
  ;({ consumer: client, b2b } = sdk.client)
  control = controlOf(mock)
})
beforeEach(() => mock.clock.reset())

const outbox = async (to: string): Promise<OutboxMessage[]> =>
  (await control('GET', `/_mock/outbox?to=${encodeURIComponent(to)}`)).body.messages
const latest = async (to: string) => (await outbox(to)).at(-1)!
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}@example.com`

describe('one-time passcodes', () => {
  it('email: login_or_create sends a code to the outbox, authenticate ends in a session', async () => {
    const email = unique('Otp')
    const sent = await client.otps.email.loginOrCreate({ email })
    expect(sent.user_created).toBe(true)
    expect(sent.email_id).toMatch(/^email-test-/)
    const message = await latest(email.toLowerCase())
    expect(message).toMatchObject({
      channel: 'email',
      to: email.toLowerCase(),
      kind: 'otp',
      method_id: sent.email_id,
      user_id: sent.user_id,
    })
    expect(message.otp_code).toMatch(/^[0-9]{6}$/)
    expect(message.text).toContain(message.otp_code)

    const auth = await client.otps.authenticate({
      method_id: sent.email_id,
      code: message.otp_code!,
      session_duration_minutes: 30,
    })
    expect(auth.user_id).toBe(sent.user_id)
    expect(auth.method_id).toBe(sent.email_id)
    expect(auth.user.emails).toEqual([
      { email_id: sent.email_id, email: email.toLowerCase(), verified: true },
    ])
    expect(auth.session!.authentication_factors).toEqual([
      expect.objectContaining({
        type: 'otp',
        delivery_method: 'email',
        email_factor: { email_id: sent.email_id, email_address: email.toLowerCase() },
      }),
    ])
    // An ordinary session of the mock: the SDK authenticates its token and its JWT locally.
    const again = await client.sessions.authenticate({ session_token: auth.session_token })
    expect(again.session.session_id).toBe(auth.session!.session_id)
    const local = await client.sessions.authenticateJwtLocal({ session_jwt: auth.session_jwt })
    expect(local.session_id).toBe(auth.session!.session_id)
  })

  it('email: send reaches an existing user only; a second code replaces the first', async () => {
    expect(await failure(client.otps.email.send({ email: unique('nobody') }))).toEqual({
      status: 404,
      type: 'email_not_found',
    })
    const first = await client.otps.email.send({ email: 'ada@example.com' })
    expect(first.user_id).toBe(FIXTURE.adaUserId)
    expect(first).not.toHaveProperty('user_created')
    const old = (await latest('ada@example.com')).otp_code!
    await client.otps.email.send({ email: 'ada@example.com' })
    const fresh = (await latest('ada@example.com')).otp_code!
    // Two random codes collide once in a million sends.
    expect(fresh).not.toBe(old)
    expect(
      await failure(client.otps.authenticate({ method_id: first.email_id, code: old })),
    ).toEqual({ status: 404, type: 'otp_code_not_found' })
    const auth = await client.otps.authenticate({ method_id: first.email_id, code: fresh })
    // No session_duration_minutes and no session: no session, as Stytch answers.
    expect(auth.session_token).toBe('')
    expect(auth.session_jwt).toBe('')
    expect(auth.session).toBeUndefined()
  })

  it('wrong, reused, expired and burnt codes get Stytch errors', async () => {
    const email = unique('errors')
    const { email_id } = await client.otps.email.loginOrCreate({ email })
    const code = (await latest(email)).otp_code!
    const wrong = code === '000001' ? '000002' : '000001'
    expect(await failure(client.otps.authenticate({ method_id: email_id, code: wrong }))).toEqual({
      status: 404,
      type: 'otp_code_not_found',
    })
    await client.otps.authenticate({ method_id: email_id, code })
    expect(await failure(client.otps.authenticate({ method_id: email_id, code }))).toEqual({
      status: 401,
      type: 'unable_to_auth_otp_code',
    })

    await client.otps.email.loginOrCreate({ email, expiration_minutes: 2 })
    const late = (await latest(email)).otp_code!
    mock.clock.advance(121)
    expect(await failure(client.otps.authenticate({ method_id: email_id, code: late }))).toEqual({
      status: 401,
      type: 'unable_to_auth_otp_code',
    })
    mock.clock.reset()

    await client.otps.email.loginOrCreate({ email })
    const burnt = (await latest(email)).otp_code!
    const other = burnt === '000001' ? '000002' : '000001'
    for (let i = 0; i < 5; i++)
      await failure(client.otps.authenticate({ method_id: email_id, code: other }))
    expect(await failure(client.otps.authenticate({ method_id: email_id, code: burnt }))).toEqual({
      status: 401,
      type: 'unable_to_auth_otp_code',
    })
    expect(await failure(client.otps.email.loginOrCreate({ email: 'not-an-email' }))).toEqual({
      status: 400,
      type: 'invalid_email',
    })
    expect(
      await failure(client.otps.email.loginOrCreate({ email, expiration_minutes: 11 })),
    ).toEqual({ status: 400, type: 'invalid_argument' })
  })

  it('a code stays usable when the rest of the call is refused', async () => {
    const email = unique('kept')
    const { email_id } = await client.otps.email.loginOrCreate({ email })
    const code = (await latest(email)).otp_code!
    const refused = [
      client.otps.authenticate({ method_id: email_id, code, session_duration_minutes: 1 }),
      client.otps.authenticate({ method_id: email_id, code, session_token: 'x'.repeat(44) }),
    ]
    expect(await failure(refused[0]!)).toEqual({
      status: 400,
      type: 'invalid_session_duration_minutes',
    })
    expect(await failure(refused[1]!)).toEqual({ status: 404, type: 'session_not_found' })
    expect(
      await failure(
        client.otps.authenticate({
          method_id: email_id,
          code,
          session_duration_minutes: 5,
          session_custom_claims: { iss: 'me' },
        }),
      ),
    ).toEqual({ status: 400, type: 'reserved_claims_in_custom_claims' })
    const auth = await client.otps.authenticate({ method_id: email_id, code })
    expect(auth.user.emails[0]!.verified).toBe(true)
    // A refused sign-up makes no user: the retry is still a sign-up.
    const late = unique('late-signup')
    expect(
      await failure(
        client.magicLinks.email.loginOrCreate({ email: late, signup_magic_link_url: 'nope' }),
      ),
    ).toEqual({ status: 400, type: 'invalid_magic_link_url' })
    expect((await client.magicLinks.email.loginOrCreate({ email: late })).user_created).toBe(true)
  })

  it('send with user_id adds the address to that user, never one another user has', async () => {
    const phone = '+14155550123'
    const owner = await client.otps.sms.loginOrCreate({ phone_number: phone })
    const second = unique('second')
    const added = await client.otps.email.send({ email: second, user_id: owner.user_id })
    expect(added.user_id).toBe(owner.user_id)
    // The added address finds the same user from then on.
    const again = await client.otps.email.loginOrCreate({ email: second })
    expect(again).toMatchObject({ user_id: owner.user_id, user_created: false })
    expect(
      await failure(client.otps.email.send({ email: 'ada@example.com', user_id: owner.user_id })),
    ).toEqual({ status: 400, type: 'duplicate_email' })
    expect(
      await failure(client.magicLinks.email.send({ email: second, user_id: FIXTURE.adaUserId })),
    ).toEqual({ status: 400, type: 'duplicate_email' })
  })

  it('sms: a phone_number_factor, and E.164 numbers only', async () => {
    const phone = `+1415555${String(Math.floor(Math.random() * 10000)).padStart(4, '0')}`
    const sent = await client.otps.sms.loginOrCreate({ phone_number: phone })
    expect(sent.phone_id).toMatch(/^phone-number-test-/)
    const message = await latest(phone)
    expect(message).toMatchObject({ channel: 'sms', to: phone, kind: 'otp' })
    const auth = await client.otps.authenticate({
      method_id: sent.phone_id,
      code: message.otp_code!,
      session_duration_minutes: 10,
    })
    expect(auth.session!.authentication_factors[0]).toMatchObject({
      type: 'otp',
      delivery_method: 'sms',
      phone_number_factor: { phone_id: sent.phone_id, phone_number: phone },
    })
    expect(auth.user.phone_numbers).toEqual([
      { phone_id: sent.phone_id, phone_number: phone, verified: true },
    ])
    expect(await failure(client.otps.sms.loginOrCreate({ phone_number: '4155550000' }))).toEqual({
      status: 400,
      type: 'invalid_phone_number',
    })
  })

  it('adds the factor to a live session of the same user', async () => {
    const first = await client.passwords.create({
      email: unique('twofactor'),
      password: 'a-long-passphrase-42',
      session_duration_minutes: 30,
    })
    const email = first.user.emails[0]!.email
    const { email_id } = await client.otps.email.send({ email })
    const auth = await client.otps.authenticate({
      method_id: email_id,
      code: (await latest(email)).otp_code!,
      session_token: first.session_token,
    })
    expect(auth.session!.session_id).toBe(first.session!.session_id)
    expect(auth.session!.authentication_factors.map((f) => f.type)).toEqual(['password', 'otp'])
  })

  it("Stytch's sandbox email and phone take the code 000000", async () => {
    const email = await client.otps.email.loginOrCreate({ email: 'sandbox@stytch.com' })
    expect(email.user_id).toBe(FIXTURE.sandboxUserId)
    await client.otps.authenticate({ method_id: email.email_id, code: '000000' })
    const sms = await client.otps.sms.loginOrCreate({ phone_number: '+10000000000' })
    const auth = await client.otps.authenticate({
      method_id: sms.phone_id,
      code: '000000',
      session_duration_minutes: 5,
    })
    expect(auth.user_id).toBe(FIXTURE.sandboxUserId)
  })
})

describe('magic links', () => {
  it('login_or_create sends a link to the redirect URL; authenticate ends in a session', async () => {
    const email = unique('link')
    const sent = await client.magicLinks.email.loginOrCreate({
      email,
      signup_magic_link_url: 'https://app.example.com/signup',
    })
    expect(sent.user_created).toBe(true)
    const message = await latest(email)
    expect(message.kind).toBe('magic_link')
    expect(message.url).toBe(
      `https://app.example.com/signup?stytch_token_type=magic_links&token=${message.token}`,
    )
    const auth = await client.magicLinks.authenticate({
      token: message.token!,
      session_duration_minutes: 60,
    })
    expect(auth.method_id).toBe(sent.email_id)
    expect(auth.session!.authentication_factors[0]).toMatchObject({
      type: 'magic_link',
      delivery_method: 'email',
      email_factor: { email_id: sent.email_id, email_address: email },
    })
    expect(await failure(client.magicLinks.authenticate({ token: message.token! }))).toEqual({
      status: 401,
      type: 'unable_to_auth_magic_link',
    })
    // A known user gets the login URL, or the project's default (STYTCH_MOCK_REDIRECT_URL).
    await client.magicLinks.email.send({ email })
    expect((await latest(email)).url).toMatch(
      /^http:\/\/localhost:3000\/authenticate\?stytch_token_type=magic_links&token=/,
    )
  })

  it('unknown, expired and badly addressed links get Stytch errors', async () => {
    expect(await failure(client.magicLinks.authenticate({ token: 'x'.repeat(44) }))).toEqual({
      status: 404,
      type: 'magic_link_not_found',
    })
    const email = unique('late')
    await client.magicLinks.email.loginOrCreate({ email, signup_expiration_minutes: 5 })
    mock.clock.advance(301)
    expect(
      await failure(client.magicLinks.authenticate({ token: (await latest(email)).token! })),
    ).toEqual({ status: 401, type: 'unable_to_auth_magic_link' })
    expect(
      await failure(
        client.magicLinks.email.loginOrCreate({ email, login_magic_link_url: 'app/login' }),
      ),
    ).toEqual({ status: 400, type: 'invalid_magic_link_url' })
    expect(await failure(client.magicLinks.email.send({ email: unique('nobody') }))).toEqual({
      status: 404,
      type: 'email_not_found',
    })
  })

  it('checks the PKCE verifier when the flow began with a challenge', async () => {
    const verifier = 'a'.repeat(43)
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    const email = unique('pkce')
    const send = () => client.magicLinks.email.loginOrCreate({ email, code_challenge: challenge })
    await send()
    expect(
      await failure(client.magicLinks.authenticate({ token: (await latest(email)).token! })),
    ).toEqual({ status: 400, type: 'pkce_expected_code_verifier' })
    await send()
    expect(
      await failure(
        client.magicLinks.authenticate({
          token: (await latest(email)).token!,
          code_verifier: 'b'.repeat(43),
        }),
      ),
    ).toEqual({ status: 400, type: 'pkce_mismatch' })
    await send()
    const ok = await client.magicLinks.authenticate({
      token: (await latest(email)).token!,
      code_verifier: verifier,
    })
    expect(ok.user.emails[0]!.email).toBe(email)
  })

  it("Stytch's sandbox tokens answer as in Stytch's test environment", async () => {
    const ok = await client.magicLinks.authenticate({
      token: 'DOYoip3rvIMMW5lgItikFK-Ak1CfMsgjuiCyI7uuU94=',
      session_duration_minutes: 5,
    })
    expect(ok.user_id).toBe(FIXTURE.sandboxUserId)
    expect(ok.session!.authentication_factors[0]!.email_factor!.email_address).toBe(
      'sandbox@stytch.com',
    )
    expect(
      await failure(
        client.magicLinks.authenticate({ token: '3pzjQpgksDlGKWEwUq2Up--hCHC_0oamfLHyfspKDFU=' }),
      ),
    ).toEqual({ status: 401, type: 'unable_to_auth_magic_link' })
    expect(
      await failure(
        client.magicLinks.authenticate({ token: 'CprTtwhnRNiMBiUS2jSLcWYrfuO2POeBNdo5HhW6qTM=' }),
      ),
    ).toEqual({ status: 404, type: 'magic_link_not_found' })
  })
})

describe('passwords', () => {
  it('create, authenticate, and their errors', async () => {
    const email = unique('pw')
    const created = await client.passwords.create({
      email,
      password: 'Tr0ub4dor&3-more',
      session_duration_minutes: 60,
    })
    expect(created.email_id).toMatch(/^email-test-/)
    expect(created.user.password).toMatchObject({ requires_reset: false })
    expect(created.session!.authentication_factors[0]).toMatchObject({
      type: 'password',
      delivery_method: 'knowledge',
    })
    const auth = await client.passwords.authenticate({
      email: email.toUpperCase(),
      password: 'Tr0ub4dor&3-more',
      session_duration_minutes: 60,
    })
    expect(auth.user_id).toBe(created.user_id)
    expect(
      await failure(client.passwords.authenticate({ email, password: 'Tr0ub4dor&3-less' })),
    ).toEqual({ status: 401, type: 'unauthorized_credentials' })
    expect(await failure(client.passwords.create({ email, password: 'Tr0ub4dor&3-more' }))).toEqual(
      { status: 400, type: 'duplicate_email' },
    )
    expect(
      await failure(client.passwords.create({ email: unique('weak'), password: 'hunter22' })),
    ).toEqual({ status: 400, type: 'weak_password' })
    expect(
      await failure(client.passwords.authenticate({ email: unique('nobody'), password: 'x' })),
    ).toEqual({ status: 404, type: 'email_not_found' })
    expect(
      await failure(client.passwords.authenticate({ email: 'ada@example.com', password: 'x' })),
    ).toEqual({ status: 400, type: 'no_user_password' })
    // sandbox@stytch.com logs in with any password, as in Stytch's test environment.
    const sandbox = await client.passwords.authenticate({
      email: 'sandbox@stytch.com',
      password: 'anything',
    })
    expect(sandbox.user_id).toBe(FIXTURE.sandboxUserId)
  })

  it('a user seeded with a password through /_mock/users logs in at once', async () => {
    const email = unique('seeded')
    const seeded = await control('POST', '/_mock/users', {
      email,
      password: 'pw',
      phone_number: '+14155550199',
    })
    expect(seeded.status).toBe(200)
    expect(seeded.body.user.phone_numbers[0].phone_number).toBe('+14155550199')
    const auth = await client.passwords.authenticate({
      email,
      password: 'pw',
      session_duration_minutes: 5,
    })
    expect(auth.user_id).toBe(seeded.body.user_id)
  })
})

describe('B2B organization logins', () => {
  it('magic link: a member of an organization without MFA gets a member session', async () => {
    const sent = await b2b.magicLinks.email.loginOrSignup({
      organization_id: FIXTURE.acme.organization_id,
      email_address: 'grace@example.com',
    })
    expect(sent).toMatchObject({ member_id: FIXTURE.acme.member_id, member_created: false })
    const message = await latest('grace@example.com')
    expect(message).toMatchObject({
      kind: 'magic_link',
      member_id: FIXTURE.acme.member_id,
      organization_id: FIXTURE.acme.organization_id,
    })
    expect(message.url).toContain('stytch_token_type=multi_tenant_magic_links')
    const auth = await b2b.magicLinks.authenticate({ magic_links_token: message.token! })
    expect(auth.member_authenticated).toBe(true)
    expect(auth.intermediate_session_token).toBe('')
    expect(auth.member_session!.authentication_factors[0]).toMatchObject({
      type: 'magic_link',
      delivery_method: 'email',
      email_factor: { email_address: 'grace@example.com' },
    })
    const again = await b2b.sessions.authenticate({ session_token: auth.session_token })
    expect(again.member_session.member_session_id).toBe(auth.member_session!.member_session_id)
    expect(
      await failure(b2b.magicLinks.authenticate({ magic_links_token: message.token! })),
    ).toEqual({ status: 401, type: 'unable_to_auth_magic_link' })
  })

  it('passcode: an organization requiring MFA answers with an intermediate session', async () => {
    const org = FIXTURE.initech.organization_id
    await b2b.otps.email.loginOrSignup({ organization_id: org, email_address: 'grace@example.com' })
    const message = await latest('grace@example.com')
    expect(message.organization_id).toBe(org)
    const wrong = message.otp_code === '000001' ? '000002' : '000001'
    expect(
      await failure(
        b2b.otps.email.authenticate({
          organization_id: org,
          email_address: 'grace@example.com',
          code: wrong,
        }),
      ),
    ).toEqual({ status: 404, type: 'otp_code_not_found' })
    const auth = await b2b.otps.email.authenticate({
      organization_id: org,
      email_address: 'grace@example.com',
      code: message.otp_code!,
    })
    expect(auth.member_authenticated).toBe(false)
    expect(auth.session_token).toBe('')
    expect(auth.member_session).toBeNull()
    expect(auth.intermediate_session_token).toMatch(/^[A-Za-z0-9_-]{44}$/)
    expect(auth.mfa_required).not.toBeNull()
  })

  it('a provisioned member is pending until its first login works, and gets signup links', async () => {
    const seeded = await control('POST', '/_mock/b2b/sessions', {
      organization_slug: 'jit-org',
      email_address: 'owner@jit.example',
      organization: {
        email_jit_provisioning: 'RESTRICTED',
        email_allowed_domains: ['jit.example'],
      },
    })
    expect(seeded.status).toBe(200)
    const org = seeded.body.organization.organization_id
    const email = `new-${Math.random().toString(36).slice(2, 8)}@jit.example`
    const sent = await b2b.magicLinks.email.loginOrSignup({
      organization_id: org,
      email_address: email,
      signup_redirect_url: 'https://app.example.com/join',
    })
    expect(sent.member_created).toBe(true)
    expect(sent.member).toMatchObject({ status: 'pending', email_address_verified: false })
    expect((await latest(email)).url).toMatch(/^https:\/\/app\.example\.com\/join\?/)
    const auth = await b2b.magicLinks.authenticate({
      magic_links_token: (await latest(email)).token!,
    })
    expect(auth.member).toMatchObject({ status: 'active', email_address_verified: true })
  })

  it('an email the organization does not provision, and an unknown organization', async () => {
    expect(
      await failure(
        b2b.magicLinks.email.loginOrSignup({
          organization_id: FIXTURE.acme.organization_id,
          email_address: unique('stranger'),
        }),
      ),
    ).toEqual({ status: 403, type: 'email_jit_provisioning_not_allowed' })
    expect(
      await failure(
        b2b.otps.email.loginOrSignup({
          organization_id: 'organization-test-00000000-0000-4000-8000-000000000000',
          email_address: 'grace@example.com',
        }),
      ),
    ).toEqual({ status: 404, type: 'organization_not_found' })
  })
})

describe('the outbox', () => {
  it('filters by recipient (case-insensitive) and limit, empties on DELETE and reset, and snapshots keep it', async () => {
    const email = unique('box')
    await client.otps.email.loginOrCreate({ email })
    await client.magicLinks.email.send({ email })
    expect((await outbox(email.toUpperCase())).map((m) => m.kind)).toEqual(['otp', 'magic_link'])
    const limited = await control('GET', `/_mock/outbox?to=${email}&limit=1`)
    expect(limited.body.messages.map((m: OutboxMessage) => m.kind)).toEqual(['magic_link'])
    expect((await control('GET', '/_mock/outbox?limit=0')).status).toBe(400)

    const snapshot = (await control('POST', '/_mock/snapshots')).body.snapshot_id
    expect((await control('DELETE', '/_mock/outbox')).status).toBe(200)
    expect(await outbox(email)).toEqual([])
    await control('POST', `/_mock/snapshots/${snapshot}/restore`)
    expect(await outbox(email)).toHaveLength(2)
    await control('POST', '/_mock/reset')
    expect((await control('GET', '/_mock/outbox')).body.messages).toEqual([])
  })

  it('STYTCH_MOCK_OTP_CODE fixes every passcode', async () => {
    const fixed = await startMock({ STYTCH_MOCK_OTP_CODE: '424242' })
    try {
      const c = new stytch.Client({
        project_id: fixed.config.projectId,
        secret: fixed.config.secret,
        env: `${fixed.url}/`,
      })
      const { email_id } = await c.otps.email.loginOrCreate({ email: 'ada@example.com' })
      const auth = await c.otps.authenticate({ method_id: email_id, code: '424242' })
      expect(auth.user_id).toBe(FIXTURE.adaUserId)
    } finally {
      await fixed.close()
    }
  })
})
