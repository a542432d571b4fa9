// The unmodified @stytch/vanilla-js bundle in a real Chromium against the mock.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FIXTURE } from '../helpers/world.js'
import { api, openBrowser, startApp, startMock } from './harness.js'

type Browser = Awaited<ReturnType<typeof openBrowser>>
type Mock = Awaited<ReturnType<typeof startMock>>
let app: Awaited<ReturnType<typeof startApp>>
let browser: Browser

beforeAll(async () => {
  app = await startApp()
})
afterAll(() => app.close())
beforeEach(async () => {
  browser = await openBrowser()
})
afterEach(async () => {
  await browser.close()
})

/** Loads a page and builds the SDK client pointed at the mock with the `endpoints` option. */
async function client(mock: Mock, kind: 'consumer' | 'b2b') {
  const { page } = browser
  await page.goto(`${app.origin}/${kind}.html`)
  const token = kind === 'consumer' ? mock.config.publicToken : mock.config.b2bPublicToken
  await page.evaluate(
    ({ token, base, kind }) => {
      const s = (window as any).stytch
      const Client = kind === 'consumer' ? s.StytchClient : s.StytchB2BClient
      ;(window as any).client = new Client(token, {
        endpoints: { testAPIURL: base, liveAPIURL: base },
      })
    },
    { token, base: mock.base, kind },
  )
  return page
}

const noSdkErrors = () =>
  browser.logs.filter((l) => /error/i.test(l) && !/Failed to load resource/.test(l))

describe('@stytch/vanilla-js consumer client', () => {
  let mock: Mock
  beforeAll(async () => {
    mock = await startMock()
  })
  afterAll(() => mock.close())

  it('hydrates, authenticates, reads tokens and state, and revokes; the backend then agrees', async () => {
    const seeded = (await api(mock)('/_mock/sessions', { email: 'browser@example.com' })).body
    const page = await client(mock, 'consumer')
    const result = await page.evaluate(async ({ session_token, session_jwt }) => {
      const c = (window as any).client
      c.session.updateSession({ session_token, session_jwt })
      const auth = await c.session.authenticate({ session_duration_minutes: 30 })
      const tokens = c.session.getTokens()
      const state = c.session.getSync()
      await c.session.revoke()
      return {
        user: auth.user.user_id,
        tokens,
        state,
        afterTokens: c.session.getTokens(),
        afterState: c.session.getSync(),
      }
    }, seeded)
    expect(result.user).toBe(seeded.user.user_id)
    expect(result.tokens.session_token).toBe(seeded.session_token)
    expect(result.tokens.session_jwt).toMatch(/^eyJ/)
    expect(result.state.session_id).toBe(seeded.session.session_id)
    expect(result.afterTokens).toBeNull()
    expect(result.afterState).toBeNull()
    const backend = await api(mock)('/v1/sessions/authenticate', {
      session_token: seeded.session_token,
    })
    expect(backend.body.error_type).toBe('session_not_found')
    expect(noSdkErrors()).toEqual([])
  })

  it('user.get() reads the user from /users/me, and fails with the session gone', async () => {
    const seeded = (await api(mock)('/_mock/sessions', { email: 'reader@example.com' })).body
    const page = await client(mock, 'consumer')
    const result = await page.evaluate(async ({ session_token, session_jwt }) => {
      const c = (window as any).client
      c.session.updateSession({ session_token, session_jwt })
      const user = await c.user.get()
      const cached = c.user.getSync()
      await c.session.revoke()
      c.session.updateSession({ session_token, session_jwt })
      const gone = await c.user.get().then(
        () => null,
        (e: any) => e.error_type,
      )
      return { user: user.user_id, email: user.emails[0].email, cached: cached?.user_id, gone }
    }, seeded)
    expect(result).toEqual({
      user: seeded.user.user_id,
      email: 'reader@example.com',
      cached: seeded.user.user_id,
      gone: 'session_not_found',
    })
  })

  it("a fault scoped to one session fails that page's calls only; an aged session is gone", async () => {
    const mine = (await api(mock)('/_mock/sessions', { email: 'scoped@example.com' })).body
    const other = (await api(mock)('/_mock/sessions', { email: 'unscoped@example.com' })).body
    const aged = (
      await api(mock)('/_mock/sessions', { email: 'aged@example.com', expires_in_seconds: 0 })
    ).body
    await api(mock)('/_mock/faults', {
      path: '/sdk/v1/*',
      status: 429,
      times: -1,
      match: { session_id: mine.session.session_id },
    })
    const page = await client(mock, 'consumer')
    const result = await page.evaluate(
      async ({ mine, other, aged }) => {
        const c = (window as any).client
        const attempt = async (s: { session_token: string; session_jwt: string }) => {
          c.session.updateSession({ session_token: s.session_token, session_jwt: s.session_jwt })
          return c.session.authenticate().then(
            (r: any) => r.user.user_id,
            (e: any) => e.error_type ?? `${e.name}: ${e.message}`,
          )
        }
        return { mine: await attempt(mine), other: await attempt(other), aged: await attempt(aged) }
      },
      { mine, other, aged },
    )
    expect(result).toEqual({
      mine: 'too_many_requests',
      other: other.user.user_id,
      aged: 'session_not_found',
    })
    await fetch(`${mock.base}/_mock/faults`, {
      method: 'DELETE',
      headers: {
        authorization:
          'Basic ' +
          Buffer.from(`${mock.config.projectId}:${mock.config.secret}`).toString('base64'),
      },
    })
  })

  it('surfaces a mock error as StytchAPIError with its error_type (CORS headers on errors too)', async () => {
    const page = await client(mock, 'consumer')
    const error = await page.evaluate(async (token) => {
      const c = (window as any).client
      c.session.updateSession({ session_token: token, session_jwt: 'x.y.z' })
      try {
        await c.session.authenticate()
        return null
      } catch (e: any) {
        return { name: e.name, error_type: e.error_type, status_code: e.status_code }
      }
    }, FIXTURE.sandboxNotFoundToken)
    expect(error).toEqual({
      name: 'StytchAPIError',
      error_type: 'session_not_found',
      status_code: 404,
    })
  })

  it('works with no SDK configuration at all, through Playwright routing of https://test.stytch.com', async () => {
    const seeded = (await api(mock)('/_mock/sessions', { email: 'routed@example.com' })).body
    const seen: string[] = []
    await browser.context.route('https://test.stytch.com/**', async (route) => {
      const url = new URL(route.request().url())
      seen.push(`${route.request().method()} ${url.pathname}`)
      await route.fulfill({
        response: await route.fetch({ url: `${mock.base}${url.pathname}${url.search}` }),
      })
    })
    const { page } = browser
    await page.goto(`${app.origin}/consumer.html`)
    const user = await page.evaluate(
      async ({ token, seeded }) => {
        const c = new (window as any).stytch.StytchClient(token)
        c.session.updateSession({
          session_token: seeded.session_token,
          session_jwt: seeded.session_jwt,
        })
        return (await c.session.authenticate()).user.user_id
      },
      { token: mock.config.publicToken, seeded },
    )
    expect(user).toBe(seeded.user.user_id)
    expect(seen).toContain('POST /sdk/v1/sessions/authenticate')
    expect(seen).toContain(`GET /sdk/v1/projects/bootstrap/${mock.config.publicToken}`)
  })
})

