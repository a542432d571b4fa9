// Machine-to-machine through the official `stytch` Node SDK (#28): clients created, read,
// searched, changed, rotated and deleted; tokens from the public token endpoint, verified locally
// by m2m.authenticateToken against the mock's JWKS, with the scopes asked for; and every refusal.
import * as stytch from 'stytch'
import { beforeAll, describe, expect, it } from 'vitest'
import { controlOf, failure, mockWithSdk } from '../helpers/server.js'

const sdk = mockWithSdk((options) => ({
  consumer: new stytch.Client(options),
  b2b: new stytch.B2BClient(options),
}))
let client: stytch.Client
beforeAll(() => {
  client = sdk.client.consumer
})

const create = (scopes: string[], extra: object = {}) =>
  client.m2m.clients.create({ scopes, ...extra }).then((r) => r.m2m_client)

describe('M2M clients', () => {
  it('create, get, update, search, delete; the secret only at creation', async () => {
    const made = await create(['read:users', 'write:users'], {
      client_name: 'Orders service',
      trusted_metadata: { team: 'orders' },
    })
    expect(made.client_id).toMatch(/^m2m-client-test-[0-9a-f-]{36}$/)
    expect(made.client_secret).toHaveLength(44)
    expect(made.client_secret_last_four).toBe(made.client_secret.slice(-4))
    expect(made).toMatchObject({ status: 'active', scopes: ['read:users', 'write:users'] })

    const got = (await client.m2m.clients.get({ client_id: made.client_id })).m2m_client
    expect(got).not.toHaveProperty('client_secret')
    expect(got.trusted_metadata).toEqual({ team: 'orders' })

    const updated = await client.m2m.clients.update({
      client_id: made.client_id,
      client_description: 'Reads users for orders',
      scopes: ['read:users'],
    })
    expect(updated.m2m_client).toMatchObject({
      client_name: 'Orders service',
      client_description: 'Reads users for orders',
      scopes: ['read:users'],
    })

    const imported = await create(['admin'], {
      client_id: 'legacy-billing',
      client_secret: 'an-imported-secret-of-enough-length',
      client_name: 'Billing',
    })
    expect(imported.client_secret).toBe('an-imported-secret-of-enough-length')
    expect(await failure(create(['x'], { client_id: 'legacy-billing' }))).toEqual({
      status: 400,
      type: 'm2m_client_already_exists',
    })

    const byName = await client.m2m.clients.search({
      query: {
        operator: 'AND',
        operands: [{ filter_name: 'client_name', filter_value: ['Billing'] }],
      },
    })
    expect(byName.m2m_clients.map((c) => c.client_id)).toEqual(['legacy-billing'])
    const either = await client.m2m.clients.search({
      query: {
        operator: 'OR',
        operands: [
          { filter_name: 'scopes', filter_value: ['admin'] },
          { filter_name: 'client_id', filter_value: [made.client_id] },
        ],
      },
    })
    expect(either.m2m_clients.map((c) => c.client_id).sort()).toEqual(
      [made.client_id, 'legacy-billing'].sort(),
    )

    expect((await client.m2m.clients.delete({ client_id: 'legacy-billing' })).client_id).toBe(
      'legacy-billing',
    )
    expect(await failure(client.m2m.clients.get({ client_id: 'legacy-billing' }))).toEqual({
      status: 404,
      type: 'm2m_client_not_found',
    })
  })

  it('search pages through every client with its cursor', async () => {
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await create([`page:${i}`])).client_id)
    const seen: string[] = []
    let cursor: string | undefined
    const query = {
      operator: 'OR' as const,
      operands: [{ filter_name: 'client_id' as const, filter_value: ids }],
    }
    do {
      const page = await client.m2m.clients.search({
        query,
        limit: 2,
        ...(cursor ? { cursor } : {}),
      })
      expect(page.results_metadata.total).toBe(5)
      seen.push(...page.m2m_clients.map((c) => c.client_id))
      cursor = page.results_metadata.next_cursor
    } while (cursor)
    expect(seen).toEqual(ids)
  })
})

