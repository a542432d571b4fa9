// Issue #24: invites, the embeddable magic link, OAuth attach and revoking a member's sessions,
// through the official `stytch` Node SDK. Consumer magicLinks.email.invite / revokeInvite (the
// pending user, the outbox's link, its expiry, accepting it), magicLinks.create (the embeddable
// token); B2B magicLinks.email.invite (the invited member, its roles and metadata, the
// organization's policies, the RBAC check with the `authorization` option); oauth.attach (the
// provider linked to the signed-in user, not a new one); B2B sessions.revoke({member_id}) with
// and without a member's authorization. Every response is also checked against openapi.yaml.
import * as stytch from 'stytch'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { OutboxMessage } from '../../server/index.js'
import { controlOf, failure, mockWithSdk, type RunningMock } from '../helpers/server.js'
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
beforeEach(async () => {
  mock.clock.reset()
  await control('POST', '/_mock/reset')
})

const APP = 'http://localhost:3000'
const latest = async (to: string): Promise<OutboxMessage> =>
  (await control('GET', `/_mock/outbox?to=${encodeURIComponent(to)}`)).body.messages.at(-1)
const unique = (name: string, domain = 'example.com') =>
  `${name}-${Math.random().toString(36).slice(2, 10)}@${domain}`
const ACME = FIXTURE.acme.organization_id

/** A member of a new organization with a live session (an admin with `is_admin`). */
async function memberSession(slug: string, email: string, is_admin = false) {
  const seeded = await control('POST', '/_mock/b2b/sessions', {
    organization_slug: slug,
    email_address: email,
    is_admin,
  })
  expect(seeded.status).toBe(200)
  return {
    organization_id: seeded.body.organization.organization_id as string,
    member_id: seeded.body.member.member_id as string,
    session_token: seeded.body.session_token as string,
    session_jwt: seeded.body.session_jwt as string,
  }
}

describe('consumer: magicLinks.email.invite', () => {
  it('makes a pending user, sends the invite link, and accepting it logs in an active user', async () => {
    const email = unique('invitee')
    const invited = await client.magicLinks.email.invite({
      email,
      name: { first_name: 'Ivy', last_name: 'Invitee' },
      trusted_metadata: { plan: 'team' },
      untrusted_metadata: { theme: 'dark' },
      invite_magic_link_url: `${APP}/accept-invite`,
      invite_expiration_minutes: 30,
    })
    expect(invited.user_id).toMatch(/^user-test-/)
    const user = await client.users.get({ user_id: invited.user_id })
    expect(user).toMatchObject({
      status: 'pending',
      name: { first_name: 'Ivy', last_name: 'Invitee' },
      trusted_metadata: { plan: 'team' },
      untrusted_metadata: { theme: 'dark' },
      emails: [{ email_id: invited.email_id, email, verified: false }],
    })

    const message = await latest(email)
    expect(message).toMatchObject({
      kind: 'magic_link',
      to: email,
      user_id: invited.user_id,
      method_id: invited.email_id,
    })
    const url = new URL(message.url!)
    expect(`${url.origin}${url.pathname}`).toBe(`${APP}/accept-invite`)
    expect(url.searchParams.get('stytch_token_type')).toBe('magic_links')
    expect(url.searchParams.get('token')).toBe(message.token)
    expect(Date.parse(message.expires_at) - Date.parse(message.created_at)).toBe(30 * 60_000)
    expect(message.text).toContain(message.url)

    const accepted = await client.magicLinks.authenticate({
      token: message.token!,
      session_duration_minutes: 60,
    })
    expect(accepted.user_id).toBe(invited.user_id)
    expect(accepted.method_id).toBe(invited.email_id)
    expect(accepted.user).toMatchObject({
      status: 'active',
      emails: [{ email, verified: true }],
    })
    const session = await client.sessions.authenticate({ session_token: accepted.session_token })
    expect(session.session.authentication_factors).toEqual([
      expect.objectContaining({
        type: 'magic_link',
        delivery_method: 'email',
        email_factor: { email_id: invited.email_id, email_address: email },
      }),
    ])
    expect(session.user.status).toBe('active')
    // Single use.
    expect(await failure(client.magicLinks.authenticate({ token: message.token! }))).toEqual({
      status: 401,
      type: 'unable_to_auth_magic_link',
    })
  })

  it('defaults to the invite redirect URL and an hour; an expired invite does not log in', async () => {
    const email = unique('late')
    await client.magicLinks.email.invite({ email })
    const message = await latest(email)
    expect(message.url!.startsWith(`${mock.config.redirectUrls.consumer.invite}?`)).toBe(true)
    expect(Date.parse(message.expires_at) - Date.parse(message.created_at)).toBe(60 * 60_000)
    mock.clock.advance(60 * 60 + 1)
    expect(await failure(client.magicLinks.authenticate({ token: message.token! }))).toEqual({
      status: 401,
      type: 'unable_to_auth_magic_link',
    })
  })

  it('invites a pending user again; an active user is refused', async () => {
    const email = unique('twice')
    const first = await client.magicLinks.email.invite({ email })
    const firstToken = (await latest(email)).token!
    const second = await client.magicLinks.email.invite({ email })
    expect(second).toMatchObject({ user_id: first.user_id, email_id: first.email_id })
    const secondToken = (await latest(email)).token!
    expect(secondToken).not.toBe(firstToken)
    await client.magicLinks.authenticate({ token: secondToken })
    expect(await failure(client.magicLinks.email.invite({ email }))).toEqual({
      status: 400,
      type: 'duplicate_email',
    })
    // A fixture user is active too.
    expect(await failure(client.magicLinks.email.invite({ email: 'ada@example.com' }))).toEqual({
      status: 400,
      type: 'duplicate_email',
    })
  })

  it('refuses a malformed email, expiry or redirect URL', async () => {
    expect(await failure(client.magicLinks.email.invite({ email: 'not-an-email' }))).toEqual({
      status: 400,
      type: 'invalid_email',
    })
    expect(
      await failure(
        client.magicLinks.email.invite({ email: unique('x'), invite_expiration_minutes: 4 }),
      ),
    ).toEqual({ status: 400, type: 'invalid_argument' })
    expect(
      await failure(
        client.magicLinks.email.invite({ email: unique('x'), invite_magic_link_url: 'nope' }),
      ),
    ).toEqual({ status: 400, type: 'invalid_magic_link_url' })
  })
})

