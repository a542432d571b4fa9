// Each project's default redirect URLs (STYTCH_MOCK_CONSUMER_REDIRECT_URLS,
// STYTCH_MOCK_B2B_REDIRECT_URLS): a consumer app and a B2B app against one mock each get their own
// links when a call names no redirect URL.
import { beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE, testWorld, type TestWorld } from '../helpers/world.js'

let t: TestWorld
const GRACE = 'grace@example.com'
beforeAll(async () => {
  t = await testWorld({
    STYTCH_MOCK_CONSUMER_REDIRECT_URLS: 'http://shop.test/auth,signup=http://shop.test/welcome',
    STYTCH_MOCK_B2B_REDIRECT_URLS:
      'http://b2b.test/auth,signup=http://b2b.test/join,discovery=http://b2b.test/discover',
  })
})

const linkTo = (to: string) => {
  const url = new URL(t.world.outbox.list(to).at(-1)!.url!)
  return `${url.origin}${url.pathname}`
}

describe('default redirect URLs, per project and kind', () => {
  it('consumer magic links: the consumer signup URL for a new user, its login URL after', async () => {
    const email = 'redirects@example.com'
    await t.call('POST', '/v1/magic_links/email/login_or_create', { body: { email } })
    expect(linkTo(email)).toBe('http://shop.test/welcome')
    await t.call('POST', '/v1/magic_links/email/send', { body: { email } })
    expect(linkTo(email)).toBe('http://shop.test/auth')
  })

  it('B2B magic links and discovery: the B2B project’s URLs', async () => {
    const email = 'new-member@acme.example'
    const sent = await t.call('POST', '/v1/b2b/magic_links/email/login_or_signup', {
      body: { organization_id: FIXTURE.acme.organization_id, email_address: GRACE },
    })
    expect(sent.status).toBe(200)
    expect(linkTo(GRACE)).toBe('http://b2b.test/auth')
    await t.call('POST', '/v1/b2b/magic_links/email/discovery/send', {
      body: { email_address: email },
    })
    expect(linkTo(email)).toBe('http://b2b.test/discover')
  })

  it('OAuth starts: the consumer project’s for consumer, the B2B project’s for B2B', async () => {
    await t.call('POST', '/_mock/oauth/answers', { body: { email: 'oauth-redirect@example.com' } })
    const consumer = await t.call(
      'GET',
      `/v1/public/oauth/google/start?public_token=${t.config.publicToken}`,
      { auth: false },
    )
    expect(consumer.status).toBe(302)
    expect(consumer.headers.get('location')).toMatch(/^http:\/\/shop\.test\/welcome\?/)
    await t.call('POST', '/_mock/oauth/answers', { body: { email: 'x@gmail.com' } })
    const discovery = await t.call(
      'GET',
      `/v1/b2b/public/oauth/google/discovery/start?public_token=${t.config.b2bPublicToken}`,
      { auth: false },
    )
    expect(discovery.headers.get('location')).toMatch(/^http:\/\/b2b\.test\/discover\?/)
  })
})
