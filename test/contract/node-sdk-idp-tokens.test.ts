// Connected Apps' tokens (#29) through the official `stytch` Node SDK and the wire: codes from
// the backend idp.oauth.authorize, traded at the token endpoint (authorization_code with PKCE,
// refresh_token with rotation), introspection (network and local), revocation, userinfo,
// discovery, and sessions.exchangeAccessToken; with every refusal: an unregistered redirect,
// a PKCE mismatch or downgrade, a replayed code (which revokes what it issued), expired and
// revoked tokens, another client's credentials, a scope not granted.
import { createHash, randomBytes } from 'node:crypto'
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import * as stytch from 'stytch'
import { beforeAll, describe, expect, it } from 'vitest'
import { controlOf, failure, mockWithSdk } from '../helpers/server.js'
import { FIXTURE } from '../helpers/world.js'
import { wireCall } from '../helpers/wire.js'

const sdk = mockWithSdk((options) => ({
  consumer: new stytch.Client(options),
  b2b: new stytch.B2BClient(options),
}))
let client: stytch.Client
let b2b: stytch.B2BClient
let url: string
let control: ReturnType<typeof controlOf>
beforeAll(() => {
  client = sdk.client.consumer
  b2b = sdk.client.b2b
  url = sdk.mock.url
  control = controlOf(sdk.mock)
})

const FIRST_PARTY = {
  client_id: 'connected-app-test-6f1c2d3e-4b5a-4c69-8d7e-0a1b2c3d4e01',
  client_secret: 'stytch-mock-fixture-connected-app-secret-first-party-000001',
  redirect_uri: 'http://localhost:3000/callback',
}
const PUBLIC = {
  client_id: 'connected-app-test-6f1c2d3e-4b5a-4c69-8d7e-0a1b2c3d4e02',
  redirect_uri: 'http://localhost:6274/oauth/callback',
}
const PARTNER = {
  client_id: 'connected-app-test-6f1c2d3e-4b5a-4c69-8d7e-0a1b2c3d4e03',
  client_secret: 'stytch-mock-fixture-connected-app-secret-third-party-000003',
  redirect_uri: 'https://partner.example.com/oauth/callback',
}

/** The mock's clock (tests move it): local verification checks exp and nbf against it. */
const now = () => new Date(sdk.mock.clock.nowMs())

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

/** A code for Ada (consumer), through the backend SDK's authorize: by her id, or by a session. */
async function code(
  app: { client_id: string; redirect_uri: string },
  scopes: string[],
  extra: { code_challenge?: string; nonce?: string; user_id?: string; session_token?: string } = {},
) {
  const answer = await client.idp.oauth.authorize({
    consent_granted: true,
    scopes,
    client_id: app.client_id,
    redirect_uri: app.redirect_uri,
    response_type: 'code',
    ...(extra.session_token
      ? { session_token: extra.session_token }
      : { user_id: extra.user_id ?? FIXTURE.adaUserId }),
    state: 'st-1',
    ...(extra.code_challenge ? { code_challenge: extra.code_challenge } : {}),
    ...(extra.nonce ? { nonce: extra.nonce } : {}),
  })
  expect(answer.authorization_code).toBeTruthy()
  return answer.authorization_code!
}

/** A form POST to one of the public OAuth endpoints; its status and JSON body. */
async function post(path: string, form: Record<string, string>, basic?: [string, string]) {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(basic
        ? {
            authorization:
              'Basic ' +
              Buffer.from(
                `${encodeURIComponent(basic[0])}:${encodeURIComponent(basic[1])}`,
              ).toString('base64'),
          }
        : {}),
    },
    body: new URLSearchParams(form),
  })
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Record<string, any>,
  }
}
const token = (form: Record<string, string>, basic?: [string, string]) =>
  post('/v1/oauth2/token', form, basic)
const confidential = { client_id: FIRST_PARTY.client_id, client_secret: FIRST_PARTY.client_secret }

