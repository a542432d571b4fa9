// Issue #30, "Proof": Stytch's pre-built admin portal SCIM component (the unmodified
// @stytch/vanilla-js bundle dist/iife/adminPortal/index.js, mountAdminPortalSCIM, on the B2B client
// of dist/iife/b2b/index.headless.js) against the mock in Chromium, offline, logged in by its
// stytch_session cookie as a new organization's admin. It creates an Okta SCIM connection (the
// base URL and the bearer token shown are the mock's, and the token opens the SCIM endpoint);
// after a directory push (a User and a Group, sent as RFC 7644 requests) assigns a role to the
// group, which the member's live session holds at once; starts a token rotation (both tokens work),
// completes it (the old one is refused), starts and cancels another; and deletes the connection.
// Each step is confirmed through the official Node SDK (`stytch` B2BClient). Every request to the
// mock must be answered 2xx, nothing may leave for another origin, the console stays quiet. The
// record and screenshots go to test/browser/artifacts/admin-portal-scim/ (git-ignored).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as stytch from 'stytch'
import { beforeEach, describe, expect, it } from 'vitest'
import { packageRoot } from '../../server/paths.js'
import { api, startMock } from './harness.js'
import { browserSuite, callOf, expectMockAnswered, serveApp, slugOf } from './ui-harness.js'

type Mock = Awaited<ReturnType<typeof startMock>>

const bundle = (path: string) =>
  readFileSync(join(packageRoot(), 'node_modules/@stytch/vanilla-js/dist/iife', path), 'utf8')
const B2B_BUNDLE = bundle('b2b/index.headless.js')
const ADMIN_BUNDLE = bundle('adminPortal/index.js')
const random = () => Math.random().toString(36).slice(2, 10)

/** Console lines that are expected, each with why. */
const EXPLAINED_CONSOLE: RegExp[] = [
  // Emotion's development-build notice about a selector in the admin portal's own styles (see
  // admin-portal.test.ts), logged once as the portal's CSS is inserted, whatever the server.
  /^error: The pseudo class ":first-child" is potentially unsafe when doing server-side rendering\./,
]

