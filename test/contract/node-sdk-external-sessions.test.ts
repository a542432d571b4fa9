// sessions.attest and sessions.migrate through the official `stytch` Node SDK (#28): trusted auth
// tokens signed in the test (a profile with PEM keys, one with a JWKS URL the test serves), and an
// old provider's OIDC userinfo endpoint the test serves; consumer and B2B.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type KeyObject } from 'jose'
import * as stytch from 'stytch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { controlOf, failure, startMock, type RunningMock } from '../helpers/server.js'
import { FIXTURE } from '../helpers/world.js'

let mock: RunningMock
let consumer: stytch.Client
let b2b: stytch.B2BClient
let idp: Server
let pemKey: KeyObject
let jwksKey: KeyObject
const ISSUER = 'https://auth.example.test'

beforeAll(async () => {
  const pem = await generateKeyPair('RS256', { extractable: true })
  const jwks = await generateKeyPair('RS256', { extractable: true })
  pemKey = pem.privateKey as KeyObject
  jwksKey = jwks.privateKey as KeyObject
  const jwk = { ...(await exportJWK(jwks.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' }
  // The old provider: a JWKS and an OIDC userinfo endpoint, on a loopback port.
  idp = createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    if (req.url === '/jwks') return res.end(JSON.stringify({ keys: [jwk] }))
    if (req.url === '/userinfo' && req.headers.authorization === 'Bearer old-access-token')
      return res.end(JSON.stringify({ sub: 'old-1', email: 'Migrated@Example.com' }))
    if (req.url === '/userinfo' && req.headers.authorization === 'Bearer grace-token')
      return res.end(JSON.stringify({ sub: 'old-2', email: 'grace@example.com' }))
    res.statusCode = 401
    res.end(JSON.stringify({ error: 'invalid_token' }))
  })
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`
  const dir = mkdtempSync(join(tmpdir(), 'stytch-mock-attest-'))
  for (const f of ['consumer.json', 'b2b.json']) copyFileSync(join('fixtures', f), join(dir, f))
  writeFileSync(
    join(dir, 'profiles.json'),
    JSON.stringify({
      trusted_auth_token_profiles: [
        {
          profile_id: 'profile-pem',
          issuer: ISSUER,
          audience: 'my-app',
          public_key_pems: [await exportSPKI(pem.publicKey)],
          attribute_mapping: { email: 'email', token_id: 'jti' },
        },
        {
          profile_id: 'profile-jwks',
          issuer: ISSUER,
          audience: 'my-b2b-app',
          jwks_url: `${base}/jwks`,
          attribute_mapping: { email: 'email', token_id: 'jti', organization_id: 'org' },
        },
      ],
    }),
  )
  mock = await startMock({
    STYTCH_MOCK_FIXTURES: dir,
    STYTCH_MOCK_SESSION_MIGRATION_URL: `${base}/userinfo`,
  })
  const options = {
    project_id: mock.config.projectId,
    secret: mock.config.secret,
    env: `${mock.url}/`,
  }
  consumer = new stytch.Client(options)
  b2b = new stytch.B2BClient(options)
})
afterAll(async () => {
  await mock.close()
  await new Promise((resolve) => idp.close(resolve))
})

const token = (key: KeyObject, claims: object, audience: string, kid?: string) =>
  new SignJWT({ jti: 'token-1', ...claims })
    .setProtectedHeader({ alg: 'RS256', ...(kid ? { kid } : {}) })
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key)

describe('sessions.attest', () => {
  it('a user from a PEM profile’s token: made if new, the trusted_auth_token factor', async () => {
    const jwt = await token(pemKey, { email: 'attested@example.com', jti: 'tok-42' }, 'my-app')
    const res = await consumer.sessions.attest({
      profile_id: 'profile-pem',
      token: jwt,
      session_duration_minutes: 30,
    })
    expect(res.user.emails[0]).toMatchObject({ email: 'attested@example.com', verified: true })
    expect(res.session!.authentication_factors[0]).toMatchObject({
      type: 'trusted_auth_token',
      delivery_method: 'trusted_token_exchange',
      trusted_auth_token_factor: { token_id: 'tok-42' },
    })
    // The same user next time; no duration, no session.
    const again = await consumer.sessions.attest({ profile_id: 'profile-pem', token: jwt })
    expect(again.user_id).toBe(res.user_id)
    expect(again.session_token).toBe('')
  })

  it('refuses another issuer’s, another audience’s, an expired or a forged token, an unknown profile', async () => {
    const bad = async (jwt: string, profile_id = 'profile-pem') =>
      failure(consumer.sessions.attest({ profile_id, token: jwt }))
    const refused = { status: 401, type: 'invalid_trusted_auth_token' }
    expect(await bad(await token(pemKey, { email: 'a@example.com' }, 'other-app'))).toEqual(refused)
    expect(await bad(await token(jwksKey, { email: 'a@example.com' }, 'my-app'))).toEqual(refused)
    const expired = await new SignJWT({ email: 'a@example.com' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(ISSUER)
      .setAudience('my-app')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 300)
      .sign(pemKey)
    expect(await bad(expired)).toEqual(refused)
    expect(await bad(await token(pemKey, { email: 'not-an-email' }, 'my-app'))).toEqual(refused)
    expect(await bad(await token(pemKey, { email: 'a@example.com' }, 'my-app'), 'nope')).toEqual({
      status: 404,
      type: 'trusted_auth_token_profile_not_found',
    })
  })

  it('B2B: a member of the organization the token names, keys from the JWKS URL', async () => {
    const jwt = await token(
      jwksKey,
      { email: 'grace@example.com', org: FIXTURE.acme.organization_id },
      'my-b2b-app',
      'idp-1',
    )
    const res = await b2b.sessions.attest({ profile_id: 'profile-jwks', token: jwt })
    expect(res.member_id).toBe(FIXTURE.acme.member_id)
    expect(res.member_session.authentication_factors[0]!.type).toBe('trusted_auth_token')
    expect(
      Date.parse(res.member_session.expires_at!) - Date.parse(res.member_session.started_at!),
    ).toBe(60 * 60 * 1000)
  })
})

describe('sessions.migrate', () => {
  it('the user the old provider’s userinfo names, who must exist; a refused token is an error', async () => {
    expect(await failure(consumer.sessions.migrate({ session_token: 'old-access-token' }))).toEqual(
      { status: 404, type: 'user_not_found' },
    )
    await controlOf(mock)('POST', '/_mock/users', { email: 'migrated@example.com' })
    const res = await consumer.sessions.migrate({
      session_token: 'old-access-token',
      session_duration_minutes: 60,
    })
    expect(res.user.emails[0]!.email).toBe('migrated@example.com')
    expect(res.session!.authentication_factors[0]!.type).toBe('imported')
    const again = await consumer.sessions.migrate({ session_token: 'old-access-token' })
    expect(again.user_id).toBe(res.user_id)
    expect(await failure(consumer.sessions.migrate({ session_token: 'revoked' }))).toEqual({
      status: 401,
      type: 'invalid_session_migration',
    })
  })

  it('B2B: the member of the organization', async () => {
    const res = await b2b.sessions.migrate({
      session_token: 'grace-token',
      organization_id: FIXTURE.globex.organization_id,
    })
    expect(res.member.member_id).toBe(FIXTURE.globex.member_id)
    expect(res.member_session!.authentication_factors[0]!.type).toBe('imported')
  })
})

describe('session.attest from the browser (/sdk/v1)', () => {
  it('consumer and B2B: the {data} envelope, the vertical’s public token', async () => {
    const call = async (path: string, publicToken: string, body: object) => {
      const res = await fetch(`${mock.url}/sdk/v1${path}`, {
        method: 'POST',
        headers: {
          authorization: 'Basic ' + Buffer.from(`${publicToken}:${publicToken}`).toString('base64'),
          origin: 'http://localhost:3000',
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      })
      return { status: res.status, body: (await res.json()) as Record<string, any> }
    }
    const user = await call('/sessions/attest', mock.config.publicToken, {
      profile_id: 'profile-pem',
      token: await token(pemKey, { email: 'browser@example.com' }, 'my-app'),
      session_duration_minutes: 30,
    })
    expect(user.status).toBe(200)
    expect(user.body.data.session.authentication_factors[0].type).toBe('trusted_auth_token')
    const member = await call('/b2b/sessions/attest', mock.config.b2bPublicToken, {
      profile_id: 'profile-jwks',
      organization_id: FIXTURE.acme.organization_id,
      token: await token(jwksKey, { email: 'grace@example.com' }, 'my-b2b-app', 'idp-1'),
    })
    expect(member.status).toBe(200)
    expect(member.body.data.member_id).toBe(FIXTURE.acme.member_id)
  })
})