describe('the token endpoint: authorization_code', () => {
  it('a confidential client (Basic auth): access, ID and refresh tokens with Stytch’s claims', async () => {
    const c = await code(FIRST_PARTY, ['openid', 'email', 'profile', 'offline_access'], {
      nonce: 'n-123',
    })
    const { status, headers, body } = await token(
      { grant_type: 'authorization_code', code: c, redirect_uri: FIRST_PARTY.redirect_uri },
      [FIRST_PARTY.client_id, FIRST_PARTY.client_secret],
    )
    expect(status).toBe(200)
    expect(headers.get('cache-control')).toBe('no-store')
    expect(body).toMatchObject({
      token_type: 'bearer',
      expires_in: 3600,
      scope: 'openid email profile offline_access',
    })
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{44}$/)

    const jwks = createRemoteJWKSet(new URL(`${url}/.well-known/jwks.json`))
    expect(decodeProtectedHeader(body.access_token)).toMatchObject({ alg: 'RS256', typ: 'JWT' })
    const { payload: at } = await jwtVerify(body.access_token, jwks, {
      issuer: url,
      audience: sdk.mock.config.projectId,
    })
    expect(at).toMatchObject({
      sub: FIXTURE.adaUserId,
      client_id: FIRST_PARTY.client_id,
      scope: 'openid email profile offline_access',
      aud: [sdk.mock.config.projectId],
    })
    expect(at.exp! - at.iat!).toBe(3600)
    expect(typeof at.jti).toBe('string')

    const { payload: id } = await jwtVerify(body.id_token, jwks, {
      issuer: url,
      audience: FIRST_PARTY.client_id,
    })
    expect(id).toMatchObject({ sub: FIXTURE.adaUserId, nonce: 'n-123', email_verified: true })
    expect(typeof id.email).toBe('string')
    expect(id.exp! - id.iat!).toBe(3600)
    // Authorized by user_id: no session, so no auth_time.
    expect(id).not.toHaveProperty('auth_time')
  })

  it('from a session, ID tokens carry its auth_time, after a refresh too; a template cannot set protocol claims', async () => {
    const made = (
      await client.connectedApp.clients.create({
        client_type: 'first_party',
        redirect_urls: ['https://claims.example.com/cb'],
        access_token_template_content: JSON.stringify({ acr: 'urn:example:loa:2' }),
        id_token_template_content: JSON.stringify({
          nonce: 'forged',
          auth_time: 1,
          amr: ['pwd'],
          acr: 'x',
          plan: 'gold',
        }),
      })
    ).connected_app
    const creds = { client_id: made.client_id, client_secret: made.client_secret! }
    const c = await code(
      { client_id: made.client_id, redirect_uri: 'https://claims.example.com/cb' },
      ['openid', 'offline_access'],
      { session_token: FIXTURE.adaToken },
    )
    const first = await token({
      grant_type: 'authorization_code',
      code: c,
      redirect_uri: 'https://claims.example.com/cb',
      ...creds,
    })
    expect(first.status).toBe(200)
    const { session } = await client.sessions.authenticate({ session_token: FIXTURE.adaToken })
    const started = Math.floor(Date.parse(session.started_at!) / 1000)
    const jwks = createRemoteJWKSet(new URL(`${url}/.well-known/jwks.json`))
    const idOf = async (idToken: string) =>
      (
        await jwtVerify(idToken, jwks, {
          issuer: url,
          audience: made.client_id,
          currentDate: now(),
        })
      ).payload
    const id = await idOf(first.body.id_token)
    expect(id).toMatchObject({ auth_time: started, plan: 'gold' })
    for (const claim of ['nonce', 'amr', 'acr']) expect(id).not.toHaveProperty(claim)
    // An access token's template may set them (RFC 9068 access tokens carry acr).
    expect(decodeJwt(first.body.access_token).acr).toBe('urn:example:loa:2')
    const again = await token({
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token,
      ...creds,
    })
    expect(again.status).toBe(200)
    expect((await idOf(again.body.id_token)).auth_time).toBe(started)
  })

  it('at stytch.com’s path the issuer is stytch.com/{project_id}; no openid, no ID token; no offline_access, no refresh token', async () => {
    const c = await code(FIRST_PARTY, ['email'])
    const { status, body } = await post(`/v1/public/${sdk.mock.config.projectId}/oauth2/token`, {
      grant_type: 'authorization_code',
      code: c,
      redirect_uri: FIRST_PARTY.redirect_uri,
      ...confidential,
    })
    expect(status).toBe(200)
    expect(body).not.toHaveProperty('id_token')
    expect(body).not.toHaveProperty('refresh_token')
    const claims = await client.idp.introspectTokenLocal(body.access_token, { current_date: now() })
    expect(claims).toMatchObject({
      subject: FIXTURE.adaUserId,
      scope: 'email',
      issuer: `stytch.com/${sdk.mock.config.projectId}`,
      token_type: 'access_token',
    })
  })

  it('a public client with PKCE; its secretless id alone; the wrong verifier, none, or a downgrade fail', async () => {
    const p = pkce()
    const ok = await token({
      grant_type: 'authorization_code',
      code: await code(PUBLIC, ['openid', 'offline_access'], { code_challenge: p.challenge }),
      redirect_uri: PUBLIC.redirect_uri,
      client_id: PUBLIC.client_id,
      code_verifier: p.verifier,
    })
    expect(ok.status).toBe(200)
    expect(ok.body.refresh_token).toBeTruthy()

    const wrong = await token({
      grant_type: 'authorization_code',
      code: await code(PUBLIC, ['openid'], { code_challenge: p.challenge }),
      redirect_uri: PUBLIC.redirect_uri,
      client_id: PUBLIC.client_id,
      code_verifier: pkce().verifier,
    })
    expect([wrong.status, wrong.body.error]).toEqual([400, 'invalid_grant'])

    const missing = await token({
      grant_type: 'authorization_code',
      code: await code(PUBLIC, ['openid'], { code_challenge: p.challenge }),
      redirect_uri: PUBLIC.redirect_uri,
      client_id: PUBLIC.client_id,
    })
    expect([missing.status, missing.body.error]).toEqual([400, 'invalid_grant'])

    // A verifier for a code issued without a challenge: refused (no PKCE downgrade).
    const downgrade = await token({
      grant_type: 'authorization_code',
      code: await code(FIRST_PARTY, ['openid']),
      redirect_uri: FIRST_PARTY.redirect_uri,
      ...confidential,
      code_verifier: p.verifier,
    })
    expect([downgrade.status, downgrade.body.error]).toEqual([400, 'invalid_grant'])

    // A malformed verifier is a malformed request.
    const short = await token({
      grant_type: 'authorization_code',
      code: 'x',
      redirect_uri: PUBLIC.redirect_uri,
      client_id: PUBLIC.client_id,
      code_verifier: 'too-short',
    })
    expect([short.status, short.body.error]).toEqual([400, 'invalid_request'])
  })

  it('a replayed code fails and revokes what it issued (RFC 6749 §4.1.2)', async () => {
    const c = await code(FIRST_PARTY, ['openid', 'offline_access'])
    const form = {
      grant_type: 'authorization_code',
      code: c,
      redirect_uri: FIRST_PARTY.redirect_uri,
      ...confidential,
    }
    const first = await token(form)
    expect(first.status).toBe(200)
    const live = await client.idp.introspectTokenNetwork({
      token: first.body.access_token,
      ...confidential,
    })
    expect(live.subject).toBe(FIXTURE.adaUserId)

    const again = await token(form)
    expect([again.status, again.body.error]).toEqual([400, 'invalid_grant'])
    await expect(
      client.idp.introspectTokenNetwork({ token: first.body.access_token, ...confidential }),
    ).rejects.toMatchObject({ code: 'token_invalid' })
    const refresh = await token({
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token,
      ...confidential,
    })
    expect([refresh.status, refresh.body.error]).toEqual([400, 'invalid_grant'])
  })

  it('refuses another redirect_uri, another client’s code, a wrong or missing secret, an unknown grant', async () => {
    const c = await code(FIRST_PARTY, ['openid'])
    const other = await token({
      grant_type: 'authorization_code',
      code: c,
      redirect_uri: 'http://localhost:3000/callback/evil',
      ...confidential,
    })
    expect([other.status, other.body.error]).toEqual([400, 'invalid_grant'])

    // The code was the first-party client's: the public client cannot spend it.
    const p = pkce()
    const stolen = await token({
      grant_type: 'authorization_code',
      code: await code(FIRST_PARTY, ['openid'], { code_challenge: p.challenge }),
      redirect_uri: FIRST_PARTY.redirect_uri,
      client_id: PUBLIC.client_id,
      code_verifier: p.verifier,
    })
    expect([stolen.status, stolen.body.error]).toEqual([400, 'invalid_grant'])

    // A confidential client's id without its secret (impersonation), or with a wrong one.
    const fresh = await code(FIRST_PARTY, ['openid'])
    for (const creds of [
      { client_id: FIRST_PARTY.client_id },
      { client_id: FIRST_PARTY.client_id, client_secret: 'wrong' },
    ]) {
      const r = await token({
        grant_type: 'authorization_code',
        code: fresh,
        redirect_uri: FIRST_PARTY.redirect_uri,
        ...creds,
      })
      expect([r.status, r.body.error]).toEqual([401, 'invalid_client'])
    }
    // The refusals did not spend the code.
    const spent = await token({
      grant_type: 'authorization_code',
      code: fresh,
      redirect_uri: FIRST_PARTY.redirect_uri,
      ...confidential,
    })
    expect(spent.status).toBe(200)

    const unknown = await token({ grant_type: 'password', ...confidential })
    expect([unknown.status, unknown.body.error]).toEqual([400, 'unsupported_grant_type'])
    const nobody = await token({
      grant_type: 'authorization_code',
      code: fresh,
      redirect_uri: FIRST_PARTY.redirect_uri,
      client_id: 'connected-app-test-nope',
    })
    expect([nobody.status, nobody.body.error]).toEqual([401, 'invalid_client'])
  })

  it('an unregistered redirect URL gets no code at all (the authorize step refuses it)', async () => {
    const refused = await failure(
      client.idp.oauth.authorize({
        consent_granted: true,
        scopes: ['openid'],
        client_id: FIRST_PARTY.client_id,
        redirect_uri: 'https://evil.example.com/callback',
        response_type: 'code',
        user_id: FIXTURE.adaUserId,
      }),
    )
    expect(refused.status).toBe(400)
  })

  it('an expired code fails', async () => {
    const c = await code(FIRST_PARTY, ['openid'])
    await control('POST', '/_mock/clock', { advance_seconds: 11 * 60 })
    const late = await token({
      grant_type: 'authorization_code',
      code: c,
      redirect_uri: FIRST_PARTY.redirect_uri,
      ...confidential,
    })
    expect([late.status, late.body.error]).toEqual([400, 'invalid_grant'])
  })
})