describe('consumer: magicLinks.email.revokeInvite', () => {
  it('the invite links stop working; a login link does not; the user stays pending', async () => {
    const email = unique('revoked')
    const { user_id } = await client.magicLinks.email.invite({ email })
    const firstInvite = (await latest(email)).token!
    await client.magicLinks.email.invite({ email })
    const secondInvite = (await latest(email)).token!
    await client.magicLinks.email.send({ email })
    const login = (await latest(email)).token!

    expect(await client.magicLinks.email.revokeInvite({ email: email.toUpperCase() })).toEqual({
      status_code: 200,
      request_id: expect.stringMatching(/^request-id-test-/),
    })
    for (const token of [firstInvite, secondInvite])
      expect(await failure(client.magicLinks.authenticate({ token }))).toEqual({
        status: 404,
        type: 'magic_link_not_found',
      })
    expect((await client.users.get({ user_id })).status).toBe('pending')
    const auth = await client.magicLinks.authenticate({ token: login })
    expect(auth.user.status).toBe('active')
  })

  it('an address that is no user is 404 email_not_found', async () => {
    expect(
      await failure(client.magicLinks.email.revokeInvite({ email: unique('nobody') })),
    ).toEqual({ status: 404, type: 'email_not_found' })
  })
})

describe('consumer: magicLinks.create (embeddable)', () => {
  it('a token for the user that logs in once, verifying no address', async () => {
    const email = unique('embedded')
    const { user_id, email_id } = await client.magicLinks.email.invite({ email })
    const created = await client.magicLinks.create({ user_id, expiration_minutes: 15 })
    expect(created.user_id).toBe(user_id)
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{44}$/)
    // Nothing is sent.
    expect((await latest(email)).token).not.toBe(created.token)

    const auth = await client.magicLinks.authenticate({
      token: created.token,
      session_duration_minutes: 30,
    })
    expect(auth.user_id).toBe(user_id)
    expect(auth.method_id).toMatch(/^embedded-test-/)
    expect(auth.user.status).toBe('active')
    expect(auth.user.emails).toEqual([{ email_id, email, verified: false }])
    const session = await client.sessions.authenticate({ session_jwt: auth.session_jwt })
    expect(session.session.authentication_factors).toEqual([
      expect.objectContaining({
        type: 'magic_link',
        delivery_method: 'embedded',
        embeddable_magic_link_factor: { embedded_id: auth.method_id },
      }),
    ])
    expect(await failure(client.magicLinks.authenticate({ token: created.token }))).toEqual({
      status: 401,
      type: 'unable_to_auth_magic_link',
    })
  })

  it("a deleted user's invite link and embeddable token go with it", async () => {
    const email = unique('deleted-invitee')
    const { user_id } = await client.magicLinks.email.invite({ email })
    const invite = new URL((await latest(email)).url!).searchParams.get('token')!
    const { token: embedded } = await client.magicLinks.create({ user_id })
    const rows = () =>
      mock.world.db
        .prepare<[string, string], { n: number }>(
          'SELECT (SELECT count(*) FROM magic_link_invites WHERE subject_id = ?) + ' +
            '(SELECT count(*) FROM embedded_magic_links WHERE subject_id = ?) AS n',
        )
        .get(user_id, user_id)!.n
    expect(rows()).toBe(2)
    await client.users.delete({ user_id })
    expect(rows()).toBe(0)
    for (const token of [invite, embedded])
      expect(await failure(client.magicLinks.authenticate({ token }))).toEqual({
        status: 404,
        type: 'magic_link_not_found',
      })
  })

  it('an invite to an email the user no longer has (deleted, or exchanged away) does not log in', async () => {
    for (const drop of ['deleteEmail', 'exchangePrimaryFactor'] as const) {
      const email = unique(`dropped-${drop}`)
      const { user_id, email_id } = await client.magicLinks.email.invite({ email })
      const token = new URL((await latest(email)).url!).searchParams.get('token')!
      if (drop === 'deleteEmail') await client.users.deleteEmail({ email_id })
      else await client.users.exchangePrimaryFactor({ user_id, email_address: unique('other') })
      expect(await failure(client.magicLinks.authenticate({ token })), drop).toEqual({
        status: 404,
        type: 'magic_link_not_found',
      })
    }
  })

  it('expires on the mock clock, defaults to an hour, and refuses unknown users', async () => {
    const first = await client.magicLinks.create({ user_id: FIXTURE.adaUserId })
    const second = await client.magicLinks.create({ user_id: FIXTURE.adaUserId })
    mock.clock.advance(59 * 60)
    expect((await client.magicLinks.authenticate({ token: first.token })).user_id).toBe(
      FIXTURE.adaUserId,
    )
    mock.clock.advance(2 * 60)
    expect(await failure(client.magicLinks.authenticate({ token: second.token }))).toEqual({
      status: 401,
      type: 'unable_to_auth_magic_link',
    })
    expect(
      await failure(
        client.magicLinks.create({ user_id: 'user-test-00000000-0000-4000-8000-000000000000' }),
      ),
    ).toEqual({ status: 404, type: 'user_not_found' })
    expect(
      await failure(
        client.magicLinks.create({ user_id: FIXTURE.adaUserId, expiration_minutes: 10081 }),
      ),
    ).toEqual({ status: 400, type: 'invalid_argument' })
  })

  it('the token survives a snapshot and restore, and reset forgets it', async () => {
    const { token } = await client.magicLinks.create({ user_id: FIXTURE.adaUserId })
    const snapshot = await control('POST', '/_mock/snapshots')
    expect(snapshot.status).toBe(200)
    await client.magicLinks.authenticate({ token })
    await control('POST', `/_mock/snapshots/${snapshot.body.snapshot_id}/restore`)
    expect((await client.magicLinks.authenticate({ token })).user_id).toBe(FIXTURE.adaUserId)
    const again = await client.magicLinks.create({ user_id: FIXTURE.adaUserId })
    await control('POST', '/_mock/reset')
    expect(await failure(client.magicLinks.authenticate({ token: again.token }))).toEqual({
      status: 404,
      type: 'magic_link_not_found',
    })
  })
})

