// /sdk/v1 impersonation as @stytch/vanilla-js sends it from authenticateByUrl
// (?stytch_token_type=impersonation&token=...): the {data} envelope, the public token of the
// vertical, the session handed over (in HttpOnly cookies in that mode).
import { describe, expect, it } from 'vitest'
import { basicHeader, FIXTURE, ORIGIN, testWorld } from '../helpers/world.js'

describe('impersonation from the browser', () => {
  it('consumer and B2B: a session of the impersonated, each vertical its own tokens', async () => {
    const t = await testWorld()
    const sdk = (path: string, token: string, body: unknown) =>
      t.call('POST', `/sdk/v1${path}`, {
        auth: basicHeader(token, token),
        body,
        headers: { origin: ORIGIN },
      })
    const user = (
      await t.call('POST', '/_mock/impersonation', { body: { user_id: FIXTURE.adaUserId } })
    ).body
    const wrongVertical = await sdk('/impersonation/authenticate', t.config.b2bPublicToken, {
      impersonation_token: user.impersonation_token,
    })
    expect(wrongVertical.body.error_type).toBe('invalid_consumer_endpoint')
    const consumer = await sdk('/impersonation/authenticate', t.config.publicToken, {
      impersonation_token: user.impersonation_token,
    })
    expect(consumer.status).toBe(200)
    expect(consumer.body.data.user_id).toBe(FIXTURE.adaUserId)
    expect(consumer.body.data.session.authentication_factors[0].type).toBe('impersonated')

    const member = (
      await t.call('POST', '/_mock/impersonation', {
        body: { organization_id: FIXTURE.acme.organization_id, member_id: FIXTURE.acme.member_id },
      })
    ).body
    const b2b = await sdk('/b2b/impersonation/authenticate', t.config.b2bPublicToken, {
      impersonation_token: member.impersonation_token,
    })
    expect(b2b.status).toBe(200)
    expect(b2b.body.data.member_session.member_id).toBe(FIXTURE.acme.member_id)
  })

  it('HttpOnly mode: the tokens only in cookies', async () => {
    const t = await testWorld({ STYTCH_MOCK_HTTPONLY_COOKIES: 'true' })
    const user = (
      await t.call('POST', '/_mock/impersonation', { body: { user_id: FIXTURE.adaUserId } })
    ).body
    const res = await t.call('POST', '/sdk/v1/impersonation/authenticate', {
      auth: basicHeader(t.config.publicToken, t.config.publicToken),
      body: { impersonation_token: user.impersonation_token },
      headers: { origin: ORIGIN },
    })
    expect(res.body.data.session_token).toBe('')
    expect(res.headers.get('set-cookie')).toMatch(/stytch_session=[A-Za-z0-9_-]{44}; /)
  })
})