describe('the token endpoint: refresh_token', () => {
  it('a public client’s refresh token rotates; the spent one used again revokes the grant', async () => {
    const p = pkce()
    const first = await token({
      grant_type: 'authorization_code',
      code: await code(PUBLIC, ['openid', 'email', 'offline_access'], {
        code_challenge: p.challenge,
      }),
      redirect_uri: PUBLIC.redirect_uri,
      client_id: PUBLIC.client_id,
      code_verifier: p.verifier,
    })
    const second = await token({
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token,
      client_id: PUBLIC.client_id,
    })
    expect(second.status).toBe(200)
    expect(second.body.refresh_token).toBeTruthy()
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token)
    expect(second.body.id_token).toBeTruthy()

    // Narrowing the scope is allowed; widening it is not.
    const narrow = await token({
      grant_type: 'refresh_token',
      refresh_token: second.body.refresh_token,
      client_id: PUBLIC.client_id,
      scope: 'email',
    })
    expect([narrow.status, narrow.body.scope]).toEqual([200, 'email'])
    const wide = await token({
      grant_type: 'refresh_token',
      refresh_token: narrow.body.refresh_token,
      client_id: PUBLIC.client_id,
      scope: 'email phone',
    })
    expect([wide.status, wide.body.error]).toEqual([400, 'invalid_scope'])

    // The first (rotated-out) token again: refused, and the whole grant ends.
    const replay = await token({
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token,
      client_id: PUBLIC.client_id,
    })
    expect([replay.status, replay.body.error]).toEqual([400, 'invalid_grant'])
    const after = await token({
      grant_type: 'refresh_token',
      refresh_token: narrow.body.refresh_token,
      client_id: PUBLIC.client_id,
    })
    expect([after.status, after.body.error]).toEqual([400, 'invalid_grant'])
    const inactive = await post('/v1/oauth2/introspect', {
      token: narrow.body.access_token,
      client_id: PUBLIC.client_id,
    })
    expect(inactive.body).toMatchObject({ active: false })
  })

  it('a confidential client’s refresh token stays (no new one), and only that client may use it', async () => {
    const first = await token({
      grant_type: 'authorization_code',
      code: await code(FIRST_PARTY, ['openid', 'offline_access']),
      redirect_uri: FIRST_PARTY.redirect_uri,
      ...confidential,
    })
    for (let i = 0; i < 2; i++) {
      const again = await token({
        grant_type: 'refresh_token',
        refresh_token: first.body.refresh_token,
        ...confidential,
      })
      expect(again.status).toBe(200)
      expect(again.body).not.toHaveProperty('refresh_token')
    }
    const thief = await token({
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token,
      client_id: PUBLIC.client_id,
    })
    expect([thief.status, thief.body.error]).toEqual([400, 'invalid_grant'])
    const missing = await token({ grant_type: 'refresh_token', ...confidential })
    expect([missing.status, missing.body.error]).toEqual([400, 'invalid_request'])
  })
})

