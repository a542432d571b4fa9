// Connected App clients through the official `stytch` Node SDK (#29): made, read, changed,
// listed, rotated and deleted, first or third party, confidential or public, with every refusal;
// the fixture clients; and dynamic client registration (RFC 7591) as an MCP client uses it, read
// by oauth4webapi (panva's RFC-compliant client, not written here).
import * as oauth from 'oauth4webapi'
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

type CreateRequest = Parameters<stytch.Client['connectedApp']['clients']['create']>[0]
const create = (client_type: CreateRequest['client_type'], extra: Partial<CreateRequest> = {}) =>
  client.connectedApp.clients.create({ client_type, ...extra }).then((r) => r.connected_app)
const matches = (clientId: string, secret: string) =>
  sdk.mock.world.connectedApps.secretMatches(clientId, secret)

const FIXTURE_FIRST_PARTY = {
  client_id: 'connected-app-test-6f1c2d3e-4b5a-4c69-8d7e-0a1b2c3d4e01',
  client_secret: 'stytch-mock-fixture-connected-app-secret-first-party-000001',
}
const FIXTURE_PUBLIC = 'connected-app-test-6f1c2d3e-4b5a-4c69-8d7e-0a1b2c3d4e02'
const FIXTURE_THIRD_PARTY = {
  client_id: 'connected-app-test-6f1c2d3e-4b5a-4c69-8d7e-0a1b2c3d4e03',
  client_secret: 'stytch-mock-fixture-connected-app-secret-third-party-000003',
}

