// Forged and tampered session JWTs at the API (not only in the SDK's local check): none authenticates.
import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { CompactSign, decodeJwt } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE, testWorld, type TestWorld } from '../helpers/world.js'

let t: TestWorld
let genuine: string
let claims: Record<string, unknown>
let kid: string

const b64 = (v: unknown) =>
  Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')
const sign = async (
  key: Parameters<CompactSign['sign']>[0],
  header: Record<string, unknown>,
  payload: unknown,
) =>
  new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header as never)
    .sign(key)

beforeAll(async () => {
  t = await testWorld()
  const res = await t.call('POST', '/v1/sessions/authenticate', {
    body: { session_token: FIXTURE.adaToken },
  })
  genuine = res.body.session_jwt
  claims = decodeJwt(genuine) as Record<string, unknown>
  kid = t.world.keys.ring.active.kid
})

const attacks: [string, () => Promise<string> | string][] = [
  ['alg none', () => `${b64({ alg: 'none', kid, typ: 'JWT' })}.${b64(claims)}.`],
  [
    'alg none, signature kept',
    () => `${b64({ alg: 'none', kid, typ: 'JWT' })}.${b64(claims)}.${genuine.split('.')[2]}`,
  ],
  [
    'HS256 signed with the public key as the HMAC secret',
    () => {
      const secret = createPublicKey(t.world.keys.ring.active.privateKey).export({
        type: 'spki',
        format: 'pem',
      })
      const head = `${b64({ alg: 'HS256', kid, typ: 'JWT' })}.${b64(claims)}`
      return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`
    },
  ],
  [
    'an unknown kid',
    () =>
      sign(
        t.world.keys.ring.active.privateKey,
        { alg: 'RS256', kid: 'jwk-test-00000000-0000-4000-8000-000000000000', typ: 'JWT' },
        claims,
      ),
  ],
  [
    'a path-like kid',
    () =>
      sign(
        t.world.keys.ring.active.privateKey,
        { alg: 'RS256', kid: '../../../../etc/passwd', typ: 'JWT' },
        claims,
      ),
  ],
  ['no kid', () => sign(t.world.keys.ring.active.privateKey, { alg: 'RS256', typ: 'JWT' }, claims)],
  [
    'the payload altered after signing',
    () => {
      const [h, , s] = genuine.split('.')
      return `${h}.${b64({ ...claims, sub: FIXTURE.sandboxUserId })}.${s}`
    },
  ],
  [
    'the session id altered after signing',
    () => {
      const [h, , s] = genuine.split('.')
      const session = {
        ...(claims['https://stytch.com/session'] as object),
        id: 'session-test-fe6c042b-6286-479f-8a4f-b046a6c46509',
      }
      return `${h}.${b64({ ...claims, 'https://stytch.com/session': session })}.${s}`
    },
  ],
  ['the signature stripped', () => genuine.split('.').slice(0, 2).join('.') + '.'],
  ['two segments only', () => genuine.split('.').slice(0, 2).join('.')],
  [
    'signed by another RSA key under our kid',
    () =>
      sign(
        generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
        { alg: 'RS256', kid, typ: 'JWT' },
        claims,
      ),
  ],
  [
    'PS256 with our key',
    () => sign(t.world.keys.ring.active.privateKey, { alg: 'PS256', kid, typ: 'JWT' }, claims),
  ],
  [
    'another project (aud)',
    () =>
      sign(
        t.world.keys.ring.active.privateKey,
        { alg: 'RS256', kid, typ: 'JWT' },
        { ...claims, aud: ['project-test-00000000-0000-4000-8000-000000000000'] },
      ),
  ],
  [
    'another project (iss)',
    () =>
      sign(
        t.world.keys.ring.active.privateKey,
        { alg: 'RS256', kid, typ: 'JWT' },
        { ...claims, iss: 'stytch.com/project-test-00000000-0000-4000-8000-000000000000' },
      ),
  ],
  [
    'a session for another user (sub mismatch, validly signed)',
    () =>
      sign(
        t.world.keys.ring.active.privateKey,
        { alg: 'RS256', kid, typ: 'JWT' },
        { ...claims, sub: FIXTURE.sandboxUserId },
      ),
  ],
  [
    'no session claim',
    () =>
      sign(
        t.world.keys.ring.active.privateKey,
        { alg: 'RS256', kid, typ: 'JWT' },
        { ...claims, 'https://stytch.com/session': undefined },
      ),
  ],
  ['a garbage header', () => `${b64('{not json')}.${b64(claims)}.${genuine.split('.')[2]}`],
  ['a huge header', () => `${b64({ alg: 'RS256', kid: 'k'.repeat(100_000) })}.${b64(claims)}.x`],
]

describe('forged session JWTs at the API', () => {
  it.each(attacks)(
    'rejects %s at consumer authenticate and revoke, and at B2B authenticate',
    async (_, make) => {
      const jwt = await make()
      for (const path of [
        '/v1/sessions/authenticate',
        '/v1/sessions/revoke',
        '/v1/b2b/sessions/authenticate',
      ]) {
        const res = await t.call('POST', path, { body: { session_jwt: jwt } })
        expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400)
        expect(res.status).toBeLessThan(500)
        expect(res.body.error_type).toMatch(
          /^(unable_to_parse_session_jwt|jwt_invalid_\w+|session_not_found)$/,
        )
      }
    },
  )

  it('still accepts the genuine JWT, so the rejections above are not blanket ones', async () => {
    expect(
      (await t.call('POST', '/v1/sessions/authenticate', { body: { session_jwt: genuine } }))
        .status,
    ).toBe(200)
  })

  it('rejects an expired JWT of a revoked session, and of an expired session', async () => {
    const revoked = await t.call('POST', '/_mock/sessions', {
      body: { email: 'revoked@example.com' },
    })
    await t.call('POST', '/v1/sessions/revoke', {
      body: { session_id: revoked.body.session.session_id },
    })
    const expiring = await t.call('POST', '/_mock/sessions', {
      body: { email: 'expiring@example.com', session_duration_minutes: 5 },
    })
    t.world.clock.advance(301)
    for (const jwt of [revoked.body.session_jwt, expiring.body.session_jwt]) {
      const res = await t.call('POST', '/v1/sessions/authenticate', { body: { session_jwt: jwt } })
      expect(res.status).toBe(404)
      expect(res.body.error_type).toBe('session_not_found')
    }
    t.world.clock.reset()
  })
})
