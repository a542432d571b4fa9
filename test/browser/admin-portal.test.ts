// Issue #24, "Proof": Stytch's pre-built admin portal (the unmodified @stytch/vanilla-js bundle
// dist/iife/adminPortal/index.js, mountAdminPortalMemberManagement and mountAdminPortalOrgSettings,
// on the B2B client of dist/iife/b2b/index.headless.js) against the mock in Chromium, offline. The
// page is logged in by its stytch_session cookie, as an app's backend would leave it.
// As Acme's admin (the fixture member Grace, stytch_admin), Member Management lists the
// organization's members as the Node SDK's search finds them; its invite form invites a new member
// (the outbox holds the invite with its link); a member's page adds a role to the member (which
// its live session carries at once); the row menu deactivates that member (its session is gone)
// and, under the "Deactivated" status filter, reactivates it; another member's page signs that
// member out everywhere (session.revokeForMember). Org Settings shows the organization's settings
// (SSO and SCIM are enabled in the admin portal's config, so it reads the organization's SSO
// connections, sso.getConnections, and its SCIM groups, POST /sdk/v1/b2b/scim/groups: Acme has
// neither, and both answer 200 with empty lists, as any organization without SCIM); its Details
// section renames the organization and its User onboarding section turns on email JIT
// provisioning with an allowed domain. Each write is confirmed through the official Node SDK
// (`stytch` B2BClient).
// What RBAC forbids, the SDK hides: a member whose organization role (rbac.organizations
// .setOrgPolicy, in the organization's custom_roles) grants stytch.member search alone sees the
// list with no Invite button, "View member" as its only row action, and a read-only member page.
// A plain member (stytch_member, which by Stytch's defaults grants stytch.self alone) is told it
// may not manage members and searches nothing, sees Org Settings without an Edit button, and the
// same writes sent directly from its page are refused with Stytch's 403
// session_authorization_error, nothing changed.
// The page may talk to its own origin and the mock only (anything else is recorded, aborted and
// asserted); every request to the mock must be answered 2xx but the plain member's refused
// writes, and the console must stay free of errors but theirs and one explained in
// admin-portal-harness.ts. Each test's record (every mock request with its status and body) and
// screenshots of each step go to test/browser/artifacts/admin-portal/ (git-ignored).
import { describe, expect, it } from 'vitest'
import { FIXTURE } from '../helpers/world.js'
import { adminPortalSuite, random } from './admin-portal-harness.js'
import { callOf, expectMockAnswered, newestMessage } from './ui-harness.js'

const ACME = FIXTURE.acme.organization_id
const GRACE_EMAIL = 'grace@example.com'
/** An organization-scoped role of Acme's that may list members and nothing else. */
const VIEWER_ROLE = 'member-viewer'

/** The plain member's writes, refused with 403 (by `METHOD path`). */
const REFUSED = (target: string): Record<string, number[]> => ({
  'POST /sdk/v1/b2b/magic_links/email/invite': [403],
  [`PUT /sdk/v1/b2b/organizations/members/${target}`]: [403],
  [`DELETE /sdk/v1/b2b/organizations/members/${target}`]: [403],
  [`POST /sdk/v1/b2b/sessions/revoke/${target}`]: [403],
  'GET /sdk/v1/b2b/sso': [403],
  'PUT /sdk/v1/b2b/organizations/me': [403],
})

// ---------------------------------------------------------------------------------------------
// The app: one page per admin portal component, each on the B2B client the page's cookie logs in.

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
  artifacts: 'admin-portal',
  title: 'stytch-mock admin portal',
  pages: (origin) => ({
    '/members.html': `Admin.mountAdminPortalMemberManagement({
  client,
  element: '#admin',
  config: { inviteRedirectURL: ${JSON.stringify(`${origin}/accept-invite.html`)} },
})`,
    '/settings.html': `Admin.mountAdminPortalOrgSettings({ client, element: '#admin' })`,
  }),
})

// ---------------------------------------------------------------------------------------------

