// Issue #30, "Proof": Stytch's pre-built admin portal SSO component (the unmodified
// @stytch/vanilla-js bundle dist/iife/adminPortal/index.js, mountAdminPortalSSO, on the B2B client
// of dist/iife/b2b/index.headless.js) against the mock in Chromium, offline, logged in by its
// stytch_session cookie as a new organization's admin. It creates a Custom SAML connection (the
// App values it shows are the mock's ACS URL and audience), maps the IdP's groups attribute and
// configures it from the metadata URL of the mock's stand-in IdP, which makes it active and the
// organization's default; assigns a connection role and a group role, which a login through the
// connection then grants the member and its session; and its "Test connection" button starts an
// SSO login that reaches the stand-in IdP's page. With two connections made through the Node SDK
// and SSO JIT provisioning restricted to the first, it sets the second as the default, allows JIT
// provisioning through it too, and deletes both (the default last, as the portal only offers). It
// adds another organization's connection as an external connection; a plain member is told it
// may not see SSO connections. Each write is confirmed through the official Node SDK (`stytch`
// B2BClient). Every request to the mock must be answered 2xx (the SSO start's redirect apart),
// nothing may leave for another origin, the console stays quiet. The record and screenshots go
// to test/browser/artifacts/admin-portal-sso/ (git-ignored).
import { describe, expect, it } from 'vitest'
import { adminPortalSuite, random } from './admin-portal-harness.js'
import { api } from './harness.js'
import { callOf, expectMockAnswered } from './ui-harness.js'

const {
  ui,
  shot,
  nodeClient,
  sessionOf,
  open,
  nextRequest,
  dialog,
  section,
  shows,
  expectQuietConsole,
} = adminPortalSuite({
  artifacts: 'admin-portal-sso',
  title: 'stytch-mock admin portal SSO',
  pages: (origin) => ({
    '/sso.html': `Admin.mountAdminPortalSSO({
  client,
  element: '#admin',
  config: {
    testLoginRedirectURL: ${JSON.stringify(`${origin}/sso-test.html`)},
    testSignupRedirectURL: ${JSON.stringify(`${origin}/sso-test.html`)},
  },
})`,
  }),
  files: { '/sso-test.html': ['text/html', '<!doctype html><title>test login</title><p>back</p>'] },
})

/** A new organization, and its admin logged in on the SSO page. */
async function orgWithAdmin() {
  const node = nodeClient()
  const { organization: org } = await node.organizations.create({
    organization_name: 'SSO Portal',
    organization_slug: `sso-portal-${random()}`,
  })
  const admin = await sessionOf(org.organization_id, `admin-${random()}@example.com`, {
    is_admin: true,
  })
  await open('/sso.html', admin.session_token)
  await shows('SSO Connections')
  return { node, org, orgId: org.organization_id }
}

/** A login through the connection, the mock's IdP answering from its queue: sso.authenticate. */
async function ssoLogin(connection_id: string, email: string, groups: string[]) {
  const queued = await api(ui.mock)('/_mock/sso/answers', {
    connection_id,
    email,
    first_name: 'Ada',
    last_name: 'Lovelace',
    groups,
  })
  expect(queued.status, JSON.stringify(queued.body)).toBe(200)
  const start = new URL(`${ui.mock.url}/v1/public/sso/start`)
  start.searchParams.set('connection_id', connection_id)
  start.searchParams.set('public_token', ui.mock.config.b2bPublicToken)
  const res = await fetch(start, { redirect: 'manual' })
  expect(res.status).toBe(302)
  const token = new URL(res.headers.get('location')!).searchParams.get('token')!
  return nodeClient().sso.authenticate({ sso_token: token, session_duration_minutes: 60 })
}

