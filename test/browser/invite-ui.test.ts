// Issue #24, "Proof": a B2B admin invites a teammate from the browser through the unmodified
// @stytch/vanilla-js B2B bundle in Chromium (magicLinks.email.invite, RBAC-checked: stytch.member
// create), the outbox holds the invite, the invitee opens its link in another browser and the
// app's page authenticates it (magicLinks.authenticate): logged in, an active member. A plain
// member is refused the invite; the admin signs the invitee out everywhere
// (session.revokeForMember, RBAC-checked: stytch.member revoke-sessions), which a plain member may
// not. And the consumer's oauth.attach: a signed-in user links a Google account from the browser
// (oauth.attach, then oauth.google.start with the token), and that login is theirs. Every session
// is checked through the official Node SDK. The pages may talk to their own origin and the mock
// only.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as stytch from 'stytch'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { packageRoot } from '../../server/paths.js'
import { FIXTURE } from '../helpers/world.js'
import { api, openBrowser, startMock } from './harness.js'
import { newestMessage, serveApp, watch, type Seen } from './ui-harness.js'

type Browser = Awaited<ReturnType<typeof openBrowser>>
type Mock = Awaited<ReturnType<typeof startMock>>

const bundle = (path: string) =>
  readFileSync(join(packageRoot(), 'node_modules/@stytch/vanilla-js/dist/iife', path), 'utf8')
const random = () => Math.random().toString(36).slice(2, 10)

let mock: Mock
let app: Awaited<ReturnType<typeof serveApp>>
let b2b: stytch.B2BClient
const browsers: Browser[] = []

/** A page with the headless B2B (or consumer) client pointed at the mock as `window.client`. */
const page = (script = '', consumer = false) => `<!doctype html><html><head><meta charset="utf-8">
<link rel="icon" href="data:,"><script src="/${consumer ? 'consumer' : 'b2b'}.js"></script></head><body><script>
window.client = new stytch.${consumer ? 'StytchClient' : 'StytchB2BClient'}(${JSON.stringify(consumer ? mock.config.publicToken : mock.config.b2bPublicToken)}, {
  endpoints: { testAPIURL: ${JSON.stringify(mock.base)}, liveAPIURL: ${JSON.stringify(mock.base)} },
})
${script}
</script></body></html>`

beforeAll(async () => {
  mock = await startMock()
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  b2b = new stytch.B2BClient({
    project_id: mock.config.projectId,
    secret: mock.config.secret,
    env: `${mock.url}/`,
  })
  app = await serveApp(() => ({
    '/b2b.js': ['text/javascript', bundle('b2b/index.headless.js')],
    '/consumer.js': ['text/javascript', bundle('index.headless.js')],
    '/admin.html': ['text/html', page()],
    '/settings.html': ['text/html', page('', true)],
    // The OAuth login redirect URL: the app authenticates the token.
    '/oauth-done.html': [
      'text/html',
      page(
        `const params = new URL(location.href).searchParams
window.done = client.oauth
  .authenticate(params.get('token'), { session_duration_minutes: 60 })
  .then((r) => ({ user_id: r.user_id, providers: r.user.providers.map((p) => p.provider_type) }),
        (e) => ({ error: e.error_type ?? String(e) }))`,
        true,
      ),
    ],
    // The invite's redirect URL: the app authenticates the token it carries, as Stytch's guide
    // for invites does.
    '/join.html': [
      'text/html',
      page(`const params = new URL(location.href).searchParams
window.joined = params.get('stytch_token_type') === 'multi_tenant_magic_links'
  ? client.magicLinks
      .authenticate({ magic_links_token: params.get('token'), session_duration_minutes: 60 })
      .then((r) => ({ member_id: r.member_id, status: r.member.status, authenticated: r.member_authenticated }),
            (e) => ({ error: e.error_type ?? String(e) }))
  : Promise.resolve({ error: 'no token' })`),
    ],
  }))
})
afterAll(async () => {
  vi.restoreAllMocks()
  await app?.close()
  await mock?.close()
})
beforeEach(() => {
  browsers.length = 0
})
afterEach(async () => {
  for (const browser of browsers) await browser.close()
})

/** A browser of its own (cookies and storage apart), watched: nothing but the app and the mock. */
async function browserFor() {
  const browser = await openBrowser()
  browsers.push(browser)
  const seen = await watch(browser, app, mock)
  return { browser, seen }
}