describe('introspection, revocation, userinfo', () => {
  async function issued(scopes = ['openid', 'email', 'profile', 'offline_access']) {
    const r = await token({
      grant_type: 'authorization_code',
      code: await code(FIRST_PARTY, scopes),
      redirect_uri: FIRST_PARTY.redirect_uri,
      ...confidential,
    })
    expect(r.status).toBe(200)
    return r.body
  }

  it('introspectTokenNetwork and introspectTokenLocal read a live token', async () => {
    const t = await issued()
    const network = await client.idp.introspectTokenNetwork({
      token: t.access_token,
      ...confidential,
    })
    expect(network).toMatchObject({
      subject: FIXTURE.adaUserId,
      scope: 'openid email profile offline_access',
      issuer: url,
      token_type: 'access_token',
      audience: [sdk.mock.config.projectId],
    })
    const local = await client.idp.introspectTokenLocal(t.access_token, { current_date: now() })
    expect(local).toMatchObject({
      subject: FIXTURE.adaUserId,
      issuer: url,
      token_type: 'access_token',
    })
    expect(local.custom_claims).toMatchObject({ client_id: FIRST_PARTY.client_id })
    // An authorization check the token's scopes do not cover fails locally.
    await expect(
      client.idp.introspectTokenLocal(t.access_token, {
        current_date: now(),
        authorization_check: { resource_id: 'documents', action: 'delete' },
      }),
    ).rejects.toMatchObject({ code: 'invalid_permissions' })

    const refresh = await post('/v1/oauth2/introspect', { token: t.refresh_token, ...confidential })
    expect(refresh.body).toMatchObject({
      active: true,
      // The issuer of the domain asked, as the access tokens issued there.
      iss: url,
      token_type: 'refresh_token',
      sub: FIXTURE.adaUserId,
    })
    const atStytchPath = await post(`/v1/public/${sdk.mock.config.projectId}/oauth2/introspect`, {
      token: t.refresh_token,
      ...confidential,
    })
    expect(atStytchPath.body.iss).toBe(`stytch.com/${sdk.mock.config.projectId}`)
    // Another client's token is inactive for this one; bad credentials are refused.
    const other = await post('/v1/oauth2/introspect', {
      token: t.access_token,
      client_id: PUBLIC.client_id,
    })
    expect(other.body).toMatchObject({ active: false })
    const bad = await post('/v1/oauth2/introspect', {
      token: t.access_token,
      client_id: FIRST_PARTY.client_id,
      client_secret: 'nope',
    })
    expect([bad.status, bad.body.error]).toEqual([401, 'invalid_client'])
  })

  it('a template’s claims cannot make a live token inactive or change the answer’s envelope', async () => {
    const made = (
      await client.connectedApp.clients.create({
        client_type: 'first_party',
        redirect_urls: ['https://templated.example.com/cb'],
        access_token_template_content: JSON.stringify({
          active: false,
          token_type: 'none',
          status_code: 500,
          request_id: 'spoofed',
          plan: 'gold',
        }),
      })
    ).connected_app
    const creds = { client_id: made.client_id, client_secret: made.client_secret! }
    const t = await token({
      grant_type: 'authorization_code',
      code: await code(
        { client_id: made.client_id, redirect_uri: 'https://templated.example.com/cb' },
        ['openid'],
      ),
      redirect_uri: 'https://templated.example.com/cb',
      ...creds,
    })
    expect(t.status).toBe(200)
    const answer = await post('/v1/oauth2/introspect', { token: t.body.access_token, ...creds })
    expect(answer.body).toMatchObject({
      status_code: 200,
      active: true,
      token_type: 'access_token',
      plan: 'gold',
    })
    expect(answer.body.request_id).toMatch(/^request-id-test-/)
    const network = await client.idp.introspectTokenNetwork({
      token: t.body.access_token,
      ...creds,
    })
    expect(network.subject).toBe(FIXTURE.adaUserId)
  })

  it('an expired access token is inactive; the refresh token still works', async () => {
    const t = await issued()
    await control('POST', '/_mock/clock', { advance_seconds: 3601 })
    await expect(
      client.idp.introspectTokenNetwork({ token: t.access_token, ...confidential }),
    ).rejects.toMatchObject({ code: 'token_invalid' })
    const again = await token({
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token,
      ...confidential,
    })
    expect(again.status).toBe(200)
  })

  it('revocation (RFC 7009): a refresh token takes its access token along; unknown tokens are fine', async () => {
    const t = await issued()
    const revoked = await post('/v1/oauth2/revoke', { token: t.refresh_token }, [
      FIRST_PARTY.client_id,
      FIRST_PARTY.client_secret,
    ])
    expect(revoked.status).toBe(200)
    const refresh = await token({
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token,
      ...confidential,
    })
    expect([refresh.status, refresh.body.error]).toEqual([400, 'invalid_grant'])
    const gone = await post('/v1/oauth2/introspect', { token: t.access_token, ...confidential })
    expect(gone.body).toMatchObject({ active: false })
    expect((await post('/v1/oauth2/revoke', { token: 'nothing', ...confidential })).status).toBe(
      200,
    )

    const u = await issued()
    await post(`/v1/public/${sdk.mock.config.projectId}/oauth2/revoke`, {
      token: u.access_token,
      ...confidential,
    })
    expect(
      (await post('/v1/oauth2/introspect', { token: u.access_token, ...confidential })).body.active,
    ).toBe(false)
    const still = await token({
      grant_type: 'refresh_token',
      refresh_token: u.refresh_token,
      ...confidential,
    })
    expect(still.status).toBe(200)
  })

  it('users.revoke ends the grant’s tokens at once', async () => {
    const t = await issued()
    await client.users.revoke({
      user_id: FIXTURE.adaUserId,
      connected_app_id: FIRST_PARTY.client_id,
    })
    await expect(
      client.idp.introspectTokenNetwork({ token: t.access_token, ...confidential }),
    ).rejects.toMatchObject({ code: 'token_invalid' })
    const refresh = await token({
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token,
      ...confidential,
    })
    expect([refresh.status, refresh.body.error]).toEqual([400, 'invalid_grant'])
  })

  it('userinfo: sub and the scopes’ claims; a bad token is 401 invalid_token', async () => {
    const t = await issued(['openid', 'email'])
    const res = await fetch(`${url}/v1/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${t.access_token}` },
    })
    const body = (await res.json()) as Record<string, unknown>
    expect(res.status).toBe(200)
    expect(body).toMatchObject({ sub: FIXTURE.adaUserId, email_verified: true })
    expect(body).not.toHaveProperty('given_name')
    const bad = await fetch(`${url}/v1/oauth2/userinfo`, {
      headers: { authorization: 'Bearer nope' },
    })
    expect(bad.status).toBe(401)
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/)
  })
})