/** A new member of Acme with a session of its own (stytch_member, and `roles` if given). */
async function seedMember(prefix: string, name: string, roles: string[] = []) {
  const email = `${prefix}-${random()}@example.com`
  const { member_id, session_token } = await sessionOf(ACME, email, { roles })
  await nodeClient().organizations.members.update({ organization_id: ACME, member_id, name })
  return { email, name, member_id, session_token }
}

/** The member as the Node SDK finds it, whatever its status. */
async function backendMember(member_id: string) {
  const res = await nodeClient().organizations.members.search({
    organization_ids: [ACME],
    query: {
      operator: 'AND',
      operands: [
        { filter_name: 'member_ids', filter_value: [member_id] },
        { filter_name: 'statuses', filter_value: ['active', 'invited', 'pending', 'deleted'] },
      ],
    },
  })
  expect(res.members).toHaveLength(1)
  return res.members[0]!
}

/** The rows of the member table as shown: name, email, roles, status. */
const memberRows = () =>
  ui.browser.page.locator('#admin table tbody tr').evaluateAll((rows) =>
    rows
      .map((row) =>
        [...row.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText.trim()),
      )
      .filter((cells) => cells.length >= 4)
      .map(([name, email, role, status]) => ({ name, email, role, status })),
  )
const rowOf = (email: string) =>
  ui.browser.page.locator('#admin table tbody tr', { hasText: email })

