// Impersonation, project.metrics and debug.whoami through the official `stytch` Node SDK (#28):
// a token minted where the dashboard would (POST /_mock/impersonation), a 60-minute session with
// the impersonated factor that cannot be extended, single use, expiring on the mock's clock.
import * as stytch from 'stytch'
import { beforeAll, describe, expect, it } from 'vitest'
import { controlOf, failure, mockWithSdk } from '../helpers/server.js'
import { FIXTURE } from '../helpers/world.js'

const sdk = mockWithSdk((options) => ({
  consumer: new stytch.Client(options),
  b2b: new stytch.B2BClient(options),
}))
let control: ReturnType<typeof controlOf>
beforeAll(() => {
  control = controlOf(sdk.mock)
})
const mint = async (body: object) => (await control('POST', '/_mock/impersonation', body)).body

describe('impersonation', () => {
  it('a user: a 60-minute session naming the impersonator, not extended, the token single use', async () => {
    const minted = await mint({
      user_id: FIXTURE.adaUserId,
      impersonator_email_address: 'ops@example.com',
      impersonator_id: 'member-test-00000000-0000-4000-8000-000000000001',
    })
    expect(new URL(minted.url).searchParams.get('stytch_token_type')).toBe('impersonation')
    expect(new URL(minted.url).searchParams.get('token')).toBe(minted.impersonation_token)
    const res = await sdk.client.consumer.impersonation.authenticate({
      impersonation_token: minted.impersonation_token,
    })
    expect(res.user_id).toBe(FIXTURE.adaUserId)
    const session = res.session!
    expect(Date.parse(session.expires_at!) - Date.parse(session.started_at!)).toBe(60 * 60 * 1000)
    expect(session.authentication_factors).toEqual([
      expect.objectContaining({
        type: 'impersonated',
        delivery_method: 'impersonation',
        impersonated_factor: {
          impersonator_id: 'member-test-00000000-0000-4000-8000-000000000001',
          impersonator_email_address: 'ops@example.com',
        },
      }),
    ])
    const later = await sdk.client.consumer.sessions.authenticate({
      session_token: res.session_token,
      session_duration_minutes: 600,
    })
    expect(later.session.expires_at).toBe(session.expires_at)
    expect(
      await failure(
        sdk.client.consumer.impersonation.authenticate({
          impersonation_token: minted.impersonation_token,
        }),
      ),
    ).toEqual({ status: 404, type: 'impersonation_token_not_found' })
  })

  it('a member: a member session in the organization; tokens expire in five minutes', async () => {
    const minted = await mint({
      organization_id: FIXTURE.acme.organization_id,
      member_id: FIXTURE.acme.member_id,
    })
    // A member's token is not a user's.
    expect(
      await failure(
        sdk.client.consumer.impersonation.authenticate({
          impersonation_token: minted.impersonation_token,
        }),
      ),
    ).toEqual({ status: 404, type: 'impersonation_token_not_found' })
    const fresh = await mint({
      organization_id: FIXTURE.acme.organization_id,
      member_id: FIXTURE.acme.member_id,
    })
    const res = await sdk.client.b2b.impersonation.authenticate({
      impersonation_token: fresh.impersonation_token,
    })
    expect(res).toMatchObject({
      member_id: FIXTURE.acme.member_id,
      organization_id: FIXTURE.acme.organization_id,
      member_authenticated: true,
    })
    expect(res.member_session!.authentication_factors[0]).toMatchObject({
      type: 'impersonated',
      impersonated_factor: { impersonator_email_address: 'support@example.com' },
    })
    const expiring = await mint({ user_id: FIXTURE.adaUserId })
    sdk.mock.clock.advance(5 * 60 + 1)
    expect(
      await failure(
        sdk.client.consumer.impersonation.authenticate({
          impersonation_token: expiring.impersonation_token,
        }),
      ),
    ).toEqual({ status: 404, type: 'impersonation_token_not_found' })
    sdk.mock.clock.reset()
  })

  it('refuses to mint for nobody', async () => {
    const res = await control('POST', '/_mock/impersonation', {
      user_id: 'user-test-00000000-0000-4000-8000-000000000000',
    })
    expect(res.status).toBe(404)
    expect(res.body.error_type).toBe('user_not_found')
  })
})

describe('project.metrics and debug.whoami', () => {
  it('count what the mock holds, and name the project', async () => {
    const before = await sdk.client.consumer.project.metrics()
    const count = (r: typeof before, type: string) =>
      r.metrics.find((m) => m.metric_type === type)!.count
    await sdk.client.consumer.m2m.clients.create({ scopes: ['x'] })
    await control('POST', '/_mock/users', { email: 'metrics@example.com' })
    const after = await sdk.client.b2b.project.metrics()
    expect(after.project_id).toBe(sdk.mock.config.projectId)
    expect(count(after, 'USER_COUNT')).toBe(count(before, 'USER_COUNT') + 1)
    expect(count(after, 'M2M_CLIENT_COUNT')).toBe(count(before, 'M2M_CLIENT_COUNT') + 1)
    expect(count(after, 'ORGANIZATION_COUNT')).toBe(3)
    expect(count(after, 'MEMBER_COUNT')).toBeGreaterThanOrEqual(3)
    expect(await sdk.client.consumer.debug.whoami()).toMatchObject({
      project_id: sdk.mock.config.projectId,
      name: 'stytch-mock',
    })
  })
})