describe('@stytch/vanilla-js B2B client', () => {
  let mock: Mock
  beforeAll(async () => {
    mock = await startMock()
  })
  afterAll(() => mock.close())

  it('authenticates, exchanges into a second organization, meets MFA in the third, and revokes', async () => {
    const seeded = (
      await api(mock)('/_mock/b2b/sessions', {
        organization_slug: 'acme',
        email_address: 'grace@example.com',
      })
    ).body
    const page = await client(mock, 'b2b')
    const result = await page.evaluate(
      async ({ seeded, globex, initech }) => {
        const c = (window as any).client
        c.session.updateSession({
          session_token: seeded.session_token,
          session_jwt: seeded.session_jwt,
        })
        const auth = await c.session.authenticate({ session_duration_minutes: 30 })
        const before = c.organization.getSync()?.organization_slug
        const ex = await c.session.exchange({
          organization_id: globex,
          session_duration_minutes: 60,
        })
        const after = {
          org: c.organization.getSync()?.organization_slug,
          session: c.session.getSync()?.organization_id,
          tokens: c.session.getTokens(),
        }
        const mfa = await c.session.exchange({
          organization_id: initech,
          session_duration_minutes: 60,
        })
        const ist = document.cookie.includes('stytch_intermediate_session_token=')
        // Back in a real session to revoke it (the MFA exchange left the SDK in the intermediate state).
        c.session.updateSession({ session_token: ex.session_token, session_jwt: ex.session_jwt })
        await c.session.authenticate()
        await c.session.revoke()
        return {
          member: auth.member_id,
          before,
          after,
          exToken: ex.session_token,
          mfa: { authenticated: mfa.member_authenticated, ist },
          end: c.session.getSync(),
        }
      },
      { seeded, globex: FIXTURE.globex.organization_id, initech: FIXTURE.initech.organization_id },
    )
    expect(result.member).toBe(seeded.member.member_id)
    expect(result.before).toBe('acme')
    expect(result.after).toMatchObject({ org: 'globex', session: FIXTURE.globex.organization_id })
    expect(result.after.tokens.session_token).toBe(result.exToken)
    expect(result.mfa).toEqual({ authenticated: false, ist: true })
    expect(result.end).toBeNull()
    const backend = await api(mock)('/v1/b2b/sessions/authenticate', {
      session_token: result.exToken,
    })
    expect(backend.body.error_type).toBe('session_not_found')
    expect(noSdkErrors()).toEqual([])
  })
  it("the bootstrap's RBAC policy: rbac.isAuthorizedSync agrees with the backend's authorization_check for each role", async () => {
    // Every action the fixtures' policy names, and one it does not, on its resources (a `*`
    // resource reaches the browser as the resources the policy names: openapi.yaml).
    const checks = [
      ['documents', 'read'],
      ['documents', 'write'],
      ['documents', 'delete'],
    ] as const
    for (const [email, is_admin] of [
      ['rbac-admin@example.com', true],
      ['rbac-member@example.com', false],
    ] as const) {
      const seeded = (
        await api(mock)('/_mock/b2b/sessions', {
          organization_slug: 'acme',
          email_address: email,
          is_admin,
        })
      ).body
      const page = await client(mock, 'b2b')
      const browserSays = await page.evaluate(
        async ({ seeded, checks }) => {
          const c = (window as any).client
          c.session.updateSession({
            session_token: seeded.session_token,
            session_jwt: seeded.session_jwt,
          })
          await c.session.authenticate()
          const out: boolean[] = []
          for (const [resource, action] of checks) {
            await c.rbac.isAuthorized(resource, action)
            out.push(c.rbac.isAuthorizedSync(resource, action))
          }
          return out
        },
        { seeded, checks },
      )
      const backendSays: boolean[] = []
      for (const [resource_id, action] of checks) {
        const res = await api(mock)('/v1/b2b/sessions/authenticate', {
          session_token: seeded.session_token,
          authorization_check: {
            organization_id: seeded.organization.organization_id,
            resource_id,
            action,
          },
        })
        backendSays.push(res.status === 200)
      }
      expect(browserSays, email).toEqual(backendSays)
      // The check can tell the roles apart: an admin may write documents, a member may not.
      expect(browserSays, email).toEqual([true, is_admin, is_admin])
    }
    expect(noSdkErrors()).toEqual([])
  })

  it('organization.get() and self.get() read the organization and member of the session', async () => {
    const seeded = (
      await api(mock)('/_mock/b2b/sessions', {
        organization_slug: 'acme',
        email_address: 'reader@example.com',
      })
    ).body
    const page = await client(mock, 'b2b')
    const result = await page.evaluate(async ({ session_token, session_jwt }) => {
      const c = (window as any).client
      c.session.updateSession({ session_token, session_jwt })
      const organization = await c.organization.get()
      const member = await c.self.get()
      return {
        organization: organization.organization_slug,
        cachedOrganization: c.organization.getSync()?.organization_id,
        member: member.email_address,
        cachedMember: c.self.getSync()?.member_id,
      }
    }, seeded)
    expect(result).toEqual({
      organization: 'acme',
      cachedOrganization: seeded.organization.organization_id,
      member: 'reader@example.com',
      cachedMember: seeded.member.member_id,
    })
    expect(noSdkErrors()).toEqual([])
  })
})

