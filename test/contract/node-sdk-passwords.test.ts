// Issue #25: passwords, complete, through the official `stytch` Node SDK. Consumer: the strength
// policy (zxcvbn, and LUDS on a second mock), the reset by email (the outbox's links, expiry on
// the mock's clock, PKCE, single use, the login link), by the existing password and by a recent
// session, each revoking the user's other sessions; migrate with hashes made by other
// implementations (Python's passlib, bcrypt, argon2-cffi and hashlib), checked on the next login.
// B2B: organization-scoped authenticate (and an MFA organization's intermediate session), the
// resets, require_reset, migrate, and discovery's password flows. Every response is also checked
// against openapi.yaml (helpers/server.ts).
import { createHash, randomBytes } from 'node:crypto'
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

const latest = async (to: string): Promise<OutboxMessage> =>
  (await control('GET', `/_mock/outbox?to=${encodeURIComponent(to)}`)).body.messages.at(-1)
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}@example.com`
const STRONG = 'correct-horse-battery'
const NEWER = 'another long pass phrase'
const GRACE = 'grace@example.com'

/** A user with a password and two live sessions. */
async function userWithSessions() {
  const email = unique('reset')
  await control('POST', '/_mock/users', { email, password: STRONG })
  const first = await client.passwords.authenticate({
    email,
    password: STRONG,
    session_duration_minutes: 60,
  })
  const second = await client.passwords.authenticate({
    email,
    password: STRONG,
    session_duration_minutes: 60,
  })
  return { email, user_id: first.user_id, tokens: [first.session_token, second.session_token] }
}

const revoked = async (session_token: string) =>
  (await failure(client.sessions.authenticate({ session_token }))).type === 'session_not_found'

describe('consumer: the strength policy', () => {
  it('zxcvbn-ts scores, Stytch-shaped; a common password counts as breached', async () => {
    const weak = await client.passwords.strengthCheck({ password: 'hunter22' })
    expect(weak).toMatchObject({ valid_password: false, score: 1, strength_policy: 'zxcvbn' })
    expect(weak.feedback!.warning).toBe('This is similar to a commonly used password.')
    expect(weak.feedback!.suggestions.length).toBeGreaterThan(0)
    const breached = await client.passwords.strengthCheck({ password: 'Password' })
    expect(breached).toMatchObject({ valid_password: false, score: 0, breached_password: true })
    // The email (and its local part) count as words an attacker knows.
    const mine = await client.passwords.strengthCheck({
      password: 'grace.hopper-1906',
      email: 'grace.hopper@example.com',
    })
    expect(mine).toMatchObject({ valid_password: false, score: 2 })
    const strong = await client.passwords.strengthCheck({ password: STRONG })
    expect(strong).toMatchObject({ valid_password: true, score: 4, breached_password: false })
    expect(strong.feedback).toEqual({
      warning: '',
      suggestions: [],
      luds_requirements: {
        has_lower_case: true,
        has_upper_case: false,
        has_digit: false,
        has_symbol: true,
        missing_complexity: 1,
        missing_characters: 0,
      },
    })
    // create stores the user's metadata.
    const created = await client.passwords.create({
      email: unique('meta'),
      password: STRONG,
      trusted_metadata: { plan: 'pro' },
      untrusted_metadata: { theme: 'dark' },
    })
    expect(created.user).toMatchObject({
      trusted_metadata: { plan: 'pro' },
      untrusted_metadata: { theme: 'dark' },
    })
    // A breached password is refused where a new password is set.
    expect(
      await failure(client.passwords.create({ email: unique('breached'), password: 'password1' })),
    ).toEqual({ status: 400, type: 'weak_password' })
  })

  it('B2B answers the same policy with zxcvbn_feedback and luds_feedback', async () => {
    const weak = await b2b.passwords.strengthCheck({ password: 'hunter22' })
    expect(weak).toMatchObject({
      valid_password: false,
      score: 1,
      strength_policy: 'zxcvbn',
      zxcvbn_feedback: { warning: 'This is similar to a commonly used password.' },
      luds_feedback: { has_digit: true, missing_complexity: 1 },
    })
    expect(weak).not.toHaveProperty('feedback')
  })
})

describe('consumer: password reset by email', () => {
  it('sends both links, resets once, verifies the email, revokes every session, logs in', async () => {
    const { email, user_id, tokens } = await userWithSessions()
    const started = await client.passwords.email.resetStart({
      email,
      reset_password_redirect_url: 'http://localhost:3000/reset',
      login_redirect_url: 'http://localhost:3000/login',
    })
    expect(started.user_id).toBe(user_id)
    const message = await latest(email)
    expect(message).toMatchObject({ kind: 'password_reset', to: email, user_id })
    const url = new URL(message.url!)
    expect(`${url.origin}${url.pathname}`).toBe('http://localhost:3000/reset')
    expect(url.searchParams.get('stytch_token_type')).toBe('reset_password')
    expect(url.searchParams.get('token')).toBe(message.token)
    const login = new URL(message.login_url!)
    expect(login.pathname).toBe('/login')
    expect(login.searchParams.get('stytch_token_type')).toBe('login')
    expect(message.text).toContain(message.url)

    // A weak password is refused before the token is spent.
    expect(
      await failure(client.passwords.email.reset({ token: message.token!, password: 'hunter22' })),
    ).toEqual({ status: 400, type: 'weak_password' })
    const reset = await client.passwords.email.reset({
      token: message.token!,
      password: NEWER,
      session_duration_minutes: 30,
    })
    expect(reset.user_id).toBe(user_id)
    expect(reset.session!.authentication_factors).toEqual([
      expect.objectContaining({
        type: 'password',
        delivery_method: 'email',
        email_factor: { email_id: started.email_id, email_address: email },
      }),
    ])
    for (const token of tokens) expect(await revoked(token)).toBe(true)
    await client.sessions.authenticate({ session_token: reset.session_token })

    expect(
      await failure(client.passwords.email.reset({ token: message.token!, password: NEWER })),
    ).toEqual({ status: 401, type: 'unable_to_auth_magic_link' })
    expect(await failure(client.passwords.authenticate({ email, password: STRONG }))).toEqual({
      status: 401,
      type: 'unauthorized_credentials',
    })
    await client.passwords.authenticate({ email, password: NEWER })
  })

  it('refuses expired, unknown and magic-link tokens, and unknown emails', async () => {
    const { email } = await userWithSessions()
    await client.passwords.email.resetStart({ email, reset_password_expiration_minutes: 5 })
    const { token } = await latest(email)
    mock.clock.advance(301)
    expect(await failure(client.passwords.email.reset({ token: token!, password: NEWER }))).toEqual(
      { status: 401, type: 'unable_to_auth_magic_link' },
    )
    expect(
      await failure(
        client.passwords.email.reset({
          token: randomBytes(33).toString('base64url'),
          password: NEWER,
        }),
      ),
    ).toEqual({ status: 404, type: 'magic_link_not_found' })
    // A magic link is not a reset link.
    await client.magicLinks.email.loginOrCreate({ email })
    const link = await latest(email)
    expect(
      await failure(client.passwords.email.reset({ token: link.token!, password: NEWER })),
    ).toEqual({ status: 404, type: 'magic_link_not_found' })
    expect(await failure(client.passwords.email.resetStart({ email: unique('nobody') }))).toEqual({
      status: 404,
      type: 'email_not_found',
    })
  })

  it('checks the PKCE verifier when the reset began with a challenge', async () => {
    const { email } = await userWithSessions()
    const verifier = randomBytes(32).toString('hex')
    const code_challenge = createHash('sha256').update(verifier).digest('base64url')
    await client.passwords.email.resetStart({ email, code_challenge })
    const { token } = await latest(email)
    expect(await failure(client.passwords.email.reset({ token: token!, password: NEWER }))).toEqual(
      { status: 400, type: 'pkce_expected_code_verifier' },
    )
    expect(
      await failure(
        client.passwords.email.reset({
          token: token!,
          password: NEWER,
          code_verifier: 'x'.repeat(43),
        }),
      ),
    ).toEqual({ status: 400, type: 'pkce_mismatch' })
    await client.passwords.email.reset({ token: token!, password: NEWER, code_verifier: verifier })
  })

  it("the email's login link logs in without a password, and spends the reset", async () => {
    const { email, user_id } = await userWithSessions()
    await client.passwords.email.resetStart({ email })
    const { token } = await latest(email)
    const auth = await client.magicLinks.authenticate({
      token: token!,
      session_duration_minutes: 30,
    })
    expect(auth.user_id).toBe(user_id)
    expect(await failure(client.passwords.email.reset({ token: token!, password: NEWER }))).toEqual(
      { status: 401, type: 'unable_to_auth_magic_link' },
    )
  })
})

describe('consumer: reset_password after a first passwordless login (deduplication)', () => {
  it('the password set before the email was proven must be reset; the reset clears it', async () => {
    const email = unique('dedup')
    await client.passwords.create({ email, password: STRONG })
    await client.passwords.authenticate({ email, password: STRONG })
    await client.magicLinks.email.loginOrCreate({ email })
    await client.magicLinks.authenticate({ token: (await latest(email)).token! })
    expect(await failure(client.passwords.authenticate({ email, password: STRONG }))).toEqual({
      status: 400,
      type: 'reset_password',
    })
    // A second passwordless login changes nothing more; the reset by email ends it.
    await client.passwords.email.resetStart({ email })
    await client.passwords.email.reset({ token: (await latest(email)).token!, password: NEWER })
    await client.magicLinks.email.loginOrCreate({ email })
    await client.magicLinks.authenticate({ token: (await latest(email)).token! })
    await client.passwords.authenticate({ email, password: NEWER })
  })

  it('two creates of one email at once: one user, the other refused', async () => {
    const email = unique('race')
    const both = await Promise.allSettled([
      client.passwords.create({ email, password: STRONG }),
      client.passwords.create({ email, password: NEWER }),
    ])
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    const refused = both.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(refused.reason.error_type).toBe('duplicate_email')
  })
})

describe('consumer: reset by the existing password and by session', () => {
  it('existing password: checks it, refuses a weak new one, revokes the other sessions', async () => {
    const { email, tokens } = await userWithSessions()
    expect(
      await failure(
        client.passwords.existingPassword.reset({
          email,
          existing_password: 'not-the-password',
          new_password: NEWER,
        }),
      ),
    ).toEqual({ status: 401, type: 'unauthorized_credentials' })
    expect(
      await failure(
        client.passwords.existingPassword.reset({
          email,
          existing_password: STRONG,
          new_password: 'hunter22',
        }),
      ),
    ).toEqual({ status: 400, type: 'weak_password' })
    const reset = await client.passwords.existingPassword.reset({
      email,
      existing_password: STRONG,
      new_password: NEWER,
      session_duration_minutes: 30,
    })
    for (const token of tokens) expect(await revoked(token)).toBe(true)
    expect(reset.session!.authentication_factors[0]).toMatchObject({ type: 'password' })
    await client.passwords.authenticate({ email, password: NEWER })
    expect(
      await failure(
        client.passwords.existingPassword.reset({
          email: unique('nobody'),
          existing_password: STRONG,
          new_password: NEWER,
        }),
      ),
    ).toEqual({ status: 404, type: 'email_not_found' })
  })

  it('session: a factor from the last 5 minutes; the session used is kept, the others revoked', async () => {
    const { email, tokens } = await userWithSessions()
    const [other, used] = tokens as [string, string]
    const reset = await client.passwords.sessions.reset({ password: NEWER, session_token: used })
    expect(reset.session_token).toBe(used)
    expect(await revoked(other)).toBe(true)
    await client.sessions.authenticate({ session_token: used })
    await client.passwords.authenticate({ email, password: NEWER })

    mock.clock.advance(301)
    expect(
      await failure(client.passwords.sessions.reset({ password: STRONG, session_token: used })),
    ).toEqual({ status: 400, type: 'session_too_old_to_reset_password' })
  })
})

/** Hashes of STRONG made by other implementations (Python: passlib, bcrypt, argon2-cffi, hashlib). */
const IMPORTED = {
  phpass: { hash: '$P$6c.p/Av4HBPv9Db5vXiEAWsbTepboS.' },
  bcrypt: { hash: '$2b$04$Gp.w6x2nfDJ32ufFjzItROMaJFv2mg9VpRRus9Yhv8qHIj0DoK2ri' },
  argon_2id: {
    hash: '$argon2id$v=19$m=1024,t=2,p=1$n/P+fy8lhHCOUeqd09pbSw$xMpOq1/WS9ZlGzOeHlFwMph1bwrvK+YTC9F/Rn25HMk',
  },
  argon_2i: {
    hash: '3e38fe2ecb2f6b0d190a6d43d3f3818b6c3a14fca52e955427d8eae1dbad200f',
    argon_2_config: {
      salt: 'saltsalt1234',
      iteration_amount: 2,
      memory: 1024,
      threads: 1,
      key_length: 32,
    },
  },
  scrypt: {
    hash: '4C285ca0gX0qXv8NLojuxkUEiEG2OGtt9KnMXXq+4IM=',
    scrypt_config: {
      salt: 'MDEyMzQ1Njc4OWFiY2RlZg==',
      n_parameter: 1024,
      r_parameter: 8,
      p_parameter: 1,
      key_length: 32,
    },
  },
  pbkdf_2: {
    hash: 'h6gRwwijtNDYV+GNeF+KDYfUf9PpxQZqZSaCWNm9lpclptvNJr1KsE7cY0MOyhM1mMKsJtKNK7fGtmGvi6Ax7Q==',
    pbkdf_2_config: {
      salt: 'MDEyMzQ1Njc4OWFiY2RlZg==',
      iteration_amount: 1000,
      key_length: 64,
      algorithm: 'sha512',
    },
  },
  md_5: {
    hash: '7d0ff6cdcfe3bfbc94b514c4e5578acc',
    md_5_config: { prepend_salt: 'pre', append_salt: 'post' },
  },
  sha_1: {
    hash: '60915a5ad39ee04904b8b1ece6296cf823558298',
    sha_1_config: { prepend_salt: '', append_salt: 'post' },
  },
  sha_512: {
    hash: 'f304dc3f7d9383f2888c3a22f6b2ec9624d6d9d6975c17d280b2ce7341a7176aaa178d78850804b735bac493e63c323691dc37e9d9d73df8ad79677c7636190c',
    sha_512_config: { prepend_salt: 'pre', append_salt: '' },
  },
} as const

describe('consumer: migrate', () => {
  it.each(Object.entries(IMPORTED))(
    '%s: the imported hash logs in with its password, and only with it',
    async (hash_type, fields) => {
      const email = unique(hash_type.replace(/_/g, ''))
      const migrated = await client.passwords.migrate({ email, hash_type, ...fields })
      expect(migrated).toMatchObject({ user_created: true })
      expect(migrated.user.password).toMatchObject({ requires_reset: false })
      expect(
        await failure(client.passwords.authenticate({ email, password: `${STRONG}!` })),
      ).toEqual({ status: 401, type: 'unauthorized_credentials' })
      await client.passwords.authenticate({ email, password: STRONG })
      // Stored again with the mock's own scheme after it matched: it keeps working.
      await client.passwords.authenticate({ email, password: STRONG })
      expect(await failure(client.passwords.migrate({ email, hash_type, ...fields }))).toEqual({
        status: 400,
        type: 'password_already_exists',
      })
    },
  )

  it("refuses malformed hashes with Stytch's per-type errors", async () => {
    const email = unique('malformed')
    const cases: [Record<string, unknown>, string][] = [
      [{ hash_type: 'bcrypt', hash: '$2b$04$short' }, 'invalid_bcrypt_hash'],
      [{ hash_type: 'md_5', hash: 'not-hex' }, 'invalid_md_5_hash'],
      [{ hash_type: 'sha_1', hash: '60915a5a' }, 'invalid_sha_1_hash'],
      [
        {
          ...IMPORTED.scrypt,
          hash_type: 'scrypt',
          scrypt_config: { ...IMPORTED.scrypt.scrypt_config, key_length: 16 },
        },
        'scrypt_key_length_mismatch',
      ],
      [
        {
          ...IMPORTED.pbkdf_2,
          hash_type: 'pbkdf_2',
          pbkdf_2_config: { ...IMPORTED.pbkdf_2.pbkdf_2_config, algorithm: 'md5' },
        },
        'invalid_pbkdf_2_algorithm',
      ],
      [
        { hash_type: 'phpass', hash: '$X$6c.p/Av4HBPv9Db5vXiEAWsbTepboS.' },
        'invalid_phpass_hash_prefix',
      ],
      [{ hash_type: 'rot13', hash: 'abc' }, 'invalid_hash_type'],
      // Bounds that keep an import from stalling or fooling a login.
      [{ hash_type: 'bcrypt', hash: `$2$05$${'a'.repeat(53)}` }, 'invalid_bcrypt_hash'],
      [{ hash_type: 'bcrypt', hash: `$2b$31$${'a'.repeat(53)}` }, 'invalid_bcrypt_cost'],
      [
        { hash_type: 'scrypt', hash: '$scrypt$ln=4,r=8,p=1$c2FsdHNhbHQ$=' },
        'invalid_base64_scrypt_hash',
      ],
      [
        {
          hash_type: 'scrypt',
          hash: '$scrypt$ln=15,r=8,p=0$MDEyMzQ1Njc4OWFiY2RlZg$4C285ca0gX0qXv8NLojuxkUEiEG2OGtt9KnMXXq+4IM',
        },
        'invalid_scrypt_parameters',
      ],
      [
        {
          hash_type: 'argon_2id',
          hash: '$argon2id$v=19$m=0,t=0,p=0$n/P+fy8lhHCOUeqd09pbSw$xMpOq1/WS9ZlGzOeHlFwMph1bwrvK+YTC9F/Rn25HMk',
        },
        'invalid_hash',
      ],
    ]
    for (const [fields, type] of cases)
      expect(await failure(client.passwords.migrate({ email, ...fields } as never))).toEqual({
        status: 400,
        type,
      })
    // Nothing was made by a refused import.
    expect(await failure(client.passwords.authenticate({ email, password: STRONG }))).toEqual({
      status: 404,
      type: 'email_not_found',
    })
  })

  it('a phone number of another user refuses the import and makes nothing', async () => {
    const email = unique('phone')
    await control('POST', '/_mock/users', { email: unique('owner'), phone_number: '+14155550111' })
    expect(
      await failure(
        client.passwords.migrate({
          email,
          phone_number: '+14155550111',
          ...IMPORTED.bcrypt,
          hash_type: 'bcrypt',
        }),
      ),
    ).toEqual({ status: 400, type: 'duplicate_phone_number' })
    expect(await failure(client.passwords.email.resetStart({ email }))).toEqual({
      status: 404,
      type: 'email_not_found',
    })
  })

  it('an imported password on the common-password list asks for a reset, which clears it', async () => {
    const email = unique('breached')
    const hash = createHash('md5').update('password1').digest('hex')
    await client.passwords.migrate({ email, hash, hash_type: 'md_5', set_email_verified: true })
    expect(await failure(client.passwords.authenticate({ email, password: 'password1' }))).toEqual({
      status: 400,
      type: 'reset_password',
    })
    // Only by email: the password cannot change itself.
    expect(
      await failure(
        client.passwords.existingPassword.reset({
          email,
          existing_password: 'password1',
          new_password: NEWER,
        }),
      ),
    ).toEqual({ status: 400, type: 'reset_password' })
    await client.passwords.email.resetStart({ email })
    await client.passwords.email.reset({ token: (await latest(email)).token!, password: NEWER })
    await client.passwords.authenticate({ email, password: NEWER })
  })
})

/** Grace's password login in one of her organizations. */
const graceLogin = (organization_id: string, password: string) =>
  b2b.passwords.authenticate({ organization_id, email_address: GRACE, password })

/** Grace (acme, globex, initech) gets a password in acme through the reset email. */
async function graceWithPassword(organization_id = FIXTURE.acme.organization_id) {
  await b2b.passwords.email.resetStart({ organization_id, email_address: 'grace@example.com' })
  const message = await latest('grace@example.com')
  return b2b.passwords.email.reset({ password_reset_token: message.token!, password: STRONG })
}

describe('B2B: organization passwords', () => {
  it('reset start and reset by email: the link, a member session, then password logins', async () => {
    const org = FIXTURE.acme.organization_id
    expect(await failure(graceLogin(org, STRONG))).toEqual({
      status: 400,
      type: 'member_password_not_found',
    })
    const started = await b2b.passwords.email.resetStart({
      organization_id: org,
      email_address: 'grace@example.com',
      reset_password_redirect_url: 'http://localhost:3000/reset',
    })
    expect(started.member_id).toBe(FIXTURE.acme.member_id)
    const message = await latest('grace@example.com')
    expect(message).toMatchObject({
      kind: 'password_reset',
      member_id: FIXTURE.acme.member_id,
      organization_id: org,
    })
    const url = new URL(message.url!)
    expect(url.pathname).toBe('/reset')
    expect(url.searchParams.get('stytch_token_type')).toBe('multi_tenant_passwords')
    expect(url.searchParams.get('stytch_redirect_type')).toBe('reset_password')
    const reset = await b2b.passwords.email.reset({
      password_reset_token: message.token!,
      password: STRONG,
    })
    expect(reset).toMatchObject({
      member_authenticated: true,
      member_id: FIXTURE.acme.member_id,
      organization_id: org,
      member_email_id: started.member_email_id,
    })
    expect(reset.member.member_password_id).toMatch(/^member-password-test-/)
    expect(
      await failure(
        b2b.passwords.email.reset({ password_reset_token: message.token!, password: STRONG }),
      ),
    ).toEqual({ status: 401, type: 'unable_to_auth_magic_link' })

    const auth = await graceLogin(org, STRONG)
    expect(auth.member_session!.authentication_factors[0]).toMatchObject({
      type: 'password',
      delivery_method: 'knowledge',
    })
    expect(await failure(graceLogin(org, NEWER))).toEqual({
      status: 401,
      type: 'unauthorized_credentials',
    })
    // A member of another organization: the password is this organization's.
    expect(await failure(graceLogin(FIXTURE.globex.organization_id, STRONG))).toEqual({
      status: 400,
      type: 'member_password_not_found',
    })
    expect(
      await failure(
        b2b.passwords.authenticate({
          organization_id: org,
          email_address: unique('stranger'),
          password: STRONG,
        }),
      ),
    ).toEqual({ status: 404, type: 'member_not_found' })
  })

  it('an organization that requires MFA answers a password login with an intermediate session', async () => {
    const reset = await graceWithPassword(FIXTURE.initech.organization_id)
    expect(reset).toMatchObject({ member_authenticated: false, session_token: '' })
    expect(reset.intermediate_session_token).toMatch(/^[A-Za-z0-9_-]{44}$/)
    const auth = await graceLogin(FIXTURE.initech.organization_id, STRONG)
    expect(auth).toMatchObject({ member_authenticated: false, member_session: null })
    expect(auth.mfa_required).not.toBeNull()
  })

  it('existing-password and session resets revoke the other sessions', async () => {
    const org = FIXTURE.acme.organization_id
    const first = await graceWithPassword()
    const existing = await b2b.passwords.existingPassword.reset({
      organization_id: org,
      email_address: 'grace@example.com',
      existing_password: STRONG,
      new_password: NEWER,
    })
    expect(existing.member_authenticated).toBe(true)
    expect(
      (await failure(b2b.sessions.authenticate({ session_token: first.session_token }))).type,
    ).toBe('session_not_found')
    const other = await graceLogin(org, NEWER)
    const bySession = await b2b.passwords.sessions.reset({
      organization_id: org,
      password: STRONG,
      session_token: existing.session_token,
    })
    expect(bySession.session_token).toBe(existing.session_token)
    expect(
      (await failure(b2b.sessions.authenticate({ session_token: other.session_token }))).type,
    ).toBe('session_not_found')
    mock.clock.advance(301)
    expect(
      await failure(
        b2b.passwords.sessions.reset({
          organization_id: org,
          password: NEWER,
          session_token: existing.session_token,
        }),
      ),
    ).toEqual({ status: 400, type: 'session_too_old_to_reset_password' })
  })

  it('require_reset: the only member using an email loses its password; several must each reset', async () => {
    const email_address = unique('single')
    const single = await b2b.passwords.migrate({
      organization_id: FIXTURE.acme.organization_id,
      email_address,
      ...IMPORTED.bcrypt,
      hash_type: 'bcrypt',
    })
    const one = await b2b.passwords.email.requireReset({
      email_address,
      organization_id: FIXTURE.acme.organization_id,
    })
    expect(one.member_id).toBe(single.member_id)
    expect(one.member!.member_password_id).toBe('')
    // Grace is an active member of three organizations: her passwords are kept, to be reset.
    await graceWithPassword()
    await graceWithPassword(FIXTURE.globex.organization_id)
    await b2b.passwords.email.requireReset({ email_address: 'grace@example.com' })
    for (const org of [FIXTURE.acme.organization_id, FIXTURE.globex.organization_id])
      expect(await failure(graceLogin(org, STRONG))).toEqual({
        status: 400,
        type: 'member_reset_password',
      })
    // Only by email: the password cannot change itself.
    expect(
      await failure(
        b2b.passwords.existingPassword.reset({
          organization_id: FIXTURE.acme.organization_id,
          email_address: GRACE,
          existing_password: STRONG,
          new_password: NEWER,
        }),
      ),
    ).toEqual({ status: 400, type: 'member_reset_password' })
    // A member_id of another email names nobody.
    expect(
      await failure(
        b2b.passwords.email.requireReset({
          email_address: GRACE,
          organization_id: FIXTURE.acme.organization_id,
          member_id: (
            await b2b.passwords.migrate({
              organization_id: FIXTURE.acme.organization_id,
              email_address: unique('other'),
              ...IMPORTED.bcrypt,
              hash_type: 'bcrypt',
            })
          ).member_id,
        }),
      ),
    ).toEqual({ status: 404, type: 'member_not_found' })
    await graceWithPassword()
    await graceLogin(FIXTURE.acme.organization_id, STRONG)
  })

  it('migrate: a new member, active and verified, logs in with the imported password', async () => {
    const email_address = unique('migrated')
    const migrated = await b2b.passwords.migrate({
      organization_id: FIXTURE.acme.organization_id,
      email_address,
      name: 'Imported Member',
      ...IMPORTED.bcrypt,
      hash_type: 'bcrypt',
    })
    expect(migrated).toMatchObject({ member_created: true })
    expect(migrated.member).toMatchObject({
      status: 'active',
      email_address_verified: true,
      name: 'Imported Member',
    })
    const auth = await b2b.passwords.authenticate({
      organization_id: FIXTURE.acme.organization_id,
      email_address,
      password: STRONG,
    })
    expect(auth.member_id).toBe(migrated.member_id)
  })
})

describe("the pre-built B2B UI's lookups (/sdk/v1/b2b/organizations/search, members/search)", () => {
  /** A frontend SDK call with the B2B public token and no session. */
  const sdkCall = async (path: string, body: object) => {
    const token = mock.config.b2bPublicToken
    const res = await fetch(`${mock.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${token}:${token}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    })
    expect(res.status).toBe(200)
    return ((await res.json()) as { data: Record<string, unknown> }).data
  }

  it('getBySlug: the organization by its slug only, or null', async () => {
    const bySlug = (organization_slug: string) =>
      sdkCall('/sdk/v1/b2b/organizations/search', { organization_slug })
    expect((await bySlug('acme')).organization).toMatchObject({
      organization_id: FIXTURE.acme.organization_id,
      organization_slug: 'acme',
      auth_methods: 'ALL_ALLOWED',
      sso_default_connection_id: null,
    })
    expect((await bySlug('no-such-org')).organization).toBeNull()
    expect((await bySlug(FIXTURE.acme.organization_id)).organization).toBeNull()
  })

  it('members/search: the member with its password id, or null', async () => {
    const search = async (email_address: string) =>
      (
        await sdkCall('/sdk/v1/b2b/organizations/members/search', {
          email_address,
          organization_id: FIXTURE.acme.organization_id,
        })
      ).member
    expect(await search(GRACE)).toEqual({
      status: 'active',
      name: expect.any(String),
      member_password_id: '',
    })
    const reset = await graceWithPassword()
    expect(await search('GRACE@example.com')).toMatchObject({
      member_password_id: reset.member.member_password_id,
    })
    expect(await search(unique('stranger'))).toBeNull()
  })
})