describe('connectedApp.clients', () => {
  it('create a confidential client: Stytch’s defaults, the secret once, stored hashed', async () => {
    const made = await create('first_party', {
      client_name: 'Orders web',
      redirect_urls: ['https://orders.example.com/callback', 'http://localhost:3000/cb'],
    })
    expect(made.client_id).toMatch(/^connected-app-test-[0-9a-f-]{36}$/)
    expect(made.client_secret).toHaveLength(48)
    expect(made.client_secret_last_four).toBe(made.client_secret!.slice(-4))
    expect(made).toMatchObject({
      client_name: 'Orders web',
      client_description: '',
      status: 'active',
      client_type: 'first_party',
      full_access_allowed: false,
      access_token_expiry_minutes: 60,
      access_token_template_content: '',
      id_token_template_content: '',
      post_logout_redirect_urls: [],
      bypass_consent_for_offline_access: false,
    })
    expect(made).not.toHaveProperty('logo_url')

    const got = (await client.connectedApp.clients.get({ client_id: made.client_id })).connected_app
    expect(got).not.toHaveProperty('client_secret')
    expect(got.creation_method).toBe('api')
    expect(got.redirect_urls).toEqual(made.redirect_urls)
    // The same clients through the B2B client (one project-wide list).
    expect(
      (await sdk.client.b2b.connectedApp.clients.get({ client_id: made.client_id })).connected_app
        .client_name,
    ).toBe('Orders web')

    expect(matches(made.client_id, made.client_secret!)).toBe(true)
    // One character changed: its last, to one it is not (a random secret can end in any).
    const last = made.client_secret!.slice(-1) === 'x' ? 'y' : 'x'
    expect(matches(made.client_id, made.client_secret!.slice(0, -1) + last)).toBe(false)
    const stored = JSON.stringify(
      sdk.mock.world.db
        .prepare('SELECT * FROM connected_apps WHERE client_id = ?')
        .all(made.client_id),
    )
    expect(stored).not.toContain(made.client_secret)
  })

  it('public clients get no secret, and have none to rotate', async () => {
    for (const type of ['first_party_public', 'third_party_public'] as const) {
      const made = await create(type, { redirect_urls: ['com.example.app:/oauth2redirect'] })
      expect(made).not.toHaveProperty('client_secret')
      expect(made).not.toHaveProperty('client_secret_last_four')
      expect(matches(made.client_id, '')).toBe(false)
      for (const call of [
        client.connectedApp.clients.secrets.rotateStart({ client_id: made.client_id }),
        client.connectedApp.clients.secrets.rotate({ client_id: made.client_id }),
        client.connectedApp.clients.secrets.rotateCancel({ client_id: made.client_id }),
      ])
        expect(await failure(call)).toEqual({
          status: 400,
          type: 'connected_app_public_client_has_no_secret',
        })
    }
  })

  it('update changes what is given; the type, id and secret stay', async () => {
    const made = await create('third_party', {
      client_name: 'Partner',
      logo_url: 'https://partner.example.com/logo.png',
      access_token_custom_audience: 'https://api.example.com',
    })
    const { connected_app: updated } = await client.connectedApp.clients.update({
      client_id: made.client_id,
      client_description: 'Reads orders',
      access_token_expiry_minutes: 15,
      access_token_template_content: '{"plan": "{{ user.trusted_metadata.plan }}"}',
      id_token_template_content: '{"roles": {{ user.roles }}}',
      post_logout_redirect_urls: ['https://partner.example.com/bye'],
      logo_url: '',
      // What update does not take is ignored (Node's SDK would not send these; a raw call can).
      ...({
        client_type: 'first_party',
        status: 'inactive',
        client_id_metadata_url: 'x',
      } as object),
    })
    expect(updated).toMatchObject({
      client_id: made.client_id,
      client_type: 'third_party',
      status: 'active',
      client_name: 'Partner',
      client_description: 'Reads orders',
      access_token_expiry_minutes: 15,
      access_token_custom_audience: 'https://api.example.com',
      post_logout_redirect_urls: ['https://partner.example.com/bye'],
      client_secret_last_four: made.client_secret_last_four,
    })
    expect(updated).not.toHaveProperty('logo_url')
    expect(updated).not.toHaveProperty('client_id_metadata_url')
    expect(matches(made.client_id, made.client_secret!)).toBe(true)
  })

  it('refuses first-party settings on third-party clients, at create and at update', async () => {
    for (const setting of [
      { full_access_allowed: true },
      { bypass_consent_for_offline_access: true },
    ]) {
      for (const type of ['third_party', 'third_party_public'] as const)
        expect(await failure(create(type, setting))).toEqual({
          status: 400,
          type: 'connected_app_first_party_only_setting',
        })
      const third = await create('third_party')
      expect(
        await failure(
          client.connectedApp.clients.update({ client_id: third.client_id, ...setting }),
        ),
      ).toEqual({ status: 400, type: 'connected_app_first_party_only_setting' })
      const first = await create('first_party_public', setting)
      expect(first).toMatchObject(setting)
    }
    // false is fine anywhere.
    expect((await create('third_party', { full_access_allowed: false })).full_access_allowed).toBe(
      false,
    )
  })

  it('refuses redirect URLs a browser could be sent somewhere unsafe by', async () => {
    for (const url of [
      'http://partner.example.com/callback',
      'https://partner.example.com/callback#fragment',
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'http://localhost.evil.example/cb',
      'http://localhost@evil.example/cb',
      'https://user@evil.example/cb',
      '/relative/callback',
      'https://',
      'https://a b.example/cb',
      // The pattern lets these through; no URL parser reads them (they were a 500 at authorize).
      'https://example.com:99999/cb',
      'https://exa^mple.com/cb',
      'https://a%zz/cb',
      'http://localhost:70000/cb',
    ]) {
      expect(await failure(create('third_party', { redirect_urls: [url] })), url).toEqual({
        status: 400,
        type: 'invalid_connected_app_redirect_url',
      })
      expect(
        await failure(create('first_party', { post_logout_redirect_urls: [url] })),
        url,
      ).toEqual({ status: 400, type: 'invalid_connected_app_redirect_url' })
    }
    const fine = await create('third_party_public', {
      redirect_urls: [
        'http://127.0.0.1/callback',
        'http://[::1]:8080/cb?x=1',
        'https://claude.ai/api/mcp/auth_callback',
        'cursor://anysphere.cursor-retrieval/oauth/callback',
        'http://127.0.0.1/callback',
      ],
    })
    expect(fine.redirect_urls).toHaveLength(4)
    expect(
      await failure(
        client.connectedApp.clients.update({
          client_id: fine.client_id,
          redirect_urls: ['http://evil.example/cb'],
        }),
      ),
    ).toEqual({ status: 400, type: 'invalid_connected_app_redirect_url' })
  })

  it('refuses templates that are not JSON objects, and out-of-range or unbounded fields', async () => {
    for (const template of ['[1, 2]', '"text"', '{"a": ', 'null']) {
      expect(
        await failure(create('first_party', { access_token_template_content: template })),
      ).toEqual({ status: 400, type: 'invalid_connected_app_template' })
      expect(await failure(create('first_party', { id_token_template_content: template }))).toEqual(
        {
          status: 400,
          type: 'invalid_connected_app_template',
        },
      )
    }
    for (const extra of [
      { access_token_expiry_minutes: 0 },
      { access_token_expiry_minutes: 100000 },
      { client_name: 'x'.repeat(257) },
      { logo_url: 'javascript:alert(1)' },
    ])
      expect(await failure(create('first_party', extra))).toEqual({
        status: 400,
        type: 'invalid_argument',
      })
    expect(await failure(create('second_party' as CreateRequest['client_type']))).toEqual({
      status: 400,
      type: 'invalid_argument',
    })
  })

  it('search pages through every client in creation order', async () => {
    const first = await client.connectedApp.clients.search({ limit: 2 })
    expect(first.connected_apps).toHaveLength(2)
    expect(first.connected_apps[0]!.client_id).toBe(FIXTURE_THIRD_PARTY.client_id)
    const total = first.results_metadata.total
    expect(total).toBeGreaterThan(4)
    const seen = [...first.connected_apps]
    let cursor = first.results_metadata.next_cursor
    while (cursor) {
      const page = await client.connectedApp.clients.search({ limit: 2, cursor })
      seen.push(...page.connected_apps)
      cursor = page.results_metadata.next_cursor
    }
    expect(seen).toHaveLength(total)
    expect(new Set(seen.map((c) => c.client_id)).size).toBe(total)
    expect(seen.every((c) => !('client_secret' in c))).toBe(true)
    const all = await client.connectedApp.clients.search({})
    expect(all.connected_apps.map((c) => c.client_id)).toEqual(seen.map((c) => c.client_id))
    // The last page says so with null, as the SDK's loop ("until next_cursor is null") needs.
    expect(all.results_metadata.next_cursor).toBeNull()

    expect(await failure(client.connectedApp.clients.search({ cursor: 'not-a-cursor' }))).toEqual({
      status: 400,
      type: 'invalid_cursor',
    })
    for (const limit of [-1, 1001])
      expect(await failure(client.connectedApp.clients.search({ limit }))).toEqual({
        status: 400,
        type: 'invalid_argument',
      })

    // Past 100 clients, 0 is the default page of 100, as in the other searches (not "no limit").
    for (let n = total; n <= 100; n++) await create('third_party_public')
    for (const input of [{ limit: 0 }, {}]) {
      const page = await client.connectedApp.clients.search(input)
      expect(page.connected_apps).toHaveLength(100)
      expect(page.results_metadata.next_cursor).toEqual(expect.any(String))
    }
  })

  it('delete: the client, its secret and (through the hook) its grants go', async () => {
    const made = await create('third_party')
    const forgotten: string[] = []
    sdk.mock.world.connectedApps.onDeleted((id) => forgotten.push(id))
    expect(
      (await client.connectedApp.clients.delete({ client_id: made.client_id })).client_id,
    ).toBe(made.client_id)
    expect(forgotten).toEqual([made.client_id])
    expect(sdk.mock.world.connectedApps.find(made.client_id)).toBeNull()
    expect(matches(made.client_id, made.client_secret!)).toBe(false)
    for (const call of [
      client.connectedApp.clients.get({ client_id: made.client_id }),
      client.connectedApp.clients.delete({ client_id: made.client_id }),
      client.connectedApp.clients.update({ client_id: made.client_id, client_name: 'x' }),
      client.connectedApp.clients.secrets.rotateStart({ client_id: made.client_id }),
    ])
      expect(await failure(call)).toEqual({ status: 404, type: 'connected_app_not_found' })
    expect(forgotten).toEqual([made.client_id])
  })
})