describe('HttpOnly cookie mode', () => {
  let mock: Mock
  beforeAll(async () => {
    mock = await startMock({ STYTCH_MOCK_HTTPONLY_COOKIES: 'true' })
  })
  afterAll(() => mock.close())

  it('getTokens() is null while the session keeps working from the HttpOnly cookie', async () => {
    const seeded = (await api(mock)('/_mock/sessions', { email: 'httponly@example.com' })).body
    const page = await client(mock, 'consumer')
    const result = await page.evaluate(async ({ session_token, session_jwt }) => {
      const c = (window as any).client
      c.session.updateSession({ session_token, session_jwt })
      const first = await c.session.authenticate()
      const tokens = c.session.getTokens()
      const readable = document.cookie
      const again = await c.session.authenticate()
      await c.session.revoke()
      return {
        firstToken: first.session_token,
        tokens,
        readable,
        againUser: again.user.user_id,
        end: c.session.getSync(),
      }
    }, seeded)
    expect(result.firstToken).toBe('')
    expect(result.tokens).toBeNull()
    expect(result.readable).not.toContain('stytch_session')
    expect(result.againUser).toBe(seeded.user.user_id)
    expect(result.end).toBeNull()
    const cookies = await browser.context.cookies(mock.base)
    expect(cookies.filter((c) => c.name.startsWith('stytch_session'))).toEqual([])
    const backend = await api(mock)('/v1/sessions/authenticate', {
      session_token: seeded.session_token,
    })
    expect(backend.body.error_type).toBe('session_not_found')
  })
  it('user.get() works from the HttpOnly cookie alone', async () => {
    const seeded = (await api(mock)('/_mock/sessions', { email: 'cookie-reader@example.com' })).body
    const page = await client(mock, 'consumer')
    const user = await page.evaluate(async ({ session_token, session_jwt }) => {
      const c = (window as any).client
      c.session.updateSession({ session_token, session_jwt })
      await c.session.authenticate()
      return (await c.user.get()).user_id
    }, seeded)
    expect(user).toBe(seeded.user.user_id)
  })
})
