// The RBAC policy as the official `stytch` Node SDK fetches and uses it (#23): rbac.policy,
// rbac.organizations.getOrgPolicy / setOrgPolicy, and the local authorization check of
// authenticateJwtLocal, which fetches the project policy and the organization's together.
// Local and remote verdicts agree, allowed and denied.
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

const acme = FIXTURE.acme.organization_id
const check = (resource_id: string, action: string, organization_id = acme) => ({
  organization_id,
  resource_id,
  action,
})
/** A fresh B2B client: the SDK caches policies for five minutes per client. */
const freshB2B = () =>
  new stytch.B2BClient({
    project_id: sdk.mock.config.projectId,
    secret: sdk.mock.config.secret,
    env: `${sdk.mock.url}/`,
  })
const memberJwt = async (email: string, roles?: string[]) =>
  (
    await control('POST', '/_mock/b2b/sessions', {
      organization_id: acme,
      email_address: email,
      ...(roles ? { roles } : {}),
    })
  ).body.session_jwt as string
/** A local check's verdict: allowed, or the SDK's ClientError code. */
const local = (client: stytch.B2BClient, session_jwt: string, authorization_check: object) =>
  client.sessions.authenticateJwtLocal({ session_jwt, authorization_check } as never).then(
    () => 'allowed',
    (err: { code?: string }) => err.code ?? String(err),
  )

describe('rbac.policy', () => {
  it('serves the fixtures’ policy to both clients, every role’s permissions on named resources', async () => {
    const consumer = await sdk.client.consumer.rbac.policy()
    const b2b = await sdk.client.b2b.rbac.policy()
    expect(consumer.policy!.resources).toEqual([
      { resource_id: 'documents', description: '', actions: ['read'] },
    ])
    expect(consumer.policy!.roles.find((r) => r.role_id === 'stytch_admin')!.permissions).toEqual([
      { resource_id: 'documents', actions: ['*'] },
    ])
    // A B2B project's policy also holds Stytch's built-in resources, granted by its default roles.
    expect(b2b.policy!.resources.map((r) => r.resource_id)).toEqual([
      'stytch.organization',
      'stytch.member',
      'stytch.sso',
      'stytch.scim',
      'stytch.self',
      'documents',
    ])
    expect(b2b.policy!.resources.find((r) => r.resource_id === 'stytch.member')!.actions).toContain(
      'update.settings.roles',
    )
    const role = (id: string) => b2b.policy!.roles.find((r) => r.role_id === id)!.permissions
    expect(role('stytch_admin')).toContainEqual({ resource_id: 'stytch.member', actions: ['*'] })
    expect(role('stytch_admin')).toContainEqual({ resource_id: 'documents', actions: ['*'] })
    expect(role('stytch_member')).toEqual([
      { resource_id: 'stytch.self', actions: ['*'] },
      { resource_id: 'documents', actions: ['read'] },
    ])
  })

  it('checks members against the built-in resources as the SDK’s local check does', async () => {
    const client = freshB2B()
    const member = await memberJwt('rbac-builtin@example.com')
    expect(await local(client, member, check('stytch.self', 'update.info.name'))).toBe('allowed')
    expect(await local(client, member, check('stytch.member', 'update.settings.roles'))).toBe(
      'invalid_permissions',
    )
    expect(
      await failure(
        client.sessions.authenticateJwt({
          session_jwt: member,
          authorization_check: check('stytch.member', 'update.settings.roles'),
        }),
      ),
    ).toEqual({ status: 403, type: 'session_authorization_error' })
    const grace = await client.sessions.authenticate({ session_token: FIXTURE.graceToken })
    expect(await local(client, grace.session_jwt, check('stytch.member', 'delete'))).toBe('allowed')
    expect(
      (
        await client.sessions.authenticate({
          session_token: FIXTURE.graceToken,
          authorization_check: check('stytch.organization', 'update.settings.mfa-policy'),
        })
      ).verdict,
    ).toMatchObject({ authorized: true, granting_roles: ['stytch_admin'] })
  })
})

