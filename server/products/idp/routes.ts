// The identity provider's routes: /v1/idp/oauth/authorize{/start} and the B2B twins, the
// connected-app lists and revokes of users, members and organizations, and their /sdk/v1 twins
// (the frontend's idp.oauthAuthorizeStart / Submit / oauthLogoutStart, user.getConnectedApps, ...).
import type { Context } from 'hono'
import { Hono } from 'hono'
import type { Platform } from '../../platform/platform.js'
import { jsonBody, readInput } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import type { MemberActions } from '../b2b-sessions/member-actions.js'
import type { ConnectedApp } from '../connected-apps/types.js'
import type { ConnectedAppGrants, ConsumerWho, MemberWho, SubmitRequest } from './provider.js'
import type { GrantRow } from './store.js'

type StartBody = Omit<SubmitRequest, 'response_type'> &
  ConsumerWho &
  MemberWho & { response_type?: string; resource?: string[] }

const request = (body: StartBody): SubmitRequest => ({
  client_id: body.client_id,
  redirect_uri: body.redirect_uri,
  // Stytch's UI bundle: "We default it to 'code' here and server-side".
  response_type: body.response_type ?? 'code',
  scopes: body.scopes,
  prompt: body.prompt,
  consent_granted: body.consent_granted ?? false,
  state: body.state,
  nonce: body.nonce,
  code_challenge: body.code_challenge,
  // The pre-built UI sends `resources`, the frontend SDK's types say `resource`.
  resources: body.resources ?? body.resource,
})

/** The client as an authorize start shows it (the SDKs' ConnectedAppPublic). */
const publicClient = (client: ConnectedApp, logoField: 'logo_url' | 'client_logo_url') => ({
  client_id: client.client_id,
  client_name: client.client_name,
  client_description: client.client_description,
  client_type: client.client_type,
  ...(client.logo_url ? { [logoField]: client.logo_url } : {}),
})

/** A grant as the lists show it (UserConnectedApp, MemberConnectedApp). */
const grantedApp = ({ grant, client }: { grant: GrantRow; client: ConnectedApp }) => ({
  connected_app_id: client.client_id,
  name: client.client_name,
  description: client.client_description,
  client_type: client.client_type,
  scopes_granted: grant.scopes.join(' '),
  ...(client.logo_url ? { logo_url: client.logo_url } : {}),
})

/** An organization's apps, each once (OrganizationConnectedApp). */
function organizationApps(found: { grant: GrantRow; client: ConnectedApp }[]) {
  const seen = new Map<string, ConnectedApp>()
  for (const { client } of found) seen.set(client.client_id, client)
  return [...seen.values()].map((client) => ({
    connected_app_id: client.client_id,
    name: client.client_name,
    description: client.client_description,
    client_type: client.client_type,
    ...(client.logo_url ? { logo_url: client.logo_url } : {}),
  }))
}