describe('connectedApp.clients.secrets', () => {
  it('rotate: both secrets during the rotation, then only the next one', async () => {
    const made = await create('third_party')
    const rotate = client.connectedApp.clients.secrets
    expect(await failure(rotate.rotate({ client_id: made.client_id }))).toEqual({
      status: 400,
      type: 'connected_app_secret_rotation_not_started',
    })
    const started = (await rotate.rotateStart({ client_id: made.client_id })).connected_app
    expect(started.next_client_secret).toHaveLength(48)
    expect(started.next_client_secret_last_four).toBe(started.next_client_secret.slice(-4))
    expect(started.client_secret_last_four).toBe(made.client_secret_last_four)
    expect(matches(made.client_id, made.client_secret!)).toBe(true)
    expect(matches(made.client_id, started.next_client_secret)).toBe(true)
    const got = (await client.connectedApp.clients.get({ client_id: made.client_id })).connected_app
    expect(got.next_client_secret_last_four).toBe(started.next_client_secret_last_four)

    const done = (await rotate.rotate({ client_id: made.client_id })).connected_app
    expect(done.client_secret_last_four).toBe(started.next_client_secret.slice(-4))
    expect(done).not.toHaveProperty('next_client_secret_last_four')
    expect(matches(made.client_id, made.client_secret!)).toBe(false)
    expect(matches(made.client_id, started.next_client_secret)).toBe(true)

    // A cancelled rotation forgets the next secret.
    const again = (await rotate.rotateStart({ client_id: made.client_id })).connected_app
    const cancelled = (await rotate.rotateCancel({ client_id: made.client_id })).connected_app
    expect(cancelled).not.toHaveProperty('next_client_secret_last_four')
    expect(matches(made.client_id, again.next_client_secret)).toBe(false)
    expect(matches(made.client_id, started.next_client_secret)).toBe(true)
    expect(await failure(rotate.rotate({ client_id: made.client_id }))).toEqual({
      status: 400,
      type: 'connected_app_secret_rotation_not_started',
    })
  })
})