describe('B2B local authorization (authenticateJwtLocal with authorization_check)', () => {
  it('agrees with the API: a member may read documents, not write them; an admin may', async () => {
    const client = freshB2B()
    const member = await memberJwt('rbac-reader@example.com')
    expect(await local(client, member, check('documents', 'read'))).toBe('allowed')
    expect(await local(client, member, check('documents', 'write'))).toBe('invalid_permissions')
    // authenticateJwt falls back to the API on any local error: the API's verdict, the same.
    expect(
      await failure(
        client.sessions.authenticateJwt({
          session_jwt: member,
          authorization_check: check('documents', 'write'),
        }),
      ),
    ).toEqual({ status: 403, type: 'session_authorization_error' })
    const grace = await client.sessions.authenticate({ session_token: FIXTURE.graceToken })
    expect(await local(client, grace.session_jwt, check('documents', 'write'))).toBe('allowed')
    expect(await local(client, grace.session_jwt, check('documents', 'read', 'other-org'))).toBe(
      'tenancy_mismatch',
    )
  })

  it('an organization’s own role grants what it says, there and nowhere else', async () => {
    expect(
      (await sdk.client.b2b.rbac.organizations.getOrgPolicy({ organization_id: acme })).org_policy,
    ).toEqual({ roles: [] })
    const editor = await memberJwt('rbac-editor@example.com', ['acme_editor'])
    expect(await local(freshB2B(), editor, check('documents', 'write'))).toBe('invalid_permissions')

    const set = await sdk.client.b2b.rbac.organizations.setOrgPolicy({
      organization_id: acme,
      org_policy: {
        roles: [
          {
            role_id: 'acme_editor',
            description: 'Edits documents',
            permissions: [{ resource_id: 'documents', actions: ['*'] }],
          },
        ],
      },
    })
    expect(set.org_policy!.roles.map((r) => r.role_id)).toEqual(['acme_editor'])
    expect(
      (await sdk.client.b2b.rbac.organizations.getOrgPolicy({ organization_id: 'acme' }))
        .org_policy,
    ).toEqual(set.org_policy)
    // The organization carries them as custom_roles (the frontend SDK reads them there).
    expect(
      (await sdk.client.b2b.organizations.get({ organization_id: acme })).organization.custom_roles,
    ).toEqual(set.org_policy!.roles)

    const client = freshB2B()
    expect(await local(client, editor, check('documents', 'write'))).toBe('allowed')
    const remote = await client.sessions.authenticate({
      session_jwt: editor,
      authorization_check: check('documents', 'write'),
    })
    expect(remote.verdict).toEqual({ authorized: true, granting_roles: ['acme_editor'] })
    // Globex has no such role.
    expect(
      (
        await sdk.client.b2b.rbac.organizations.getOrgPolicy({
          organization_id: FIXTURE.globex.organization_id,
        })
      ).org_policy,
    ).toEqual({ roles: [] })
  })

  it('refuses roles the project already has, undeclared resources and actions, unknown organizations', async () => {
    const set = (roles: object[], organization_id = acme) =>
      failure(
        sdk.client.b2b.rbac.organizations.setOrgPolicy({
          organization_id,
          org_policy: { roles },
        } as never),
      )
    const role = (role_id: string, resource_id: string, actions: string[]) => ({
      role_id,
      description: '',
      permissions: [{ resource_id, actions }],
    })
    const invalid = { status: 400, type: 'invalid_argument' }
    expect(await set([role('stytch_member', 'documents', ['read'])])).toEqual(invalid)
    expect(await set([role('r', 'invoices', ['read'])])).toEqual(invalid)
    expect(await set([role('r', 'documents', ['delete'])])).toEqual(invalid)
    expect(await set([role('r', 'documents', ['*', 'read'])])).toEqual(invalid)
    expect(await set([role('r', 'documents', ['read']), role('r', 'documents', ['read'])])).toEqual(
      invalid,
    )
    expect(await set([], 'organization-test-00000000-0000-4000-8000-000000000000')).toEqual({
      status: 404,
      type: 'organization_not_found',
    })
  })
})

describe('consumer local authorization', () => {
  it('agrees with the API for a user’s roles', async () => {
    const seeded = await control('POST', '/_mock/sessions', {
      email: 'rbac-user@example.com',
      roles: ['stytch_user'],
    })
    const client = new stytch.Client({
      project_id: sdk.mock.config.projectId,
      secret: sdk.mock.config.secret,
      env: `${sdk.mock.url}/`,
    })
    const session_jwt = seeded.body.session_jwt as string
    const verdict = (authorization_check: object) =>
      client.sessions.authenticateJwtLocal({ session_jwt, authorization_check } as never).then(
        () => 'allowed',
        (err: { code?: string }) => err.code ?? String(err),
      )
    expect(await verdict({ resource_id: 'documents', action: 'read' })).toBe('allowed')
    expect(await verdict({ resource_id: 'documents', action: 'write' })).toBe('invalid_permissions')
    expect(
      await failure(
        client.sessions.authenticate({
          session_jwt,
          authorization_check: { resource_id: 'documents', action: 'write' },
        }),
      ),
    ).toEqual({ status: 403, type: 'consumer_session_authorization_error' })
  })
})
