// Request logs: one JSON line per request, and never a token, JWT or secret in them.
import { describe, expect, it } from 'vitest'
import { createApp } from '../server/app.js'
import { createLogger } from '../server/log.js'
import { testWorld } from './helpers/world.js'
import { FIXTURE } from './helpers/world.js'

describe('request logs', () => {
  it('log method, path, status, duration and error_type, and nothing secret, through a full flow', async () => {
    const t = await testWorld()
    const lines: string[] = []
    const app = createApp(t.world, { logger: createLogger('debug', (l) => lines.push(l)) })
    const basic = { authorization: t.basic, 'content-type': 'application/json' }
    const post = async (
      path: string,
      body: unknown,
      headers: Record<string, string> = basic,
    ): Promise<any> =>
      (await app.request(path, { method: 'POST', headers, body: JSON.stringify(body) })).json()

    const seeded = await post('/_mock/sessions', {
      email: 'log@example.com',
      session_token: 'log-test-token-log-test-token-log-test-00001',
    })
    const auth = await post('/v1/sessions/authenticate', { session_token: seeded.session_token })
    await post('/v1/sessions/authenticate', { session_jwt: auth.session_jwt })
    await post('/v1/sessions/authenticate', { session_token: 'INVALID' })
    const sdkAuth =
      'Basic ' + Buffer.from(`${t.config.publicToken}:${FIXTURE.adaToken}`).toString('base64')
    await post(
      '/sdk/v1/sessions/authenticate',
      {},
      {
        authorization: sdkAuth,
        'content-type': 'application/json',
        cookie: `stytch_session=${FIXTURE.adaToken}`,
      },
    )
    await post('/v1/sessions/revoke', { session_token: seeded.session_token })
    await app.request(`/v1/sessions?user_id=${FIXTURE.adaUserId}`, { headers: basic })

    expect(lines).toHaveLength(7)
    const parsed = lines.map((l) => JSON.parse(l))
    expect(parsed[0]).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'POST',
      path: '/_mock/sessions',
      status: 200,
      error_type: null,
    })
    expect(parsed[3]).toMatchObject({ status: 400, error_type: 'invalid_session_token' })
    expect(typeof parsed[1].duration_ms).toBe('number')
    const all = lines.join('\n')
    for (const secret of [
      t.config.secret,
      seeded.session_token,
      FIXTURE.adaToken,
      auth.session_jwt,
      auth.session_jwt.split('.')[2],
      t.basic.slice(6),
      sdkAuth.slice(6),
    ]) {
      expect(all).not.toContain(secret)
    }
    expect(all).not.toContain('user_id=')
  })

  it('are silent at LOG_LEVEL silent, and keep health checks for debug', () => {
    const lines: string[] = []
    createLogger('silent', (l) => lines.push(l)).request({
      method: 'GET',
      path: '/v1/x',
      status: 500,
      duration_ms: 1,
      error_type: null,
      request_id: 'r',
    })
    createLogger('info', (l) => lines.push(l)).request({
      method: 'GET',
      path: '/_mock/health',
      status: 200,
      duration_ms: 1,
      error_type: null,
      request_id: 'r',
    })
    expect(lines).toEqual([])
  })

  it('write each request line as the JSON of its fields, whatever the path holds', () => {
    const lines: string[] = []
    const line = {
      method: 'POST',
      path: '/v1/users/a"b\\c\u2028é\u0001',
      status: 404,
      duration_ms: 0.25,
      error_type: 'user_not_found',
      request_id: 'request-id-test-1',
    }
    createLogger('info', (l) => lines.push(l)).request(line)
    createLogger('info', (l) => lines.push(l)).request({ ...line, status: 200, error_type: null })
    expect(lines[0]).toBe(JSON.stringify({ level: 'info', msg: 'request', ...line }))
    expect(JSON.parse(lines[1]!)).toEqual({
      level: 'info',
      msg: 'request',
      ...line,
      status: 200,
      error_type: null,
    })
  })
})
