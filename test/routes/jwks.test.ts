import { createLocalJWKSet, jwtVerify } from 'jose'
import { beforeEach, describe, expect, it } from 'vitest'
import { FIXTURE, testWorld, type TestWorld } from '../helpers/world.js'

let t: TestWorld
beforeEach(async () => {
  t = await testWorld()
})

describe('GET /v1/sessions/jwks/{project_id}', () => {
  it('serves the keys with and without an Authorization header', async () => {
    const path = `/v1/sessions/jwks/${t.config.projectId}`
    const withAuth = await t.call('GET', path)
    const bare = await t.call('GET', path, { auth: false })
    expect(withAuth.status).toBe(200)
    expect(bare.status).toBe(200)
    expect(bare.body.keys).toEqual(withAuth.body.keys)
    expect(bare.body.keys[0]).toMatchObject({
      kty: 'RSA',
      use: 'sig',
      key_ops: ['verify'],
      alg: 'RS256',
      kid: t.world.keys.ring.active.kid,
      e: 'AQAB',
    })
  })

  it('publishes keys that verify the JWTs the API mints', async () => {
    const jwks = (await t.call('GET', `/v1/sessions/jwks/${t.config.projectId}`, { auth: false }))
      .body
    const auth = await t.call('POST', '/v1/sessions/authenticate', {
      body: { session_token: FIXTURE.adaToken },
    })
    const { payload } = await jwtVerify(auth.body.session_jwt, createLocalJWKSet(jwks), {
      audience: t.config.projectId,
      issuer: `stytch.com/${t.config.projectId}`,
      typ: 'JWT',
      currentDate: new Date(t.clock.nowMs()),
    })
    expect(payload.sub).toBe(FIXTURE.adaUserId)
  })

  it('keeps the same kid across restarts with the same key file', async () => {
    const again = await testWorld()
    expect(again.world.keys.ring.active.kid).toBe(t.world.keys.ring.active.kid)
  })

  it('answers another project id with a Stytch error, and wrong credentials with 401', async () => {
    const other = await t.call(
      'GET',
      '/v1/sessions/jwks/project-test-00000000-0000-4000-8000-000000000000',
      { auth: false },
    )
    expect(other.status).toBe(404)
    expect(other.body.error_type).toBe('project_not_found')
    const wrong = await t.call('GET', `/v1/sessions/jwks/${t.config.projectId}`, {
      auth: 'Basic ' + Buffer.from('a:b').toString('base64'),
    })
    expect(wrong.status).toBe(401)
  })
})