describe("Stytch's pre-built admin portal SSO component against the mock", () => {
  it('creates a SAML connection from the IdP metadata URL, maps groups, assigns roles a login then grants: confirmed through the Node SDK', async () => {
    const { page } = ui.browser
    const { node, orgId } = await orgWithAdmin()
    await shot('empty')

    // New connection: a display name and "Custom SAML".
    await page.getByRole('button', { name: 'New connection' }).click()
    await shows('New SSO Connection')
    await page.getByPlaceholder('Text').fill('Acme SAML')
    await page.getByRole('combobox').click()
    await page.getByRole('menuitem', { name: 'Custom SAML', exact: true }).click()
    await shot('new')
    const creating = nextRequest('POST', '/sdk/v1/b2b/sso/saml')
    await page.getByRole('button', { name: 'Create', exact: true }).click()
    const created = await callOf(await creating)
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    expect(created.request).toEqual({ display_name: 'Acme SAML', identity_provider: 'generic' })
    const id = created.body.data.connection.connection_id as string
    const acs = `${ui.mock.base}/v1/b2b/sso/callback/${id}`

    // Configure: the App values to copy are the mock's ACS URL and audience.
    await shows('Configure Acme SAML')
    await page.getByRole('button', { name: 'Copy the following App values to your IdP.' }).click()
    await page.getByRole('button', { name: 'Set your Attribute Mapping.' }).click()
    await page.getByRole('button', { name: 'Enter the following from your IdP.' }).click()
    await expect.poll(() => page.getByText(acs).count()).toBe(2)
    // The groups attribute: the IdP sends it as memberOf.
    await page.locator('tr', { hasText: 'groups' }).getByRole('button', { name: 'Edit' }).click()
    await dialog().locator('input').nth(1).fill('memberOf')
    await dialog().getByRole('button', { name: 'Save' }).click()
    // The mock's own stand-in IdP metadata.
    const metadataUrl = `${ui.mock.base}/v1/public/sso/idp/${id}/metadata`
    await page.getByPlaceholder('Enter Metadata URL').fill(metadataUrl)
    await shot('configure')
    const mapped = nextRequest('PUT', `/sdk/v1/b2b/sso/saml/${id}`)
    const byUrl = nextRequest('PUT', `/sdk/v1/b2b/sso/saml/${id}/url`)
    await page.getByRole('button', { name: 'Create', exact: true }).click()
    const mapCall = await callOf(await mapped)
    expect(mapCall.status, JSON.stringify(mapCall.body)).toBe(200)
    expect(mapCall.request).toEqual({
      connection_id: id,
      attribute_mapping: {
        email: 'NameID',
        first_name: 'firstName',
        last_name: 'lastName',
        groups: 'memberOf',
      },
    })
    const urlCall = await callOf(await byUrl)
    expect(urlCall.status, JSON.stringify(urlCall.body)).toBe(200)
    expect(urlCall.request).toEqual({ connection_id: id, metadata_url: metadataUrl })

    // The list: active, and the organization's default (its first active connection).
    await expect
      .poll(() => page.locator('#admin table tbody tr', { hasText: 'Acme SAML' }).innerText())
      .toMatch(/Acme SAML\s+Default\s+Custom SAML\s+Active/)
    await shot('list')
    const { saml_connections } = await node.sso.getConnections({ organization_id: orgId })
    expect(saml_connections).toHaveLength(1)
    expect(saml_connections[0]).toMatchObject({
      connection_id: id,
      status: 'active',
      acs_url: `${ui.mock.url}/v1/b2b/sso/callback/${id}`,
      // As the metadata the browser had the mock read (at the origin the browser knows).
      idp_entity_id: `${ui.mock.base}/v1/public/sso/idp/${id}`,
      attribute_mapping: { email: 'NameID', groups: 'memberOf' },
    })
    expect(saml_connections[0]!.verification_certificates).toHaveLength(1)
    const org = (await node.organizations.get({ organization_id: orgId })).organization
    expect(org.sso_default_connection_id).toBe(id)

    // The connection's page: its IdP values as the metadata gave them.
    await page.getByText('Acme SAML').click()
    await shows('Authentication settings')
    await shows('This connection is already set as the default.')
    await shows(`${ui.mock.base}/v1/public/sso/idp/${id}/saml`)
    await shot('details')

    // Role assignments: stytch_user for every login, stytch_admin for the group "eng".
    const roles = section('Role assignments')
    await roles.getByRole('button', { name: 'Edit' }).click()
    await roles.getByRole('combobox').first().click()
    await page.getByRole('option', { name: 'stytch_user', exact: true }).click()
    await page.keyboard.press('Escape')
    await roles.getByRole('button', { name: 'Add group roles' }).click()
    await roles.getByLabel('Group name').fill('eng')
    await roles.getByRole('combobox').last().click()
    await page.getByRole('option', { name: 'stytch_admin', exact: true }).click()
    await page.keyboard.press('Escape')
    await shot('roles')
    const saved = nextRequest('PUT', `/sdk/v1/b2b/sso/saml/${id}`)
    await roles.getByRole('button', { name: 'Save', exact: true }).click()
    if (await dialog().getByText('Save changes?').count())
      await dialog().getByRole('button', { name: 'Save changes' }).click()
    const rolesCall = await callOf(await saved)
    expect(rolesCall.status, JSON.stringify(rolesCall.body)).toBe(200)
    expect(rolesCall.request).toEqual({
      connection_id: id,
      saml_connection_implicit_role_assignments: [{ role_id: 'stytch_user' }],
      saml_group_implicit_role_assignments: [{ group: 'eng', role_id: 'stytch_admin' }],
    })
    await expect.poll(() => roles.innerText()).toMatch(/stytch_user[\s\S]*eng[\s\S]*stytch_admin/)
    await shot('roles-saved')

    // A login through the connection in the group: the member holds both roles.
    const login = await ssoLogin(id, `ada-${random()}@example.com`, ['eng', 'sales'])
    expect(login.member.roles.map((r) => r.role_id).sort()).toEqual([
      'stytch_admin',
      'stytch_member',
      'stytch_user',
    ])
    expect(login.member_session!.roles.sort()).toEqual([
      'stytch_admin',
      'stytch_member',
      'stytch_user',
    ])

    // "Test connection" starts an SSO login through the mock: its stand-in IdP's page.
    await page.getByRole('button', { name: 'Test connection' }).click()
    await page.waitForURL((url) => url.href.startsWith(`${ui.mock.base}/v1/public/sso/idp/${id}/`))
    await shot('test-connection')

    expect(ui.seen.foreign).toEqual([])
    await expectMockAnswered(ui.seen, { 'GET /v1/public/sso/start': [302] })
    expectQuietConsole()
  })

  it('sets the default connection, allows JIT provisioning by connection, deletes connections: confirmed through the Node SDK', async () => {
    const { page } = ui.browser
    // Two active SAML connections made through the Node SDK (the first is the default), and
    // SSO JIT provisioning restricted to the first.
    const { node, orgId } = await orgWithAdmin()
    const active = async (display_name: string) => {
      const { connection } = await node.sso.saml.createConnection({
        organization_id: orgId,
        display_name,
      })
      const ids = { organization_id: orgId, connection_id: connection!.connection_id }
      await node.sso.saml.updateByURL({
        ...ids,
        metadata_url: `${ui.mock.url}/v1/public/sso/idp/${ids.connection_id}/metadata`,
      })
      await node.sso.saml.updateConnection({
        ...ids,
        attribute_mapping: { email: 'NameID', full_name: 'name' },
      })
      return ids.connection_id
    }
    const first = await active('First SAML')
    const second = await active('Second SAML')
    await node.organizations.update({
      organization_id: orgId,
      sso_jit_provisioning: 'RESTRICTED',
      sso_jit_provisioning_allowed_connections: [first],
    })
    await page.reload()
    const row = (name: string) => page.locator('#admin table tbody tr', { hasText: name })
    await expect.poll(() => row('First SAML').innerText()).toMatch(/Default/)
    await expect.poll(() => row('Second SAML').innerText()).toMatch(/Active/)
    await shot('list')
    await row('Second SAML').getByRole('button').last().click()
    await expect
      .poll(() => page.getByRole('menuitem').allInnerTexts())
      .toEqual(['Edit connection', 'Set as default', 'Delete'])
    await page.getByRole('menuitem', { name: 'Set as default' }).click()
    await expect.poll(() => dialog().getByText('Set Second SAML as default?').count()).toBe(1)
    const defaulted = nextRequest('PUT', '/sdk/v1/b2b/organizations/me')
    await dialog().getByRole('button', { name: 'Set as default' }).click()
    const defaultCall = await callOf(await defaulted)
    expect(defaultCall.status, JSON.stringify(defaultCall.body)).toBe(200)
    expect(defaultCall.request).toEqual({ sso_default_connection_id: second })
    await expect.poll(() => row('Second SAML').innerText()).toMatch(/Default/)
    await shot('second-default')
    expect(
      (await node.organizations.get({ organization_id: orgId })).organization
        .sso_default_connection_id,
    ).toBe(second)

    // The second connection's page: JIT provisioning allowed for it too.
    await row('Second SAML').getByText('Second SAML').click()
    await shows('Authentication settings')
    const auth = section('Authentication settings')
    await auth.getByRole('button', { name: 'Edit' }).click()
    const jitSwitch = auth.getByRole('checkbox')
    expect(await jitSwitch.isChecked()).toBe(false)
    await jitSwitch.check()
    await shot('jit')
    const jit = nextRequest('PUT', '/sdk/v1/b2b/organizations/me')
    await auth.getByRole('button', { name: 'Save', exact: true }).click()
    if (await dialog().getByText('Save changes?').count())
      await dialog().getByRole('button', { name: 'Save changes' }).click()
    const jitCall = await callOf(await jit)
    expect(jitCall.status, JSON.stringify(jitCall.body)).toBe(200)
    expect(jitCall.request).toEqual({
      sso_jit_provisioning: 'RESTRICTED',
      sso_jit_provisioning_allowed_connections: [first, second],
    })
    await expect.poll(() => auth.getByRole('button', { name: 'Edit' }).count()).toBe(1)
    expect((await node.organizations.get({ organization_id: orgId })).organization).toMatchObject({
      sso_jit_provisioning: 'RESTRICTED',
      sso_jit_provisioning_allowed_connections: [first, second],
    })

    // Delete the first connection from the list's row menu.
    await page.getByRole('button', { name: 'Back to all SSO connections' }).click()
    await row('First SAML').getByRole('button').last().click()
    await page.getByRole('menuitem', { name: 'Delete' }).click()
    await expect.poll(() => dialog().getByText('Delete First SAML?').count()).toBe(1)
    await shot('delete-dialog')
    const deleted = nextRequest('DELETE', `/sdk/v1/b2b/sso/${first}`)
    await dialog().getByRole('button', { name: 'Delete', exact: true }).click()
    const deleteCall = await callOf(await deleted)
    expect(deleteCall.status, JSON.stringify(deleteCall.body)).toBe(200)
    await expect.poll(() => row('First SAML').count()).toBe(0)
    await shot('first-deleted')
    const after = (await node.organizations.get({ organization_id: orgId })).organization
    expect(after).toMatchObject({
      sso_default_connection_id: second,
      sso_jit_provisioning_allowed_connections: [second],
      sso_active_connections: [
        { connection_id: second, display_name: 'Second SAML', identity_provider: 'generic' },
      ],
    })

    // The default, now the only connection, goes from its own page.
    await row('Second SAML').getByText('Second SAML').click()
    await shows('Authentication settings')
    await page.getByRole('button', { name: 'Delete connection' }).click()
    await expect.poll(() => dialog().getByText('Delete Second SAML?').count()).toBe(1)
    const deletedLast = nextRequest('DELETE', `/sdk/v1/b2b/sso/${second}`)
    await dialog().getByRole('button', { name: 'Delete', exact: true }).click()
    expect((await callOf(await deletedLast)).status).toBe(200)
    await expect.poll(() => page.locator('#admin table tbody tr').count()).toBe(0)
    await shot('none-left')
    const none = (await node.organizations.get({ organization_id: orgId })).organization
    expect(none.sso_default_connection_id).toBeUndefined()
    expect(none.sso_active_connections).toEqual([])
    expect(await node.sso.getConnections({ organization_id: orgId })).toMatchObject({
      saml_connections: [],
      oidc_connections: [],
      external_connections: [],
    })

    expect(ui.seen.foreign).toEqual([])
    await expectMockAnswered(ui.seen, {})
    expectQuietConsole()
  })

  it("adds another organization's connection as an external one; a plain member may not see SSO at all", async () => {
    const { page } = ui.browser
    const node = nodeClient()
    // The source: another organization's active SAML connection.
    const { organization: source } = await node.organizations.create({
      organization_name: 'Parent Co',
      organization_slug: `parent-${random()}`,
    })
    const { connection } = await node.sso.saml.createConnection({
      organization_id: source.organization_id,
      display_name: 'Parent SAML',
      identity_provider: 'okta',
    })
    const sourceId = connection!.connection_id
    await node.sso.saml.updateByURL({
      organization_id: source.organization_id,
      connection_id: sourceId,
      metadata_url: `${ui.mock.url}/v1/public/sso/idp/${sourceId}/metadata`,
    })
    await node.sso.saml.updateConnection({
      organization_id: source.organization_id,
      connection_id: sourceId,
      attribute_mapping: { email: 'NameID', full_name: 'name' },
    })
    const { orgId } = await orgWithAdmin()

    await page.getByRole('button', { name: 'New connection' }).click()
    await page.getByPlaceholder('Text').fill('Parent company')
    await page.getByRole('button', { name: 'Add an external connection' }).click()
    await page.getByLabel('Source Organization ID').fill(source.organization_id)
    await page.getByLabel('Source Connection ID').fill(sourceId)
    await shot('external-form')
    const creating = nextRequest('POST', '/sdk/v1/b2b/sso/external')
    await page.getByRole('button', { name: 'Create', exact: true }).click()
    const created = await callOf(await creating)
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    expect(created.request).toEqual({
      display_name: 'Parent company',
      external_organization_id: source.organization_id,
      external_connection_id: sourceId,
    })
    const externalId = created.body.data.connection.connection_id as string
    await expect
      .poll(() => page.locator('#admin table tbody tr', { hasText: 'Parent company' }).innerText())
      .toMatch(/Parent company\s+–\s+Active/)
    await shot('external-listed')
    const { external_connections } = await node.sso.getConnections({ organization_id: orgId })
    expect(external_connections).toEqual([
      expect.objectContaining({
        connection_id: externalId,
        external_organization_id: source.organization_id,
        external_connection_id: sourceId,
        status: 'active',
      }),
    ])
    // External connections are active at once: the organization's first, so its default.
    const { organization } = await node.organizations.get({ organization_id: orgId })
    expect(organization.sso_default_connection_id).toBe(externalId)
    expect(organization.sso_active_connections).toEqual([
      { connection_id: externalId, display_name: 'Parent company', identity_provider: 'okta' },
    ])

    // A plain member of the organization: the component tells it no.
    // Its session's check is slowed, so the portal would render from any SDK state the page found
    // (the admin's, without open()'s clearing) long before it knew who was there.
    const plain = await sessionOf(orgId, `plain-${random()}@example.com`)
    const slow = await api(ui.mock)('/_mock/faults', {
      method: 'POST',
      path: '/sdk/v1/b2b/sessions/authenticate',
      delay_ms: 1500,
      // Its own check only: the admin's page, still open, may check its session meanwhile.
      match: { member_id: plain.member_id },
    })
    expect(slow.status, JSON.stringify(slow.body)).toBe(200)
    await open('/sso.html', plain.session_token)
    await shows('You do not have permission to view SSO Connections.')
    await shot('plain-member')

    expect(ui.seen.foreign).toEqual([])
    await expectMockAnswered(ui.seen, {})
    expectQuietConsole()
  })
})
