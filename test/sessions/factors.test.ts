// Nothing the official SDKs reject may be seeded: authentication factors are checked against the
// closed sets the SDKs declare, through /_mock and through fixtures alike.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { FACTOR_DELIVERY_METHODS, FACTOR_TYPES } from '../../server/platform/sessions/factors.js'
import { FixtureError, loadFixtures } from '../../server/platform/sessions/fixtures.js'
import { FIXTURE, testWorld, type TestWorld } from '../helpers/world.js'

let t: TestWorld
beforeEach(async () => {
  t = await testWorld()
})

const factor = (over: Record<string, unknown>) => ({
  type: 'magic_link',
  delivery_method: 'email',
  email_factor: { email_id: 'email-test-1', email_address: 'a@example.com' },
  ...over,
})

describe('seeded authentication factors', () => {
  it('the fixture schema and openapi.yaml declare the same closed sets as the seed check', () => {
    const schema = JSON.parse(readFileSync('fixtures/fixtures.schema.json', 'utf8'))
    const api = parse(readFileSync('openapi.yaml', 'utf8'))
    for (const def of [
      schema.$defs.AuthenticationFactor.properties,
      api.components.schemas.AuthenticationFactor.properties,
    ]) {
      expect(def.type.enum).toEqual([...FACTOR_TYPES])
      expect(def.delivery_method.enum).toEqual([...FACTOR_DELIVERY_METHODS])
    }
  })

  it.each([
    [
      { type: 'webauthn_registration', delivery_method: 'webauthn_registration' },
      /authentication_factors\[0\]\.type must be one of magic_link, otp, .*trusted_auth_token, got "webauthn_registration"/,
    ],
    [
      { delivery_method: 'carrier_pigeon' },
      /authentication_factors\[0\]\.delivery_method must be one of email, sms, /,
    ],
    [
      { created_at: 'yesterday' },
      /authentication_factors\[0\]\.created_at must be an RFC 3339 timestamp/,
    ],
    [{ email_factor: { email_address: 'a@example.com' } }, /email_factor\.email_id is required/],
  ])(
    'POST /_mock/sessions refuses %j with a 400 that names the allowed values',
    async (over, message) => {
      const res = await t.call('POST', '/_mock/sessions', {
        body: { email: 'factor@example.com', authentication_factors: [factor(over)] },
      })
      expect(res.status).toBe(400)
      expect(res.body.error_type).toBe('invalid_argument')
      expect(res.body.error_message).toMatch(message)
    },
  )

  it('POST /_mock/b2b/sessions refuses an unknown factor type too, and accepts every declared one', async () => {
    const refused = await t.call('POST', '/_mock/b2b/sessions', {
      body: {
        organization_slug: 'acme',
        email_address: 'grace@example.com',
        authentication_factors: [factor({ type: 'webauthn_registration' })],
      },
    })
    expect(refused.status).toBe(400)
    // Every delivery method, with every type among them.
    const all = FACTOR_DELIVERY_METHODS.map((delivery_method, i) =>
      factor({ type: FACTOR_TYPES[i % FACTOR_TYPES.length], delivery_method }),
    )
    const accepted = await t.call('POST', '/_mock/b2b/sessions', {
      body: {
        organization_slug: 'acme',
        email_address: 'grace@example.com',
        authentication_factors: all,
      },
    })
    expect(accepted.status).toBe(200)
    expect(accepted.body.member_session.authentication_factors).toHaveLength(
      FACTOR_DELIVERY_METHODS.length,
    )
  })

  it('a fixture file with an unknown factor type stops start-up, naming the file and the JSON path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stytch-mock-factors-'))
    const file = join(dir, 'bad.json')
    writeFileSync(
      file,
      JSON.stringify({
        users: [{ user_id: FIXTURE.adaUserId, email: 'ada@example.com' }],
        sessions: [
          {
            session_id: 'session-test-00000000-0000-4000-8000-000000000001',
            user_id: FIXTURE.adaUserId,
            session_token: 'x'.repeat(44),
            authentication_factors: [{ type: 'webauthn_registration', delivery_method: 'email' }],
          },
        ],
      }),
    )
    const err = await loadFixtures(file).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(FixtureError)
    expect((err as Error).message).toContain(
      `${file}: /sessions/0/authentication_factors/0/type: must be equal to one of the allowed values`,
    )
  })
})