function page(mock: Mock) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>stytch-mock admin portal SCIM</title>
<link rel="icon" href="data:,">
<script src="/stytch-b2b.js"></script><script>window.B2B = stytch</script>
<script src="/stytch-admin-portal.js"></script><script>window.Admin = stytch</script></head>
<body><div id="admin"></div>
<script>
const API_BASE = ${JSON.stringify(mock.base)}
const client = new B2B.StytchB2BClient(${JSON.stringify(mock.config.b2bPublicToken)}, {
  endpoints: { testAPIURL: API_BASE, liveAPIURL: API_BASE },
})
Admin.mountAdminPortalSCIM({ client, element: '#admin' })
</script></body></html>`
}

const ui = browserSuite({
  artifacts: 'admin-portal-scim',
  app: (mock) =>
    serveApp(() => ({
      '/stytch-b2b.js': ['text/javascript', B2B_BUNDLE],
      '/stytch-admin-portal.js': ['text/javascript', ADMIN_BUNDLE],
      '/scim.html': ['text/html', page(mock)],
    })),
})
let shots = 0
beforeEach(() => {
  shots = 0
})
const shot = (step: string) =>
  ui.browser.page.screenshot({
    path: join(
      ui.artifacts,
      `${slugOf(ui.testName)}--${String(++shots).padStart(2, '0')}-${step}.png`,
    ),
    fullPage: true,
  })

const nodeClient = () =>
  new stytch.B2BClient({
    project_id: ui.mock.config.projectId,
    secret: ui.mock.config.secret,
    env: `${ui.mock.url}/`,
  })

/** A member of the organization with a live session (made if new), by the mock's control API. */
async function sessionOf(organization_id: string, email_address: string, is_admin = false) {
  const res = await api(ui.mock)('/_mock/b2b/sessions', {
    organization_id,
    email_address,
    is_admin,
  })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return {
    member_id: res.body.member.member_id as string,
    email: res.body.member.email_address as string,
    session_token: res.body.session_token as string,
  }
}

/** An RFC 7644 request to the connection's SCIM endpoint with a bearer token. */
async function scim(baseUrl: string, token: string, method: string, path: string, body?: object) {
  const res = await fetch(baseUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/scim+json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}

/** A request the page sends to the mock, and its answer (registered before the action). */
const nextRequest = (method: string, path: string) =>
  ui.browser.page.waitForResponse((r) => {
    const url = new URL(r.url())
    return (
      url.origin === new URL(ui.mock.base).origin &&
      r.request().method() === method &&
      url.pathname === path
    )
  })

const dialog = () => ui.browser.page.getByRole('dialog')
const section = (title: string) =>
  ui.browser.page.getByRole('heading', { name: title, exact: true }).locator('xpath=../..')

async function shows(text: string) {
  try {
    await expect.poll(() => ui.browser.page.getByText(text).count()).toBeGreaterThan(0)
  } catch (err) {
    const shown = await ui.browser.page.locator('#admin').innerText()
    throw new Error(
      `the admin portal never showed "${text}"; it shows ${JSON.stringify(shown.slice(0, 400))}, errors ${JSON.stringify(ui.seen.errors)}`,
      { cause: err },
    )
  }
}

describe("Stytch's pre-built admin portal SCIM component against the mock", () => {
  it('creates a connection, assigns a role to a pushed group, rotates the token, deletes the connection: confirmed through the Node SDK', async () => {
    const { page } = ui.browser
    const node = nodeClient()
    const { organization: org } = await node.organizations.create({
      organization_name: 'SCIM Portal',
      organization_slug: `scim-portal-${random()}`,
    })
    const admin = await sessionOf(org.organization_id, `admin-${random()}@example.com`, true)
    await ui.browser.context.addCookies([
      { name: 'stytch_session', value: admin.session_token, domain: 'localhost', path: '/' },
    ])
    await page.goto(`${ui.app.origin}/scim.html`)
    await shows('Set up a SCIM connection to sync from an IdP.')
    await shot('empty')

    // Create: the IdP and a display name; the answer's base URL and token are shown once.
    await page.getByRole('button', { name: 'Create', exact: true }).click()
    await shows('Create SCIM Connection')
    await page.getByRole('combobox').click()
    await page.getByRole('menuitem', { name: 'Okta', exact: true }).click()
    await page.getByPlaceholder('Display name').fill('Okta Directory')
    await shot('create-form')
    const creating = nextRequest('POST', '/sdk/v1/b2b/scim')
    await page.getByRole('button', { name: 'Create', exact: true }).click()
    const created = await callOf(await creating)
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    expect(created.request).toEqual({ display_name: 'Okta Directory', identity_provider: 'okta' })
    const connection = created.body.data.connection as {
      connection_id: string
      base_url: string
      bearer_token: string
    }
    expect(connection.base_url).toBe(`${ui.mock.base}/v1/b2b/scim/${connection.connection_id}`)
    await shows('Configure Okta Directory')
    // Okta's settings to copy (folded while Okta's username settings are shown): the base URL
    // and the token, in full this once.
    await page.getByText('Copy the SCIM Connection Settings to your IdP.').click()
    for (const value of [connection.base_url, connection.bearer_token])
      await expect.poll(() => page.getByText(value, { exact: true }).isVisible()).toBe(true)
    await shot('configure')
    expect((await scim(connection.base_url, connection.bearer_token, 'GET', '/Users')).status).toBe(
      200,
    )
    await page.getByText('I have copied the above values to my IdP.').click()
    await page.getByRole('button', { name: 'Done', exact: true }).click()
    await shows('Token Rotation')
    await shows(`**********${connection.bearer_token.slice(-4)}`)
    const ids = { organization_id: org.organization_id, connection_id: connection.connection_id }
    const stored = (await node.scim.connection.get({ organization_id: org.organization_id }))
      .connection!
    expect(stored).toMatchObject({ display_name: 'Okta Directory', identity_provider: 'okta' })
    await shot('details')

    // A directory push: a member (with a live session) in a group "engineers".
    const ada = await sessionOf(org.organization_id, `ada-${random()}@example.com`)
    const user = await scim(connection.base_url, connection.bearer_token, 'POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: ada.email,
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      active: true,
    })
    expect(user.status).toBe(201)
    expect(user.body.id).toBe(ada.member_id)
    const group = await scim(connection.base_url, connection.bearer_token, 'POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'engineers',
      members: [{ value: ada.member_id }],
    })
    expect(group.status).toBe(201)

    // Role assignments: the group (read with getConnectionGroups) gets stytch_admin.
    await page.reload()
    const roles = section('Role Assignments')
    await expect.poll(() => roles.count()).toBe(1)
    await roles.getByRole('button', { name: 'Edit' }).click()
    await roles.getByRole('button', { name: 'Add group roles' }).click()
    await roles.getByRole('combobox').first().click()
    await page.getByRole('menuitem', { name: 'engineers' }).click()
    await roles.getByRole('combobox').last().click()
    await page.getByRole('option', { name: /stytch_admin/ }).click()
    await page.keyboard.press('Escape')
    await shot('role-assignment')
    const updating = nextRequest('PUT', `/sdk/v1/b2b/scim/${connection.connection_id}`)
    await roles.getByRole('button', { name: 'Save', exact: true }).click()
    if (await dialog().count()) await dialog().getByRole('button', { name: /Save/ }).click()
    const update = await callOf(await updating)
    expect(update.status, JSON.stringify(update.body)).toBe(200)
    expect(update.request).toMatchObject({
      connection_id: connection.connection_id,
      scim_group_implicit_role_assignments: [{ group_id: group.body.id, role_id: 'stytch_admin' }],
    })
    await expect.poll(() => roles.innerText()).toMatch(/engineers\s+stytch_admin/)
    await shot('role-assigned')
    const member = (
      await node.organizations.members.get({
        organization_id: org.organization_id,
        member_id: ada.member_id,
      })
    ).member
    expect(member.roles.find((r) => r.role_id === 'stytch_admin')?.sources).toEqual([
      {
        type: 'scim_connection_group',
        details: { connection_id: connection.connection_id, group_id: group.body.id },
      },
    ])
    const session = await node.sessions.authenticate({ session_token: ada.session_token })
    expect(session.member_session.roles).toContain('stytch_admin')

    // Token rotation: start (the new token shown once; both work), then complete.
    const starting = nextRequest('POST', '/sdk/v1/b2b/scim/rotate/start')
    await page.getByRole('button', { name: 'Start token rotation' }).click()
    const started = await callOf(await starting)
    expect(started.status, JSON.stringify(started.body)).toBe(200)
    const next = started.body.data.connection.next_bearer_token as string
    await expect.poll(() => dialog().getByText(next).count()).toBe(1)
    await shot('rotation-started')
    expect((await scim(connection.base_url, next, 'GET', '/Users')).status).toBe(200)
    expect((await scim(connection.base_url, connection.bearer_token, 'GET', '/Users')).status).toBe(
      200,
    )
    await dialog().getByText('I have copied the token to my IdP.').click()
    await dialog().getByRole('button', { name: 'Done' }).click()
    await expect.poll(() => dialog().count()).toBe(0)
    await page.getByRole('button', { name: 'Complete rotation' }).click()
    await expect.poll(() => dialog().getByText('Complete token rotation?').count()).toBe(1)
    const completing = nextRequest('POST', '/sdk/v1/b2b/scim/rotate/complete')
    await dialog().getByRole('button', { name: 'Complete rotation' }).click()
    expect((await completing).status()).toBe(200)
    await shot('rotation-completed')
    expect((await scim(connection.base_url, connection.bearer_token, 'GET', '/Users')).status).toBe(
      401,
    )
    expect((await scim(connection.base_url, next, 'GET', '/Users')).status).toBe(200)
    expect((await node.scim.connection.get(ids)).connection!.bearer_token_last_four).toBe(
      next.slice(-4),
    )

    // Start another, then cancel it: the next token is refused, the current one stays.
    const again = nextRequest('POST', '/sdk/v1/b2b/scim/rotate/start')
    await page.getByRole('button', { name: 'Start token rotation' }).click()
    const another = (await callOf(await again)).body.data.connection.next_bearer_token as string
    await dialog().getByText('I have copied the token to my IdP.').click()
    await dialog().getByRole('button', { name: 'Done' }).click()
    await expect.poll(() => dialog().count()).toBe(0)
    await page.getByRole('button', { name: 'Cancel rotation' }).click()
    await expect.poll(() => dialog().getByText('Cancel token rotation?').count()).toBe(1)
    const cancelling = nextRequest('POST', '/sdk/v1/b2b/scim/rotate/cancel')
    await dialog().getByRole('button', { name: 'Cancel rotation' }).click()
    expect((await cancelling).status()).toBe(200)
    await shot('rotation-cancelled')
    expect((await scim(connection.base_url, another, 'GET', '/Users')).status).toBe(401)
    expect((await scim(connection.base_url, next, 'GET', '/Users')).status).toBe(200)
    expect((await node.scim.connection.get(ids)).connection!.next_bearer_token_last_four).toBe('')

    // Danger zone: delete the connection.
    await page.getByRole('button', { name: 'Delete Connection' }).click()
    await expect.poll(() => dialog().getByText('Delete SCIM connection?').count()).toBe(1)
    const deleting = nextRequest('DELETE', `/sdk/v1/b2b/scim/${connection.connection_id}`)
    await dialog().getByRole('button', { name: 'Delete connection' }).click()
    expect((await deleting).status()).toBe(200)
    await shot('deleted')
    expect((await node.scim.connection.get(ids)).connection).toBeNull()
    expect((await scim(connection.base_url, next, 'GET', '/Users')).status).toBe(401)
    const after = await node.sessions.authenticate({ session_token: ada.session_token })
    expect(after.member_session.roles).not.toContain('stytch_admin')

    expect(ui.seen.foreign).toEqual([])
    await expectMockAnswered(ui.seen, {})
    const explained = (l: string) => EXPLAINED_CONSOLE.some((re) => re.test(l))
    expect(ui.seen.errors.filter((l) => !explained(l))).toEqual([])
    expect(ui.seen.console.filter((l) => /^(warning|error)/.test(l) && !explained(l))).toEqual([])
  })
})