/** A member of the organization with a live session (an admin with `is_admin`). */
async function seedMember(slug: string, email: string, is_admin: boolean) {
  const seeded = await api(mock)('/_mock/b2b/sessions', {
    organization_slug: slug,
    email_address: email,
    is_admin,
  })
  expect(seeded.status, JSON.stringify(seeded.body)).toBe(200)
  return seeded.body as {
    session_token: string
    member: { member_id: string }
    organization: { organization_id: string; organization_name: string }
  }
}

/** The admin page, signed in as this member (the session cookie the SDK reads at start-up). */
async function signedIn(browser: Browser, session_token: string) {
  await browser.context.addCookies([
    { name: 'stytch_session', value: session_token, domain: 'localhost', path: '/' },
  ])
  await browser.page.goto(`${app.origin}/admin.html`)
  return browser.page
}

const noForeign = (seen: Seen) => expect(seen.foreign).toEqual([])

describe('B2B invites in the browser', () => {
  it('an admin invites; the invitee opens the link, is logged in and active; the admin signs them out', async () => {
    const slug = `invite-ui-${random()}`
    const admin = await seedMember(slug, `admin-${random()}@example.com`, true)
    const invitee = `newcomer-${random()}@example.com`

    const { browser: adminBrowser, seen: adminSeen } = await browserFor()
    const adminPage = await signedIn(adminBrowser, admin.session_token)
    const invited = await adminPage.evaluate(
      ({ email, join }) =>
        (window as any).client.magicLinks.email.invite({
          email_address: email,
          name: 'New Comer',
          invite_redirect_url: join,
          untrusted_metadata: { team: 'platform' },
        }),
      { email: invitee, join: `${app.origin}/join.html` },
    )
    expect(invited.member).toMatchObject({
      email_address: invitee,
      status: 'invited',
      name: 'New Comer',
      untrusted_metadata: { team: 'platform' },
    })
    expect(invited.organization.organization_id).toBe(admin.organization.organization_id)
    const sent = adminSeen.mock.find((r) => r.path === '/sdk/v1/b2b/magic_links/email/invite')
    expect(sent).toMatchObject({ method: 'POST', status: 200 })

    // The invite in the outbox: the app's join page, the inviter named.
    const message = await newestMessage(mock, invitee)
    expect(message).toMatchObject({
      kind: 'magic_link',
      member_id: invited.member_id,
      organization_id: admin.organization.organization_id,
    })
    expect(message.url).toMatch(
      new RegExp(`^${app.origin}/join\\.html\\?stytch_token_type=multi_tenant_magic_links&token=`),
    )
    expect(message.text).toContain(`invited you to join ${admin.organization.organization_name}`)

    // The invitee, in a browser of their own, opens the link.
    const { browser: inviteeBrowser, seen: inviteeSeen } = await browserFor()
    await inviteeBrowser.page.goto(message.url)
    const joined = await inviteeBrowser.page.evaluate(() => (window as any).joined)
    expect(joined).toEqual({ member_id: invited.member_id, status: 'active', authenticated: true })
    const state = await inviteeBrowser.page.evaluate(() => ({
      session: (window as any).client.session.getSync(),
      tokens: (window as any).client.session.getTokens(),
      self: (window as any).client.self.getSync(),
    }))
    expect(state.session.member_id).toBe(invited.member_id)
    expect(state.self).toMatchObject({ member_id: invited.member_id, status: 'active' })
    const backend = await b2b.sessions.authenticate({ session_token: state.tokens.session_token })
    expect(backend.member).toMatchObject({
      member_id: invited.member_id,
      status: 'active',
      email_address_verified: true,
      name: 'New Comer',
    })
    // The link was used.
    expect(
      (await api(mock)('/v1/b2b/magic_links/authenticate', { magic_links_token: message.token }))
        .body.error_type,
    ).toBe('unable_to_auth_magic_link')

    // The admin signs the newcomer out everywhere.
    const revoked = await adminPage.evaluate(
      (member_id) => (window as any).client.session.revokeForMember({ member_id }),
      invited.member_id,
    )
    expect(revoked.status_code).toBe(200)
    expect(
      (
        await api(mock)('/v1/b2b/sessions/authenticate', {
          session_token: state.tokens.session_token,
        })
      ).body.error_type,
    ).toBe('session_not_found')
    // The admin's own session lives on.
    expect(
      (await b2b.sessions.authenticate({ session_token: admin.session_token })).member.member_id,
    ).toBe(admin.member.member_id)
    noForeign(adminSeen)
    noForeign(inviteeSeen)
    expect(inviteeSeen.mock.filter((r) => (r.status ?? 0) >= 400)).toEqual([])
  })

  it('a plain member is refused the invite and the sign-out of others', async () => {
    const slug = `invite-ui-${random()}`
    const admin = await seedMember(slug, `admin-${random()}@example.com`, true)
    const plain = await seedMember(slug, `plain-${random()}@example.com`, false)
    const invitee = `refused-${random()}@example.com`

    const { browser, seen } = await browserFor()
    const plainPage = await signedIn(browser, plain.session_token)
    const results = await plainPage.evaluate(
      async ({ email, admin_id }) => {
        const c = (window as any).client
        const settle = (call: Promise<unknown>) =>
          call.then(
            () => 'allowed',
            (e: { error_type?: string; message?: string }) => e.error_type ?? e.message,
          )
        return {
          invite: await settle(c.magicLinks.email.invite({ email_address: email })),
          revoke: await settle(c.session.revokeForMember({ member_id: admin_id })),
          own: c.session.getSync()?.member_id,
        }
      },
      { email: invitee, admin_id: admin.member.member_id },
    )
    expect(results).toEqual({
      invite: 'session_authorization_error',
      revoke: 'session_authorization_error',
      own: plain.member.member_id,
    })
    expect(
      seen.mock
        .filter((r) => r.path.startsWith('/sdk/v1/b2b/magic_links') || r.path.includes('/revoke/'))
        .map((r) => `${r.status} ${r.path}`),
    ).toEqual([
      '403 /sdk/v1/b2b/magic_links/email/invite',
      `403 /sdk/v1/b2b/sessions/revoke/${admin.member.member_id}`,
    ])
    // Nothing was sent, nobody was made, and the admin is still signed in.
    const outbox = await api(mock)(`/_mock/outbox?to=${encodeURIComponent(invitee)}`)
    expect(outbox.body.messages).toEqual([])
    expect(
      (await b2b.sessions.authenticate({ session_token: admin.session_token })).member.member_id,
    ).toBe(admin.member.member_id)
    // Without a session the SDK call is unauthenticated.
    const { browser: anonymous } = await browserFor()
    await anonymous.page.goto(`${app.origin}/admin.html`)
    expect(
      await anonymous.page.evaluate(
        (email) =>
          (window as any).client.magicLinks.email.invite({ email_address: email }).then(
            () => 'allowed',
            (e: { error_type?: string }) => e.error_type,
          ),
        invitee,
      ),
    ).toBe('unauthorized_credentials')
    noForeign(seen)
  })
})

