// Issue #27: WebAuthn and passkeys (webauthn.registerStart, register, authenticateStart,
// authenticate, update, listCredentials) through the official `stytch` Node SDK, with a software
// authenticator written for the tests (attestation none, ES256); every refusal a server must make
// (signature, origin, RP ID, replay, expiry, counter, presence and verification) with Stytch's
// error; the frontend twins over the wire. Every response is also checked against openapi.yaml.
import * as stytch from 'stytch'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { controlOf, failure, mockWithSdk, sdkCallOf, type RunningMock } from '../helpers/server.js'
import { SoftAuthenticator } from '../helpers/soft-authenticator.js'
import { ORIGIN } from '../helpers/world.js'
import { verifyAssertion } from '../../server/products/webauthn/verify.js'

let mock: RunningMock
let control: ReturnType<typeof controlOf>
let client: stytch.Client

const sdk = mockWithSdk((options) => new stytch.Client(options))
beforeAll(() => {
  ;({ mock, client } = sdk)
  control = controlOf(mock)
})

beforeEach(async () => {
  mock.clock.reset()
  await control('POST', '/_mock/reset')
})

const DOMAIN = 'localhost'
const PASSWORD = 'correct-horse-battery'
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}@example.com`
const text = (credential: object) => JSON.stringify(credential)

/** A user with a verified email and a password. */
async function newUser() {
  const email = unique('passkey')
  const { body } = await control('POST', '/_mock/users', { email, password: PASSWORD })
  return { email, user_id: body.user_id as string }
}

/** A user with a passkey registered on localhost (a new session of an hour from it). */
async function registered(authenticator = new SoftAuthenticator({ origin: ORIGIN })) {
  const user = await newUser()
  const start = await client.webauthn.registerStart({
    user_id: user.user_id,
    domain: DOMAIN,
    user_agent: 'soft-authenticator/1.0',
    return_passkey_credential_options: true,
  })
  const credential = authenticator.create(start.public_key_credential_creation_options)
  const result = await client.webauthn.register({
    user_id: user.user_id,
    public_key_credential: text(credential),
    session_duration_minutes: 60,
  })
  return { ...user, authenticator, credential, result }
}

/** An assertion of the authenticator for a new authenticate/start (user_id: allowCredentials). */
async function assertion(
  authenticator: SoftAuthenticator,
  options: Parameters<SoftAuthenticator['get']>[1] = {},
  user_id?: string,
) {
  const start = await client.webauthn.authenticateStart({
    domain: DOMAIN,
    ...(user_id ? { user_id } : {}),
  })
  return text(authenticator.get(start.public_key_credential_request_options, options))
}

const webauthnFactor = (webauthn_registration_id: string, user_agent?: string) => ({
  type: 'webauthn',
  delivery_method: 'webauthn_registration',
  webauthn_factor: {
    webauthn_registration_id,
    domain: DOMAIN,
    ...(user_agent ? { user_agent } : {}),
  },
})

/** A frontend SDK call (/sdk/v1), as @stytch/vanilla-js sends it. */
const sdkCall = (
  method: string,
  path: string,
  session: string | null,
  body?: object,
  origin = ORIGIN,
) => sdkCallOf(mock, method, path, session, body, origin)

describe('webauthn.registerStart', () => {
  it('answers the creation options as JSON text: passkey settings, the user, the challenge', async () => {
    const { user_id, email } = await newUser()
    const start = await client.webauthn.registerStart({
      user_id,
      domain: DOMAIN,
      return_passkey_credential_options: true,
    })
    expect(start.user_id).toBe(user_id)
    const options = JSON.parse(start.public_key_credential_creation_options)
    expect(Object.keys(options)).toEqual([
      'attestation',
      'authenticatorSelection',
      'challenge',
      'excludeCredentials',
      'pubKeyCredParams',
      'rp',
      'timeout',
      'user',
    ])
    expect(options).toMatchObject({
      attestation: 'none',
      authenticatorSelection: {
        requireResidentKey: true,
        residentKey: 'required',
        userVerification: 'preferred',
      },
      excludeCredentials: [],
      pubKeyCredParams: [
        { alg: -7, type: 'public-key' },
        { alg: -8, type: 'public-key' },
        { alg: -257, type: 'public-key' },
      ],
      rp: { id: DOMAIN, name: 'stytch-mock' },
      timeout: 300000,
      // user.id: the user_id's bytes, standard base64 (with padding) by default.
      user: { id: Buffer.from(user_id).toString('base64'), name: email, displayName: email },
    })
    expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{44}$/)
  })

  it('refuses an override_id longer than 64 bytes (WebAuthn caps user.id there)', async () => {
    const { user_id } = await newUser()
    const start = (override_id: string) =>
      client.webauthn.registerStart({ user_id, domain: DOMAIN, override_id })
    for (const long of ['x'.repeat(65), 'é'.repeat(33)])
      expect(await failure(start(long)), long).toEqual({ status: 400, type: 'invalid_argument' })
    const options = JSON.parse((await start('x'.repeat(64))).public_key_credential_creation_options)
    expect(Buffer.from(options.user.id, 'base64').toString()).toBe('x'.repeat(64))
  })

  it('plain WebAuthn: UV discouraged; authenticator_type, overrides and base64url encoding', async () => {
    const { user_id } = await newUser()
    const start = await client.webauthn.registerStart({
      user_id,
      domain: DOMAIN,
      authenticator_type: 'platform',
      override_id: 'my-app-user-7',
      override_name: 'ada@example.com',
      override_display_name: 'Ada Lovelace',
      use_base64_url_encoding: true,
    })
    const options = JSON.parse(start.public_key_credential_creation_options)
    expect(options.authenticatorSelection).toEqual({
      authenticatorAttachment: 'platform',
      userVerification: 'discouraged',
    })
    expect(options.user).toEqual({
      id: Buffer.from('my-app-user-7').toString('base64url'),
      name: 'ada@example.com',
      displayName: 'Ada Lovelace',
    })
  })

  it('lists the credentials the user has on the domain in excludeCredentials', async () => {
    const { user_id, credential } = await registered()
    for (const [flag, id] of [
      [false, Buffer.from(credential.rawId, 'base64url').toString('base64')],
      [true, credential.rawId],
    ] as const) {
      const start = await client.webauthn.registerStart({
        user_id,
        domain: DOMAIN,
        use_base64_url_encoding: flag,
      })
      expect(JSON.parse(start.public_key_credential_creation_options).excludeCredentials).toEqual([
        { id, type: 'public-key' },
      ])
    }
    const other = await client.webauthn.registerStart({ user_id, domain: 'example.com' })
    expect(JSON.parse(other.public_key_credential_creation_options).excludeCredentials).toEqual([])
  })

  it('refuses an unknown user, a domain that is not a host name, another authenticator type', async () => {
    const { user_id } = await newUser()
    expect(
      await failure(
        client.webauthn.registerStart({
          user_id: 'user-test-00000000-0000-4000-8000-000000000000',
          domain: DOMAIN,
        }),
      ),
    ).toEqual({ status: 404, type: 'user_not_found' })
    for (const domain of ['https://localhost', 'localhost:3000', 'example.com/login', ''])
      expect(await failure(client.webauthn.registerStart({ user_id, domain }))).toEqual({
        status: 400,
        type: 'invalid_webauthn_registration_domain',
      })
    expect(
      await failure(
        client.webauthn.registerStart({ user_id, domain: DOMAIN, authenticator_type: 'usb' }),
      ),
    ).toEqual({ status: 400, type: 'invalid_authenticator_type' })
  })
})

describe('webauthn.register', () => {
  it('verifies the attestation: a verified registration, the webauthn factor in a new session', async () => {
    const { user_id, result } = await registered()
    expect(result.user_id).toBe(user_id)
    expect(result.webauthn_registration_id).toMatch(/^webauthn-registration-test-/)
    const registration = {
      webauthn_registration_id: result.webauthn_registration_id,
      domain: DOMAIN,
      user_agent: 'soft-authenticator/1.0',
      verified: true,
      authenticator_type: '',
      name: 'Passkey',
    }
    expect(result.user.webauthn_registrations).toEqual([registration])
    expect((await client.users.get({ user_id })).webauthn_registrations).toEqual([registration])
    expect(result.session!.authentication_factors).toEqual([
      expect.objectContaining(
        webauthnFactor(result.webauthn_registration_id, 'soft-authenticator/1.0'),
      ),
    ])
    // The session answers (and the JWT's claims) carry the factor.
    const authenticated = await client.sessions.authenticate({ session_jwt: result.session_jwt })
    expect(authenticated.session.authentication_factors[0]).toMatchObject(
      webauthnFactor(result.webauthn_registration_id, 'soft-authenticator/1.0'),
    )
  })

  it('adds the factor to the session it is given (step-up); none without a duration', async () => {
    const { user_id, email } = await newUser()
    const login = await client.passwords.authenticate({
      email,
      password: PASSWORD,
      session_duration_minutes: 60,
    })
    const authenticator = new SoftAuthenticator({ origin: ORIGIN })
    const start = await client.webauthn.registerStart({ user_id, domain: DOMAIN })
    const result = await client.webauthn.register({
      user_id,
      public_key_credential: text(
        authenticator.create(start.public_key_credential_creation_options),
      ),
      session_token: login.session_token,
    })
    expect(result.session!.session_id).toBe(login.session!.session_id)
    expect(result.session!.authentication_factors.map((f) => f.type)).toEqual([
      'password',
      'webauthn',
    ])
    expect(result.user.webauthn_registrations[0]!.name).toBe('WebAuthn key')

    const again = await client.webauthn.registerStart({ user_id, domain: DOMAIN })
    const second = await client.webauthn.register({
      user_id,
      public_key_credential: text(
        new SoftAuthenticator({ origin: ORIGIN }).create(
          again.public_key_credential_creation_options,
        ),
      ),
    })
    expect(second).toMatchObject({ session_token: '', session_jwt: '' })
    expect(second.session).toBeUndefined()
    expect(second.user.webauthn_registrations).toHaveLength(2)
  })

  it('refuses a register without a start, a start of another user, a used or expired one', async () => {
    const { user_id } = await newUser()
    const other = await newUser()
    const authenticator = new SoftAuthenticator({ origin: ORIGIN })
    const forged = JSON.stringify({
      challenge: 'bm90LWEtY2hhbGxlbmdl',
      rp: { id: DOMAIN },
      user: { id: 'dQ' },
    })
    const noStart = { status: 400, type: 'no_pending_webauthn_registration' }
    expect(
      await failure(
        client.webauthn.register({
          user_id,
          public_key_credential: text(authenticator.create(forged)),
        }),
      ),
    ).toEqual(noStart)
    // Another user's start.
    const theirs = await client.webauthn.registerStart({ user_id: other.user_id, domain: DOMAIN })
    expect(
      await failure(
        client.webauthn.register({
          user_id,
          public_key_credential: text(
            authenticator.create(theirs.public_key_credential_creation_options),
          ),
        }),
      ),
    ).toEqual(noStart)
    // Used once (even by a refused call), it is gone; a live one expires after the timeout.
    const start = await client.webauthn.registerStart({ user_id, domain: DOMAIN })
    const good = text(authenticator.create(start.public_key_credential_creation_options))
    await client.webauthn.register({ user_id, public_key_credential: good })
    expect(
      await failure(client.webauthn.register({ user_id, public_key_credential: good })),
    ).toEqual(noStart)
    const late = await client.webauthn.registerStart({ user_id, domain: DOMAIN })
    mock.clock.advance(301)
    expect(
      await failure(
        client.webauthn.register({
          user_id,
          public_key_credential: text(
            authenticator.create(late.public_key_credential_creation_options),
          ),
        }),
      ),
    ).toEqual(noStart)
  })

  it('refuses a wrong origin, a wrong RP ID, no user presence: unable_to_register_webauthn_registration', async () => {
    const { user_id } = await newUser()
    const authenticator = new SoftAuthenticator({ origin: ORIGIN })
    for (const tweak of [
      { origin: 'https://evil.example' },
      { origin: 'http://localhost.evil.example:3000' },
      { origin: 'http://example.com' },
      { rpId: 'example.com' },
      { up: false },
    ]) {
      const start = await client.webauthn.registerStart({ user_id, domain: DOMAIN })
      const credential = authenticator.create(start.public_key_credential_creation_options, tweak)
      expect(
        await failure(
          client.webauthn.register({ user_id, public_key_credential: text(credential) }),
        ),
        JSON.stringify(tweak),
      ).toEqual({ status: 400, type: 'unable_to_register_webauthn_registration' })
    }
    // A subdomain of the RP ID over https is its origin.
    const start = await client.webauthn.registerStart({ user_id, domain: 'example.com' })
    const credential = authenticator.create(start.public_key_credential_creation_options, {
      origin: 'https://login.example.com',
    })
    await client.webauthn.register({ user_id, public_key_credential: text(credential) })
    expect((await client.users.get({ user_id })).webauthn_registrations).toHaveLength(1)
  })

  it('refuses what is not a credential: invalid_public_key_credential', async () => {
    const { user_id } = await newUser()
    for (const bad of ['not json', '{}', '[]', text({ id: 'AAAA', response: {} }), ''])
      expect(
        await failure(client.webauthn.register({ user_id, public_key_credential: bad })),
      ).toEqual({ status: 400, type: 'invalid_public_key_credential' })
  })

  it('takes a credential a backend encoded in standard base64', async () => {
    const { user_id } = await newUser()
    const start = await client.webauthn.registerStart({ user_id, domain: DOMAIN })
    const credential = new SoftAuthenticator({ origin: ORIGIN }).create(
      start.public_key_credential_creation_options,
    )
    const std = (v: string) => Buffer.from(v, 'base64url').toString('base64')
    const result = await client.webauthn.register({
      user_id,
      public_key_credential: text({
        ...credential,
        id: std(credential.id),
        rawId: std(credential.rawId),
        response: {
          ...credential.response,
          clientDataJSON: std(credential.response.clientDataJSON),
          attestationObject: std(credential.response.attestationObject),
        },
      }),
    })
    expect(result.user.webauthn_registrations).toHaveLength(1)
  })
})

describe('webauthn.authenticateStart and authenticate', () => {
  it('discoverable: no user_id, no allowCredentials; the credential names the user', async () => {
    const { user_id, authenticator, result } = await registered()
    const start = await client.webauthn.authenticateStart({
      domain: DOMAIN,
      return_passkey_credential_options: true,
    })
    expect(start.user_id).toBe('')
    const options = JSON.parse(start.public_key_credential_request_options)
    expect(Object.keys(options)).toEqual([
      'allowCredentials',
      'challenge',
      'rpId',
      'timeout',
      'userVerification',
    ])
    expect(options).toMatchObject({
      allowCredentials: [],
      rpId: DOMAIN,
      timeout: 300000,
      userVerification: 'preferred',
    })
    const login = await client.webauthn.authenticate({
      public_key_credential: text(authenticator.get(start.public_key_credential_request_options)),
      session_duration_minutes: 30,
    })
    expect(login.user_id).toBe(user_id)
    expect(login.webauthn_registration_id).toBe(result.webauthn_registration_id)
    expect(login.session!.session_id).not.toBe(result.session!.session_id)
    expect(login.session!.authentication_factors).toEqual([
      expect.objectContaining(
        webauthnFactor(result.webauthn_registration_id, 'soft-authenticator/1.0'),
      ),
    ])
    expect(
      (await client.sessions.authenticate({ session_token: login.session_token })).user.user_id,
    ).toBe(user_id)
  })

  it('with user_id: allowCredentials lists the user credentials; UV discouraged', async () => {
    const { user_id, authenticator, credential } = await registered()
    const external_id = `ext-${Math.random().toString(36).slice(2, 10)}`
    await client.users.update({ user_id, external_id })
    const start = await client.webauthn.authenticateStart({ domain: DOMAIN, user_id: external_id })
    expect(start.user_id).toBe(user_id)
    const options = JSON.parse(start.public_key_credential_request_options)
    expect(options.allowCredentials).toEqual([
      { id: Buffer.from(credential.rawId, 'base64url').toString('base64'), type: 'public-key' },
    ])
    expect(options.userVerification).toBe('discouraged')
    const url = await client.webauthn.authenticateStart({
      domain: DOMAIN,
      user_id,
      use_base64_url_encoding: true,
    })
    expect(JSON.parse(url.public_key_credential_request_options).allowCredentials[0].id).toBe(
      credential.rawId,
    )
    const login = await client.webauthn.authenticate({
      public_key_credential: text(authenticator.get(url.public_key_credential_request_options)),
    })
    expect(login).toMatchObject({ user_id, session_token: '', session_jwt: '' })
  })

  it('a start for one user takes no other user credential; a user without any: 404', async () => {
    const ada = await registered()
    const bob = await newUser()
    expect(
      await failure(client.webauthn.authenticateStart({ domain: DOMAIN, user_id: bob.user_id })),
    ).toEqual({ status: 404, type: 'no_active_webauthn_registrations' })
    const bobs = await registered()
    const start = await client.webauthn.authenticateStart({ domain: DOMAIN, user_id: bobs.user_id })
    // Ada's authenticator answers a start that named Bob.
    const wrong = ada.authenticator.get(
      JSON.stringify({
        ...JSON.parse(start.public_key_credential_request_options),
        allowCredentials: [],
      }),
    )
    expect(
      await failure(client.webauthn.authenticate({ public_key_credential: text(wrong) })),
    ).toEqual({ status: 401, type: 'unable_to_auth_webauthn_registration' })
  })

  it('steps up the session it is given', async () => {
    const { email, authenticator } = await registered()
    const login = await client.passwords.authenticate({
      email,
      password: PASSWORD,
      session_duration_minutes: 60,
    })
    const result = await client.webauthn.authenticate({
      public_key_credential: await assertion(authenticator),
      session_token: login.session_token,
      session_duration_minutes: 120,
    })
    expect(result.session!.session_id).toBe(login.session!.session_id)
    expect(result.session!.authentication_factors.map((f) => f.type)).toEqual([
      'password',
      'webauthn',
    ])
  })

  it('keeps the counter: each assertion must count higher', async () => {
    const { authenticator } = await registered()
    await client.webauthn.authenticate({ public_key_credential: await assertion(authenticator) })
    await client.webauthn.authenticate({ public_key_credential: await assertion(authenticator) })
    // The authenticator reports 2 again, then 1: not increasing.
    for (const counter of [2, 1])
      expect(
        await failure(
          client.webauthn.authenticate({
            public_key_credential: await assertion(authenticator, { counter }),
          }),
        ),
      ).toEqual({ status: 401, type: 'unable_to_auth_webauthn_registration' })
    await client.webauthn.authenticate({
      public_key_credential: await assertion(authenticator, { counter: 10 }),
    })
  })

  it('two assertions at once with the same counter: only one signs in', async () => {
    const { authenticator } = await registered()
    const first = await assertion(authenticator, { counter: 5 })
    const second = await assertion(authenticator, { counter: 5 })
    const results = await Promise.allSettled(
      [first, second].map((public_key_credential) =>
        client.webauthn.authenticate({ public_key_credential }),
      ),
    )
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    const refused = results.find((r) => r.status === 'rejected')!
    expect(await failure(Promise.reject((refused as PromiseRejectedResult).reason))).toEqual({
      status: 401,
      type: 'unable_to_auth_webauthn_registration',
    })
    // An authenticator without a counter (always 0) signs in as often as it likes.
    const zero = await registered()
    for (let i = 0; i < 2; i++)
      await client.webauthn.authenticate({
        public_key_credential: await assertion(zero.authenticator, { counter: 0 }),
      })
  })

  it("refuses an assertion whose userHandle is not the credential's user", async () => {
    const { authenticator } = await registered()
    const other = await newUser()
    const withHandle = (json: string, handle: string | undefined) => {
      const parsed = JSON.parse(json)
      parsed.response.userHandle = handle
      return JSON.stringify(parsed)
    }
    expect(
      await failure(
        client.webauthn.authenticate({
          public_key_credential: withHandle(
            await assertion(authenticator),
            Buffer.from(other.user_id).toString('base64url'),
          ),
        }),
      ),
    ).toEqual({ status: 401, type: 'unable_to_auth_webauthn_registration' })
    // Without a userHandle (it is optional for a non-discoverable credential): fine.
    await client.webauthn.authenticate({
      public_key_credential: withHandle(await assertion(authenticator), undefined),
    })
    // An override_id is the handle the credential answers with.
    const { user_id } = await newUser()
    const start = await client.webauthn.registerStart({
      user_id,
      domain: DOMAIN,
      override_id: 'my-app-user-7',
      return_passkey_credential_options: true,
    })
    const custom = new SoftAuthenticator({ origin: ORIGIN })
    const made = custom.create(start.public_key_credential_creation_options)
    await client.webauthn.register({ user_id, public_key_credential: text(made) })
    const signed = JSON.parse(await assertion(custom))
    expect(Buffer.from(signed.response.userHandle, 'base64url').toString()).toBe('my-app-user-7')
    const auth = await client.webauthn.authenticate({
      public_key_credential: JSON.stringify(signed),
    })
    expect(auth.user_id).toBe(user_id)
    // ... and the user_id is then not.
    expect(
      await failure(
        client.webauthn.authenticate({
          public_key_credential: withHandle(
            await assertion(custom),
            Buffer.from(user_id).toString('base64url'),
          ),
        }),
      ),
    ).toEqual({ status: 401, type: 'unable_to_auth_webauthn_registration' })
  })

  it('refuses a tampered signature, a wrong origin or RP ID, no user presence', async () => {
    const { authenticator } = await registered()
    for (const tweak of [
      { tamper: true },
      { origin: 'https://evil.example' },
      { origin: 'http://127.0.0.1:3000' },
      { rpId: 'example.com' },
      { up: false },
    ])
      expect(
        await failure(
          client.webauthn.authenticate({
            public_key_credential: await assertion(authenticator, tweak),
          }),
        ),
        JSON.stringify(tweak),
      ).toEqual({ status: 401, type: 'unable_to_auth_webauthn_registration' })
    // Each refusal spent its own challenge only: a good assertion still signs in.
    await client.webauthn.authenticate({ public_key_credential: await assertion(authenticator) })
  })

  it('refuses a replayed assertion (its challenge is spent) and an expired challenge', async () => {
    const { authenticator } = await registered()
    // Counter 0 (an authenticator without one) passes the counter rule: only single use refuses.
    const once = await assertion(authenticator, { counter: 0 })
    await client.webauthn.authenticate({ public_key_credential: once })
    expect(await failure(client.webauthn.authenticate({ public_key_credential: once }))).toEqual({
      status: 401,
      type: 'unable_to_auth_webauthn_registration',
    })
    const late = await assertion(authenticator)
    mock.clock.advance(301)
    expect(await failure(client.webauthn.authenticate({ public_key_credential: late }))).toEqual({
      status: 401,
      type: 'unable_to_auth_webauthn_registration',
    })
    // A register/start's challenge is no authenticate challenge.
    const { user_id } = await newUser()
    const start = await client.webauthn.registerStart({ user_id, domain: DOMAIN })
    const { challenge } = JSON.parse(start.public_key_credential_creation_options)
    expect(
      await failure(
        client.webauthn.authenticate({
          public_key_credential: await assertion(authenticator, { challenge }),
        }),
      ),
    ).toEqual({ status: 401, type: 'unable_to_auth_webauthn_registration' })
  })

  it('requires user verification when the options ask it, and only then', async () => {
    const { authenticator } = await registered()
    // Stytch's options prefer or discourage it: an authenticator without UV signs in.
    await client.webauthn.authenticate({
      public_key_credential: await assertion(authenticator, { uv: false }),
    })
    // Options that require it (the service's own start; no Stytch request asks for it).
    const required = mock.world.webauthn.authenticateStart({
      domain: DOMAIN,
      user_verification: 'required',
    })
    expect(JSON.parse(required.public_key_credential_request_options).userVerification).toBe(
      'required',
    )
    expect(
      await failure(
        client.webauthn.authenticate({
          public_key_credential: text(
            authenticator.get(required.public_key_credential_request_options, { uv: false }),
          ),
        }),
      ),
    ).toEqual({ status: 401, type: 'unable_to_auth_webauthn_registration' })
    const again = mock.world.webauthn.authenticateStart({
      domain: DOMAIN,
      user_verification: 'required',
    })
    await client.webauthn.authenticate({
      public_key_credential: text(authenticator.get(again.public_key_credential_request_options)),
    })
  })

  it("a fault of the mock's own code is no refusal: it is thrown as it is", async () => {
    const pending = {
      challenge: 'AAAA',
      kind: 'authenticate' as const,
      user_id: null,
      domain: DOMAIN,
      user_verification: 'preferred' as const,
      passkey: true,
      user_handle: null,
      user_agent: '',
      authenticator_type: '',
      expires_at: Number.MAX_SAFE_INTEGER,
    }
    const row = {
      webauthn_registration_id: 'webauthn-registration-test-x',
      credential_id: 'AAAA',
      user_id: 'user-test-x',
      domain: DOMAIN,
      public_key: 'AAAA',
      counter: 0,
      transports: [],
      user_agent: '',
      authenticator_type: '',
      name: 'Passkey',
      user_handle: 'AAAA',
      created_at: 0,
    }
    // No clientData: the mock's own reading of it fails (a bug, not the caller's bad assertion).
    await expect(
      verifyAssertion({ json: {} } as never, pending, row, {
        requestOrigin: undefined,
        allowedOrigins: null,
      }),
    ).rejects.toBeInstanceOf(TypeError)
  })

  it('an unknown credential is 404 webauthn_registration_not_found; garbage 400', async () => {
    await registered()
    const stranger = new SoftAuthenticator({ origin: ORIGIN })
    stranger.create(JSON.stringify({ challenge: 'AAAA', rp: { id: DOMAIN }, user: { id: 'dQ' } }))
    expect(
      await failure(
        client.webauthn.authenticate({ public_key_credential: await assertion(stranger) }),
      ),
    ).toEqual({ status: 404, type: 'webauthn_registration_not_found' })
    expect(
      await failure(client.webauthn.authenticate({ public_key_credential: '{"id":1}' })),
    ).toEqual({ status: 400, type: 'invalid_public_key_credential' })
  })
})

describe('webauthn.update and listCredentials', () => {
  it('renames a registration (the user list too); lists the credentials with public keys', async () => {
    const { user_id, credential, result } = await registered()
    const id = result.webauthn_registration_id
    const updated = await client.webauthn.update({
      webauthn_registration_id: id,
      name: 'YubiKey 5',
    })
    expect(updated.webauthn_registration).toEqual({
      webauthn_registration_id: id,
      domain: DOMAIN,
      user_agent: 'soft-authenticator/1.0',
      verified: true,
      authenticator_type: '',
      name: 'YubiKey 5',
    })
    expect((await client.users.get({ user_id })).webauthn_registrations[0]!.name).toBe('YubiKey 5')

    const listed = await client.webauthn.listCredentials({ user_id, domain: DOMAIN })
    expect(listed.credentials).toEqual([
      {
        credential_id: credential.rawId,
        webauthn_registration_id: id,
        type: 'public-key',
        public_key: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
      },
    ])
    // The COSE key: EC2 (kty 2), ES256 (alg -7), P-256 (crv 1).
    const cose = Buffer.from(listed.credentials[0]!.public_key, 'base64')
    expect(cose[0]).toBe(0xa5)
    expect(
      (await client.webauthn.listCredentials({ user_id, domain: 'example.com' })).credentials,
    ).toEqual([])
  })

  it("the journal names the registration's user for update and listCredentials", async () => {
    const { user_id, result } = await registered()
    await control('DELETE', '/_mock/requests')
    await client.webauthn.update({
      webauthn_registration_id: result.webauthn_registration_id,
      name: 'YubiKey',
    })
    await client.webauthn.listCredentials({ user_id, domain: DOMAIN })
    const journal = (await control('GET', '/_mock/requests?path=/v1/webauthn/*')).body.requests as {
      method: string
      user_id: string | null
    }[]
    expect(journal.map((e) => [e.method, e.user_id])).toEqual([
      ['PUT', user_id],
      ['GET', user_id],
    ])
  })

  it('refuses an unknown registration, an empty name, an unknown user', async () => {
    await registered()
    expect(
      await failure(
        client.webauthn.update({
          webauthn_registration_id:
            'webauthn-registration-test-00000000-0000-4000-8000-000000000000',
          name: 'x',
        }),
      ),
    ).toEqual({ status: 404, type: 'webauthn_registration_not_found' })
    const { result } = await registered()
    expect(
      await failure(
        client.webauthn.update({
          webauthn_registration_id: result.webauthn_registration_id,
          name: '',
        }),
      ),
    ).toEqual({ status: 400, type: 'empty_webauthn_registration_name' })
    expect(
      await failure(
        client.webauthn.update({
          webauthn_registration_id: result.webauthn_registration_id,
          name: ' \t ',
        }),
      ),
    ).toEqual({ status: 400, type: 'empty_webauthn_registration_name' })
    expect(
      await failure(
        client.webauthn.listCredentials({
          user_id: 'user-test-00000000-0000-4000-8000-000000000000',
          domain: DOMAIN,
        }),
      ),
    ).toEqual({ status: 404, type: 'user_not_found' })
  })
})

describe('deleting a registration or its user', () => {
  it('users.deleteWebAuthnRegistration: the credential signs in no more (404)', async () => {
    const { user_id, authenticator, result } = await registered()
    const user = await client.users.deleteWebAuthnRegistration({
      webauthn_registration_id: result.webauthn_registration_id,
    })
    expect(user.user.webauthn_registrations).toEqual([])
    expect(
      await failure(
        client.webauthn.authenticate({ public_key_credential: await assertion(authenticator) }),
      ),
    ).toEqual({ status: 404, type: 'webauthn_registration_not_found' })
    expect(
      (await client.webauthn.listCredentials({ user_id, domain: DOMAIN })).credentials,
    ).toEqual([])
  })

  it('users.delete: its credentials go with it', async () => {
    const { user_id, authenticator } = await registered()
    const start = await client.webauthn.authenticateStart({ domain: DOMAIN })
    await client.users.delete({ user_id })
    expect(
      await failure(
        client.webauthn.authenticate({
          public_key_credential: text(
            authenticator.get(start.public_key_credential_request_options),
          ),
        }),
      ),
    ).toEqual({ status: 404, type: 'webauthn_registration_not_found' })
  })
})

describe('state', () => {
  it('a snapshot keeps a registration (and its counter); reset drops it', async () => {
    const { user_id, authenticator } = await registered()
    const { body } = await control('POST', '/_mock/snapshots')
    await client.webauthn.authenticate({ public_key_credential: await assertion(authenticator) })
    await control('POST', `/_mock/snapshots/${body.snapshot_id}/restore`)
    // The restored counter is the snapshot's (0): counter 1, spent after the snapshot, passes again.
    await client.webauthn.authenticate({
      public_key_credential: await assertion(authenticator, { counter: 1 }),
    })
    expect((await client.users.get({ user_id })).webauthn_registrations).toHaveLength(1)

    await control('POST', '/_mock/reset')
    expect(await failure(client.webauthn.authenticateStart({ domain: DOMAIN, user_id }))).toEqual({
      status: 404,
      type: 'user_not_found',
    })
    const start = await client.webauthn.authenticateStart({ domain: DOMAIN })
    expect(
      await failure(
        client.webauthn.authenticate({
          public_key_credential: text(
            authenticator.get(start.public_key_credential_request_options),
          ),
        }),
      ),
    ).toEqual({ status: 404, type: 'webauthn_registration_not_found' })
  })
})

describe('the frontend SDK routes (/sdk/v1/webauthn)', () => {
  /** A user logged in by password through the backend: its session token. */
  async function passwordSession() {
    const user = await newUser()
    const login = await client.passwords.authenticate({
      email: user.email,
      password: PASSWORD,
      session_duration_minutes: 60,
    })
    return { ...user, token: login.session_token }
  }

  /** webauthn.register as @stytch/vanilla-js makes it: start, create(), register. */
  async function sdkRegister(token: string, authenticator: SoftAuthenticator, origin = ORIGIN) {
    const start = await sdkCall('POST', '/webauthn/register/start', token, {
      domain: DOMAIN,
      return_passkey_credential_options: true,
      user_agent: 'Chromium test',
    })
    expect(start.status).toBe(200)
    const credential = authenticator.create(start.data.public_key_credential_creation_options)
    return sdkCall(
      'POST',
      '/webauthn/register',
      token,
      { public_key_credential: text(credential), session_duration_minutes: 60 },
      origin,
    )
  }

  it('register needs a session; the factor joins it; the MFA rule guards another', async () => {
    expect(
      (await sdkCall('POST', '/webauthn/register/start', null, { domain: DOMAIN })).error,
    ).toBe('unauthorized_credentials')
    const { user_id, token } = await passwordSession()
    const authenticator = new SoftAuthenticator({ origin: ORIGIN })
    const registered = await sdkRegister(token, authenticator)
    expect(registered.status).toBe(200)
    expect(registered.data.user.webauthn_registrations).toHaveLength(1)
    expect(
      registered.data.session.authentication_factors.map((f: { type: string }) => f.type),
    ).toEqual(['password', 'webauthn'])
    expect(registered.data.session.authentication_factors[1]).toMatchObject(
      webauthnFactor(registered.data.webauthn_registration_id, 'Chromium test'),
    )

    // Now with a password and a passkey, a session of the password alone may not add another.
    const login = await client.passwords.authenticate({
      email: registered.data.user.emails[0].email,
      password: PASSWORD,
      session_duration_minutes: 60,
    })
    const refused = await sdkCall('POST', '/webauthn/register/start', login.session_token, {
      domain: DOMAIN,
    })
    expect(refused).toMatchObject({ status: 401, error: 'insufficient_factors' })
    // ... until the passkey steps it up.
    const start = await sdkCall(
      'POST',
      '/webauthn/authenticate/start/secondary',
      login.session_token,
      {
        domain: DOMAIN,
        return_passkey_credential_options: true,
      },
    )
    expect(start.data.user_id).toBe(user_id)
    const stepUp = await sdkCall('POST', '/webauthn/authenticate', login.session_token, {
      public_key_credential: text(
        authenticator.get(start.data.public_key_credential_request_options),
      ),
      session_duration_minutes: 60,
    })
    expect(stepUp.data.session.session_id).toBe(login.session!.session_id)
    expect(
      (await sdkRegister(login.session_token, new SoftAuthenticator({ origin: ORIGIN }))).status,
    ).toBe(200)
  })

  it('the ceremony must come from the page that calls (Origin)', async () => {
    const { token } = await passwordSession()
    const elsewhere = new SoftAuthenticator({ origin: 'http://localhost:4000' })
    expect(await sdkRegister(token, elsewhere)).toMatchObject({
      status: 400,
      error: 'unable_to_register_webauthn_registration',
    })
    // The page at :4000 calls for its own ceremony: accepted; but its passkey at :3000 is not.
    const authenticator = new SoftAuthenticator({ origin: 'http://localhost:4000' })
    expect((await sdkRegister(token, authenticator, 'http://localhost:4000')).status).toBe(200)
    const start = await sdkCall('POST', '/webauthn/authenticate/start/primary', null, {
      domain: DOMAIN,
    })
    const credential = text(authenticator.get(start.data.public_key_credential_request_options))
    expect(
      await sdkCall('POST', '/webauthn/authenticate', null, {
        public_key_credential: credential,
        session_duration_minutes: 60,
      }),
    ).toMatchObject({ status: 401, error: 'unable_to_auth_webauthn_registration' })
  })

  it('primary: a passkey logs in without a session; update renames only the caller registrations', async () => {
    const { user_id, token } = await passwordSession()
    const authenticator = new SoftAuthenticator({ origin: ORIGIN })
    const registration = (await sdkRegister(token, authenticator)).data.webauthn_registration_id
    const start = await sdkCall('POST', '/webauthn/authenticate/start/primary', null, {
      domain: DOMAIN,
      return_passkey_credential_options: true,
    })
    expect(start.data.user_id).toBe('')
    const login = await sdkCall('POST', '/webauthn/authenticate', null, {
      public_key_credential: text(
        authenticator.get(start.data.public_key_credential_request_options),
      ),
      session_duration_minutes: 60,
      dfp_telemetry_id: null,
      captcha_token: null,
    })
    expect(login.status).toBe(200)
    expect(login.data.user_id).toBe(user_id)
    expect(login.data.session.authentication_factors.map((f: { type: string }) => f.type)).toEqual([
      'webauthn',
    ])

    const renamed = await sdkCall(
      'PUT',
      `/webauthn/update/${registration}`,
      login.data.session_token,
      {
        name: 'Laptop',
      },
    )
    expect(renamed.data.webauthn_registration).toMatchObject({ name: 'Laptop', verified: true })
    const stranger = await passwordSession()
    expect(
      await sdkCall('PUT', `/webauthn/update/${registration}`, stranger.token, { name: 'Mine' }),
    ).toMatchObject({ status: 404, error: 'webauthn_registration_not_found' })
    expect((await client.users.get({ user_id })).webauthn_registrations[0]!.name).toBe('Laptop')
  })
})
