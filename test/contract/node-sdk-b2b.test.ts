// The official `stytch` B2BClient against the mock on a loopback port.
import * as stytch from 'stytch'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { startMock, type RunningMock } from '../helpers/server.js'
import { FIXTURE } from '../helpers/world.js'

let mock: RunningMock
let client: stytch.B2BClient

beforeAll(async () => {
  mock = await startMock()
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  client = new stytch.B2BClient({
    project_id: mock.config.projectId,
    secret: mock.config.secret,
    env: `${mock.url}/`,
  })
})
afterAll(async () => {
  vi.restoreAllMocks()
  await mock.close()
})
beforeEach(() => {
  mock.clock.reset()
  mock.seen.length = 0
})

/** A fresh acme session for Grace, so revokes in one test do not touch another. */
const newSession = async () =>
  (
    await mock.world.members.create({
      member_id: FIXTURE.acme.member_id,
      duration_minutes: 60,
      authentication_factors: [
        {
          type: 'magic_link',
          delivery_method: 'email',
          email_factor: { email_id: 'member-email-test-1', email_address: 'grace@example.com' },
        },
      ],
    })
  ).session_token

describe('stytch.B2BClient sessions against the mock', () => {
  it('authenticate by session_token and by session_jwt', async () => {
    const byToken = await client.sessions.authenticate({ session_token: FIXTURE.graceToken })
    expect(byToken.member_session.member_session_id).toBe(FIXTURE.graceSessionId)
    expect(byToken.organization.organization_slug).toBe('acme')
    const byJwt = await client.sessions.authenticate({ session_jwt: byToken.session_jwt })
    expect(byJwt.member.member_id).toBe(FIXTURE.acme.member_id)
  })

  it('authenticateJwt verifies locally (the organization claim parses) after one bare JWKS fetch', async () => {
    const { session_jwt } = await client.sessions.authenticate({
      session_token: await newSession(),
    })
    mock.seen.length = 0
    const res = await client.sessions.authenticateJwt({ session_jwt })
    expect(res.member_session).toMatchObject({
      member_id: FIXTURE.acme.member_id,
      organization_id: FIXTURE.acme.organization_id,
      organization_slug: 'acme',
    })
    expect(mock.seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /v1/b2b/sessions/jwks/${mock.config.projectId}`,
    ])
    expect(mock.seen[0]!.authorization).toBeNull()
  })

  it('authenticateJwt falls back to the API for an expired JWT', async () => {
    const { session_jwt } = await client.sessions.authenticate({
      session_token: await newSession(),
    })
    mock.clock.advance(301)
    mock.clock.freeze() // so the fresh JWT is not minted a second after current_date
    const params = { session_jwt, current_date: new Date(mock.clock.nowMs()) } as {
      session_jwt: string
    }
    mock.seen.length = 0
    const res = (await client.sessions.authenticateJwt(params)) as { session_jwt: string }
    expect(mock.seen.map((r) => `${r.method} ${r.path} ${r.status}`)).toContain(
      'POST /v1/b2b/sessions/authenticate 200',
    )
    expect(res.session_jwt).not.toBe(session_jwt)
  })

  it('exchange into the second organization authenticates; into the MFA-required one yields an intermediate session', async () => {
    const session_token = await newSession()
    const globex = await client.sessions.exchange({
      organization_id: FIXTURE.globex.organization_id,
      session_token,
      locale: 'en',
    })
    expect(globex.member_authenticated).toBe(true)
    expect(globex.member_session?.organization_id).toBe(FIXTURE.globex.organization_id)
    const local = await client.sessions.authenticateJwtLocal({ session_jwt: globex.session_jwt })
    expect(local.organization_slug).toBe('globex')

    const initech = await client.sessions.exchange({
      organization_id: FIXTURE.initech.organization_id,
      session_token,
    })
    expect(initech.member_authenticated).toBe(false)
    expect(initech.intermediate_session_token).toHaveLength(44)
    expect(initech.session_token).toBe('')
    expect(initech.mfa_required).toBeTruthy()
  })

  it('revoke by member_id ends every session of that member', async () => {
    const a = await newSession()
    const b = await newSession()
    await client.sessions.revoke({ member_id: FIXTURE.acme.member_id })
    for (const session_token of [a, b]) {
      const err = await client.sessions.authenticate({ session_token }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(stytch.StytchError)
      expect(err).toMatchObject({ status_code: 404, error_type: 'session_not_found' })
    }
  })

  it('get and getJWKS', async () => {
    const token = await newSession()
    const { member_session } = await client.sessions.authenticate({ session_token: token })
    const res = await client.sessions.get({
      organization_id: FIXTURE.acme.organization_id,
      member_id: FIXTURE.acme.member_id,
    })
    expect(res.member_sessions.map((s) => s.member_session_id)).toContain(
      member_session.member_session_id,
    )
    const jwks = await client.sessions.getJWKS({ project_id: mock.config.projectId })
    expect(jwks.keys[0]!.kid).toBe(mock.world.keys.ring.active.kid)
  })

  it('errors surface as StytchError with the right error_type', async () => {
    const token = await newSession()
    const tenancy = await client.sessions
      .authenticate({
        session_token: token,
        authorization_check: {
          organization_id: FIXTURE.globex.organization_id,
          resource_id: 'documents',
          action: 'read',
        },
      })
      .catch((e: unknown) => e)
    expect(tenancy).toBeInstanceOf(stytch.StytchError)
    expect(tenancy).toMatchObject({
      status_code: 403,
      error_type: 'session_authorization_tenancy_error',
    })
    const org = await client.sessions
      .exchange({ organization_id: 'nowhere', session_token: token })
      .catch((e: unknown) => e)
    expect(org).toMatchObject({ status_code: 404, error_type: 'organization_not_found' })
  })
})

describe('organizations.get and organizations.members.get next to a session (the Node SDK)', () => {
  it('return the organization and member the session carries', async () => {
    const auth = await client.sessions.authenticate({ session_token: await newSession() })
    const { organization } = await client.organizations.get({
      organization_id: auth.member_session.organization_id,
    })
    expect(organization).toEqual(auth.organization)
    for (const by of [
      { member_id: FIXTURE.acme.member_id },
      { email_address: 'grace@example.com' },
    ]) {
      const got = await client.organizations.members.get({
        organization_id: FIXTURE.acme.organization_id,
        ...by,
      })
      expect(got.member).toEqual(auth.member)
      expect(got.organization.organization_slug).toBe('acme')
    }
  })

  it('surface organization_not_found and member_not_found as StytchError', async () => {
    const noOrg = await client.organizations
      .get({ organization_id: 'organization-test-nope' })
      .catch((e: unknown) => e)
    expect(noOrg).toMatchObject({ status_code: 404, error_type: 'organization_not_found' })
    const noMember = await client.organizations.members
      .get({ organization_id: FIXTURE.acme.organization_id, email_address: 'nobody@example.com' })
      .catch((e: unknown) => e)
    expect(noMember).toBeInstanceOf(stytch.StytchError)
    expect(noMember).toMatchObject({ status_code: 404, error_type: 'member_not_found' })
  })
})
