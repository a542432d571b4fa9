// Concurrency over a real loopback port: revokes racing authenticates, parallel creates, parallel exchanges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMock, type RunningMock } from '../helpers/server.js'
import { FIXTURE } from '../helpers/world.js'

let mock: RunningMock
let auth: string
beforeAll(async () => {
  mock = await startMock()
  auth = 'Basic ' + Buffer.from(`${mock.config.projectId}:${mock.config.secret}`).toString('base64')
})
afterAll(() => mock.close())

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${mock.url}${path}`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as any }
}

describe('races', () => {
  it('once a revoke has answered 200, no authenticate started later succeeds, by token or by JWT (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      const seeded = (await post('/_mock/sessions', { user_id: FIXTURE.adaUserId })).body
      const credentials = [
        { session_token: seeded.session_token },
        { session_jwt: seeded.session_jwt },
      ]
      let revokedAt = Infinity
      const attempts = Array.from({ length: 40 }, (_, i) => {
        const body = {
          ...credentials[i % 2],
          ...(i % 3 === 0 ? { session_duration_minutes: 30 } : {}),
        }
        return (async () => {
          await new Promise((r) => setTimeout(r, i % 7))
          const started = performance.now()
          const res = await post('/v1/sessions/authenticate', body)
          return { started, status: res.status }
        })()
      })
      const revoke = (async () => {
        await new Promise((r) => setTimeout(r, 3))
        const res = await post('/v1/sessions/revoke', { session_id: seeded.session.session_id })
        expect(res.status).toBe(200)
        revokedAt = performance.now()
      })()
      const results = await Promise.all(attempts)
      await revoke
      // Requests sent after the revoke answered.
      const after = await Promise.all(credentials.map((c) => post('/v1/sessions/authenticate', c)))
      for (const r of results.filter((r) => r.started > revokedAt)) expect(r.status).toBe(404)
      for (const r of after) expect(r.status).toBe(404)
      for (const r of results) expect([200, 404]).toContain(r.status)
    }
  })

  it('200 concurrent creates for one user lose and duplicate nothing', async () => {
    const user = (await post('/_mock/sessions', { email: 'many@example.com' })).body.user.user_id
    const created = await Promise.all(
      Array.from({ length: 200 }, () => post('/_mock/sessions', { user_id: user })),
    )
    expect(created.every((r) => r.status === 200)).toBe(true)
    const ids = new Set(created.map((r) => r.body.session.session_id))
    const tokens = new Set(created.map((r) => r.body.session_token))
    expect(ids.size).toBe(200)
    expect(tokens.size).toBe(200)
    const listed = await fetch(`${mock.url}/v1/sessions?user_id=${user}`, {
      headers: { authorization: auth },
    }).then((r) => r.json() as Promise<any>)
    const listedIds = new Set(listed.sessions.map((s: { session_id: string }) => s.session_id))
    for (const id of ids) expect(listedIds.has(id)).toBe(true)
    expect(listedIds.size).toBe(201)
  })

  it('50 concurrent exchanges of one member session each give a distinct working session, and the original stays', async () => {
    const seeded = (
      await post('/_mock/b2b/sessions', {
        organization_slug: 'acme',
        email_address: 'grace@example.com',
      })
    ).body
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        post('/v1/b2b/sessions/exchange', {
          organization_id: 'globex',
          session_token: seeded.session_token,
        }),
      ),
    )
    expect(results.every((r) => r.status === 200 && r.body.member_authenticated)).toBe(true)
    const tokens = new Set(results.map((r) => r.body.session_token))
    expect(tokens.size).toBe(50)
    const checks = await Promise.all(
      [...tokens, seeded.session_token].map((t) =>
        post('/v1/b2b/sessions/authenticate', { session_token: t }),
      ),
    )
    expect(checks.every((r) => r.status === 200)).toBe(true)
    const orgs = new Set(checks.slice(0, 50).map((r) => r.body.organization.organization_slug))
    expect([...orgs]).toEqual(['globex'])
  })
})