describe("Stytch's pre-built admin portal (@stytch/vanilla-js adminPortal) against the mock", () => {
  it('Member Management as the admin: lists, invites, re-roles, deactivates, reactivates and signs out members: confirmed through the Node SDK', async () => {
    const { page } = ui.browser
    const target = await seedMember('target', 'Tess Target')
    const other = await seedMember('other', 'Olly Other')
    await open('/members.html', FIXTURE.graceToken)

    // The list: every active, invited or pending member of Acme, as the Node SDK finds them.
    const everyone = await nodeClient().organizations.members.search({ organization_ids: [ACME] })
    const listed = everyone.members
      .filter((m) => ['active', 'invited', 'pending'].includes(m.status))
      .map((m) => m.email_address)
      .sort()
    expect(listed).toEqual(expect.arrayContaining([GRACE_EMAIL, other.email, target.email]))
    await expect.poll(async () => (await memberRows()).map((r) => r.email).sort()).toEqual(listed)
    await expect
      .poll(async () => (await memberRows()).find((r) => r.email === GRACE_EMAIL))
      .toEqual({
        name: 'Grace Hopper (You)',
        email: GRACE_EMAIL,
        role: 'stytch_admin',
        status: 'Active',
      })
    await expect
      .poll(async () => (await memberRows()).find((r) => r.email === target.email))
      .toMatchObject({ name: 'Tess Target', status: 'Active' })
    await expect
      .poll(() => page.getByText(`1–${listed.length} of ${listed.length}`).count())
      .toBe(1)
    await shot('members')

    // Invite: the form's name and address; the invite goes out and the member is invited.
    const invitee = { name: 'Ivy Invitee', email: `invitee-${random()}@example.com` }
    await page.getByRole('button', { name: 'Invite', exact: true }).click()
    await expect.poll(() => dialog().getByText('Invite Member').count()).toBe(1)
    await dialog().getByPlaceholder('Enter name').fill(invitee.name)
    await dialog().getByPlaceholder('Enter email address').fill(invitee.email)
    await shot('invite-form')
    const invited = nextRequest('POST', '/sdk/v1/b2b/magic_links/email/invite')
    await dialog().getByRole('button', { name: 'Invite', exact: true }).click()
    const inviteCall = await callOf(await invited)
    expect(inviteCall.status, JSON.stringify(inviteCall.body)).toBe(200)
    expect(inviteCall.request).toMatchObject({
      email_address: invitee.email,
      name: invitee.name,
      roles: [],
      invite_redirect_url: `${ui.app.origin}/accept-invite.html`,
    })
    await expect.poll(() => page.getByText(`Invite sent to ${invitee.email}`).count()).toBe(1)
    await expect
      .poll(async () => (await memberRows()).find((r) => r.email === invitee.email))
      .toMatchObject({ name: invitee.name, status: 'Invited' })
    await shot('invited')
    const message = await newestMessage(ui.mock, invitee.email)
    expect(message).toMatchObject({ channel: 'email', to: invitee.email, kind: 'magic_link' })
    const link = new URL(message.url)
    expect(`${link.origin}${link.pathname}`).toBe(`${ui.app.origin}/accept-invite.html`)
    expect(link.searchParams.get('stytch_token_type')).toBe('multi_tenant_magic_links')
    const inviteeMember = await nodeClient().organizations.members.get({
      organization_id: ACME,
      email_address: invitee.email,
    })
    expect(inviteeMember.member).toMatchObject({
      name: invitee.name,
      status: 'invited',
      email_address_verified: false,
    })
    expect(message.member_id).toBe(inviteeMember.member.member_id)

    // Re-role: the member's page, Edit, Add Role assignment (stytch_admin), Save.
    await rowOf(target.email).getByText('Tess Target').click()
    await shows('Access requirements & permissions')
    await shot('member-page')
    const access = section('Access requirements & permissions')
    await access.getByRole('button', { name: 'Edit' }).click()
    await access.getByRole('button', { name: 'Add Role assignment' }).click()
    await expect.poll(() => dialog().getByText('Add Role assignment').count()).toBe(1)
    await dialog().getByRole('combobox').click()
    await page.getByRole('option', { name: /stytch_admin/ }).click()
    await shot('add-role')
    await dialog().getByRole('button', { name: 'Add Role' }).click()
    await access.getByRole('button', { name: 'Save', exact: true }).click()
    await expect.poll(() => dialog().getByText('Save changes?').count()).toBe(1)
    const updated = nextRequest('PUT', `/sdk/v1/b2b/organizations/members/${target.member_id}`)
    await dialog().getByRole('button', { name: 'Save changes' }).click()
    const updateCall = await callOf(await updated)
    expect(updateCall.status, JSON.stringify(updateCall.body)).toBe(200)
    expect(updateCall.request).toEqual({ member_id: target.member_id, roles: ['stytch_admin'] })
    await expect.poll(() => dialog().count()).toBe(0)
    await expect.poll(() => access.innerText()).toMatch(/stytch_admin\s+Manual assignment/)
    await shot('re-roled')
    const reroled = await backendMember(target.member_id)
    expect(reroled.roles.map((r) => r.role_id).sort()).toEqual(['stytch_admin', 'stytch_member'])
    expect(reroled.roles.find((r) => r.role_id === 'stytch_admin')?.sources).toEqual([
      { type: 'direct_assignment', details: {} },
    ])
    // The member's session carries the role at once.
    const session = await nodeClient().sessions.authenticate({
      session_token: target.session_token,
    })
    expect(session.member_session.roles.sort()).toEqual(['stytch_admin', 'stytch_member'])

    // Deactivate: back to the list, the row's menu, Deactivate, confirm.
    await page.getByRole('button', { name: 'Back to all Members' }).click()
    await expect.poll(() => rowOf(target.email).count()).toBe(1)
    await rowOf(target.email).getByRole('button', { name: 'actions' }).click()
    await shot('row-menu')
    await page.getByRole('menuitem', { name: 'Deactivate' }).click()
    await expect.poll(() => dialog().getByText('Deactivate Member?').count()).toBe(1)
    const deleted = nextRequest('DELETE', `/sdk/v1/b2b/organizations/members/${target.member_id}`)
    await dialog().getByRole('button', { name: 'Deactivate Member' }).click()
    const deleteCall = await callOf(await deleted)
    expect(deleteCall.status, JSON.stringify(deleteCall.body)).toBe(200)
    await expect.poll(() => rowOf(target.email).count()).toBe(0)
    await shot('deactivated')
    expect((await backendMember(target.member_id)).status).toBe('deleted')
    await expect(
      nodeClient().sessions.authenticate({ session_token: target.session_token }),
    ).rejects.toMatchObject({ error_type: 'session_not_found' })

    // Reactivate: the Status filter with Deactivated, the row's menu, Reactivate, confirm.
    await page.locator('th', { hasText: 'Status' }).getByRole('button', { name: 'actions' }).click()
    await page.getByRole('menuitem', { name: 'Deactivated' }).click()
    await page.keyboard.press('Escape')
    await expect
      .poll(async () => (await memberRows()).find((r) => r.email === target.email)?.status)
      .toBe('Deactivated')
    await shot('deactivated-filter')
    await rowOf(target.email).getByRole('button', { name: 'actions' }).click()
    await page.getByRole('menuitem', { name: 'Reactivate' }).click()
    await expect.poll(() => dialog().getByText('Reactivate Member?').count()).toBe(1)
    const reactivated = nextRequest(
      'PUT',
      `/sdk/v1/b2b/organizations/members/${target.member_id}/reactivate`,
    )
    await dialog().getByRole('button', { name: 'Reactivate' }).click()
    const reactivateCall = await callOf(await reactivated)
    expect(reactivateCall.status, JSON.stringify(reactivateCall.body)).toBe(200)
    await expect
      .poll(async () => (await memberRows()).find((r) => r.email === target.email)?.status)
      .toBe('Active')
    await shot('reactivated')
    expect((await backendMember(target.member_id)).status).toBe('active')

    // Revoke all sessions (session.revokeForMember) on another member's page.
    await rowOf(other.email).getByText(other.name).click()
    const auth = section('Authentication management')
    await auth.getByRole('button', { name: 'Revoke all sessions' }).click()
    await expect.poll(() => dialog().getByText('Revoke Member’s active sessions').count()).toBe(1)
    const revoked = nextRequest('POST', `/sdk/v1/b2b/sessions/revoke/${other.member_id}`)
    await dialog().getByRole('button', { name: 'Revoke all sessions' }).click()
    const revokeCall = await callOf(await revoked)
    expect(revokeCall.status, JSON.stringify(revokeCall.body)).toBe(200)
    await shot('sessions-revoked')
    await expect(
      nodeClient().sessions.authenticate({ session_token: other.session_token }),
    ).rejects.toMatchObject({ error_type: 'session_not_found' })
    expect((await backendMember(other.member_id)).status).toBe('active')

    expect(ui.seen.foreign).toEqual([])
    await expectMockAnswered(ui.seen, {})
    expectQuietConsole()
  })

  it('Org Settings as the admin: shows the settings, renames the organization, turns on email JIT provisioning with an allowed domain: confirmed through the Node SDK', async () => {
    await open('/settings.html', FIXTURE.graceToken)
    await shows('Authentication & Access Settings')
    const before = (await nodeClient().organizations.get({ organization_id: ACME })).organization
    const details = section('Details')
    await expect.poll(() => details.innerText()).toContain(before.organization_name)
    expect(await details.innerText()).toContain(before.organization_slug)
    const onboarding = section('User onboarding')
    await expect
      .poll(() => onboarding.getByRole('checkbox', { name: 'Email domains' }).isChecked())
      .toBe(false)
    expect(before.email_jit_provisioning).toBe('NOT_ALLOWED')
    expect(
      await onboarding
        .getByRole('checkbox', { name: 'Allow members to be invited by email' })
        .isChecked(),
    ).toBe(before.email_invites !== 'NOT_ALLOWED')
    // Its "SSO connections" JIT list asked for the organization's connections: none. Its role
    // assignments section asked for the SCIM groups (any admin's page does, SCIM connection or
    // not): none.
    await expect
      .poll(() => ui.seen.mock.filter((r) => r.path === '/sdk/v1/b2b/sso').map((r) => r.status))
      .toEqual([200])
    await expect
      .poll(() =>
        ui.seen.mock
          .filter((r) => r.method === 'POST' && r.path === '/sdk/v1/b2b/scim/groups')
          .map((r) => r.status),
      )
      .toEqual([200])
    expect(
      (await nodeClient().sso.getConnections({ organization_id: ACME })).saml_connections,
    ).toEqual([])
    await shot('settings')

    // Details: Edit, a new name, Save.
    const name = `Acme ${random()}`
    await details.getByRole('button', { name: 'Edit' }).click()
    await details.getByPlaceholder('Enter Name').fill(name)
    await shot('rename')
    await details.getByRole('button', { name: 'Save', exact: true }).click()
    await expect.poll(() => dialog().getByText('Save changes?').count()).toBe(1)
    const renamed = nextRequest('PUT', '/sdk/v1/b2b/organizations/me')
    await dialog().getByRole('button', { name: 'Save changes' }).click()
    const renameCall = await callOf(await renamed)
    expect(renameCall.status, JSON.stringify(renameCall.body)).toBe(200)
    expect(renameCall.request).toEqual({ organization_name: name })
    await expect.poll(() => details.innerText()).toContain(name)
    await shot('renamed')
    expect(
      (await nodeClient().organizations.get({ organization_id: ACME })).organization,
    ).toMatchObject({
      organization_name: name,
      organization_slug: before.organization_slug,
    })

    // User onboarding: Edit, JIT provisioning by email domain, Add domain, Save.
    const domain = `acme-${random()}.test`
    await onboarding.getByRole('button', { name: 'Edit' }).click()
    await onboarding.getByRole('checkbox', { name: 'Email domains' }).check()
    await onboarding.getByRole('button', { name: 'Add domain' }).click()
    await expect.poll(() => dialog().getByText('Add allowed email domain').count()).toBe(1)
    await dialog().getByPlaceholder('Enter domain').fill(domain)
    await dialog().getByRole('button', { name: 'Save', exact: true }).click()
    await expect.poll(() => onboarding.innerText()).toContain(domain)
    await shot('jit-domain')
    await onboarding.getByRole('button', { name: 'Save', exact: true }).click()
    await expect.poll(() => dialog().getByText('Save changes?').count()).toBe(1)
    const jit = nextRequest('PUT', '/sdk/v1/b2b/organizations/me')
    await dialog().getByRole('button', { name: 'Save changes' }).click()
    const jitCall = await callOf(await jit)
    expect(jitCall.status, JSON.stringify(jitCall.body)).toBe(200)
    expect(jitCall.request).toEqual({
      email_jit_provisioning: 'RESTRICTED',
      email_allowed_domains: [domain],
    })
    await expect.poll(() => onboarding.getByRole('button', { name: 'Edit' }).count()).toBe(1)
    expect(await onboarding.getByRole('checkbox', { name: 'Email domains' }).isChecked()).toBe(true)
    await shot('jit-saved')
    expect(
      (await nodeClient().organizations.get({ organization_id: ACME })).organization,
    ).toMatchObject({
      organization_name: name,
      email_jit_provisioning: 'RESTRICTED',
      email_allowed_domains: [domain],
    })

    expect(ui.seen.foreign).toEqual([])
    await expectMockAnswered(ui.seen, {})
    expectQuietConsole()
  })

  it('a member whose organization role grants stytch.member search alone: the member list without the admin actions', async () => {
    const { page } = ui.browser
    // An organization-scoped role (rbac.organizations.setOrgPolicy), given to a new member.
    await nodeClient().rbac.organizations.setOrgPolicy({
      organization_id: ACME,
      org_policy: {
        roles: [
          {
            role_id: VIEWER_ROLE,
            description: 'Sees the member list',
            permissions: [{ resource_id: 'stytch.member', actions: ['search'] }],
          },
        ],
      },
    })
    const viewer = await seedMember('viewer', 'Vera Viewer', [VIEWER_ROLE])
    const target = await seedMember('target', 'Tess Target')
    await open('/members.html', viewer.session_token)

    await shows(target.email)
    await expect
      .poll(async () => (await memberRows()).find((r) => r.email === viewer.email)?.name)
      .toBe('Vera Viewer (You)')
    await shot('members')
    // No invite; another member's row offers only a view of it.
    expect(await page.getByRole('button', { name: 'Invite', exact: true }).count()).toBe(0)
    await rowOf(target.email).getByRole('button', { name: 'actions' }).click()
    await expect.poll(() => page.getByRole('menuitem').allInnerTexts()).toEqual(['View member'])
    await shot('row-menu')
    await page.getByRole('menuitem', { name: 'View member' }).click()
    await expect.poll(() => page.getByText('Access requirements & permissions').count()).toBe(1)
    await expect.poll(() => section('Role assignments').innerText()).toContain('stytch_member')
    // Nothing on the member's page to edit, deactivate or sign out.
    expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0)
    expect(await page.getByText('Danger zone').count()).toBe(0)
    expect(await page.getByText('Authentication management').count()).toBe(0)
    await shot('member-page')

    expect(ui.seen.foreign).toEqual([])
    await expectMockAnswered(ui.seen, {})
    expectQuietConsole()
  })

  it("a plain member (stytch_member): Member Management refuses it, Org Settings is read-only, and the admin writes sent from its page get Stytch's 403", async () => {
    const { page } = ui.browser
    const plain = await seedMember('plain', 'Pat Plain')
    const target = await seedMember('target', 'Tess Target')
    const orgBefore = (await nodeClient().organizations.get({ organization_id: ACME })).organization

    await open('/members.html', plain.session_token)
    await expect
      .poll(() =>
        page
          .getByText(
            'You do not have permission to manage Members. Please contact your admin if you think this is a mistake.',
          )
          .count(),
      )
      .toBe(1)
    expect(await page.getByRole('button', { name: 'Invite', exact: true }).count()).toBe(0)
    await shot('members')
    // The SDK checked the policy locally and searched nothing.
    expect(ui.seen.mock.filter((r) => r.path.endsWith('/members/search'))).toEqual([])

    await page.goto(`${ui.app.origin}/settings.html`)
    await shows('User onboarding')
    expect(await section('Details').innerText()).toContain(orgBefore.organization_name)
    expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0)
    await shot('settings')
    // The SDK checked the policy locally: no SSO connections or SCIM groups read for it.
    expect(ui.seen.mock.filter((r) => /^\/sdk\/v1\/b2b\/(sso|scim)/.test(r.path))).toEqual([])

    // The same writes from the page's SDK client: each refused, nothing changed.
    const refused = await page.evaluate(
      async ({ target }) => {
        const c = (window as any).client
        const error = (p: Promise<unknown>) =>
          p.then(
            () => 'succeeded',
            (e: any) => `${e.status_code} ${e.error_type}`,
          )
        return {
          invite: await error(
            c.magicLinks.email.invite({ email_address: 'not-invited@example.com' }),
          ),
          reRole: await error(
            c.organization.members.update({ member_id: target, roles: ['stytch_admin'] }),
          ),
          deactivate: await error(c.organization.members.delete(target)),
          revokeSessions: await error(c.session.revokeForMember({ member_id: target })),
          ssoConnections: await error(c.sso.getConnections()),
          rename: await error(c.organization.update({ organization_name: 'Not allowed' })),
          jit: await error(
            c.organization.update({
              email_jit_provisioning: 'RESTRICTED',
              email_allowed_domains: ['not-allowed.test'],
            }),
          ),
        }
      },
      { target: target.member_id },
    )
    const denied = '403 session_authorization_error'
    expect(refused).toEqual({
      invite: denied,
      reRole: denied,
      deactivate: denied,
      revokeSessions: denied,
      ssoConnections: denied,
      rename: denied,
      jit: denied,
    })
    const orgAfter = (await nodeClient().organizations.get({ organization_id: ACME })).organization
    expect(orgAfter).toMatchObject({
      organization_name: orgBefore.organization_name,
      email_jit_provisioning: orgBefore.email_jit_provisioning,
      email_allowed_domains: orgBefore.email_allowed_domains,
    })
    const untouched = await backendMember(target.member_id)
    expect(untouched.status).toBe('active')
    expect(untouched.roles.map((r) => r.role_id)).toEqual(['stytch_member'])
    expect(
      (await nodeClient().sessions.authenticate({ session_token: target.session_token }))
        .member_session.member_id,
    ).toBe(target.member_id)
    await expect(
      nodeClient().organizations.members.get({
        organization_id: ACME,
        email_address: 'not-invited@example.com',
      }),
    ).rejects.toMatchObject({ error_type: 'member_not_found' })

    expect(ui.seen.foreign).toEqual([])
    await expectMockAnswered(ui.seen, REFUSED(target.member_id))
    // The browser logs each refused request as a failed resource load.
    expectQuietConsole([
      /^error: Failed to load resource: the server responded with a status of 403 \(Forbidden\)/,
    ])
    expect(ui.seen.errors).toHaveLength(7)
  })
})