describe('B2B: magicLinks.email.invite', () => {
  it('an invited member with name, roles and metadata; accepting logs in an active member', async () => {
    const email = unique('teammate')
    const invited = await b2b.magicLinks.email.invite({
      organization_id: 'acme',
      email_address: email,
      name: 'Tina Teammate',
      roles: ['stytch_admin'],
      trusted_metadata: { seat: 'pro' },
      untrusted_metadata: { color: 'teal' },
      invited_by_member_id: FIXTURE.acme.member_id,
      invite_redirect_url: `${APP}/join`,
    })
    expect(invited.organization.organization_id).toBe(ACME)
    expect(invited.member).toMatchObject({
      member_id: invited.member_id,
      organization_id: ACME,
      email_address: email,
      status: 'invited',
      name: 'Tina Teammate',
      email_address_verified: false,
      trusted_metadata: { seat: 'pro' },
      untrusted_metadata: { color: 'teal' },
    })
    expect(invited.member.roles.map((r) => r.role_id).sort()).toEqual([
      'stytch_admin',
      'stytch_member',
    ])

    const message = await latest(email)
    expect(message).toMatchObject({
      kind: 'magic_link',
      to: email,
      member_id: invited.member_id,
      organization_id: ACME,
    })
    expect(message.text).toContain('Grace Hopper invited you to join Acme Corp')
    const url = new URL(message.url!)
    expect(`${url.origin}${url.pathname}`).toBe(`${APP}/join`)
    expect(url.searchParams.get('stytch_token_type')).toBe('multi_tenant_magic_links')
    expect(Date.parse(message.expires_at) - Date.parse(message.created_at)).toBe(10080 * 60_000)

    const accepted = await b2b.magicLinks.authenticate({
      magic_links_token: message.token!,
      session_duration_minutes: 60,
    })
    expect(accepted.member_authenticated).toBe(true)
    expect(accepted.member).toMatchObject({
      member_id: invited.member_id,
      status: 'active',
      email_address_verified: true,
      name: 'Tina Teammate',
    })
    const session = await b2b.sessions.authenticate({ session_token: accepted.session_token })
    expect(session.member).toMatchObject({ status: 'active', trusted_metadata: { seat: 'pro' } })
    expect(session.member_session.roles).toEqual(
      expect.arrayContaining(['stytch_admin', 'stytch_member']),
    )
    expect(
      await failure(b2b.magicLinks.authenticate({ magic_links_token: message.token! })),
    ).toEqual({ status: 401, type: 'unable_to_auth_magic_link' })
  })

  it('an organization requiring MFA answers the invite with an intermediate session', async () => {
    const email = unique('mfa-invitee')
    const invited = await b2b.magicLinks.email.invite({
      organization_id: FIXTURE.initech.organization_id,
      email_address: email,
    })
    const accepted = await b2b.magicLinks.authenticate({
      magic_links_token: (await latest(email)).token!,
    })
    expect(accepted).toMatchObject({
      member_id: invited.member_id,
      member_authenticated: false,
      session_token: '',
      member_session: null,
    })
    expect(accepted.intermediate_session_token).toMatch(/^[A-Za-z0-9_-]{44}$/)
    expect(accepted.mfa_required).not.toBeNull()
    expect(accepted.member.status).toBe('active')
  })

  it('invites a pending or invited member again; an active one is refused', async () => {
    const email = unique('again')
    const first = await b2b.magicLinks.email.invite({ organization_id: ACME, email_address: email })
    const again = await b2b.magicLinks.email.invite({
      organization_id: ACME,
      email_address: email,
      name: 'Renamed',
    })
    expect(again.member_id).toBe(first.member_id)
    expect(again.member).toMatchObject({ status: 'invited', name: 'Renamed' })
    await b2b.magicLinks.authenticate({ magic_links_token: (await latest(email)).token! })
    expect(
      await failure(b2b.magicLinks.email.invite({ organization_id: ACME, email_address: email })),
    ).toEqual({ status: 400, type: 'duplicate_member_email' })
    expect(
      await failure(
        b2b.magicLinks.email.invite({ organization_id: ACME, email_address: 'grace@example.com' }),
      ),
    ).toEqual({ status: 400, type: 'duplicate_member_email' })
  })

  it("refuses unknown organizations, inviters and roles, and follows the organization's email_invites", async () => {
    expect(
      await failure(
        b2b.magicLinks.email.invite({
          organization_id: 'organization-test-00000000-0000-4000-8000-000000000000',
          email_address: unique('x'),
        }),
      ),
    ).toEqual({ status: 404, type: 'organization_not_found' })
    expect(
      await failure(
        b2b.magicLinks.email.invite({
          organization_id: ACME,
          email_address: unique('x'),
          invited_by_member_id: FIXTURE.globex.member_id,
        }),
      ),
    ).toEqual({ status: 404, type: 'member_not_found' })
    expect(
      await failure(
        b2b.magicLinks.email.invite({
          organization_id: ACME,
          email_address: unique('x'),
          roles: ['no-such-role'],
        }),
      ),
    ).toEqual({ status: 400, type: 'invalid_rbac_role_id' })
    expect(
      await failure(
        b2b.magicLinks.email.invite({
          organization_id: ACME,
          email_address: unique('x'),
          invite_expiration_minutes: 10081,
        }),
      ),
    ).toEqual({ status: 400, type: 'invalid_argument' })
    // An organization that restricts invites to its domains (set in the store: organizations
    // .update is another part of issue #24).
    const org = mock.world.orgs.organization(ACME)!
    mock.world.orgs.insertOrganization({
      ...org,
      organization_id: 'organization-test-7d3e0c5e-4a9b-4c61-9f0e-2b8f5a1c6dff',
      organization_slug: 'restricted-invites',
      email_invites: 'RESTRICTED',
      email_allowed_domains: ['acme.example'],
    })
    expect(
      await failure(
        b2b.magicLinks.email.invite({
          organization_id: 'restricted-invites',
          email_address: unique('outsider', 'elsewhere.example'),
        }),
      ),
    ).toEqual({ status: 400, type: 'invalid_email_for_invites' })
    const inside = await b2b.magicLinks.email.invite({
      organization_id: 'restricted-invites',
      email_address: unique('insider', 'acme.example'),
    })
    expect(inside.member.status).toBe('invited')
  })

  it('with a member session in `authorization`: an admin may invite, a plain member may not', async () => {
    const admin = await memberSession('rbac-invites', unique('admin'), true)
    const plain = await memberSession('rbac-invites', unique('plain'))
    const email = unique('by-admin')
    const invited = await b2b.magicLinks.email.invite(
      { organization_id: admin.organization_id, email_address: email },
      { authorization: { session_token: admin.session_token } },
    )
    expect(invited.member.status).toBe('invited')
    expect(
      await failure(
        b2b.magicLinks.email.invite(
          { organization_id: admin.organization_id, email_address: unique('by-plain') },
          { authorization: { session_jwt: plain.session_jwt } },
        ),
      ),
    ).toEqual({ status: 403, type: 'session_authorization_error' })
    // An admin of another organization is refused this one.
    expect(
      await failure(
        b2b.magicLinks.email.invite(
          { organization_id: ACME, email_address: unique('cross') },
          { authorization: { session_token: admin.session_token } },
        ),
      ),
    ).toEqual({ status: 403, type: 'session_authorization_tenancy_error' })
    // A revoked session authorizes nothing.
    await b2b.sessions.revoke({ session_token: admin.session_token })
    expect(
      await failure(
        b2b.magicLinks.email.invite(
          { organization_id: admin.organization_id, email_address: unique('late') },
          { authorization: { session_token: admin.session_token } },
        ),
      ),
    ).toEqual({ status: 404, type: 'session_not_found' })
  })
})