describe('Connected App fixture clients', () => {
  it('keep their fixed ids and secrets, across a delete and a reset', async () => {
    const first = sdk.mock.world.connectedApps.find(FIXTURE_FIRST_PARTY.client_id)
    expect(first).toMatchObject({
      client_type: 'first_party',
      full_access_allowed: true,
      creation_method: 'dashboard',
      client_secret_last_four: FIXTURE_FIRST_PARTY.client_secret.slice(-4),
    })
    expect(matches(FIXTURE_FIRST_PARTY.client_id, FIXTURE_FIRST_PARTY.client_secret)).toBe(true)
    expect(matches(FIXTURE_THIRD_PARTY.client_id, FIXTURE_THIRD_PARTY.client_secret)).toBe(true)
    expect(matches(FIXTURE_THIRD_PARTY.client_id, FIXTURE_FIRST_PARTY.client_secret)).toBe(false)
    const pub = (await client.connectedApp.clients.get({ client_id: FIXTURE_PUBLIC })).connected_app
    expect(pub).toMatchObject({ client_type: 'third_party_public' })
    expect(pub).not.toHaveProperty('client_secret_last_four')

    await client.connectedApp.clients.delete({ client_id: FIXTURE_FIRST_PARTY.client_id })
    expect(matches(FIXTURE_FIRST_PARTY.client_id, FIXTURE_FIRST_PARTY.client_secret)).toBe(false)
    await sdk.mock.world.state.reset()
    expect(matches(FIXTURE_FIRST_PARTY.client_id, FIXTURE_FIRST_PARTY.client_secret)).toBe(true)
  })

  it('snapshots and reset cover the clients and the settings', async () => {
    const { world } = sdk.mock
    const control = controlOf(sdk.mock)
    const snapshot = world.state.snapshot()
    const made = await create('first_party')
    await control('PUT', '/_mock/connected_apps/settings', { dynamic_client_registration: true })
    world.state.restore(snapshot.snapshot_id)
    expect(await failure(client.connectedApp.clients.get({ client_id: made.client_id }))).toEqual({
      status: 404,
      type: 'connected_app_not_found',
    })
    expect((await control('GET', '/_mock/connected_apps/settings')).body.settings).toEqual({
      dynamic_client_registration: false,
    })
    await control('PUT', '/_mock/connected_apps/settings', { dynamic_client_registration: true })
    await world.state.reset()
    expect((await control('GET', '/_mock/connected_apps/settings')).body.settings).toEqual({
      dynamic_client_registration: false,
    })
  })
})

