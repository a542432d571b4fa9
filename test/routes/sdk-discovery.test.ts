// /sdk/v1 B2B discovery as @stytch/vanilla-js sends it (bodies from its source, see openapi.yaml):
// the {data} envelope, the B2B public token, the intermediate session in the body or only in its
// HttpOnly cookie, and the member session the SDK holds for organizations.list().
import { beforeEach, describe, expect, it } from 'vitest'
import { basicHeader, FIXTURE, ORIGIN, testWorld, type TestWorld } from '../helpers/world.js'

let t: TestWorld
beforeEach(async () => {
  t = await testWorld()
})

const b2b = (token?: string) =>
  basicHeader(t.config.b2bPublicToken, token ?? t.config.b2bPublicToken)
const sdk = (path: string, auth: string, body: unknown, headers: Record<string, string> = {}) =>
  t.call('POST', `/sdk/v1${path}`, { auth, body, headers: { origin: ORIGIN, ...headers } })
const latest = (to: string) => t.world.outbox.list(to).at(-1)!
const names = (data: {
  discovered_organizations: { organization: { organization_slug: string } }[]
}) => data.discovered_organizations.map((d) => d.organization.organization_slug).sort()

describe('B2B discovery from the browser', () => {
  it('a magic link: discovery/send, authenticate, list, exchange into a member session', async () => {
    const sent = await sdk('/b2b/magic_links/email/discovery/send', b2b(), {
      email_address: 'grace@example.com',
      discovery_redirect_url: 'http://localhost:3000/discover',
      pkce_code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    })
    expect(sent.status).toBe(200)
    expect(Object.keys(sent.body.data).sort()).toEqual(['request_id', 'status_code'])
    const link = new URL(latest('grace@example.com').url!)
    expect(link.searchParams.get('stytch_token_type')).toBe('discovery')
    const auth = await sdk('/b2b/magic_links/discovery/authenticate', b2b(), {
      discovery_magic_links_token: link.searchParams.get('token'),
      pkce_code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    })
    expect(auth.status, JSON.stringify(auth.body)).toBe(200)
    expect(auth.body.data.email_address).toBe('grace@example.com')
    expect(names(auth.body.data)).toEqual(['acme', 'globex', 'initech'])
    const ist = auth.body.data.intermediate_session_token
    expect(ist).toMatch(/^[A-Za-z0-9_-]{44}$/)
    const listed = await sdk('/b2b/discovery/organizations', b2b(), {
      intermediate_session_token: ist,
    })
    expect(names(listed.body.data)).toEqual(['acme', 'globex', 'initech'])
    const entered = await sdk('/b2b/discovery/intermediate_sessions/exchange', b2b(), {
      organization_id: FIXTURE.acme.organization_id,
      session_duration_minutes: 60,
      intermediate_session_token: ist,
    })
    expect(entered.status, JSON.stringify(entered.body)).toBe(200)
    expect(entered.body.data.member_authenticated).toBe(true)
    expect(entered.body.data.member_session.authentication_factors[0]).toMatchObject({
      type: 'magic_link',
      delivery_method: 'email',
    })
    // Logged in, the SDK lists with {} and its session in Basic auth.
    const mine = await sdk('/b2b/discovery/organizations', b2b(entered.body.data.session_token), {})
    expect(names(mine.body.data)).toEqual(['acme', 'globex', 'initech'])
  })

  it("the sandbox link is the backend's only; the consumer public token is refused", async () => {
    const sandbox = await sdk('/b2b/magic_links/discovery/authenticate', b2b(), {
      discovery_magic_links_token: 'DOYoip3rvIMMW5lgItikFK-Ak1CfMsgjuiCyI7uuU94=',
    })
    expect(sandbox.body.error_type).toBe('magic_link_not_found')
    const consumer = await sdk(
      '/b2b/otps/email/discovery/send',
      basicHeader(t.config.publicToken, t.config.publicToken),
      { email_address: 'grace@example.com' },
    )
    expect(consumer.body.error_type).toBe('invalid_b2b_endpoint')
  })

  it('HttpOnly mode: a passcode, the intermediate session only in its cookie, then create', async () => {
    t = await testWorld({ STYTCH_MOCK_HTTPONLY_COOKIES: 'true' })
    await sdk('/b2b/otps/email/discovery/send', b2b(), { email_address: 'new@fresh.example' })
    const auth = await sdk('/b2b/otps/email/discovery/authenticate', b2b(), {
      email_address: 'new@fresh.example',
      code: latest('new@fresh.example').otp_code,
    })
    expect(auth.status, JSON.stringify(auth.body)).toBe(200)
    expect(auth.body.data.intermediate_session_token).toBe('')
    expect(auth.body.data).not.toHaveProperty('session_token')
    expect(auth.body.data.discovered_organizations).toEqual([])
    const cookie = /stytch_intermediate_session_token=([A-Za-z0-9_-]{44})/.exec(
      auth.headers.get('set-cookie') ?? '',
    )?.[1]
    expect(cookie).toBeDefined()
    const headers = { cookie: `stytch_intermediate_session_token=${cookie}` }
    const listed = await sdk('/b2b/discovery/organizations', b2b(), {}, headers)
    expect(listed.body.data.email_address).toBe('new@fresh.example')
    const created = await sdk(
      '/b2b/discovery/organizations/create',
      b2b(),
      { session_duration_minutes: 60, organization_name: 'Fresh Co' },
      headers,
    )
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    expect(created.body.data.session_token).toBe('')
    expect(created.body.data.organization.organization_slug).toBe('fresh-co')
    expect(created.body.data.member.is_admin).toBe(true)
    expect(created.headers.get('set-cookie')).toMatch(/stytch_session=[A-Za-z0-9_-]{44};/)
    // Used up: the same cookie cannot enter again.
    const again = await sdk(
      '/b2b/discovery/intermediate_sessions/exchange',
      b2b(),
      { organization_id: created.body.data.organization.organization_id },
      headers,
    )
    expect(again.body.error_type).toBe('intermediate_session_not_found')
  })

  it('no intermediate session and no session: a Stytch error, not a crash', async () => {
    // Listing needs one or the other, as every call that needs a session does.
    const listed = await sdk('/b2b/discovery/organizations', b2b(), {})
    expect(listed.status).toBe(401)
    expect(listed.body.error_type).toBe('unauthorized_credentials')
    // Exchanging needs an intermediate session: in the body or (HttpOnly) its cookie.
    const exchange = await sdk('/b2b/discovery/intermediate_sessions/exchange', b2b(), {
      organization_id: FIXTURE.acme.organization_id,
    })
    expect(exchange.status).toBe(404)
    expect(exchange.body.error_type).toBe('intermediate_session_not_found')
  })
})