describe('B2B: discovery passwords', () => {
  it('authenticate: a discovery session listing the organizations, then one entered', async () => {
    await graceWithPassword()
    expect(
      await failure(
        b2b.passwords.discovery.authenticate({
          email_address: 'grace@example.com',
          password: NEWER,
        }),
      ),
    ).toEqual({ status: 401, type: 'unauthorized_credentials' })
    const found = await b2b.passwords.discovery.authenticate({
      email_address: 'grace@example.com',
      password: STRONG,
    })
    expect(found.email_address).toBe('grace@example.com')
    const orgs = found.discovered_organizations.map((d) => d.organization!.organization_id)
    expect(orgs).toEqual(
      expect.arrayContaining([FIXTURE.acme.organization_id, FIXTURE.globex.organization_id]),
    )
    const entered = await b2b.discovery.intermediateSessions.exchange({
      intermediate_session_token: found.intermediate_session_token,
      organization_id: FIXTURE.acme.organization_id,
    })
    expect(entered.member_session!.authentication_factors[0]).toMatchObject({ type: 'password' })
  })

  it('reset by email: the discovery link sets the password for every membership', async () => {
    await b2b.passwords.discovery.email.resetStart({ email_address: 'grace@example.com' })
    const message = await latest('grace@example.com')
    const url = new URL(message.url!)
    expect(url.searchParams.get('stytch_token_type')).toBe('discovery')
    expect(url.searchParams.get('stytch_redirect_type')).toBe('reset_password')
    const reset = await b2b.passwords.discovery.email.reset({
      password_reset_token: message.token!,
      password: STRONG,
    })
    expect(reset.discovered_organizations.length).toBeGreaterThanOrEqual(2)
    for (const org of [FIXTURE.acme.organization_id, FIXTURE.globex.organization_id])
      await graceLogin(org, STRONG)
    expect(
      await failure(
        b2b.passwords.discovery.email.reset({
          password_reset_token: message.token!,
          password: STRONG,
        }),
      ),
    ).toEqual({ status: 401, type: 'unable_to_auth_magic_link' })
    // An organization reset link is not a discovery one, nor the other way round.
    await b2b.passwords.email.resetStart({
      organization_id: FIXTURE.acme.organization_id,
      email_address: 'grace@example.com',
    })
    expect(
      await failure(
        b2b.passwords.discovery.email.reset({
          password_reset_token: (await latest('grace@example.com')).token!,
          password: STRONG,
        }),
      ),
    ).toEqual({ status: 404, type: 'magic_link_not_found' })
  })
})

