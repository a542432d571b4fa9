// The official `stytch` Node SDK through B2B discovery (#18): discovery magic links and
// passcodes, the organizations an email can enter, exchanging a discovery intermediate session
// for one of them, creating a new one, and their failures.

import { createHash } from 'node:crypto'
import * as stytch from 'stytch'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildOrganization } from '../../server/platform/sessions/organizations.js'
import { failure, mockWithSdk, type RunningMock } from '../helpers/server.js'
import { FIXTURE } from '../helpers/world.js'

let mock: RunningMock
let b2b: stytch.B2BClient

const sdk = mockWithSdk((options) => new stytch.B2BClient(options))
beforeAll(() => {
  ;({ mock, client: b2b } = sdk)
})
beforeEach(() => mock.clock.reset())

const latest = (to: string) => mock.world.outbox.list(to).at(-1)!
const unique = (name: string, domain = 'example.com') =>
  `${name}-${Math.random().toString(36).slice(2, 10)}@${domain}`
const uniqueDomain = () => `d${Math.random().toString(36).slice(2, 10)}.test`

/** A discovery intermediate session for this email, by passcode. */
async function discover(email: string) {
  await b2b.otps.email.discovery.send({ email_address: email })
  return b2b.otps.email.discovery.authenticate({
    email_address: email,
    code: latest(email.toLowerCase()).otp_code!,
  })
}

/** An organization only the test knows, inserted straight into the mock's store. */
function organization(input: Parameters<typeof buildOrganization>[0]) {
  const org = buildOrganization(input, mock.clock.nowSeconds())
  mock.world.orgs.insertOrganization(org)
  return org
}

describe('discovery magic links', () => {
  it('send puts a discovery link in the outbox; authenticate lists the organizations', async () => {
    const sent = await b2b.magicLinks.email.discovery.send({ email_address: 'Grace@example.com' })
    expect(sent.status_code).toBe(200)
    const message = latest('grace@example.com')
    expect(message).toMatchObject({ channel: 'email', to: 'grace@example.com', kind: 'magic_link' })
    expect(message.organization_id).toBeUndefined()
    expect(message.member_id).toBeUndefined()
    const url = new URL(message.url!)
    expect(url.origin + url.pathname).toBe(
      new URL(mock.config.redirectUrls.b2b.discovery).href.replace(/\?.*/, ''),
    )
    expect(url.searchParams.get('stytch_token_type')).toBe('discovery')
    expect(url.searchParams.get('token')).toBe(message.token)

    const before = mock.clock.nowSeconds()
    const auth = await b2b.magicLinks.discovery.authenticate({
      discovery_magic_links_token: message.token!,
    })
    expect(auth.email_address).toBe('grace@example.com')
    expect(auth.intermediate_session_token).toMatch(/^[A-Za-z0-9_-]{44}$/)
    // Ten minutes from the call, on the mock's clock (which may tick a second during it).
    const expiresAt = Date.parse(auth.intermediate_session_token_expires_at!) / 1000
    expect(expiresAt).toBeGreaterThanOrEqual(before + 600)
    expect(expiresAt).toBeLessThanOrEqual(mock.clock.nowSeconds() + 600)
    const bySlug = Object.fromEntries(
      auth.discovered_organizations.map((d) => [d.organization!.organization_slug, d]),
    )
    expect(Object.keys(bySlug).sort()).toEqual(['acme', 'globex', 'initech'])
    expect(bySlug.acme).toEqual({
      member_authenticated: true,
      organization: expect.objectContaining({ organization_id: FIXTURE.acme.organization_id }),
      membership: {
        type: 'active_member',
        details: null,
        member: expect.objectContaining({ member_id: FIXTURE.acme.member_id }),
      },
      primary_required: null,
      mfa_required: null,
    })
    // Initech requires MFA of everyone: a magic link alone does not get Grace in.
    expect(bySlug.initech).toMatchObject({
      member_authenticated: false,
      primary_required: null,
      // Nothing set up yet (member_options null); discovery never texts a passcode.
      mfa_required: { member_options: null, secondary_auth_initiated: null },
    })

    // The link is single use.
    expect(
      await failure(
        b2b.magicLinks.discovery.authenticate({ discovery_magic_links_token: message.token! }),
      ),
    ).toEqual({ status: 401, type: 'unable_to_auth_magic_link' })
  })

  it('unknown and expired links, PKCE, and a link of an organization login are refused', async () => {
    expect(
      await failure(
        b2b.magicLinks.discovery.authenticate({
          discovery_magic_links_token: 'CprTtwhnRNiMBiUS2jSLcWYrfuO2POeBNdo5HhW6qTM=',
        }),
      ),
    ).toEqual({ status: 404, type: 'magic_link_not_found' })

    const email = unique('expiring')
    await b2b.magicLinks.email.discovery.send({
      email_address: email,
      discovery_expiration_minutes: 5,
    })
    const late = latest(email).token!
    mock.clock.advance(301)
    expect(
      await failure(b2b.magicLinks.discovery.authenticate({ discovery_magic_links_token: late })),
    ).toEqual({ status: 401, type: 'unable_to_auth_magic_link' })

    // An organization login's link is not a discovery link.
    await mock.world.b2bMagicLinks.send({
      organization_id: FIXTURE.acme.organization_id,
      email_address: 'grace@example.com',
    })
    const orgLink = latest('grace@example.com').token!
    expect(
      await failure(
        b2b.magicLinks.discovery.authenticate({ discovery_magic_links_token: orgLink }),
      ),
    ).toEqual({ status: 404, type: 'magic_link_not_found' })

    const verifier = 'a-verifier-of-at-least-forty-three-characters-long'
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    await b2b.magicLinks.email.discovery.send({
      email_address: email,
      pkce_code_challenge: challenge,
    })
    const token = latest(email).token!
    expect(
      await failure(b2b.magicLinks.discovery.authenticate({ discovery_magic_links_token: token })),
    ).toEqual({ status: 400, type: 'pkce_expected_code_verifier' })
    const auth = await b2b.magicLinks.discovery.authenticate({
      discovery_magic_links_token: token,
      pkce_code_verifier: verifier,
    })
    expect(auth.discovered_organizations).toEqual([])

    expect(
      await failure(
        b2b.magicLinks.email.discovery.send({
          email_address: email,
          discovery_expiration_minutes: 4,
        }),
      ),
    ).toEqual({ status: 400, type: 'invalid_argument' })
    expect(
      await failure(b2b.magicLinks.email.discovery.send({ email_address: 'not-an-email' })),
    ).toEqual({ status: 400, type: 'invalid_email' })
  })
})

