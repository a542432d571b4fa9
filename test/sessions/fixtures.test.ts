import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Secret, TOTP } from 'otpauth'
import { describe, expect, it } from 'vitest'
import { FixtureError, loadFixtures } from '../../server/platform/sessions/fixtures.js'
import { DEFAULTS } from '../../server/config.js'
import { fencedBlocks } from '../helpers/docs.js'
import { testWorld } from '../helpers/world.js'

const write = (data: unknown) => {
  const dir = mkdtempSync(join(tmpdir(), 'stytch-mock-fixtures-'))
  const file = join(dir, 'bad.json')
  writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data))
  return file
}
const user = { user_id: 'user-test-00000000-0000-4000-8000-000000000001', email: 'a@example.com' }
const session = {
  session_id: 'session-test-00000000-0000-4000-8000-000000000001',
  user_id: user.user_id,
  session_token: 'x'.repeat(44),
}

describe('fixtures', () => {
  it('loads the bundled set', async () => {
    const fixtures = await loadFixtures(DEFAULTS.STYTCH_MOCK_FIXTURES)
    expect(fixtures.users.length).toBeGreaterThanOrEqual(2)
    expect(fixtures.sessions.length).toBeGreaterThanOrEqual(2)
  })

  it('the build lists the bundled files as valid against this schema; one changed byte is checked again', async () => {
    const known = JSON.parse(
      readFileSync('dist/server/platform/sessions/fixtures.valid.json', 'utf8'),
    ) as { valid: string[] }
    const sha = (text: string) => createHash('sha256').update(text).digest('hex')
    const bundled = join(DEFAULTS.STYTCH_MOCK_FIXTURES, 'consumer.json')
    const text = readFileSync(bundled, 'utf8')
    expect(known.valid).toContain(sha(text))
    // The same file with a session token too short: not the bytes the build checked.
    const changed = text.replace('stytch-mock-fixture-session-token-ada-000001', 'short')
    expect(known.valid).not.toContain(sha(changed))
    await expect(loadFixtures(write(changed))).rejects.toThrow(/session_token: must match pattern/)
  })

  it.each([
    ['{"users": [', /not valid JSON/],
    [{ users: [{ email: 'a@example.com' }] }, /\/users\/0: must have required property 'user_id'/],
    [
      { users: [user], sessions: [{ ...session, session_token: 'short' }] },
      /\/sessions\/0\/session_token: must match pattern/,
    ],
    [
      { users: [user], sessions: [{ ...session, custom_claims: { iss: 'x' } }] },
      /\/sessions\/0\/custom_claims/,
    ],
    [
      {
        users: [user],
        sessions: [{ ...session, user_id: 'user-test-00000000-0000-4000-8000-000000000002' }],
      },
      /\/sessions\/0\/user_id: .* is not a fixture user/,
    ],
    [{ users: [user, user] }, /\/users\/1\/user_id: duplicate/],
    [{ users: [user], colour: 'red' }, /must NOT have additional properties/],
  ])('rejects %j naming the file and the JSON path', async (data, message) => {
    const file = write(data)
    let error: unknown
    try {
      await loadFixtures(file)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(FixtureError)
    expect((error as Error).message).toContain(file)
    expect((error as Error).message).toMatch(message)
  })

  it('seeds a custom fixture file whose token then authenticates', async () => {
    const file = write({ users: [user], sessions: [{ ...session, expires_in_minutes: 10 }] })
    const t = await testWorld({ STYTCH_MOCK_FIXTURES: file })
    const res = await t.call('POST', '/v1/sessions/authenticate', {
      body: { session_token: session.session_token },
    })
    expect(res.status).toBe(200)
    expect(res.body.session.session_id).toBe(session.session_id)
    t.clock.advance(600)
    const expired = await t.call('POST', '/v1/sessions/authenticate', {
      body: { session_token: session.session_token },
    })
    expect(expired.body.error_type).toBe('session_not_found')
  })

  it("seeds a member's password: b2b/passwords/authenticate works at once", async () => {
    const org = 'organization-test-00000000-0000-4000-8000-000000000001'
    const member = 'member-test-00000000-0000-4000-8000-000000000001'
    const file = write({
      organizations: [{ organization_id: org, organization_name: 'Pw', organization_slug: 'pw' }],
      members: [
        { member_id: member, organization_id: org, email_address: 'm@example.com', password: 'pw' },
      ],
    })
    const t = await testWorld({ STYTCH_MOCK_FIXTURES: file })
    const login = (password: string) =>
      t.call('POST', '/v1/b2b/passwords/authenticate', {
        body: { organization_id: 'pw', email_address: 'm@example.com', password },
      })
    const ok = await login('pw')
    expect(ok.status).toBe(200)
    expect(ok.body.member.member_password_id).toBe(
      'member-password-test-00000000-0000-4000-8000-000000000001',
    )
    expect((await login('not pw')).body.error_type).toBe('unauthorized_credentials')
  })

  it("seeds a member's authenticator app: an MFA login completes with a code from its secret", async () => {
    const org = 'organization-test-00000000-0000-4000-8000-000000000002'
    const member = 'member-test-00000000-0000-4000-8000-000000000002'
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
    const file = write({
      organizations: [
        {
          organization_id: org,
          organization_name: 'Mfa',
          organization_slug: 'mfa',
          mfa_policy: 'REQUIRED_FOR_ALL',
        },
      ],
      members: [
        {
          member_id: member,
          organization_id: org,
          email_address: 'm@example.com',
          password: 'pw',
          totp_secret: secret,
        },
      ],
    })
    const t = await testWorld({ STYTCH_MOCK_FIXTURES: file })
    const primary = await t.call('POST', '/v1/b2b/passwords/authenticate', {
      body: { organization_id: org, email_address: 'm@example.com', password: 'pw' },
    })
    const { intermediate_session_token, mfa_required, member: seeded } = primary.body
    expect(seeded).toMatchObject({ default_mfa_method: 'totp', mfa_phone_number: '' })
    expect(mfa_required.member_options.totp_registration_id).toBe(seeded.totp_registration_id)
    const code = new TOTP({ secret: Secret.fromBase32(secret) }).generate({
      timestamp: t.clock.nowMs(),
    })
    expect((await t.call('GET', `/_mock/totps/${member}`)).body).toMatchObject({ code, secret })
    const done = await t.call('POST', '/v1/b2b/totp/authenticate', {
      body: { organization_id: org, member_id: member, code, intermediate_session_token },
    })
    expect(done.status, JSON.stringify(done.body)).toBe(200)
    expect(
      done.body.member_session.authentication_factors.map((f: { type: string }) => f.type),
    ).toEqual(['password', 'totp'])
  })

  it('refuses a member totp_secret that is not base32', async () => {
    const org = 'organization-test-00000000-0000-4000-8000-000000000003'
    const file = write({
      organizations: [{ organization_id: org, organization_name: 'X', organization_slug: 'x' }],
      members: [
        {
          member_id: 'member-test-00000000-0000-4000-8000-000000000003',
          organization_id: org,
          email_address: 'x@example.com',
          totp_secret: 'not base32!',
        },
      ],
    })
    await expect(loadFixtures(file)).rejects.toThrow(/totp_secret/)
  })

  it('a Connected App its seeding refuses: start-up names it; a reset to it changes nothing', async () => {
    const app = {
      client_id: 'connected-app-test-00000000-0000-4000-8000-000000000001',
      client_type: 'first_party',
      client_secret: 'fixture-secret-000000000000000000000000000001',
      redirect_urls: ['https://app.example.com/cb'],
    }
    // Valid against the schema; a first-party-only setting on a third-party client is not.
    const bad = { ...app, client_type: 'third_party', full_access_allowed: true }
    await expect(
      testWorld({ STYTCH_MOCK_FIXTURES: write({ connected_apps: [bad] }) }),
    ).rejects.toThrow(
      /^connected_apps\[0\] \(connected-app-test-0{8}-0{4}-4000-8000-0{11}1\): .*first party/,
    )

    const file = write({ users: [user], sessions: [session], connected_apps: [app] })
    const t = await testWorld({ STYTCH_MOCK_FIXTURES: file })
    const made = await t.call('POST', '/v1/users', { body: { email: 'kept@example.com' } })
    expect(made.status).toBe(200)
    writeFileSync(file, JSON.stringify({ users: [user], connected_apps: [bad] }))
    const reset = await t.call('POST', '/_mock/reset')
    expect(reset.status).toBe(500)
    expect(reset.body.error_message).toMatch(/The fixtures no longer load: connected_apps\[0\]/)
    // Every row as it was: the user made since, the fixture session, the client.
    expect((await t.call('GET', `/v1/users/${made.body.user_id}`)).status).toBe(200)
    const authed = await t.call('POST', '/v1/sessions/authenticate', {
      body: { session_token: session.session_token },
    })
    expect(authed.status).toBe(200)
    expect((await t.call('GET', `/v1/connected_apps/clients/${app.client_id}`)).status).toBe(200)
  })
})

describe('docs/fixtures.md example', () => {
  it('is a valid fixture file whose tokens authenticate', async () => {
    const example = fencedBlocks(readFileSync('docs/fixtures.md', 'utf8')).find(
      (b) => b.lang === 'json' && b.code.includes('"$schema": "./node_modules'),
    )?.code
    expect(example).toBeDefined()
    const file = write(example!)
    const fixtures = await loadFixtures(file)
    const t = await testWorld({ STYTCH_MOCK_FIXTURES: file })
    const consumer = await t.call('POST', '/v1/sessions/authenticate', {
      body: { session_token: fixtures.sessions[0]!.session_token },
    })
    expect(consumer.status).toBe(200)
    const member = await t.call('POST', '/v1/b2b/sessions/authenticate', {
      body: { session_token: fixtures.member_sessions[0]!.session_token },
    })
    expect(member.status).toBe(200)
    // The user's password logs in; the organization provisions an email of its allowed domain.
    const password = await t.call('POST', '/v1/passwords/authenticate', {
      body: { email: 'qa@example.com', password: 'qa-password-1' },
    })
    expect(password.status).toBe(200)
    const joined = await t.call('POST', '/v1/b2b/otps/email/login_or_signup', {
      body: {
        organization_id: fixtures.organizations[0]!.organization_id,
        email_address: 'new@example.com',
      },
    })
    expect(joined.body.member_created).toBe(true)
    const refused = await t.call('POST', '/v1/b2b/otps/email/login_or_signup', {
      body: {
        organization_id: fixtures.organizations[0]!.organization_id,
        email_address: 'new@elsewhere.org',
      },
    })
    expect(refused.body.error_type).toBe('email_jit_provisioning_not_allowed')
  })
})