describe('state control covers passwords', () => {
  it('a snapshot keeps passwords, reset links and required resets; reset forgets them', async () => {
    await graceWithPassword()
    await graceWithPassword(FIXTURE.globex.organization_id)
    await b2b.passwords.email.requireReset({ email_address: GRACE })
    await b2b.passwords.email.resetStart({
      organization_id: FIXTURE.acme.organization_id,
      email_address: GRACE,
    })
    const { token } = await latest(GRACE)
    const snapshot = (await control('POST', '/_mock/snapshots')).body.snapshot_id
    await b2b.passwords.email.reset({ password_reset_token: token!, password: NEWER })
    await control('POST', `/_mock/snapshots/${snapshot}/restore`)
    // Back to before the reset: the link unused, the reset still required.
    const login = () => graceLogin(FIXTURE.acme.organization_id, STRONG)
    expect(await failure(login())).toEqual({ status: 400, type: 'member_reset_password' })
    await b2b.passwords.email.reset({ password_reset_token: token!, password: STRONG })
    await login()
    await control('POST', '/_mock/reset')
    expect(await failure(login())).toEqual({ status: 400, type: 'member_password_not_found' })
    expect(
      await failure(b2b.passwords.email.reset({ password_reset_token: token!, password: STRONG })),
    ).toEqual({ status: 404, type: 'magic_link_not_found' })
  })
})