describe('M2M tokens', () => {
  it('a token for the client, verified locally by authenticateToken, scopes as asked', async () => {
    const made = await create(['read:users', 'write:users'])
    const creds = { client_id: made.client_id, client_secret: made.client_secret }
    const all = await client.m2m.token(creds)
    expect(all).toMatchObject({ token_type: 'bearer', expires_in: 3600 })
    const verified = await client.m2m.authenticateToken({ access_token: all.access_token })
    expect(verified).toEqual({
      client_id: made.client_id,
      scopes: ['read:users', 'write:users'],
      custom_claims: {},
    })
    // The B2B client verifies against the B2B JWKS path: the same keys.
    expect(
      (await sdk.client.b2b.m2m.authenticateToken({ access_token: all.access_token })).client_id,
    ).toBe(made.client_id)

    const narrow = await client.m2m.token({ ...creds, scopes: ['read:users'] })
    const reads = await client.m2m.authenticateToken({
      access_token: narrow.access_token,
      required_scopes: ['read:users'],
    })
    expect(reads.scopes).toEqual(['read:users'])
    await expect(
      client.m2m.authenticateToken({
        access_token: narrow.access_token,
        required_scopes: ['write:users'],
      }),
    ).rejects.toMatchObject({ code: 'missing_scopes' })
  })

  it('refuses a wrong secret, a scope not allowed, an inactive or deleted client', async () => {
    const made = await create(['read:users'])
    const creds = { client_id: made.client_id, client_secret: made.client_secret }
    expect(await failure(client.m2m.token({ ...creds, client_secret: 'nope' }))).toEqual({
      status: 401,
      type: 'invalid_client',
    })
    expect(await failure(client.m2m.token({ ...creds, scopes: ['write:users'] }))).toEqual({
      status: 400,
      type: 'invalid_scope',
    })
    await client.m2m.clients.update({ client_id: made.client_id, status: 'inactive' })
    expect(await failure(client.m2m.token(creds))).toEqual({ status: 401, type: 'invalid_client' })
    await client.m2m.clients.update({ client_id: made.client_id, status: 'active' })
    expect((await client.m2m.token(creds)).token_type).toBe('bearer')
    await client.m2m.clients.delete({ client_id: made.client_id })
    expect(await failure(client.m2m.token(creds))).toEqual({ status: 401, type: 'invalid_client' })
  })

  it('an expired token fails locally; the expiry follows the mock’s clock', async () => {
    const made = await create(['read:users'])
    const { access_token } = await client.m2m.token({
      client_id: made.client_id,
      client_secret: made.client_secret,
    })
    await expect(
      client.m2m.authenticateToken({ access_token, max_token_age_seconds: 0 }),
    ).rejects.toMatchObject({ code: 'jwt_too_old' })
    // Minted an hour ago on the mock's clock: expired for a verifier at real time.
    sdk.mock.clock.advance(-3601)
    const old = await client.m2m.token({
      client_id: made.client_id,
      client_secret: made.client_secret,
    })
    sdk.mock.clock.reset()
    await expect(
      client.m2m.authenticateToken({ access_token: old.access_token }),
    ).rejects.toMatchObject({
      code: 'jwt_invalid',
    })
  })

  it('rotation: both secrets work until rotate, then only the new one; cancel keeps the old', async () => {
    const made = await create(['read:users'])
    const token = (client_secret: string) =>
      client.m2m.token({ client_id: made.client_id, client_secret })
    const started = (await client.m2m.clients.secrets.rotateStart({ client_id: made.client_id }))
      .m2m_client
    expect(started.next_client_secret_last_four).toBe(started.next_client_secret.slice(-4))
    expect((await token(made.client_secret)).token_type).toBe('bearer')
    expect((await token(started.next_client_secret)).token_type).toBe('bearer')

    const rotated = (await client.m2m.clients.secrets.rotate({ client_id: made.client_id }))
      .m2m_client
    expect(rotated.client_secret_last_four).toBe(started.next_client_secret.slice(-4))
    expect(rotated).not.toHaveProperty('next_client_secret_last_four')
    expect(await failure(token(made.client_secret))).toEqual({
      status: 401,
      type: 'invalid_client',
    })
    expect((await token(started.next_client_secret)).token_type).toBe('bearer')
    expect(await failure(client.m2m.clients.secrets.rotate({ client_id: made.client_id }))).toEqual(
      { status: 400, type: 'm2m_client_secret_rotation_not_started' },
    )

    const again = (await client.m2m.clients.secrets.rotateStart({ client_id: made.client_id }))
      .m2m_client
    await client.m2m.clients.secrets.rotateCancel({ client_id: made.client_id })
    expect(await failure(token(again.next_client_secret))).toEqual({
      status: 401,
      type: 'invalid_client',
    })
    expect((await token(started.next_client_secret)).token_type).toBe('bearer')
  })
})