describe('discovery passcodes', () => {
  it('send and authenticate; a wrong code is 404', async () => {
    await b2b.otps.email.discovery.send({ email_address: 'grace@example.com' })
    const message = latest('grace@example.com')
    expect(message).toMatchObject({ kind: 'otp', channel: 'email' })
    expect(message.organization_id).toBeUndefined()
    const code = message.otp_code!
    const wrong = code === '000001' ? '000002' : '000001'
    expect(
      await failure(
        b2b.otps.email.discovery.authenticate({ email_address: 'grace@example.com', code: wrong }),
      ),
    ).toEqual({ status: 404, type: 'otp_code_not_found' })
    const auth = await b2b.otps.email.discovery.authenticate({
      email_address: 'grace@example.com',
      code,
    })
    expect(auth.email_address).toBe('grace@example.com')
    expect(auth.discovered_organizations).toHaveLength(3)
    expect(
      await failure(
        b2b.otps.email.discovery.authenticate({ email_address: 'grace@example.com', code }),
      ),
    ).toEqual({ status: 401, type: 'unable_to_auth_otp_code' })
  })
})

describe('discovery organizations', () => {
  it('lists by intermediate session or member session; bad, expired ISTs are refused', async () => {
    const { intermediate_session_token: ist } = await discover('grace@example.com')
    const listed = await b2b.discovery.organizations.list({ intermediate_session_token: ist })
    expect(listed.email_address).toBe('grace@example.com')
    expect(listed.organization_id_hint).toBeNull()
    expect(listed.discovered_organizations.map((d) => d.organization!.organization_slug)).toEqual(
      expect.arrayContaining(['acme', 'globex', 'initech']),
    )

    const entered = await b2b.discovery.intermediateSessions.exchange({
      intermediate_session_token: ist,
      organization_id: FIXTURE.globex.organization_id,
    })
    const bySession = await b2b.discovery.organizations.list({
      session_token: entered.session_token,
    })
    expect(bySession.email_address).toBe('grace@example.com')
    expect(bySession.discovered_organizations).toHaveLength(3)

    expect(
      await failure(b2b.discovery.organizations.list({ intermediate_session_token: 'dummy' })),
    ).toEqual({ status: 400, type: 'invalid_session_token' })
    // Used up by the exchange.
    expect(
      await failure(b2b.discovery.organizations.list({ intermediate_session_token: ist })),
    ).toEqual({ status: 404, type: 'intermediate_session_not_found' })

    const { intermediate_session_token: later } = await discover('grace@example.com')
    mock.clock.advance(600)
    expect(
      await failure(b2b.discovery.organizations.list({ intermediate_session_token: later })),
    ).toEqual({ status: 404, type: 'intermediate_session_not_found' })
  })

  it('offers organizations the email domain may join, and none that it may not', async () => {
    const domain = uniqueDomain()
    const open = organization({
      organization_slug: `open-${domain}`,
      email_jit_provisioning: 'RESTRICTED',
      email_allowed_domains: [domain],
    })
    organization({
      organization_slug: `closed-${domain}`,
      email_jit_provisioning: 'NOT_ALLOWED',
      email_allowed_domains: [domain],
    })
    const email = unique('newcomer', domain)
    const auth = await discover(email)
    expect(auth.discovered_organizations).toEqual([
      {
        member_authenticated: true,
        organization: expect.objectContaining({ organization_id: open.organization_id }),
        membership: { type: 'eligible_to_join_by_email_domain', details: { domain }, member: null },
        primary_required: null,
        mfa_required: null,
      },
    ])
  })
})