export function idpRoutes(
  world: Platform & { idp: ConnectedAppGrants; memberActions: MemberActions },
) {
  const { idp, config, memberActions, directory } = world
  const api = new Hono<AppEnv>()
  const params = async (c: Context<AppEnv>) => (await readInput(c)).params

  // One organization's connected app with the members who granted it.
  const organizationApp = (organizationId: string, clientId: string) => {
    const client = idp.clientById(clientId)
    const grants = idp
      .grantsOfOrganization(organizationId)
      .filter(({ client: c }) => c.client_id === client.client_id)
    return {
      connected_app_id: client.client_id,
      name: client.client_name,
      description: client.client_description,
      client_type: client.client_type,
      active_members: grants.map(({ grant }) => ({
        member_id: grant.subject_id,
        granted_scopes: grant.scopes,
      })),
      ...(client.logo_url ? { logo_url: client.logo_url } : {}),
    }
  }

  // The backend's authorize step.

  api.post('/v1/idp/oauth/authorize/start', async (c) => {
    const body = await jsonBody<StartBody>(c)
    const who = await idp.consumerSubject(body)
    const result = await idp.start(request(body), who)
    c.set('subject', { user_id: who.user.user_id })
    return ok(c, {
      user_id: who.user.user_id,
      user: who.user,
      client: publicClient(result.client, 'logo_url'),
      consent_required: result.consent_required,
      scope_results: result.scope_results,
    })
  })

  api.post('/v1/idp/oauth/authorize', async (c) => {
    const body = await jsonBody<StartBody>(c)
    const who = await idp.consumerSubject(body)
    return ok(c, await idp.submit(request(body), who))
  })

  api.post('/v1/b2b/idp/oauth/authorize/start', async (c) => {
    const body = await jsonBody<StartBody>(c)
    const who = await idp.memberSubject(body)
    const result = await idp.start(request(body), who)
    c.set('subject', { member_id: who.member.member_id })
    return ok(c, {
      member_id: who.member.member_id,
      member: who.member,
      organization: who.organization,
      client: publicClient(result.client, 'logo_url'),
      consent_required: result.consent_required,
      scope_results: result.scope_results,
    })
  })

  api.post('/v1/b2b/idp/oauth/authorize', async (c) => {
    const body = await jsonBody<StartBody>(c)
    const who = await idp.memberSubject(body)
    return ok(c, await idp.submit(request(body), who))
  })

  // The backend's lists and revokes.

  api.get('/v1/users/:user_id/connected_apps', async (c) => {
    const user = directory.user((await params(c)).user_id!)
    c.set('subject', { user_id: user.user_id })
    return ok(c, { connected_apps: idp.grantsOf('consumer', user.user_id).map(grantedApp) })
  })

  api.post('/v1/users/:user_id/connected_apps/:connected_app_id/revoke', async (c) => {
    const p = await params(c)
    const user = directory.user(p.user_id!)
    c.set('subject', { user_id: user.user_id })
    idp.revoke(p.connected_app_id!, { kind: 'consumer', user_id: user.user_id })
    return ok(c)
  })

  /** The actor of a backend B2B call (its member-session header), held to the organization. */
  const backendActor = async (c: Context<AppEnv>, organizationId: string) => {
    const session = memberActions.fromHeaders(c)
    const actor = session ? await memberActions.actor(session) : null
    memberActions.within(actor, organizationId)
    return actor
  }

  api.get('/v1/b2b/organizations/:organization_id/connected_apps', async (c) => {
    const org = directory.organization((await params(c)).organization_id!)
    await backendActor(c, org.organization_id)
    return ok(c, {
      connected_apps: organizationApps(idp.grantsOfOrganization(org.organization_id)),
    })
  })

  api.get('/v1/b2b/organizations/:organization_id/connected_apps/:connected_app_id', async (c) => {
    const p = await params(c)
    const org = directory.organization(p.organization_id!)
    const actor = await backendActor(c, org.organization_id)
    memberActions.require(actor, 'stytch.member', 'get.connected-apps')
    return ok(c, organizationApp(org.organization_id, p.connected_app_id!))
  })

  api.get('/v1/b2b/organizations/:organization_id/members/:member_id/connected_apps', async (c) => {
    const p = await params(c)
    const { member } = directory.member(p.organization_id!, { member_id: p.member_id! })
    const actor = await backendActor(c, member.organization_id)
    memberActions.onMember(actor, member.member_id, 'get.connected-apps')
    c.set('subject', { member_id: member.member_id })
    return ok(c, { connected_apps: idp.grantsOf('b2b', member.member_id).map(grantedApp) })
  })

  api.post(
    '/v1/b2b/organizations/:organization_id/members/:member_id/connected_apps/:connected_app_id/revoke',
    async (c) => {
      const p = await params(c)
      const { member } = directory.member(p.organization_id!, { member_id: p.member_id! })
      const actor = await backendActor(c, member.organization_id)
      memberActions.onMember(actor, member.member_id, 'revoke.connected-app')
      c.set('subject', { member_id: member.member_id })
      idp.revoke(p.connected_app_id!, {
        kind: 'b2b',
        member_id: member.member_id,
        organization_id: member.organization_id,
      })
      return ok(c)
    },
  )

  // The frontend SDK's twins: the caller's own session is the subject.

  const sdk = new Hono<AppEnv>()
  const { data, caller, loginCaller } = sdkCaller(config)

  sdk.post('/sdk/v1/idp/oauth/authorize/start', async (c) => {
    const session = caller(c, 'CONSUMER')
    const body = await jsonBody<StartBody>(c)
    const who = await idp.consumerSubject(session)
    const result = await idp.start(request(body), who)
    c.set('subject', { user_id: who.user.user_id })
    return data(c, {
      user_id: who.user.user_id,
      user: who.user,
      client: publicClient(result.client, 'client_logo_url'),
      consent_required: result.consent_required,
      scope_results: result.scope_results,
    })
  })

  sdk.post('/sdk/v1/idp/oauth/authorize/submit', async (c) => {
    const session = caller(c, 'CONSUMER')
    const body = await jsonBody<StartBody>(c)
    const who = await idp.consumerSubject(session)
    return data(c, await idp.submit(request(body), who))
  })

  sdk.post('/sdk/v1/idp/b2b/oauth/authorize/start', async (c) => {
    const session = caller(c, 'B2B')
    const body = await jsonBody<StartBody>(c)
    const who = await idp.memberSubject(session)
    const result = await idp.start(request(body), who)
    c.set('subject', { member_id: who.member.member_id })
    return data(c, {
      member_id: who.member.member_id,
      member: who.member,
      organization: who.organization,
      client: publicClient(result.client, 'client_logo_url'),
      consent_required: result.consent_required,
      scope_results: result.scope_results,
    })
  })

  sdk.post('/sdk/v1/idp/b2b/oauth/authorize/submit', async (c) => {
    const session = caller(c, 'B2B')
    const body = await jsonBody<StartBody>(c)
    const who = await idp.memberSubject(session)
    return data(c, await idp.submit(request(body), who))
  })

  type LogoutBody = {
    client_id: string
    post_logout_redirect_uri: string
    state?: string
    id_token_hint?: string
  }
  // The logout page needs no session (the pre-built UI shows it logged in or not); the caller's
  // session, when there is one, is whom an id_token_hint must name to skip the confirmation.
  sdk.post('/sdk/v1/oauth/logout/start', async (c) => {
    const session = loginCaller(c, 'CONSUMER')
    const body = await jsonBody<LogoutBody>(c)
    const who = session ? await idp.consumerSubject(session).catch(() => undefined) : undefined
    const subjectId = who?.user.user_id
    return data(c, await idp.logoutStart(body, subjectId))
  })

  sdk.post('/sdk/v1/b2b/oauth/logout/start', async (c) => {
    const session = loginCaller(c, 'B2B')
    const body = await jsonBody<LogoutBody>(c)
    const who = session ? await idp.memberSubject(session).catch(() => undefined) : undefined
    const subjectId = who?.member.member_id
    return data(c, await idp.logoutStart(body, subjectId))
  })

  sdk.get('/sdk/v1/users/connected_apps', async (c) => {
    const who = await idp.consumerSubject(caller(c, 'CONSUMER'))
    c.set('subject', { user_id: who.user.user_id })
    return data(c, { connected_apps: idp.grantsOf('consumer', who.user.user_id).map(grantedApp) })
  })

  sdk.post('/sdk/v1/users/connected_apps/:connected_app_id/revoke', async (c) => {
    const who = await idp.consumerSubject(caller(c, 'CONSUMER'))
    const p = await params(c)
    c.set('subject', { user_id: who.user.user_id })
    idp.revoke(p.connected_app_id!, { kind: 'consumer', user_id: who.user.user_id })
    return data(c)
  })

  /** The caller's member session, as the actor. */
  const me = async (c: Context<AppEnv>) => {
    const actor = await memberActions.actor(caller(c, 'B2B'))
    c.set('subject', { member_id: actor.member_id })
    return actor
  }

  sdk.get('/sdk/v1/b2b/organizations/connected_apps', async (c) => {
    const actor = await me(c)
    return data(c, {
      connected_apps: organizationApps(idp.grantsOfOrganization(actor.organization_id)),
    })
  })

  sdk.get('/sdk/v1/b2b/organizations/connected_apps/:connected_app_id', async (c) => {
    const actor = await me(c)
    memberActions.require(actor, 'stytch.member', 'get.connected-apps')
    const p = await params(c)
    return data(c, organizationApp(actor.organization_id, p.connected_app_id!))
  })

  sdk.get('/sdk/v1/b2b/organizations/members/connected_apps', async (c) => {
    const actor = await me(c)
    memberActions.require(actor, 'stytch.self', 'get.connected-apps')
    return data(c, { connected_apps: idp.grantsOf('b2b', actor.member_id).map(grantedApp) })
  })

  sdk.post(
    '/sdk/v1/b2b/organizations/members/connected_apps/:connected_app_id/revoke',
    async (c) => {
      const actor = await me(c)
      memberActions.require(actor, 'stytch.self', 'revoke.connected-app')
      const p = await params(c)
      idp.revoke(p.connected_app_id!, {
        kind: 'b2b',
        member_id: actor.member_id,
        organization_id: actor.organization_id,
      })
      return data(c)
    },
  )

  sdk.get('/sdk/v1/b2b/organizations/members/:member_id/connected_apps', async (c) => {
    const actor = await me(c)
    const p = await params(c)
    const { member } = directory.member(actor.organization_id, { member_id: p.member_id! })
    memberActions.onMember(actor, member.member_id, 'get.connected-apps')
    return data(c, { connected_apps: idp.grantsOf('b2b', member.member_id).map(grantedApp) })
  })

  sdk.post(
    '/sdk/v1/b2b/organizations/members/:member_id/connected_apps/:connected_app_id/revoke',
    async (c) => {
      const actor = await me(c)
      const p = await params(c)
      const { member } = directory.member(actor.organization_id, { member_id: p.member_id! })
      memberActions.onMember(actor, member.member_id, 'revoke.connected-app')
      idp.revoke(p.connected_app_id!, {
        kind: 'b2b',
        member_id: member.member_id,
        organization_id: member.organization_id,
      })
      return data(c)
    },
  )

  return { api, sdk }
}
