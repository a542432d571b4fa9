// The unmodified @stytch/vanilla-js bundle in Chromium against the frontend routes #28 added:
// impersonation.authenticate (consumer and B2B) and session.attest, each ending in a session the
// SDK holds and the backend agrees with.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportSPKI, generateKeyPair, SignJWT, type KeyObject } from 'jose'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FIXTURE } from '../helpers/world.js'
import { api, openBrowser, startApp, startMock } from './harness.js'

type Mock = Awaited<ReturnType<typeof startMock>>
let app: Awaited<ReturnType<typeof startApp>>
let browser: Awaited<ReturnType<typeof openBrowser>>
let mock: Mock
let key: KeyObject

beforeAll(async () => {
  app = await startApp()
  const pair = await generateKeyPair('RS256', { extractable: true })
  key = pair.privateKey as KeyObject
  const dir = mkdtempSync(join(tmpdir(), 'stytch-mock-browser-attest-'))
  for (const f of ['consumer.json', 'b2b.json']) copyFileSync(join('fixtures', f), join(dir, f))
  writeFileSync(
    join(dir, 'profiles.json'),
    JSON.stringify({
      trusted_auth_token_profiles: [
        {
          profile_id: 'browser-profile',
          issuer: 'https://idp.example.test',
          audience: 'browser-app',
          public_key_pems: [await exportSPKI(pair.publicKey)],
          attribute_mapping: { email: 'email', token_id: 'jti' },
        },
      ],
    }),
  )
  mock = await startMock({ STYTCH_MOCK_FIXTURES: dir })
})
afterAll(async () => {
  await mock.close()
  await app.close()
})
beforeEach(async () => {
  browser = await openBrowser()
})
afterEach(async () => {
  await browser.close()
})

async function page(kind: 'consumer' | 'b2b') {
  await browser.page.goto(`${app.origin}/${kind}.html`)
  const token = kind === 'consumer' ? mock.config.publicToken : mock.config.b2bPublicToken
  await browser.page.evaluate(
    ({ token, base, kind }) => {
      const s = (window as any).stytch
      const Client = kind === 'consumer' ? s.StytchClient : s.StytchB2BClient
      ;(window as any).client = new Client(token, {
        endpoints: { testAPIURL: base, liveAPIURL: base },
      })
    },
    { token, base: mock.base, kind },
  )
  return browser.page
}

describe('@stytch/vanilla-js against #28’s frontend routes', () => {
  it('impersonation.authenticate: the SDK holds a session of the user, impersonated', async () => {
    const { impersonation_token } = (
      await api(mock)('/_mock/impersonation', { user_id: FIXTURE.adaUserId })
    ).body
    const p = await page('consumer')
    const result = await p.evaluate(async (impersonation_token) => {
      const c = (window as any).client
      const res = await c.impersonation.authenticate({ impersonation_token })
      return { user_id: res.user_id, held: c.session.getSync(), tokens: c.session.getTokens() }
    }, impersonation_token)
    expect(result.user_id).toBe(FIXTURE.adaUserId)
    expect(result.held.authentication_factors[0].type).toBe('impersonated')
    const backend = await api(mock)('/v1/sessions/authenticate', {
      session_token: result.tokens.session_token,
    })
    expect(backend.body.session.user_id).toBe(FIXTURE.adaUserId)
  })

  it('B2B impersonation.authenticate: a member session of the organization', async () => {
    const { impersonation_token } = (
      await api(mock)('/_mock/impersonation', {
        organization_id: FIXTURE.acme.organization_id,
        member_id: FIXTURE.acme.member_id,
      })
    ).body
    const p = await page('b2b')
    const result = await p.evaluate(async (impersonation_token) => {
      const c = (window as any).client
      const res = await c.impersonation.authenticate({ impersonation_token })
      return { member_id: res.member_id, held: c.session.getSync() }
    }, impersonation_token)
    expect(result.member_id).toBe(FIXTURE.acme.member_id)
    expect(result.held.authentication_factors[0].type).toBe('impersonated')
  })

  it('session.attest: a trusted auth token exchanged for a session the SDK holds', async () => {
    const token = await new SignJWT({ email: 'attested-browser@example.com', jti: 'jti-browser' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer('https://idp.example.test')
      .setAudience('browser-app')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key)
    const p = await page('consumer')
    const result = await p.evaluate(async (token) => {
      const c = (window as any).client
      const res = await c.session.attest({
        profile_id: 'browser-profile',
        token,
        session_duration_minutes: 30,
      })
      return { user: res.user, held: c.session.getSync() }
    }, token)
    expect(result.user.emails[0].email).toBe('attested-browser@example.com')
    expect(result.held.authentication_factors[0]).toMatchObject({
      type: 'trusted_auth_token',
      trusted_auth_token_factor: { token_id: 'jti-browser' },
    })
  })
})
