// The answer cache of POST /v1/sessions/authenticate (server/platform/sessions/answer-cache.ts)
// must never show what an uncached authenticate would not: every answer the route gives is
// compared with world.consumer.authenticate(...) in the same state, and every change must show
// at once, within the same (frozen) second.
import { CompactSign, createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { generateKeyPairSync } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import type { AuthenticateInput } from '../../server/platform/sessions/consumer.js'
import { SessionJwts } from '../../server/platform/tokens/jwt.js'
import { KeyRing, type SigningKey } from '../../server/platform/tokens/keys.js'
import { FIXTURE, testWorld, type TestWorld } from '../helpers/world.js'

let t: TestWorld
/** A whole second a minute ahead of the fixtures' load: every test runs frozen around it. */
let base: number
beforeEach(async () => {
  t = await testWorld()
  base = Math.floor(t.clock.nowMs() / 1000) * 1000 + 60_000
  await freezeAt(at(250))
})

/** The instant `ms` after base, as /_mock/clock takes it. */
const at = (ms: number) => new Date(base + ms).toISOString()
/** The same, as the session object renders whole seconds. */
const stamp = (ms: number) => at(ms).replace(/\.\d{3}Z$/, 'Z')
const freezeAt = async (now: string) =>
  expect((await t.call('POST', '/_mock/clock', { body: { now, freeze: true } })).status).toBe(200)

/** The route's answer, twice (the second from the cache when it may be), and the uncached one. */
async function answers(input: AuthenticateInput) {
  const first = await t.call('POST', '/v1/sessions/authenticate', { body: input })
  const again = await t.call('POST', '/v1/sessions/authenticate', { body: input })
  expect(again.status).toBe(first.status)
  expect(again.body.error_type).toBe(first.body.error_type)
  if (first.status !== 200) {
    // The uncached authenticate fails the same way.
    const failed = await t.world.consumer.authenticate(input).then(
      () => 'answered',
      (err: { errorType?: string }) => err.errorType,
    )
    expect(failed).toBe(first.body.error_type)
    return { status: first.status, body: first.body }
  }
  const { request_id: _a, ...one } = first.body
  const { request_id: _b, ...two } = again.body
  expect(two).toEqual(one)
  // What ok(c, result) of the uncached authenticate writes, JSON and back.
  const direct = JSON.parse(
    JSON.stringify({ status_code: 200, ...(await t.world.consumer.authenticate(input)) }),
  )
  expect(one).toEqual(direct)
  return { status: 200, body: one }
}

const ada = { session_token: FIXTURE.adaToken }

describe('the authenticate answer cache', () => {
  it('answers a repeated call as the uncached authenticate does, by token and by JWT alone', async () => {
    const byToken = await answers(ada)
    expect(byToken.body.session.session_id).toBe(FIXTURE.adaSessionId)
    const byJwt = await answers({ session_jwt: byToken.body.session_jwt })
    expect(byJwt.body).toEqual(byToken.body)
  })

  it('shows a user update (name, and roles in the session and the JWT) at once', async () => {
    const before = await answers(ada)
    const put = await t.call('PUT', `/v1/users/${FIXTURE.adaUserId}`, {
      body: { name: { first_name: 'Augusta' }, roles: ['stytch_admin'] },
    })
    expect(put.status).toBe(200)
    const after = await answers(ada)
    expect(after.body.user.name.first_name).toBe('Augusta')
    expect(after.body.session.roles).toContain('stytch_admin')
    expect(before.body.session.roles).not.toContain('stytch_admin')
    const claims = decodeJwt(after.body.session_jwt)
    expect((claims['https://stytch.com/session'] as { roles: string[] }).roles).toContain(
      'stytch_admin',
    )
    // The same after a JWT-only call made from the earlier JWT.
    expect((await answers({ session_jwt: before.body.session_jwt })).body).toEqual(after.body)
  })

  it('shows authorization_check verdicts as the roles change, within the same second', async () => {
    const check = { resource_id: 'documents', action: 'delete' }
    expect((await answers({ ...ada, authorization_check: check })).status).toBe(403)
    const read = await answers({ ...ada, authorization_check: { ...check, action: 'read' } })
    expect(read.body.verdict).toEqual({ authorized: true, granting_roles: ['stytch_user'] })
    await t.call('PUT', `/v1/users/${FIXTURE.adaUserId}`, { body: { roles: ['stytch_admin'] } })
    const allowed = await answers({ ...ada, authorization_check: check })
    expect(allowed.body.verdict).toEqual({ authorized: true, granting_roles: ['stytch_admin'] })
    // Without a check, no verdict, though the cache holds the answer just made.
    expect((await answers(ada)).body.verdict).toBeUndefined()
    await t.call('PUT', `/v1/users/${FIXTURE.adaUserId}`, { body: { roles: [] } })
    expect((await answers({ ...ada, authorization_check: check })).status).toBe(403)
  })

  it('shows session_custom_claims merged by a call, in that answer and the next', async () => {
    const before = await answers(ada)
    expect(before.body.session.custom_claims).toEqual({ plan: 'pro' })
    const merged = await t.call('POST', '/v1/sessions/authenticate', {
      body: { ...ada, session_custom_claims: { tier: 'gold' } },
    })
    expect(merged.status).toBe(200)
    expect(merged.body.session.custom_claims).toEqual({ plan: 'pro', tier: 'gold' })
    expect(decodeJwt(merged.body.session_jwt).tier).toBe('gold')
    const after = await answers(ada)
    expect(after.body.session.custom_claims).toEqual({ plan: 'pro', tier: 'gold' })
    expect(after.body.session_jwt).toBe(merged.body.session_jwt)
    expect(after.body.session_jwt).not.toBe(before.body.session_jwt)
    // The same claims given again change nothing; a null deletes.
    await answers({ ...ada, session_custom_claims: { tier: 'gold' } })
    await t.call('POST', '/v1/sessions/authenticate', {
      body: { ...ada, session_custom_claims: { tier: null } },
    })
    expect((await answers(ada)).body).toEqual(before.body)
  })

  it('shows a factor a login added to the session', async () => {
    const before = await answers(ada)
    const user = t.world.users.byId(FIXTURE.adaUserId)!
    const row = await t.world.core.find('consumer', ada)
    await t.world.consumer.login(
      user,
      { type: 'otp', delivery_method: 'sms', last_authenticated_at: stamp(0) },
      {},
      row,
    )
    const after = await answers(ada)
    expect(after.body.session.authentication_factors).toHaveLength(
      before.body.session.authentication_factors.length + 1,
    )
    expect(after.body.session_jwt).not.toBe(before.body.session_jwt)
  })

  it('shows an extension by session_duration_minutes, and the same extension again', async () => {
    const before = await answers(ada)
    const longer = await answers({ ...ada, session_duration_minutes: 60 * 24 * 365 })
    expect(longer.body.session.expires_at).not.toBe(before.body.session.expires_at)
    expect(longer.body.session.expires_at).toBe(stamp(365 * 86_400_000))
    const shorter = await answers({ ...ada, session_duration_minutes: 5 })
    expect(shorter.body.session.expires_at).toBe(stamp(300_000))
    expect((await answers(ada)).body).toEqual(shorter.body)
  })

  it('follows the clock forward, within a second, and set back', async () => {
    const at0 = await answers(ada)
    await freezeAt(at(900))
    expect((await answers(ada)).body).toEqual(at0.body)
    await t.call('POST', '/_mock/clock', { body: { advance_seconds: 1 } })
    const next = await answers(ada)
    expect(decodeJwt(next.body.session_jwt).iat).toBe(decodeJwt(at0.body.session_jwt).iat! + 1)
    expect(next.body.session.last_accessed_at).toBe(stamp(1000))
    await freezeAt(at(-3_600_000))
    const back = await answers(ada)
    expect(back.body.session.last_accessed_at).toBe(stamp(-3_600_000))
    expect(decodeJwt(back.body.session_jwt).iat).toBe((base - 3_600_000) / 1000)
    // Back to the first second: the answer made then, as the uncached one gives it again.
    await freezeAt(at(500))
    expect((await answers(ada)).body).toEqual(at0.body)
  })

  it('signs with a rotated key at once, and keeps signing after the old one retires', async () => {
    const before = await answers(ada)
    expect((await t.call('POST', '/_mock/keys/rotate')).status).toBe(200)
    const rotated = await answers(ada)
    const kid = t.world.keys.ring.active.kid
    expect(decodeProtectedHeader(before.body.session_jwt).kid).not.toBe(kid)
    expect(decodeProtectedHeader(rotated.body.session_jwt).kid).toBe(kid)
    expect((await t.call('POST', '/_mock/keys/retire')).status).toBe(200)
    const retired = await answers(ada)
    expect(retired.body).toEqual(rotated.body)
    // The JWT made before the rotation no longer names a key: it fails, cached answer or not.
    const stale = await answers({ session_jwt: before.body.session_jwt })
    expect([stale.status, stale.body.error_type]).toEqual([400, 'unable_to_parse_session_jwt'])
    const jwks = (await t.call('GET', `/v1/sessions/jwks/${t.config.projectId}`)).body
    await jwtVerify(retired.body.session_jwt, createLocalJWKSet(jwks), {
      currentDate: new Date(t.clock.nowMs()),
    })
  })

  it('answers as restored after a snapshot restore and after /_mock/reset', async () => {
    const before = await answers(ada)
    const { snapshot_id } = (await t.call('POST', '/_mock/snapshots')).body
    await t.call('PUT', `/v1/users/${FIXTURE.adaUserId}`, { body: { name: { first_name: 'X' } } })
    await t.call('POST', '/_mock/keys/rotate')
    const changed = await answers({ ...ada, session_custom_claims: { a: 1 } })
    expect(changed.body.user.name.first_name).toBe('X')
    expect((await t.call('POST', `/_mock/snapshots/${snapshot_id}/restore`)).status).toBe(200)
    expect((await answers(ada)).body).toEqual(before.body)

    await t.call('PUT', `/v1/users/${FIXTURE.adaUserId}`, { body: { name: { first_name: 'Y' } } })
    expect((await answers(ada)).body.user.name.first_name).toBe('Y')
    expect((await t.call('POST', '/_mock/reset')).status).toBe(200)
    await freezeAt(at(250))
    // The fixtures seeded anew: as before but for the moment of seeding (the wall clock's second
    // of the reset, not of the world's start), signed by the configured key again.
    const reset = (await answers(ada)).body
    expect(reset.user.name).toEqual(before.body.user.name)
    expect(reset.session.session_id).toBe(before.body.session.session_id)
    expect(decodeProtectedHeader(reset.session_jwt).kid).toBe(
      decodeProtectedHeader(before.body.session_jwt).kid,
    )
  })

  it('refuses a session revoked, expired or whose user was deleted, within the same second', async () => {
    const first = await answers(ada)
    const other = await t.call('POST', '/_mock/sessions', { body: { user_id: FIXTURE.adaUserId } })
    const token = { session_token: other.body.session_token as string }
    await answers(token)
    await t.call('POST', `/_mock/sessions/${other.body.session.session_id}/expire`)
    expect((await answers(token)).status).toBe(404)
    await answers(ada)
    expect((await t.call('POST', '/v1/sessions/revoke', { body: ada })).status).toBe(200)
    expect((await answers(ada)).status).toBe(404)
    expect((await answers({ session_jwt: first.body.session_jwt })).status).toBe(404)
  })

  it('refuses the sessions of a deleted user at once', async () => {
    await answers(ada)
    expect((await t.call('DELETE', `/v1/users/${FIXTURE.adaUserId}`)).status).toBe(200)
    expect((await answers(ada)).status).toBe(404)
  })
})

describe('RS256 signing without jose', () => {
  it('gives the bytes jose CompactSign gives for the same key, header and payload', async () => {
    const jwt = (await answers(ada)).body.session_jwt as string
    const [header, payload] = jwt.split('.') as [string, string]
    const key = t.world.keys.ring.active
    const expected = await new CompactSign(Buffer.from(payload, 'base64url'))
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .sign(key.privateKey)
    expect(jwt).toBe(expected)
    expect(Buffer.from(header, 'base64url').toString()).toBe(
      JSON.stringify({ alg: 'RS256', kid: key.kid, typ: 'JWT' }),
    )
  })

  it('signs non-ASCII claims as jose does', async () => {
    const jwts = new SessionJwts(t.world.keys.ring, t.config.projectId)
    const claims = { name: 'Zoë ✓ 😀', lone: '\ud800' }
    const jwt = await jwts.sign('user-x', 1_900_000_000, claims)
    const key = t.world.keys.ring.active
    const payload = Buffer.from(jwt.split('.')[1]!, 'base64url')
    const expected = await new CompactSign(payload)
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .sign(key.privateKey)
    expect(jwt).toBe(expected)
    expect(decodeJwt(jwt).name).toBe('Zoë ✓ 😀')
  })

  it('refuses a key under 2048 bits as jose does', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
    const small = { kid: 'small', privateKey, publicKey, jwk: {} } as unknown as SigningKey
    const jwts = new SessionJwts(new KeyRing([small]), t.config.projectId)
    const ours = jwts.sign('user-x', 1_900_000_000, {})
    const theirs = new CompactSign(new Uint8Array(1))
      .setProtectedHeader({ alg: 'RS256', kid: 'small', typ: 'JWT' })
      .sign(privateKey)
    const message = await theirs.catch((err: Error) => `${err.name}: ${err.message}`)
    await expect(ours.catch((err: Error) => `${err.name}: ${err.message}`)).resolves.toBe(message)
  })
})