describe('exchange', () => {
  it('enters an organization with a member session; the IST is single use', async () => {
    const { intermediate_session_token: ist } = await discover('grace@example.com')
    // Refused claims spend nothing: the same IST still enters afterwards.
    expect(
      await failure(
        b2b.discovery.intermediateSessions.exchange({
          intermediate_session_token: ist,
          organization_id: FIXTURE.acme.organization_id,
          session_custom_claims: { iss: 'me' },
        }),
      ),
    ).toEqual({ status: 400, type: 'reserved_claims_in_custom_claims' })
    const entered = await b2b.discovery.intermediateSessions.exchange({
      intermediate_session_token: ist,
      organization_id: FIXTURE.acme.organization_id,
      session_duration_minutes: 30,
    })
    expect(entered).toMatchObject({
      member_id: FIXTURE.acme.member_id,
      member_authenticated: true,
      intermediate_session_token: '',
      mfa_required: null,
      primary_required: null,
      organization: expect.objectContaining({ organization_slug: 'acme' }),
    })
    expect(entered.member_session!.authentication_factors).toEqual([
      expect.objectContaining({
        type: 'email_otp',
        delivery_method: 'email',
        email_factor: expect.objectContaining({ email_address: 'grace@example.com' }),
      }),
    ])
    const session = await b2b.sessions.authenticate({ session_token: entered.session_token })
    expect(session.member_session.member_session_id).toBe(entered.member_session!.member_session_id)
    const local = await b2b.sessions.authenticateJwtLocal({ session_jwt: entered.session_jwt })
    expect(local.organization_id).toBe(FIXTURE.acme.organization_id)

    expect(
      await failure(
        b2b.discovery.intermediateSessions.exchange({
          intermediate_session_token: ist,
          organization_id: FIXTURE.acme.organization_id,
        }),
      ),
    ).toEqual({ status: 404, type: 'intermediate_session_not_found' })
  })

  it('into an MFA organization gives an organization intermediate session', async () => {
    const { intermediate_session_token: ist } = await discover('grace@example.com')
    const entered = await b2b.discovery.intermediateSessions.exchange({
      intermediate_session_token: ist,
      organization_id: 'initech',
    })
    expect(entered).toMatchObject({
      member_id: FIXTURE.initech.member_id,
      member_authenticated: false,
      member_session: null,
      session_token: '',
      session_jwt: '',
      primary_required: null,
      mfa_required: { member_options: null, secondary_auth_initiated: null },
    })
    expect(entered.intermediate_session_token).toMatch(/^[A-Za-z0-9_-]{44}$/)
    expect(entered.intermediate_session_token).not.toBe(ist)
  })

  it('provisions a member the domain lets join; refuses an unknown organization', async () => {
    const domain = uniqueDomain()
    const open = organization({
      organization_slug: `jit-${domain}`,
      email_jit_provisioning: 'RESTRICTED',
      email_allowed_domains: [domain],
    })
    const closed = organization({ organization_slug: `private-${domain}` })
    const email = unique('joiner', domain)
    const { intermediate_session_token: ist } = await discover(email)

    expect(
      await failure(
        b2b.discovery.intermediateSessions.exchange({
          intermediate_session_token: ist,
          organization_id: 'organization-test-00000000-0000-0000-0000-000000000000',
        }),
      ),
    ).toEqual({ status: 404, type: 'organization_not_found' })
    expect(
      await failure(
        b2b.discovery.intermediateSessions.exchange({
          intermediate_session_token: ist,
          organization_id: closed.organization_id,
        }),
      ),
    ).toEqual({ status: 403, type: 'email_jit_provisioning_not_allowed' })
    // Neither failure used the intermediate session up.
    const entered = await b2b.discovery.intermediateSessions.exchange({
      intermediate_session_token: ist,
      organization_id: open.organization_id,
    })
    expect(entered.member_authenticated).toBe(true)
    expect(entered.member).toMatchObject({
      email_address: email,
      status: 'active',
      email_address_verified: true,
      organization_id: open.organization_id,
    })
    expect(mock.world.orgs.memberByEmail(open.organization_id, email)?.member_id).toBe(
      entered.member_id,
    )

    expect(
      await failure(
        b2b.discovery.intermediateSessions.exchange({
          intermediate_session_token: 'invalid_session_123',
          organization_id: 'organization-test-00000000-0000-0000-0000-000000000000',
        }),
      ),
    ).toEqual({ status: 404, type: 'organization_not_found' })
  })
})

