// The SSO connections API: the Node SDK's sso.getConnections, deleteConnection, sso.saml.*,
// sso.oidc.* and sso.external.* (/v1/b2b/sso/..., run as the member of the X-Stytch-Member-Session
// or -SessionJWT header when one is sent, RBAC-checked on `stytch.sso`), and their frontend twins
// (/sdk/v1/b2b/sso/..., as the caller, in its organization).
import { type Context, Hono } from 'hono'
import { jsonBody, readInput } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import type { Actor } from '../b2b-sessions/member-actions.js'
import type { ExternalCreate, ExternalUpdate } from './connection-external.js'
import type { OidcCreate, OidcUpdate } from './connection-oidc.js'
import type { SamlCreate, SamlUpdate } from './connection-saml.js'
import type { ConnectionKind, StoredConnection } from './connection-store.js'
import type { SsoWorld } from './routes.js'

export function connectionRoutes(world: SsoWorld) {
  const { config, memberActions, ssoConnections: sso } = world
  /** The mock's origin as the caller reached it: the connections' URLs name it. */
  const origin = (c: Context<AppEnv>) => new URL(c.req.url).origin
  const answer = (c: Context<AppEnv>, kind: ConnectionKind, connection: StoredConnection) =>
    sso.answerOf(kind, connection, origin(c))
  const lists = (c: Context<AppEnv>, organizationId: string, actor: Actor | null) => {
    const { saml, oidc, external } = sso.list(organizationId, actor)
    return {
      saml_connections: saml.map((r) => answer(c, 'saml', r.connection)),
      oidc_connections: oidc.map((r) => answer(c, 'oidc', r.connection)),
      external_connections: external.map((r) => answer(c, 'external', r.connection)),
    }
  }

  // --- backend: /v1/b2b/sso/... ---
  const api = new Hono<AppEnv>()
  /** The path parameters, and the member the request's session headers name, if any. */
  const input = async (c: Context<AppEnv>) => {
    const { params } = await readInput(c)
    const session = memberActions.fromHeaders(c)
    let actor: Actor | null = null
    if (session) {
      actor = await memberActions.actor(session)
      c.set('subject', { member_id: actor.member_id })
    }
    return { p: params as Record<string, string>, actor }
  }

  api.get('/v1/b2b/sso/:organization_id', async (c) => {
    const { p, actor } = await input(c)
    return ok(c, lists(c, p.organization_id!, actor))
  })
  api.delete('/v1/b2b/sso/:organization_id/connections/:connection_id', async (c) => {
    const { p, actor } = await input(c)
    return ok(c, { connection_id: sso.delete(p.organization_id!, p.connection_id!, actor) })
  })
  api.post('/v1/b2b/sso/saml/:organization_id', async (c) => {
    const { p, actor } = await input(c)
    const body = await jsonBody<SamlCreate>(c)
    const { connection } = await sso.saml.create(p.organization_id!, body, actor)
    return ok(c, { connection: answer(c, 'saml', connection) })
  })
  api.put('/v1/b2b/sso/saml/:organization_id/connections/:connection_id', async (c) => {
    const { p, actor } = await input(c)
    const body = await jsonBody<SamlUpdate>(c)
    const { connection } = await sso.saml.update(p.organization_id!, p.connection_id!, body, actor)
    return ok(c, { connection: answer(c, 'saml', connection) })
  })
  api.put('/v1/b2b/sso/saml/:organization_id/connections/:connection_id/url', async (c) => {
    const { p, actor } = await input(c)
    const { metadata_url } = await jsonBody<{ metadata_url: string }>(c)
    const { connection } = await sso.saml.updateByUrl(
      p.organization_id!,
      p.connection_id!,
      metadata_url,
      actor,
    )
    return ok(c, { connection: answer(c, 'saml', connection) })
  })
  api.delete(
    '/v1/b2b/sso/saml/:organization_id/connections/:connection_id/verification_certificates/:certificate_id',
    async (c) => {
      const { p, actor } = await input(c)
      const id = sso.saml.deleteVerificationCertificate(
        p.organization_id!,
        p.connection_id!,
        p.certificate_id!,
        actor,
      )
      return ok(c, { certificate_id: id })
    },
  )
  api.delete(
    '/v1/b2b/sso/saml/:organization_id/connections/:connection_id/encryption_private_keys/:private_key_id',
    async (c) => {
      const { p, actor } = await input(c)
      const id = sso.saml.deleteEncryptionPrivateKey(
        p.organization_id!,
        p.connection_id!,
        p.private_key_id!,
        actor,
      )
      return ok(c, { private_key_id: id })
    },
  )
  api.post('/v1/b2b/sso/oidc/:organization_id', async (c) => {
    const { p, actor } = await input(c)
    const { connection } = sso.oidc.create(p.organization_id!, await jsonBody<OidcCreate>(c), actor)
    return ok(c, { connection: answer(c, 'oidc', connection) })
  })
  api.put('/v1/b2b/sso/oidc/:organization_id/connections/:connection_id', async (c) => {
    const { p, actor } = await input(c)
    const body = await jsonBody<OidcUpdate>(c)
    const { connection, warning } = await sso.oidc.update(
      p.organization_id!,
      p.connection_id!,
      body,
      actor,
    )
    return ok(c, { connection: answer(c, 'oidc', connection), ...(warning ? { warning } : {}) })
  })
  api.post('/v1/b2b/sso/external/:organization_id', async (c) => {
    const { p, actor } = await input(c)
    const body = await jsonBody<ExternalCreate>(c)
    const { connection } = sso.external.create(p.organization_id!, body, actor)
    return ok(c, { connection: answer(c, 'external', connection) })
  })
  api.put('/v1/b2b/sso/external/:organization_id/connections/:connection_id', async (c) => {
    const { p, actor } = await input(c)
    const body = await jsonBody<ExternalUpdate>(c)
    const { connection } = sso.external.update(p.organization_id!, p.connection_id!, body, actor)
    return ok(c, { connection: answer(c, 'external', connection) })
  })

  // --- frontend: /sdk/v1/b2b/sso/..., as the caller in its organization ---
  const sdk = new Hono<AppEnv>()
  const { data, caller } = sdkCaller(config)
  /** The caller (its session must be live) and the path parameters. */
  const as = async (c: Context<AppEnv>) => {
    const actor = await memberActions.actor(caller(c, 'B2B'))
    c.set('subject', { member_id: actor.member_id })
    const { params } = await readInput(c)
    return { p: params as Record<string, string>, actor, org: actor.organization_id }
  }

  sdk.get('/sdk/v1/b2b/sso', async (c) => {
    const { actor, org } = await as(c)
    return data(c, lists(c, org, actor))
  })
  sdk.delete('/sdk/v1/b2b/sso/:connection_id', async (c) => {
    const { p, actor, org } = await as(c)
    return data(c, { connection_id: sso.delete(org, p.connection_id!, actor) })
  })
  sdk.post('/sdk/v1/b2b/sso/saml', async (c) => {
    const { actor, org } = await as(c)
    const { connection } = await sso.saml.create(org, await jsonBody<SamlCreate>(c), actor)
    return data(c, { connection: answer(c, 'saml', connection) })
  })
  sdk.put('/sdk/v1/b2b/sso/saml/:connection_id', async (c) => {
    const { p, actor, org } = await as(c)
    const body = await jsonBody<SamlUpdate>(c)
    const { connection } = await sso.saml.update(org, p.connection_id!, body, actor)
    return data(c, { connection: answer(c, 'saml', connection) })
  })
  sdk.put('/sdk/v1/b2b/sso/saml/:connection_id/url', async (c) => {
    const { p, actor, org } = await as(c)
    const { metadata_url } = await jsonBody<{ metadata_url: string }>(c)
    const { connection } = await sso.saml.updateByUrl(org, p.connection_id!, metadata_url, actor)
    return data(c, { connection: answer(c, 'saml', connection) })
  })
  sdk.delete(
    '/sdk/v1/b2b/sso/saml/:connection_id/verification_certificates/:certificate_id',
    async (c) => {
      const { p, actor, org } = await as(c)
      const id = sso.saml.deleteVerificationCertificate(
        org,
        p.connection_id!,
        p.certificate_id!,
        actor,
      )
      return data(c, { certificate_id: id })
    },
  )
  // The frontend SDK's path says encryption_private_key (singular), the backend's ..._keys.
  sdk.delete(
    '/sdk/v1/b2b/sso/saml/:connection_id/encryption_private_key/:private_key_id',
    async (c) => {
      const { p, actor, org } = await as(c)
      const id = sso.saml.deleteEncryptionPrivateKey(
        org,
        p.connection_id!,
        p.private_key_id!,
        actor,
      )
      return data(c, { private_key_id: id })
    },
  )
  sdk.post('/sdk/v1/b2b/sso/oidc', async (c) => {
    const { actor, org } = await as(c)
    const { connection } = sso.oidc.create(org, await jsonBody<OidcCreate>(c), actor)
    return data(c, { connection: answer(c, 'oidc', connection) })
  })
  sdk.put('/sdk/v1/b2b/sso/oidc/:connection_id', async (c) => {
    const { p, actor, org } = await as(c)
    const body = await jsonBody<OidcUpdate>(c)
    const { connection, warning } = await sso.oidc.update(org, p.connection_id!, body, actor)
    return data(c, { connection: answer(c, 'oidc', connection), ...(warning ? { warning } : {}) })
  })
  sdk.post('/sdk/v1/b2b/sso/external', async (c) => {
    const { actor, org } = await as(c)
    const { connection } = sso.external.create(org, await jsonBody<ExternalCreate>(c), actor)
    return data(c, { connection: answer(c, 'external', connection) })
  })
  sdk.put('/sdk/v1/b2b/sso/external/:connection_id', async (c) => {
    const { p, actor, org } = await as(c)
    const body = await jsonBody<ExternalUpdate>(c)
    const { connection } = sso.external.update(org, p.connection_id!, body, actor)
    return data(c, { connection: answer(c, 'external', connection) })
  })

  return { api, sdk }
}
