// Each control operation proved through the official SDK it affects, over HTTP as a user would.
import * as stytch from 'stytch'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { startMock, type RunningMock } from '../helpers/server.js'
import { FIXTURE } from '../helpers/world.js'

let mock: RunningMock
let auth: string

beforeAll(async () => {
  mock = await startMock()
  auth = 'Basic ' + Buffer.from(`${mock.config.projectId}:${mock.config.secret}`).toString('base64')
  vi.spyOn(console, 'warn').mockImplementation(() => {})
})
afterAll(async () => {
  vi.restoreAllMocks()
  await mock.close()
})
beforeEach(async () => {
  await control('POST', '/_mock/reset')
})

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${mock.url}${path}`, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  expect(res.status, `${method} ${path}`).toBe(200)
  return res.json()
}

const newClient = () =>
  new stytch.Client({
    project_id: mock.config.projectId,
    secret: mock.config.secret,
    env: `${mock.url}/`,
  })

/** authenticateJwt passes current_date on to local verification; its types omit it. */
const at = (session_jwt: string, date: Date) =>
  ({ session_jwt, current_date: date }) as { session_jwt: string }
const virtualNow = async () => new Date((await control('GET', '/_mock/clock')).now)

describe('the test-control API seen through the official SDK', () => {
  it('a seeded session authenticates; its JWT verifies locally, fails locally 301 s later, and the API renews it', async () => {
    const client = newClient()
    const seeded = await control('POST', '/_mock/sessions', { email: 'e2e@example.com' })
    const res = await client.sessions.authenticate({ session_token: seeded.session_token })
    expect(res.user.emails[0]!.email).toBe('e2e@example.com')

    const local = await client.sessions.authenticateJwtLocal(
      at(seeded.session_jwt, await virtualNow()),
    )
    expect(local.session_id).toBe(seeded.session.session_id)

    await control('POST', '/_mock/clock', { advance_seconds: 301, freeze: true })
    const later = await virtualNow()
    await expect(
      client.sessions.authenticateJwtLocal(at(seeded.session_jwt, later)),
    ).rejects.toMatchObject({ code: 'jwt_invalid' })
    const renewed = (await client.sessions.authenticateJwt(at(seeded.session_jwt, later))) as {
      session_jwt: string
    }
    expect(renewed.session_jwt).not.toBe(seeded.session_jwt)
    const fresh = await client.sessions.authenticateJwtLocal(at(renewed.session_jwt, later))
    expect(fresh.session_id).toBe(seeded.session.session_id)
    const journal = await control('GET', '/_mock/requests?path=/v1/sessions/authenticate')
    expect(journal.requests.map((r: { status: number }) => r.status)).toEqual([200, 200])
  })

  it('a rotated key verifies through a fresh JWKS fetch', async () => {
    const seeded = await control('POST', '/_mock/sessions', { user_id: FIXTURE.adaUserId })
    const before = newClient()
    await before.sessions.authenticateJwtLocal({ session_jwt: seeded.session_jwt })
    const { keys } = await control('POST', '/_mock/keys/rotate')
    const { session_jwt } = await before.sessions.authenticate({
      session_token: seeded.session_token,
    })
    const client = newClient()
    await control('DELETE', '/_mock/requests')
    const local = await client.sessions.authenticateJwtLocal({ session_jwt })
    expect(local.user_id).toBe(FIXTURE.adaUserId)
    const fetched = await control('GET', '/_mock/requests')
    expect(fetched.requests.map((r: { path: string }) => r.path)).toEqual([
      `/v1/sessions/jwks/${mock.config.projectId}`,
    ])
    expect(keys.map((k: { state: string }) => k.state)).toEqual(['previous', 'active'])
    // The JWT from before the rotation still verifies: both keys are in the JWKS.
    await client.sessions.authenticateJwtLocal({ session_jwt: seeded.session_jwt })
  })

  it('the SDK fetches the JWKS once for many local verifications (the journal shows it)', async () => {
    const client = newClient()
    const { session_jwt } = await control('POST', '/_mock/sessions', { user_id: FIXTURE.adaUserId })
    await control('DELETE', '/_mock/requests')
    for (let i = 0; i < 5; i++) await client.sessions.authenticateJwt({ session_jwt })
    const journal = await control('GET', '/_mock/requests')
    expect(journal.requests).toHaveLength(1)
    expect(journal.requests[0].path).toBe(`/v1/sessions/jwks/${mock.config.projectId}`)
  })

  it('a 429 fault surfaces as StytchError too_many_requests, once', async () => {
    const client = newClient()
    await control('POST', '/_mock/faults', { path: '/v1/sessions/authenticate', status: 429 })
    const err = await client.sessions
      .authenticate({ session_token: FIXTURE.adaToken })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(stytch.StytchError)
    expect(err).toMatchObject({ status_code: 429, error_type: 'too_many_requests' })
    expect(
      (await client.sessions.authenticate({ session_token: FIXTURE.adaToken })).status_code,
    ).toBe(200)
  })

  it('a JWKS outage makes authenticateJwt fall back to the API, and authenticateJwtLocal fail', async () => {
    const client = newClient()
    const { session_jwt } = await control('POST', '/_mock/sessions', { user_id: FIXTURE.adaUserId })
    await control('POST', '/_mock/faults', { path: '/v1/sessions/jwks/*', status: 503, times: -1 })
    await control('DELETE', '/_mock/requests')
    const res = (await client.sessions.authenticateJwt({ session_jwt })) as { status_code?: number }
    expect(res.status_code).toBe(200)
    const journal = await control('GET', '/_mock/requests')
    expect(
      journal.requests.map((r: { path: string; status: number }) => `${r.status} ${r.path}`),
    ).toEqual([`503 /v1/sessions/jwks/${mock.config.projectId}`, '200 /v1/sessions/authenticate'])
    await expect(newClient().sessions.authenticateJwtLocal({ session_jwt })).rejects.toMatchObject({
      code: 'jwt_invalid',
    })
  })

  it('reset and snapshot restore return exactly the earlier state', async () => {
    const client = newClient()
    const { snapshot_id } = await control('POST', '/_mock/snapshots')
    await client.sessions.revoke({ session_token: FIXTURE.adaToken })
    await expect(
      client.sessions.authenticate({ session_token: FIXTURE.adaToken }),
    ).rejects.toBeInstanceOf(stytch.StytchError)
    await control('POST', `/_mock/snapshots/${snapshot_id}/restore`)
    expect(
      (await client.sessions.authenticate({ session_token: FIXTURE.adaToken })).session.session_id,
    ).toBe(FIXTURE.adaSessionId)
    await client.sessions.revoke({ session_token: FIXTURE.adaToken })
    await control('POST', '/_mock/reset')
    expect(
      (await client.sessions.authenticate({ session_token: FIXTURE.adaToken })).session.session_id,
    ).toBe(FIXTURE.adaSessionId)
  })

  it('fixture and Stytch sandbox tokens authenticate through the SDK, and the sandbox 404 token fails', async () => {
    const client = newClient()
    const sandbox = await client.sessions.authenticate({ session_token: FIXTURE.sandboxToken })
    expect(sandbox.session.user_id).toBe(FIXTURE.sandboxUserId)
    expect(sandbox.session.started_at).toBe('2021-08-28T00:41:58.935673Z')
    await client.sessions.authenticateJwtLocal({ session_jwt: sandbox.session_jwt })
    const err = await client.sessions
      .authenticate({ session_token: FIXTURE.sandboxNotFoundToken })
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ status_code: 404, error_type: 'session_not_found' })
    const b2b = new stytch.B2BClient({
      project_id: mock.config.projectId,
      secret: mock.config.secret,
      env: `${mock.url}/`,
    })
    expect(
      (await b2b.sessions.authenticate({ session_token: FIXTURE.graceToken })).member.email_address,
    ).toBe('grace@example.com')
  })
})