describe('B2B: sessions.revoke({member_id})', () => {
  it("revokes every session of the member at once, and nobody else's", async () => {
    const target = await memberSession('revoke-all', unique('target'))
    const second = await control('POST', '/_mock/b2b/sessions', {
      organization_id: target.organization_id,
      member_id: target.member_id,
    })
    expect(second.status).toBe(200)
    const bystander = await memberSession('revoke-all', unique('bystander'))
    expect(
      (
        await b2b.sessions.get({
          organization_id: target.organization_id,
          member_id: target.member_id,
        })
      ).member_sessions,
    ).toHaveLength(2)
    await b2b.sessions.revoke({ member_id: target.member_id })
    for (const session_token of [target.session_token, second.body.session_token])
      expect(await failure(b2b.sessions.authenticate({ session_token }))).toEqual({
        status: 404,
        type: 'session_not_found',
      })
    expect(
      (await b2b.sessions.authenticate({ session_token: bystander.session_token })).member
        .member_id,
    ).toBe(bystander.member_id)
  })

  it('as a member (`authorization`): an admin of the organization may, a plain member may not', async () => {
    const admin = await memberSession('revoke-rbac', unique('admin'), true)
    const plain = await memberSession('revoke-rbac', unique('plain'))
    const target = await memberSession('revoke-rbac', unique('target'))
    expect(
      await failure(
        b2b.sessions.revoke(
          { member_id: target.member_id },
          { authorization: { session_token: plain.session_token } },
        ),
      ),
    ).toEqual({ status: 403, type: 'session_authorization_error' })
    expect(
      (await b2b.sessions.authenticate({ session_token: target.session_token })).member_session
        .member_id,
    ).toBe(target.member_id)
    // Grace administers Acme, not this organization.
    expect(
      await failure(
        b2b.sessions.revoke(
          { member_id: target.member_id },
          { authorization: { session_token: FIXTURE.graceToken } },
        ),
      ),
    ).toEqual({ status: 403, type: 'session_authorization_tenancy_error' })
    await b2b.sessions.revoke(
      { member_id: target.member_id },
      { authorization: { session_jwt: admin.session_jwt } },
    )
    expect(
      await failure(b2b.sessions.authenticate({ session_token: target.session_token })),
    ).toEqual({ status: 404, type: 'session_not_found' })
    expect(
      await failure(
        b2b.sessions.revoke({
          member_id: 'member-test-00000000-0000-4000-8000-000000000000',
        }),
      ),
    ).toEqual({ status: 404, type: 'member_not_found' })
    // Its own sessions a plain member may end (stytch.self revoke-sessions, Stytch's default).
    await b2b.sessions.revoke(
      { member_id: plain.member_id },
      { authorization: { session_token: plain.session_token } },
    )
    expect(
      await failure(b2b.sessions.authenticate({ session_token: plain.session_token })),
    ).toEqual({ status: 404, type: 'session_not_found' })
  })
})