describe('dynamic client registration (POST /v1/oauth2/register)', () => {
  const http = { [oauth.allowInsecureRequests]: true }
  const as = () => ({
    issuer: sdk.mock.url,
    registration_endpoint: `${sdk.mock.url}/v1/oauth2/register`,
  })
  const register = async (metadata: Record<string, unknown>) => {
    // Bad metadata on purpose, so typed loosely.
    const res = await oauth.dynamicClientRegistrationRequest(
      as(),
      metadata as Partial<oauth.OmitSymbolProperties<oauth.Client>>,
      http,
    )
    return oauth.processDynamicClientRegistrationResponse(res).then(
      (made) => made,
      (err: oauth.ResponseBodyError) => ({ refused: `${err.status} ${err.error}` }),
    )
  }
  const setting = (on: boolean) =>
    controlOf(sdk.mock)('PUT', '/_mock/connected_apps/settings', {
      dynamic_client_registration: on,
    })
  const mcp = {
    client_name: 'MCP Inspector',
    redirect_uris: ['http://localhost:6274/oauth/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    scope: 'openid profile offline_access',
  }

  it('is refused while the project does not allow it (Stytch’s default)', async () => {
    await sdk.mock.world.state.reset()
    expect(await register(mcp)).toEqual({ refused: '403 access_denied' })
    const before = (await client.connectedApp.clients.search({})).results_metadata.total
    expect(sdk.mock.world.connectedApps.dynamicRegistrationEnabled()).toBe(false)
    await setting(true)
    expect(sdk.mock.world.connectedApps.dynamicRegistrationEnabled()).toBe(true)
    expect(await register(mcp)).toHaveProperty('client_id')
    await setting(false)
    expect(await register(mcp)).toEqual({ refused: '403 access_denied' })
    expect((await client.connectedApp.clients.search({})).results_metadata.total).toBe(before + 1)
  })

  it('makes a third-party public client; the same metadata answers the same client', async () => {
    await setting(true)
    const made = (await register(mcp)) as oauth.OmitSymbolProperties<oauth.Client>
    expect(made).toEqual({
      client_id: expect.stringMatching(/^connected-app-test-[0-9a-f-]{36}$/),
      client_name: 'MCP Inspector',
      redirect_uris: ['http://localhost:6274/oauth/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    })
    const stored = (await client.connectedApp.clients.get({ client_id: made.client_id }))
      .connected_app
    expect(stored).toMatchObject({
      client_type: 'third_party_public',
      creation_method: 'dynamic_client_registration',
      redirect_urls: ['http://localhost:6274/oauth/callback'],
      full_access_allowed: false,
    })
    expect(stored).not.toHaveProperty('client_secret_last_four')
    // Deduplication: the same metadata (in any key order) is the same client...
    const { scope, ...rest } = mcp
    expect(((await register({ scope, ...rest })) as oauth.Client).client_id).toBe(made.client_id)
    // ...other metadata another one; and once deleted, a new one.
    const other = (await register({ ...mcp, client_name: 'Claude' })) as oauth.Client
    expect(other.client_id).not.toBe(made.client_id)
    await client.connectedApp.clients.delete({ client_id: made.client_id })
    const anew = (await register(mcp)) as oauth.Client
    expect(anew.client_id).not.toBe(made.client_id)
    // The defaults: no auth method means a public client, as in Stytch's example.
    const bare = (await register({
      redirect_uris: ['http://127.0.0.1:33418/callback'],
    })) as oauth.Client
    expect(bare).toMatchObject({ token_endpoint_auth_method: 'none', client_name: '' })
  })

  it('makes a third-party confidential client with a secret, always a new one', async () => {
    await setting(true)
    const metadata = {
      client_name: 'Partner portal',
      redirect_uris: ['https://portal.example.com/callback'],
      token_endpoint_auth_method: 'client_secret_basic',
      logo_uri: 'https://portal.example.com/logo.png',
    }
    const made = (await register(metadata)) as oauth.Client & { client_secret: string }
    expect(made).toMatchObject({
      token_endpoint_auth_method: 'client_secret_basic',
      client_secret_expires_at: 0,
      logo_uri: 'https://portal.example.com/logo.png',
    })
    expect(made.client_secret).toHaveLength(48)
    expect(matches(made.client_id, made.client_secret)).toBe(true)
    const stored = (await client.connectedApp.clients.get({ client_id: made.client_id }))
      .connected_app
    expect(stored).toMatchObject({
      client_type: 'third_party',
      logo_url: 'https://portal.example.com/logo.png',
      client_secret_last_four: made.client_secret.slice(-4),
    })
    const again = (await register(metadata)) as oauth.Client
    expect(again.client_id).not.toBe(made.client_id)
  })

  it('refuses bad metadata in RFC 7591’s terms', async () => {
    await setting(true)
    for (const redirect_uris of [
      undefined,
      [],
      ['http://evil.example/callback'],
      ['javascript:alert(1)'],
      ['https://app.example.com/cb#x'],
      ['https://example.com:99999/cb'],
      'https://app.example.com/cb',
    ])
      expect(await register({ ...mcp, redirect_uris }), String(redirect_uris)).toEqual({
        refused: '400 invalid_redirect_uri',
      })
    for (const bad of [
      { grant_types: ['client_credentials'] },
      { grant_types: ['refresh_token'] },
      { response_types: ['token'] },
      { token_endpoint_auth_method: 'private_key_jwt' },
      { client_name: 'x'.repeat(300) },
    ])
      expect(await register({ ...mcp, ...bad }), JSON.stringify(bad)).toEqual({
        refused: '400 invalid_client_metadata',
      })
    const res = await fetch(`${sdk.mock.url}/v1/oauth2/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toBe('invalid_client_metadata')
    // Unknown metadata is ignored, but nested deeper than any real metadata it is refused, not a 500.
    const deep = await fetch(`${sdk.mock.url}/v1/oauth2/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"redirect_uris":["https://app.example.com/cb"],"x":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    })
    expect([deep.status, ((await deep.json()) as { error: string }).error]).toEqual([
      400,
      'invalid_client_metadata',
    ])
  })

  it('answers browsers from any origin (CORS), without credentials', async () => {
    await setting(true)
    const url = `${sdk.mock.url}/v1/oauth2/register`
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:6274',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST')
    const res = await fetch(url, {
      method: 'POST',
      headers: { origin: 'http://localhost:6274', 'content-type': 'application/json' },
      body: JSON.stringify(mcp),
    })
    expect(res.status).toBe(201)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('cache-control')).toBe('no-store')
  })
})
