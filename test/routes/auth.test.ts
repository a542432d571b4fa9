import { describe, expect, it } from 'vitest'
import { checkBasicAuth } from '../../server/platform/http/auth.js'
import { StytchError } from '../../server/errors.js'
import { spec } from '../helpers/spec.js'
import { testWorld } from '../helpers/world.js'

const basic = (user: string, password: string) =>
  'Basic ' + Buffer.from(`${user}:${password}`).toString('base64')
const typeOf = (fn: () => void) => {
  try {
    fn()
    return 'ok'
  } catch (err) {
    return (err as StytchError).errorType
  }
}

describe('checkBasicAuth', () => {
  const id = 'project-test-1'
  const secret = 'secret-test-abcdef'
  it.each([
    [basic(id, secret), 'ok'],
    [basic(id, secret.slice(0, -1) + 'x'), 'unauthorized_credentials'],
    [basic(id, secret + 'x'), 'unauthorized_credentials'],
    [basic(id, ''), 'unauthorized_credentials'],
    [basic(id + 'x', secret), 'unauthorized_credentials'],
    [basic(`${id}:${secret}`, ''), 'unauthorized_credentials'],
    [undefined, 'unauthorized_credentials'],
    ['', 'unauthorized_credentials'],
    ['Basic', 'invalid_authorization_header'],
    ['Basic bm9jb2xvbg==', 'invalid_authorization_header'],
    ['Digest abc', 'invalid_authorization_header'],
  ])('%s -> %s', (header, expected) => {
    expect(typeOf(() => checkBasicAuth(header, id, secret))).toBe(expected)
  })
})

describe('credentials on every authenticated route', () => {
  it('every /v1 and /_mock operation that requires Basic auth answers wrong credentials with 401', async () => {
    const t = await testWorld()
    const operations = Object.entries(spec.paths).flatMap(([template, item]) =>
      Object.entries(item)
        .filter(([, op]) => (op as { security?: unknown[] }).security === undefined)
        .map(([method]) => [method.toUpperCase(), template.replace(/\{[^}]+\}/g, 'x')] as const),
    )
    expect(operations.length).toBeGreaterThan(20)
    for (const [method, path] of operations) {
      if (!path.startsWith('/v1') && !path.startsWith('/_mock')) continue
      const body = method === 'GET' ? {} : { body: {} }
      const res = await t.call(method, path, {
        auth: basic(t.config.projectId, 'wrong-secret'),
        ...body,
      })
      expect(res.status, `${method} ${path}`).toBe(401)
      expect(res.body.error_type).toBe('unauthorized_credentials')
    }
  })
})