describe('create', () => {
  it('creates an organization named after the email domain, its creator an admin', async () => {
    const domain = uniqueDomain()
    const email = unique('founder', domain)
    const { intermediate_session_token: ist } = await discover(email)
    const created = await b2b.discovery.organizations.create({ intermediate_session_token: ist })
    const name = domain.split('.')[0]!
    expect(created.organization).toMatchObject({ organization_name: name, organization_slug: name })
    expect(created.member).toMatchObject({ email_address: email, is_admin: true, status: 'active' })
    expect(created.member.roles.map((r) => r.role_id)).toContain('stytch_admin')
    expect(created.member_authenticated).toBe(true)
    expect(created.member_session!.organization_id).toBe(created.organization!.organization_id)
    expect(
      await failure(b2b.discovery.organizations.create({ intermediate_session_token: ist })),
    ).toEqual({ status: 404, type: 'intermediate_session_not_found' })

    // The same derived slug again gets a suffix; a chosen slug that is taken is an error.
    const again = await discover(unique('cofounder', domain))
    const second = await b2b.discovery.organizations.create({
      intermediate_session_token: again.intermediate_session_token,
    })
    expect(second.organization!.organization_slug).toBe(`${name}-2`)
    const third = await discover(unique('other', domain))
    expect(
      await failure(
        b2b.discovery.organizations.create({
          intermediate_session_token: third.intermediate_session_token,
          organization_slug: 'acme',
        }),
      ),
    ).toEqual({ status: 400, type: 'organization_slug_already_used' })
    expect(
      await failure(
        b2b.discovery.organizations.create({
          intermediate_session_token: third.intermediate_session_token,
          organization_slug: 'a',
        }),
      ),
    ).toEqual({ status: 400, type: 'invalid_organization_slug' })
  })

  it('with an MFA policy gives an intermediate session; bad ISTs are 404', async () => {
    const { intermediate_session_token: ist } = await discover(unique('careful', uniqueDomain()))
    const created = await b2b.discovery.organizations.create({
      intermediate_session_token: ist,
      organization_name: 'Careful Co',
      organization_slug: `careful-${Math.random().toString(36).slice(2, 8)}`,
      mfa_policy: 'REQUIRED_FOR_ALL',
    })
    expect(created).toMatchObject({
      member_authenticated: false,
      member_session: null,
      session_token: '',
      organization: expect.objectContaining({
        organization_name: 'Careful Co',
        mfa_policy: 'REQUIRED_FOR_ALL',
      }),
    })
    expect(created.intermediate_session_token).toMatch(/^[A-Za-z0-9_-]{44}$/)

    expect(
      await failure(
        b2b.discovery.organizations.create({ intermediate_session_token: 'invalid_session_123' }),
      ),
    ).toEqual({ status: 404, type: 'intermediate_session_not_found' })
    const { intermediate_session_token: stale } = await discover(unique('stale'))
    mock.clock.advance(601)
    expect(
      await failure(b2b.discovery.organizations.create({ intermediate_session_token: stale })),
    ).toEqual({ status: 404, type: 'intermediate_session_not_found' })
  })
})