describe('discovery', () => {
  it('both documents describe what is served, on the origin asked, with CORS', async () => {
    for (const path of [
      '/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server',
    ]) {
      const res = await fetch(url + path, { headers: { origin: 'http://localhost:6274' } })
      expect(res.headers.get('access-control-allow-origin')).toBe('*')
      const doc = (await res.json()) as Record<string, any>
      expect(doc).toMatchObject({
        issuer: url,
        token_endpoint: `${url}/v1/oauth2/token`,
        jwks_uri: `${url}/.well-known/jwks.json`,
        code_challenge_methods_supported: ['S256'],
        authorization_endpoint: 'http://localhost:3000/oauth/authorize',
      })
      for (const endpoint of [
        'token_endpoint',
        'userinfo_endpoint',
        'introspection_endpoint',
        'revocation_endpoint',
        'jwks_uri',
      ])
        expect((await fetch(doc[endpoint], { method: 'OPTIONS' })).status).toBeLessThan(300)
    }
    const set = await control('PUT', '/_mock/connected_apps/authorization_url', {
      authorization_url: 'http://localhost:5173/authorize',
    })
    expect(set.status).toBe(200)
    const doc = (await (await fetch(`${url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >
    expect(doc.authorization_endpoint).toBe('http://localhost:5173/authorize')
    const legacy = await fetch(
      `${url}/v1/public/${sdk.mock.config.projectId}/.well-known/openid-configuration`,
    )
    expect(legacy.status).toBe(200)
    // A GET's body means nothing: unreadable JSON in one is no error (it was a 500 here).
    const garbled = await wireCall(
      Number(new URL(url).port),
      'GET',
      new URL(legacy.url).pathname,
      { 'content-type': 'application/json', 'content-length': '1' },
      'x',
    )
    expect(garbled.status).toBe(200)
    expect(JSON.parse(garbled.body)).toMatchObject({ issuer: url })
  })

  it('list registration_endpoint only while the project allows dynamic registration', async () => {
    const documents = async () =>
      Promise.all(
        [
          '/.well-known/openid-configuration',
          '/.well-known/oauth-authorization-server',
          `/v1/public/${sdk.mock.config.projectId}/.well-known/openid-configuration`,
        ].map(async (path) => (await (await fetch(url + path)).json()) as Record<string, unknown>),
      )
    const setting = (on: boolean) =>
      control('PUT', '/_mock/connected_apps/settings', { dynamic_client_registration: on })
    await setting(false)
    for (const doc of await documents()) expect(doc).not.toHaveProperty('registration_endpoint')
    await setting(true)
    for (const doc of await documents())
      expect(doc.registration_endpoint).toBe(`${url}/v1/oauth2/register`)
    // What it names answers: a registration succeeds there.
    const [doc] = await documents()
    const res = await fetch(doc!.registration_endpoint as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['http://localhost:6274/oauth/callback'] }),
    })
    expect(res.status).toBe(201)
    await setting(false)
    for (const doc of await documents()) expect(doc).not.toHaveProperty('registration_endpoint')
  })
})

describe('sessions.exchangeAccessToken', () => {
  /** A full_access token, authorized from Ada's session (the SDK: exchange needs one), or by her id. */
  const fullAccess = async (by: 'session' | 'user_id' = 'session') =>
    (
      await token({
        grant_type: 'authorization_code',
        code: await code(
          FIRST_PARTY,
          ['openid', 'full_access'],
          by === 'session' ? { session_token: FIXTURE.adaToken } : {},
        ),
        redirect_uri: FIRST_PARTY.redirect_uri,
        ...confidential,
      })
    ).body.access_token as string

  it('a full_access token becomes a session of its user, once', async () => {
    const at = await fullAccess()
    const result = await client.sessions.exchangeAccessToken({
      access_token: at,
      session_duration_minutes: 30,
    })
    expect(result.user_id).toBe(FIXTURE.adaUserId)
    expect(result.session?.authentication_factors[0]).toMatchObject({
      type: 'oauth',
      delivery_method: 'oauth_access_token_exchange',
    })
    const authed = await client.sessions.authenticate({ session_token: result.session_token })
    expect(authed.user.user_id).toBe(FIXTURE.adaUserId)
    expect(await failure(client.sessions.exchangeAccessToken({ access_token: at }))).toEqual({
      status: 400,
      type: 'oauth_access_token_exchange_token_invalid_grant',
    })
  })

  it('the frontend SDK’s twin: a session for the browser', async () => {
    const at = await fullAccess()
    const res = await fetch(`${url}/sdk/v1/sessions/exchange_access_token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: 'http://localhost:3000',
        authorization:
          'Basic ' +
          Buffer.from(`${sdk.mock.config.publicToken}:${sdk.mock.config.publicToken}`).toString(
            'base64',
          ),
      },
      body: JSON.stringify({ access_token: at, session_duration_minutes: 60 }),
    })
    const { data } = (await res.json()) as { data: Record<string, any> }
    expect(res.status).toBe(200)
    expect(data.user_id).toBe(FIXTURE.adaUserId)
    const authed = await client.sessions.authenticate({ session_token: data.session_token })
    expect(authed.session.authentication_factors[0]).toMatchObject({
      oauth_access_token_exchange_factor: { client_id: FIRST_PARTY.client_id },
    })
  })

  it('refuses a token without full_access, one too old, and a consumer token at B2B', async () => {
    const plain = (
      await token({
        grant_type: 'authorization_code',
        code: await code(FIRST_PARTY, ['openid']),
        redirect_uri: FIRST_PARTY.redirect_uri,
        ...confidential,
      })
    ).body.access_token as string
    expect(await failure(client.sessions.exchangeAccessToken({ access_token: plain }))).toEqual({
      status: 400,
      type: 'oauth_access_token_exchange_missing_full_access',
    })
    const at = await fullAccess()
    expect(await failure(b2b.sessions.exchangeAccessToken({ access_token: at }))).toEqual({
      status: 400,
      type: 'oauth_access_token_exchange_token_invalid_grant',
    })
    await control('POST', '/_mock/clock', { advance_seconds: 301 })
    expect(await failure(client.sessions.exchangeAccessToken({ access_token: at }))).toEqual({
      status: 400,
      type: 'oauth_access_token_exchange_token_too_old',
    })
  })

  it('refuses a token authorized by user_id rather than from a session', async () => {
    const byId = await fullAccess('user_id')
    const refused = await client.sessions.exchangeAccessToken({ access_token: byId }).then(
      () => null,
      (e: stytch.StytchError) => e,
    )
    expect(refused).toMatchObject({
      status_code: 400,
      error_type: 'oauth_access_token_exchange_token_invalid_grant',
    })
    expect(refused!.error_message).toMatch(/session_token or session_jwt/)
  })

  it('B2B: from a member session a member session; by member_id refused', async () => {
    const trade = async (
      by: { session_token: string } | { member_id: string; organization_id: string },
    ) => {
      const { authorization_code } = await b2b.idp.oauth.authorize({
        consent_granted: true,
        scopes: ['openid', 'full_access'],
        client_id: FIRST_PARTY.client_id,
        redirect_uri: FIRST_PARTY.redirect_uri,
        response_type: 'code',
        ...by,
      })
      const answer = await token({
        grant_type: 'authorization_code',
        code: authorization_code!,
        redirect_uri: FIRST_PARTY.redirect_uri,
        ...confidential,
      })
      return answer.body.access_token as string
    }
    const result = await b2b.sessions.exchangeAccessToken({
      access_token: await trade({ session_token: FIXTURE.graceToken }),
    })
    expect(result.member_id).toBe(FIXTURE.acme.member_id)
    expect(result.member_session!.authentication_factors[0]).toMatchObject({
      delivery_method: 'oauth_access_token_exchange',
    })
    const byId = await trade({
      member_id: FIXTURE.acme.member_id,
      organization_id: FIXTURE.acme.organization_id,
    })
    expect(await failure(b2b.sessions.exchangeAccessToken({ access_token: byId }))).toEqual({
      status: 400,
      type: 'oauth_access_token_exchange_token_invalid_grant',
    })
  })
})

