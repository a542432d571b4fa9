// The spec's request rules, compiled both ways: by the build (the validators every run uses when
// dist/ matches the spec) and on demand (when it does not): the same verdicts, the same answers.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { StytchError } from '../server/errors.js'
import { check, RequestValidators, requestValidators } from '../server/platform/http/validate.js'
import { FIXTURE, testWorld } from './helpers/world.js'

const text = readFileSync('openapi.yaml', 'utf8')
const onDemand = new RequestValidators(text, 'not-the-build')

const verdict = async (validators: RequestValidators, key: string, body: unknown) => {
  const op = (await validators.forOperation(key))!
  try {
    check(op.body, body, 'body', op.annotations.body)
    return 'ok'
  } catch (err) {
    return (err as StytchError).errorType
  }
}

describe('request validators', () => {
  const cases: [string, unknown, string][] = [
    ['POST /v1/sessions/authenticate', { session_token: 'a'.repeat(44) }, 'ok'],
    ['POST /v1/sessions/authenticate', {}, 'no_session_arguments'],
    [
      'POST /v1/sessions/authenticate',
      { session_token: 'a'.repeat(44), session_jwt: 'x' },
      'too_many_session_arguments',
    ],
    [
      'POST /v1/sessions/authenticate',
      { session_token: 'a'.repeat(44), session_duration_minutes: 2 },
      'invalid_session_duration_minutes',
    ],
    ['POST /v1/otps/email/login_or_create', { email: 'not-an-email' }, 'invalid_email'],
    ['POST /v1/otps/email/login_or_create', { email: 5 }, 'invalid_argument'],
    ['POST /v1/m2m/clients', { scopes: ['read:users'] }, 'ok'],
    ['POST /v1/m2m/clients', {}, 'invalid_argument'],
  ]
  it.each(cases)(
    '%s %j: %s, compiled on demand and by the build alike',
    async (key, body, want) => {
      expect(await verdict(onDemand, key, body)).toBe(want)
      expect(await verdict(requestValidators(), key, body)).toBe(want)
    },
  )

  it('knows no operation the spec does not have', async () => {
    expect(await onDemand.forOperation('GET /v1/nowhere')).toBeNull()
  })

  it("takes a boolean query parameter as Stytch's Go backend does: True, 1, f (the Python SDK sends True)", async () => {
    const key = 'GET /v1/b2b/organizations/members/dangerously_get/{member_id}'
    for (const validators of [onDemand, requestValidators()])
      expect((await validators.forOperation(key))!.booleanQuery).toEqual(['include_deleted'])
    const t = await testWorld()
    const get = (value: string) =>
      t.call(
        'GET',
        `/v1/b2b/organizations/members/dangerously_get/${FIXTURE.acme.member_id}?include_deleted=${value}`,
      )
    for (const value of ['True', 'true', '1', 't', 'FALSE', 'f', '0'])
      expect((await get(value)).status, value).toBe(200)
    for (const value of ['yes', 'toString', ''])
      expect((await get(value)).body.error_type, value).toBe('invalid_argument')
  })
})