describe('consumer oauth.attach in the browser', () => {
  it("a signed-in user links a Google account: the login it starts is that user's", async () => {
    const { browser, seen } = await browserFor()
    await browser.context.addCookies([
      { name: 'stytch_session', value: FIXTURE.adaToken, domain: 'localhost', path: '/' },
    ])
    await browser.page.goto(`${app.origin}/settings.html`)
    const work = `ada.work-${random()}@example.com`
    // The account the provider's page would pick (a person could pick it on the consent page).
    expect(
      (await api(mock)('/_mock/oauth/answers', { provider: 'google', email: work })).status,
    ).toBe(200)
    const navigated = browser.page.waitForURL(/\/oauth-done\.html/)
    const token = await browser.page.evaluate(async (done) => {
      const c = (window as any).client
      const { oauth_attach_token } = await c.oauth.attach('google')
      // start() navigates away; the token is what it was given.
      void c.oauth.google.start({ oauth_attach_token, login_redirect_url: done })
      return oauth_attach_token as string
    }, `${app.origin}/oauth-done.html`)
    expect(token).toMatch(/^[A-Za-z0-9_-]{44}$/)
    await navigated
    const done = await browser.page.evaluate(() => (window as any).done)
    expect(done).toEqual({ user_id: FIXTURE.adaUserId, providers: ['Google'] })
    const start = seen.mock.find((r) => r.path === '/v1/public/oauth/google/start')
    expect(start?.status).toBe(302)
    expect(seen.mock.find((r) => r.path === '/sdk/v1/oauth/attach')?.status).toBe(200)
    const ada = await new stytch.Client({
      project_id: mock.config.projectId,
      secret: mock.config.secret,
      env: `${mock.url}/`,
    }).users.get({ user_id: FIXTURE.adaUserId })
    expect(ada.emails.map((e) => e.email)).toContain(work)
    noForeign(seen)
  })
})