describe('B2B: a member’s tokens', () => {
  it('carry the organization claim, introspect and end when the member is deleted', async () => {
    const authorized = await b2b.idp.oauth.authorize({
      consent_granted: true,
      scopes: ['openid', 'email', 'offline_access'],
      client_id: PARTNER.client_id,
      redirect_uri: PARTNER.redirect_uri,
      response_type: 'code',
      member_id: FIXTURE.acme.member_id,
      organization_id: FIXTURE.acme.organization_id,
    })
    const t = await token({
      grant_type: 'authorization_code',
      code: authorized.authorization_code!,
      redirect_uri: PARTNER.redirect_uri,
      client_id: PARTNER.client_id,
      client_secret: PARTNER.client_secret,
    })
    expect(t.status).toBe(200)
    const local = await b2b.idp.introspectTokenLocal(t.body.access_token, { current_date: now() })
    expect(local.subject).toBe(FIXTURE.acme.member_id)
    expect((local as unknown as { organization: object }).organization).toEqual({
      organization_id: FIXTURE.acme.organization_id,
      slug: FIXTURE.acme.slug,
    })
    const creds = { client_id: PARTNER.client_id, client_secret: PARTNER.client_secret }
    expect(
      (await b2b.idp.introspectTokenNetwork({ token: t.body.access_token, ...creds })).subject,
    ).toBe(FIXTURE.acme.member_id)
    await b2b.organizations.members.delete({
      organization_id: FIXTURE.acme.organization_id,
      member_id: FIXTURE.acme.member_id,
    })
    await expect(
      b2b.idp.introspectTokenNetwork({ token: t.body.access_token, ...creds }),
    ).rejects.toMatchObject({ code: 'token_invalid' })
    const refresh = await token({
      grant_type: 'refresh_token',
      refresh_token: t.body.refresh_token,
      ...creds,
    })
    expect([refresh.status, refresh.body.error]).toEqual([400, 'invalid_grant'])
  })
})

describe('the M2M grant on the same route', () => {
  it('client_credentials still goes to M2M; a Connected App is no M2M client', async () => {
    const made = await client.m2m.clients.create({ scopes: ['read:x'] })
    const m2m = await token({
      grant_type: 'client_credentials',
      client_id: made.m2m_client.client_id,
      client_secret: made.m2m_client.client_secret,
    })
    expect([m2m.status, m2m.body.token_type]).toEqual([200, 'bearer'])
    const app = await token({ grant_type: 'client_credentials', ...confidential })
    expect([app.status, app.body.error]).toEqual([401, 'invalid_client'])
  })
})