describe('M2M fixture clients', () => {
  it('keep their fixed id and secret, across a reset', async () => {
    const creds = {
      client_id: 'm2m-client-test-4f3e2d1c-0b9a-4876-a543-210fedcba987',
      client_secret: 'stytch-mock-fixture-m2m-secret-orders-000001',
    }
    const { access_token } = await client.m2m.token(creds)
    expect((await client.m2m.authenticateToken({ access_token })).scopes).toEqual([
      'read:users',
      'write:users',
    ])
    await client.m2m.clients.delete({ client_id: creds.client_id })
    expect(await failure(client.m2m.token(creds))).toEqual({ status: 401, type: 'invalid_client' })
    await sdk.mock.world.state.reset()
    expect((await client.m2m.token(creds)).token_type).toBe('bearer')
  })
})

describe('snapshots and reset', () => {
  it('cover every product’s tables: an M2M client and an organization’s roles', async () => {
    const { world } = sdk.mock
    const snapshot = world.state.snapshot()
    const made = await create(['snapshot:test'])
    world.rbac.setOrgPolicy('organization-test-7d3e0c5e-4a9b-4c61-9f0e-2b8f5a1c6d01', [
      { role_id: 'snapshot_role', description: '', permissions: [] },
    ])
    world.state.restore(snapshot.snapshot_id)
    expect(await failure(client.m2m.clients.get({ client_id: made.client_id }))).toEqual({
      status: 404,
      type: 'm2m_client_not_found',
    })
    expect(world.rbac.orgPolicy('organization-test-7d3e0c5e-4a9b-4c61-9f0e-2b8f5a1c6d01')).toEqual({
      roles: [],
    })
    const again = await create(['reset:test'])
    await world.state.reset()
    expect(await failure(client.m2m.clients.get({ client_id: again.client_id }))).toEqual({
      status: 404,
      type: 'm2m_client_not_found',
    })
  })
})

describe('journal and scoped faults', () => {
  it('a fault for one M2M client fails its token requests only; the journal has them', async () => {
    const a = await create(['read:users'])
    const b = await create(['read:users'])
    await controlOf(sdk.mock)('POST', '/_mock/faults', {
      path: '/v1/public/*',
      status: 503,
      times: -1,
      match: { client_id: a.client_id },
    })
    expect(
      await failure(client.m2m.token({ client_id: a.client_id, client_secret: a.client_secret })),
    ).toEqual({ status: 503, type: 'service_unavailable' })
    expect(
      (await client.m2m.token({ client_id: b.client_id, client_secret: b.client_secret }))
        .token_type,
    ).toBe('bearer')
    sdk.mock.world.faults.clear()
    const tokenCalls = sdk.mock.world.journal
      .list({ path: `/v1/public/${sdk.mock.config.projectId}/oauth2/token` })
      .slice(0, 2)
      .map((r) => r.status)
    expect(tokenCalls.sort()).toEqual([200, 503])
  })
})

describe('the token endpoint as other SDKs send it', () => {
  it('JSON with a scopes array (Stytch’s Rust SDK), the project’s Basic auth beside it (Python’s)', async () => {
    const made = await create(['read:users', 'write:users'])
    const res = await controlOf(sdk.mock)(
      'POST',
      `/v1/public/${sdk.mock.config.projectId}/oauth2/token`,
      {
        grant_type: 'client_credentials',
        client_id: made.client_id,
        client_secret: made.client_secret,
        scopes: ['write:users'],
        scope: null,
      },
    )
    expect(res.status).toBe(200)
    const { access_token } = res.body
    expect((await client.m2m.authenticateToken({ access_token })).scopes).toEqual(['write:users'])
  })
})

describe('update', () => {
  it('changes only the fields a client has', async () => {
    const made = await create(['read:users'])
    const res = await controlOf(sdk.mock)('PUT', `/v1/m2m/clients/${made.client_id}`, {
      client_name: 'renamed',
      unknown: 1,
      client_id: 'hijack',
    })
    expect(res.status).toBe(200)
    const { m2m_client } = res.body
    expect(m2m_client.client_name).toBe('renamed')
    expect(m2m_client.client_id).toBe(made.client_id)
    expect(m2m_client).not.toHaveProperty('unknown')
  })
})
