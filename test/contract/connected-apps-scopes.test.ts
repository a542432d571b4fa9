// Custom OAuth scopes (#29): the RBAC policy's `scopes` (fixtures/b2b.json) decide what a
// Connected App may be granted, by the roles of the member who consents; the served policy
// carries them, so the SDK's introspectTokenLocal with an authorization_check checks a token's
// scopes against their permissions.
import * as stytch from 'stytch'
import { beforeAll, describe, expect, it } from 'vitest'
import { failure, mockWithSdk } from '../helpers/server.js'
import { FIXTURE } from '../helpers/world.js'

const sdk = mockWithSdk((options) => new stytch.B2BClient(options))
let b2b: stytch.B2BClient
beforeAll(() => {
  b2b = sdk.client
})

const PARTNER = {
  client_id: 'connected-app-test-6f1c2d3e-4b5a-4c69-8d7e-0a1b2c3d4e03',
  client_secret: 'stytch-mock-fixture-connected-app-secret-third-party-000003',
  redirect_uri: 'https://partner.example.com/oauth/callback',
}
// Grace at Globex is no admin: she holds stytch_member only (documents: read).
const grace = {
  member_id: FIXTURE.globex.member_id,
  organization_id: FIXTURE.globex.organization_id,
}
const request = (scopes: string[]) => ({
  client_id: PARTNER.client_id,
  redirect_uri: PARTNER.redirect_uri,
  response_type: 'code',
  scopes,
  ...grace,
})

describe('custom scopes from the RBAC policy', () => {
  it('the served policy lists them, with their permissions', async () => {
    const { policy } = await b2b.rbac.policy()
    expect(policy!.scopes).toEqual([
      {
        scope: 'read:documents',
        description: "Read your organization's documents",
        permissions: [{ resource_id: 'documents', actions: ['read'] }],
      },
      {
        scope: 'write:documents',
        description: "Change your organization's documents",
        permissions: [{ resource_id: 'documents', actions: ['write'] }],
      },
    ])
  })

  it('the discovery documents list them beside the standard scopes', async () => {
    for (const path of [
      '/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server',
    ]) {
      const doc = (await (await fetch(`${sdk.mock.url}${path}`)).json()) as {
        scopes_supported: string[]
      }
      expect(doc.scopes_supported).toEqual([
        'openid',
        'profile',
        'email',
        'phone',
        'offline_access',
        'read:documents',
        'write:documents',
      ])
    }
  })

  it("a scope is grantable only when the member's roles hold its permissions", async () => {
    const start = await b2b.idp.oauth.authorizeStart(
      request(['openid', 'read:documents', 'write:documents']),
    )
    const grantable = Object.fromEntries(start.scope_results.map((r) => [r.scope, r.is_grantable]))
    expect(grantable).toMatchObject({
      openid: true,
      'read:documents': true,
      'write:documents': false,
    })
    expect(start.scope_results.find((r) => r.scope === 'read:documents')?.description).toBe(
      "Read your organization's documents",
    )
  })

  it('an unknown scope is refused', async () => {
    expect(
      await failure(b2b.idp.oauth.authorizeStart(request(['openid', 'delete:everything']))),
    ).toMatchObject({ status: 400 })
  })

  it('a granted scope passes the SDK’s local authorization_check; one not granted does not', async () => {
    const authorized = await b2b.idp.oauth.authorize({
      ...request(['openid', 'read:documents', 'write:documents']),
      consent_granted: true,
    })
    const res = await fetch(`${sdk.mock.url}/v1/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: authorized.authorization_code!,
        redirect_uri: PARTNER.redirect_uri,
        client_id: PARTNER.client_id,
        client_secret: PARTNER.client_secret,
      }),
    })
    const token = (await res.json()) as { access_token: string; scope: string }
    expect(res.status).toBe(200)
    // write:documents was asked for but is not the member's to grant.
    expect(token.scope.split(' ').sort()).toEqual(['openid', 'read:documents'])
    const current_date = new Date(sdk.mock.clock.nowMs())
    const check = (action: string) =>
      b2b.idp.introspectTokenLocal(token.access_token, {
        current_date,
        authorization_check: {
          organization_id: grace.organization_id,
          resource_id: 'documents',
          action,
        },
      })
    expect((await check('read')).scope.split(' ')).toContain('read:documents')
    await expect(check('write')).rejects.toThrow()
  })
})