describe('consumer: oauth.attach', () => {
  /** The start with the attach token, answered by a queued consent for `email`. */
  async function attachedStart(oauth_attach_token: string, email: string, provider = 'google') {
    await control('POST', '/_mock/oauth/answers', { provider, email })
    const url = new URL(`${mock.url}/v1/public/oauth/${provider}/start`)
    url.searchParams.set('public_token', mock.config.publicToken)
    url.searchParams.set('login_redirect_url', `${APP}/login`)
    url.searchParams.set('signup_redirect_url', `${APP}/signup`)
    url.searchParams.set('oauth_attach_token', oauth_attach_token)
    const res = await fetch(url, { redirect: 'manual' })
    return { status: res.status, location: res.headers.get('location'), res }
  }

  it("links the provider to the signed-in user, whatever the account's email", async () => {
    const ada = await client.sessions.authenticate({ session_token: FIXTURE.adaToken })
    const { oauth_attach_token } = await client.oauth.attach({
      provider: 'google',
      session_token: FIXTURE.adaToken,
    })
    expect(oauth_attach_token).toMatch(/^[A-Za-z0-9_-]{44}$/)
    const work = unique('ada.work')
    const started = await attachedStart(oauth_attach_token, work)
    expect(started.status).toBe(302)
    // A login of Ada's, not a signup.
    const location = new URL(started.location!)
    expect(location.pathname).toBe('/login')
    const auth = await client.oauth.authenticate({
      token: location.searchParams.get('token')!,
      session_duration_minutes: 60,
    })
    expect(auth.user_id).toBe(FIXTURE.adaUserId)
    expect(auth.user.providers).toEqual([
      expect.objectContaining({ provider_type: 'Google', provider_subject: auth.provider_subject }),
    ])
    // The provider's email joins Ada, verified.
    expect(auth.user.emails.map((e) => e.email)).toEqual([
      ...ada.user.emails.map((e) => e.email),
      work,
    ])
    expect(auth.user.emails.at(-1)!.verified).toBe(true)
    expect(await client.users.get({ user_id: FIXTURE.adaUserId })).toMatchObject({
      providers: [expect.objectContaining({ provider_type: 'Google' })],
    })
    // The token was used by the start.
    const reused = await attachedStart(oauth_attach_token, work)
    expect(reused.status).toBe(400)
    expect(((await reused.res.json()) as { error_type: string }).error_type).toBe(
      'invalid_oauth_attach_token',
    )
    await control('DELETE', '/_mock/oauth/answers')
    // Later logins with that Google account are Ada's (no attach needed).
    await control('POST', '/_mock/oauth/answers', { provider: 'google', email: work })
    const url = new URL(`${mock.url}/v1/public/oauth/google/start`)
    url.searchParams.set('public_token', mock.config.publicToken)
    const again = await fetch(url, { redirect: 'manual' })
    const next = await client.oauth.authenticate({
      token: new URL(again.headers.get('location')!).searchParams.get('token')!,
    })
    expect(next.user_id).toBe(FIXTURE.adaUserId)
  })

  it("by user_id; an email another user has stays theirs; another user's registration is not moved", async () => {
    const other = unique('other')
    await control('POST', '/_mock/users', { email: other })
    const mine = await client.magicLinks.email.loginOrCreate({ email: unique('mine') })
    const { oauth_attach_token } = await client.oauth.attach({
      provider: 'github',
      user_id: mine.user_id,
    })
    const started = await attachedStart(oauth_attach_token, other, 'github')
    const auth = await client.oauth.authenticate({
      token: new URL(started.location!).searchParams.get('token')!,
    })
    expect(auth.user_id).toBe(mine.user_id)
    expect(auth.user.emails.map((e) => e.email)).not.toContain(other)

    // That GitHub account is now this user's: attaching it to Ada fails at authenticate.
    const { oauth_attach_token: second } = await client.oauth.attach({
      provider: 'github',
      user_id: FIXTURE.adaUserId,
    })
    const taken = await attachedStart(second, other, 'github')
    expect(
      await failure(
        client.oauth.authenticate({ token: new URL(taken.location!).searchParams.get('token')! }),
      ),
    ).toEqual({ status: 400, type: 'invalid_oauth_attach_token' })
  })

  it('refuses a bad provider, no or several users, unknown users and sessions, and a token for another provider', async () => {
    expect(
      await failure(client.oauth.attach({ provider: 'myspace', user_id: FIXTURE.adaUserId })),
    ).toEqual({ status: 400, type: 'invalid_oauth_provider' })
    expect(await failure(client.oauth.attach({ provider: 'google' }))).toEqual({
      status: 400,
      type: 'no_user_selection_arguments',
    })
    expect(
      await failure(
        client.oauth.attach({
          provider: 'google',
          user_id: FIXTURE.adaUserId,
          session_token: FIXTURE.adaToken,
        }),
      ),
    ).toEqual({ status: 400, type: 'too_many_user_selection_arguments' })
    expect(
      await failure(
        client.oauth.attach({
          provider: 'google',
          user_id: 'user-test-00000000-0000-4000-8000-000000000000',
        }),
      ),
    ).toEqual({ status: 404, type: 'user_not_found' })
    expect(
      await failure(
        client.oauth.attach({ provider: 'google', session_token: FIXTURE.sandboxNotFoundToken }),
      ),
    ).toEqual({ status: 404, type: 'session_not_found' })
    const { oauth_attach_token } = await client.oauth.attach({
      provider: 'google',
      user_id: FIXTURE.adaUserId,
    })
    const wrong = await attachedStart(oauth_attach_token, unique('x'), 'github')
    expect(wrong.status).toBe(400)
    // Expired on the mock clock.
    const { oauth_attach_token: late } = await client.oauth.attach({
      provider: 'google',
      user_id: FIXTURE.adaUserId,
    })
    mock.clock.advance(10 * 60 + 1)
    expect((await attachedStart(late, unique('y'))).status).toBe(400)
  })
})
