// startStytchMock, used the way a user's test suite would: start once, point the official SDK at
// it, arrange sessions with the helpers, move the clock, reset between tests, close at the end.
import * as stytch from 'stytch'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { startStytchMock, type StytchMock } from '../server/index.js'

let mock: StytchMock
let client: stytch.Client

beforeAll(async () => {
  mock = await startStytchMock()
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  client = new stytch.Client({
    project_id: mock.env.STYTCH_PROJECT_ID!,
    secret: mock.env.STYTCH_SECRET!,
    env: `${mock.url}/`,
  })
})
afterAll(async () => {
  vi.restoreAllMocks()
  await mock.close()
})
beforeEach(() => mock.reset())

describe('startStytchMock', () => {
  it('starts on a free port with working credentials and an env for the app', () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(mock.url).not.toMatch(/:9010$/)
    expect(mock.env).toMatchObject({ STYTCH_PROJECT_ID: mock.projectId, STYTCH_MOCK_URL: mock.url })
    expect(mock.httpsUrl).toBeNull()
  })

  it('createSession and createMemberSession give sessions the SDKs accept', async () => {
    const { session_token, user } = await mock.createSession({ email: 'user-suite@example.com' })
    expect((await client.sessions.authenticate({ session_token })).user.user_id).toBe(user.user_id)
    const member = await mock.createMemberSession({
      organization_slug: 'suite-org',
      email_address: 'm@suite.example',
    })
    const b2b = new stytch.B2BClient({
      project_id: mock.projectId,
      secret: mock.secret,
      env: `${mock.url}/`,
    })
    expect(
      (await b2b.sessions.authenticate({ session_token: member.session_token })).organization
        .organization_slug,
    ).toBe('suite-org')
  })

  it('clock helpers expire sessions; reset undoes everything', async () => {
    const { session_token } = await mock.createSession({
      email: 'clock@example.com',
      session_duration_minutes: 5,
    })
    const state = await mock.clock.advance(301)
    expect(state.offset_seconds).toBe(301)
    await expect(client.sessions.authenticate({ session_token })).rejects.toMatchObject({
      error_type: 'session_not_found',
    })
    await mock.reset()
    expect((await mock.clock.get()).offset_seconds).toBe(0)
    await expect(client.sessions.authenticate({ session_token })).rejects.toMatchObject({
      error_type: 'session_not_found',
    })
  })

  it('snapshots, faults and the request journal', async () => {
    const { session_token } = await mock.createSession({ email: 'snap@example.com' })
    const id = await mock.snapshot()
    await client.sessions.revoke({ session_token })
    await mock.restore(id)
    await client.sessions.authenticate({ session_token })
    await mock.faults.add({ path: '/v1/sessions/authenticate', status: 429 })
    await expect(client.sessions.authenticate({ session_token })).rejects.toMatchObject({
      error_type: 'too_many_requests',
    })
    const requests = await mock.requests({ path: '/v1/sessions/authenticate' })
    expect(requests.map((r) => r.status)).toEqual([200, 429])
    const set = await mock.clock.set(new Date('2031-01-01T00:00:00Z'), { freeze: true })
    expect(set.now).toBe('2031-01-01T00:00:00.000Z')
  })

  it('outbox helpers read the passcode and link the app sent; createUser makes a password login', async () => {
    await expect(mock.latestCode('e2e@example.com')).rejects.toThrow(/no passcode/)
    const { email_id } = await client.otps.email.loginOrCreate({ email: 'E2E@example.com' })
    await client.magicLinks.email.send({ email: 'e2e@example.com' })
    const code = await mock.latestCode('e2e@example.com')
    expect((await mock.outbox({ to: 'e2e@example.com' })).map((m) => m.kind)).toEqual([
      'otp',
      'magic_link',
    ])
    const link = new URL(await mock.latestLink('e2e@example.com'))
    expect(link.searchParams.get('stytch_token_type')).toBe('magic_links')
    const auth = await client.otps.authenticate({ method_id: email_id, code })
    expect(auth.user.emails[0]!.verified).toBe(true)
    const linked = await client.magicLinks.authenticate({
      token: link.searchParams.get('token')!,
      session_duration_minutes: 5,
    })
    expect(linked.user_id).toBe(auth.user_id)
    await mock.clearOutbox()
    expect(await mock.outbox()).toEqual([])

    const { user_id } = await mock.createUser({ email: 'pw@example.com', password: 'secret pw' })
    const pw = await client.passwords.authenticate({
      email: 'pw@example.com',
      password: 'secret pw',
    })
    expect(pw.user_id).toBe(user_id)

    // A reset email: latestResetLink is its reset page; latestLink stays the newest magic link.
    await expect(mock.latestResetLink('pw@example.com')).rejects.toThrow(/no password reset/)
    await client.magicLinks.email.send({ email: 'pw@example.com' })
    await client.passwords.email.resetStart({ email: 'pw@example.com' })
    const reset = new URL(await mock.latestResetLink('pw@example.com'))
    expect(reset.searchParams.get('stytch_token_type')).toBe('reset_password')
    const magic = new URL(await mock.latestLink('pw@example.com'))
    expect(magic.searchParams.get('stytch_token_type')).toBe('magic_links')
    const renewed = await client.passwords.email.reset({
      token: reset.searchParams.get('token')!,
      password: 'another long pass phrase',
    })
    expect(renewed.user_id).toBe(user_id)
  })

  it('answerOAuth: the next start skips the consent page; reset forgets unused answers', async () => {
    await mock.answerOAuth({ email: 'oauth@example.com', name: 'O Auth' })
    const start = (provider: string) =>
      fetch(`${mock.url}/v1/public/oauth/${provider}/start?public_token=${mock.publicToken}`, {
        redirect: 'manual',
      })
    const res = await start('google')
    expect(res.status).toBe(302)
    const token = new URL(res.headers.get('location')!).searchParams.get('token')!
    const auth = await client.oauth.authenticate({ token, session_duration_minutes: 5 })
    expect(auth.user.emails[0]!.email).toBe('oauth@example.com')
    // Nothing queued now: the page.
    expect((await start('google')).status).toBe(200)
    await mock.answerOAuth({ deny: true, provider: 'github' })
    await mock.reset()
    expect((await start('github')).status).toBe(200)
  })

  it('impersonate: a token the SDK turns into a session of that user', async () => {
    const { user_id } = await mock.createUser({ email: 'impersonated@example.com' })
    const { impersonation_token, url } = await mock.impersonate({ user_id })
    expect(url).toContain(`token=${impersonation_token}`)
    const res = await client.impersonation.authenticate({ impersonation_token })
    expect(res.user_id).toBe(user_id)
  })

  it('helpers throw with the Stytch error for bad input', async () => {
    await expect(mock.createSession({})).rejects.toThrow(/400 invalid_argument/)
  })
})
