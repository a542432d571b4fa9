// The M2M token endpoint as a standard OAuth 2.0 client sees it (#28): oauth4webapi (panva's
// RFC-compliant client, not written here) runs the client-credentials grant with the client's
// secret in Basic auth and in the form body, and reads OAuth errors; the token then verifies with
// the official Node SDK's m2m.authenticateToken.
import * as oauth from 'oauth4webapi'
import * as stytch from 'stytch'
import { beforeAll, describe, expect, it } from 'vitest'
import { mockWithSdk } from '../helpers/server.js'

const sdk = mockWithSdk((options) => new stytch.Client(options))
let as: oauth.AuthorizationServer
let made: { client_id: string; client_secret: string }
beforeAll(async () => {
  const { mock } = sdk
  as = {
    issuer: `stytch.com/${mock.config.projectId}`,
    token_endpoint: `${mock.url}/v1/public/${mock.config.projectId}/oauth2/token`,
  }
  made = (await sdk.client.m2m.clients.create({ scopes: ['read:orders', 'write:orders'] }))
    .m2m_client
})
const http = { [oauth.allowInsecureRequests]: true }

describe('oauth4webapi against the M2M token endpoint', () => {
  it.each([
    ['client_secret_basic', () => oauth.ClientSecretBasic(made.client_secret)],
    ['client_secret_post', () => oauth.ClientSecretPost(made.client_secret)],
  ])('client credentials with %s, a scope asked for', async (_how, auth) => {
    const client: oauth.Client = { client_id: made.client_id }
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      auth(),
      new URLSearchParams({ scope: 'read:orders' }),
      http,
    )
    expect(response.headers.get('cache-control')).toBe('no-store')
    const token = await oauth.processClientCredentialsResponse(as, client, response)
    expect(token.token_type).toBe('bearer')
    expect(token.expires_in).toBe(3600)
    const verified = await sdk.client.m2m.authenticateToken({
      access_token: token.access_token,
      required_scopes: ['read:orders'],
    })
    expect(verified).toMatchObject({ client_id: made.client_id, scopes: ['read:orders'] })
  })

  it('reads the refusals as OAuth errors', async () => {
    const client: oauth.Client = { client_id: made.client_id }
    const refused = async (auth: oauth.ClientAuth, scope?: string) => {
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        client,
        auth,
        new URLSearchParams(scope ? { scope } : {}),
        http,
      )
      return oauth.processClientCredentialsResponse(as, client, response).then(
        () => 'granted',
        (err: oauth.ResponseBodyError) => `${err.status} ${err.error}`,
      )
    }
    expect(await refused(oauth.ClientSecretBasic('wrong'))).toBe('401 invalid_client')
    expect(await refused(oauth.ClientSecretPost(made.client_secret), 'admin')).toBe(
      '400 invalid_scope',
    )
  })
})
