// What a second review of #23/#28 found, each as the request that showed it: malformed
// percent-encoding is a client's mistake (never a 500), a token for the other vertical stays
// usable, a bad cursor is refused, media types are case-insensitive, a database seeded once is not
// seeded again, and a message belongs to the rule that failed.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Clock } from '../../server/clock.js'
import { loadConfig } from '../../server/config.js'
import { createWorld } from '../../server/world.js'
import { basicHeader, FIXTURE, testWorld } from '../helpers/world.js'

describe('review fixes', () => {
  it('malformed percent-encoding in Basic auth or a path is a 4xx, also under a scoped fault', async () => {
    const t = await testWorld()
    const token = await t.call('POST', `/v1/public/${t.config.projectId}/oauth2/token`, {
      auth: basicHeader('%E0%A4', 'x'),
      raw: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(token.status).toBe(401)
    expect(token.body.error).toBe('invalid_client')
    await t.call('POST', '/_mock/faults', {
      body: { path: '/v1/*', status: 500, times: -1, match: { user_id: 'nobody' } },
    })
    for (const path of [
      '/v1/m2m/clients/%E0%A4',
      '/v1/users/%E0%A4',
      '/v1/b2b/organizations/%E0%A4',
    ])
      expect((await t.call('GET', path)).status, path).toBe(404)
  })

  it('a form body whatever the case of its media type', async () => {
    const t = await testWorld()
    const res = await t.call('POST', `/v1/public/${t.config.projectId}/oauth2/token`, {
      auth: false,
      raw: 'grant_type=client_credentials&client_id=m2m-client-test-4f3e2d1c-0b9a-4876-a543-210fedcba987&client_secret=stytch-mock-fixture-m2m-secret-orders-000001',
      headers: { 'content-type': 'Application/X-WWW-Form-Urlencoded' },
    })
    expect(res.status).toBe(200)
  })

  it('a token at the other vertical’s endpoint is not found there, and still works at its own', async () => {
    const t = await testWorld()
    const minted = (
      await t.call('POST', '/_mock/impersonation', { body: { user_id: FIXTURE.adaUserId } })
    ).body
    const body = { impersonation_token: minted.impersonation_token }
    expect((await t.call('POST', '/v1/b2b/impersonation/authenticate', { body })).status).toBe(404)
    expect((await t.call('POST', '/v1/impersonation/authenticate', { body })).status).toBe(200)
  })

  it('a cursor no search returned is refused', async () => {
    const t = await testWorld()
    for (const cursor of ['!!!!', Buffer.from('1e3').toString('base64url')]) {
      const res = await t.call('POST', '/v1/m2m/clients/search', { body: { cursor } })
      expect(res.body.error_type, cursor).toBe('invalid_cursor')
    }
  })

  it('a file database seeded once is not seeded again, whatever its fixtures hold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stytch-mock-reseed-'))
    writeFileSync(
      join(dir, 'only-m2m.json'),
      JSON.stringify({
        m2m_clients: [{ client_id: 'svc-a', client_secret: 'a-secret-of-length', scopes: ['x'] }],
      }),
    )
    const config = loadConfig({
      STYTCH_MOCK_DB: join(dir, 'p.db'),
      STYTCH_MOCK_FIXTURES: join(dir, 'only-m2m.json'),
      HTTPS_PORT: 'off',
    })
    const first = await createWorld(config, new Clock())
    first.close()
    const second = await createWorld(config, new Clock())
    expect(second.m2mClients.get('svc-a').client_id).toBe('svc-a')
    second.close()
  })

  it('a message says what the field must be; one of several shapes says so', async () => {
    const t = await testWorld()
    const fault = await t.call('POST', '/_mock/faults', {
      body: { path: '/x', status: 500, match: { client_id: 5 } },
    })
    // The field's own message says what every part of it must be.
    expect(fault.body.error_message).toMatch(/client_id, each a string/)
    const mint = await t.call('POST', '/_mock/impersonation', { body: { organization_id: 'x' } })
    expect(mint.body.error_message).toMatch(/matches none of the shapes/)
  })
})