describe('the journal and scoped faults see password calls', () => {
  it("a fault scoped to an organization hits its members' password logins only", async () => {
    await graceWithPassword()
    await graceWithPassword(FIXTURE.globex.organization_id)
    await control('DELETE', '/_mock/requests')
    const fault = await control('POST', '/_mock/faults', {
      path: '/v1/b2b/passwords/*',
      status: 429,
      times: -1,
      match: { organization_id: FIXTURE.acme.organization_id },
    })
    expect(fault.status).toBe(200)
    expect(await failure(graceLogin(FIXTURE.acme.organization_id, STRONG))).toEqual({
      status: 429,
      type: 'too_many_requests',
    })
    const globex = await graceLogin(FIXTURE.globex.organization_id, STRONG)
    await control('DELETE', '/_mock/faults')
    const journal = (await control('GET', '/_mock/requests?path=/v1/b2b/passwords/*')).body
      .requests as { status: number; member_id: string | null }[]
    expect(journal.map((e) => [e.status, e.member_id])).toEqual([
      [429, null],
      [200, globex.member_id],
    ])
  })
})

describe('a second mock with the LUDS policy (STYTCH_MOCK_PASSWORD_POLICY=luds:10:4)', () => {
  const luds = mockWithSdk((options) => new stytch.Client(options), {
    STYTCH_MOCK_PASSWORD_POLICY: 'luds:10:4',
  })

  it('validates by length and character classes, score 0, and the bootstrap says so', async () => {
    const short = await luds.client.passwords.strengthCheck({ password: 'Ab1!' })
    expect(short).toMatchObject({ valid_password: false, score: 0, strength_policy: 'luds' })
    expect(short.feedback).toEqual({
      warning: '',
      suggestions: [],
      luds_requirements: {
        has_lower_case: true,
        has_upper_case: true,
        has_digit: true,
        has_symbol: true,
        missing_complexity: 0,
        missing_characters: 6,
      },
    })
    expect(await luds.client.passwords.strengthCheck({ password: 'Quartz-Lamp-42' })).toMatchObject(
      { valid_password: true },
    )
    const b2bLuds = new stytch.B2BClient({
      project_id: luds.mock.config.projectId,
      secret: luds.mock.config.secret,
      env: `${luds.mock.url}/`,
    })
    expect(await b2bLuds.passwords.strengthCheck({ password: 'Ab1!' })).toMatchObject({
      strength_policy: 'luds',
      score: 0,
      zxcvbn_feedback: { warning: '', suggestions: [] },
      luds_feedback: { missing_characters: 6, missing_complexity: 0 },
    })
    const res = await fetch(
      `${luds.mock.url}/sdk/v1/projects/bootstrap/${luds.mock.config.publicToken}`,
    )
    expect((await res.json()).data.password_config).toEqual({
      luds_complexity: 4,
      luds_minimum_count: 10,
    })
  })
})
