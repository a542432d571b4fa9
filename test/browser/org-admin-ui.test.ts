// Issue #24, "Proof": an organization's admin screen through the unmodified @stytch/vanilla-js B2B
// client in Chromium, offline against the mock. An admin (stytch_admin) updates the organization,
// creates a member, searches the members, re-roles one, deactivates and reactivates it, and edits
// itself (self.*); a plain member (stytch_member) is refused the same writes with Stytch's 403
// session_authorization_error, yet may edit itself. Every write is checked through the backend
// API: the organization, the member, the re-roled member's session and its revocation.
import { describe, expect, it } from 'vitest'
import { api, startApp } from './harness.js'
import { browserSuite } from './ui-harness.js'

const ui = browserSuite({ app: () => startApp() })

const random = () => Math.random().toString(36).slice(2, 10)

/** The backend API with the project's credentials, any method. */
async function backend(method: string, path: string, body?: unknown) {
  const auth =
    'Basic ' +
    Buffer.from(`${ui.mock.config.projectId}:${ui.mock.config.secret}`).toString('base64')
  const res = await fetch(`${ui.mock.url}${path}`, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: res.status, body: (await res.json()) as any }
}

/** An organization of its own, with an admin, a plain member and a member to manage, logged in. */
async function organization() {
  const slug = `admin-ui-${random()}`
  const org = (
    await backend('POST', '/v1/b2b/organizations', {
      organization_name: 'Admin UI',
      organization_slug: slug,
    })
  ).body.organization
  const login = async (name: string, is_admin = false) =>
    (
      await api(ui.mock)('/_mock/b2b/sessions', {
        organization_id: org.organization_id,
        email_address: `${name}-${random()}@example.com`,
        is_admin,
      })
    ).body as { session_token: string; session_jwt: string; member: { member_id: string } }
  return {
    org,
    admin: await login('admin', true),
    plain: await login('plain'),
    target: await login('target'),
  }
}

/** The B2B page with the SDK client logged in as this session. */
async function pageAs(session: { session_token: string; session_jwt: string }) {
  const { page } = ui.browser
  await page.goto(`${ui.app.origin}/b2b.html`)
  await page.evaluate(
    async ({ token, base, session }) => {
      const c = new (window as any).stytch.StytchB2BClient(token, {
        endpoints: { testAPIURL: base, liveAPIURL: base },
      })
      ;(window as any).client = c
      c.session.updateSession(session)
      await c.session.authenticate()
    },
    { token: ui.mock.config.b2bPublicToken, base: ui.mock.base, session },
  )
  return page
}

const noSdkErrors = () =>
  ui.browser.logs.filter((l) => /error/i.test(l) && !/Failed to load resource/.test(l))

describe('an admin screen through the B2B frontend SDK', () => {
  it('an admin updates the organization, creates, searches, re-roles, deactivates and reactivates members', async () => {
    const { org, admin, target } = await organization()
    const page = await pageAs(admin)
    const newEmail = `made-${random()}@example.com`
    const result = await page.evaluate(
      async ({ target, newEmail }) => {
        const c = (window as any).client
        const updated = await c.organization.update({
          organization_name: 'Renamed in the browser',
          mfa_policy: 'OPTIONAL',
          email_invites: 'RESTRICTED',
        })
        const cachedName = c.organization.getSync()?.organization_name
        const created = await c.organization.members.create({
          email_address: newEmail,
          name: 'Made Here',
        })
        const everyone = await c.organization.members.search({})
        const fuzzy = await c.organization.members.search({
          limit: 1,
          query: {
            operator: 'AND',
            operands: [{ filter_name: 'member_email_fuzzy', filter_value: 'made-' }],
          },
        })
        const reroled = await c.organization.members.update({
          member_id: target,
          roles: ['stytch_admin'],
        })
        const deleted = await c.organization.members.delete(target)
        const active = await c.organization.members.search({})
        const gone = await c.organization.members.search({
          query: {
            operator: 'AND',
            operands: [{ filter_name: 'statuses', filter_value: ['deleted'] }],
          },
        })
        const reactivated = await c.organization.members.reactivate(target)
        const self = await c.self.update({
          name: 'The Admin',
          untrusted_metadata: { theme: 'dark' },
        })
        return {
          name: updated.organization.organization_name,
          cachedName,
          created: created.member,
          everyone: everyone.members.map((m: any) => m.member_id),
          total: everyone.results_metadata.total,
          fuzzy: fuzzy.members.map((m: any) => m.email_address),
          reroled: reroled.member.roles.map((r: any) => r.role_id).sort(),
          deleted: deleted.member_id,
          active: active.members.map((m: any) => m.member_id),
          gone: gone.members.map((m: any) => [m.member_id, m.status]),
          reactivated: reactivated.member.status,
          selfName: self.member.name,
          cachedSelf: c.self.getSync()?.name,
        }
      },
      { target: target.member.member_id, newEmail },
    )
    expect(result.name).toBe('Renamed in the browser')
    expect(result.cachedName).toBe('Renamed in the browser')
    expect(result.created).toMatchObject({
      email_address: newEmail,
      name: 'Made Here',
      status: 'active',
    })
    expect(result.total).toBe(4)
    expect(result.everyone).toContain(target.member.member_id)
    expect(result.fuzzy).toEqual([newEmail])
    expect(result.reroled).toEqual(['stytch_admin', 'stytch_member'])
    expect(result.deleted).toBe(target.member.member_id)
    expect(result.active).not.toContain(target.member.member_id)
    expect(result.gone).toEqual([[target.member.member_id, 'deleted']])
    expect(result.reactivated).toBe('active')
    expect(result.selfName).toBe('The Admin')
    expect(result.cachedSelf).toBe('The Admin')

    // The backend sees every write.
    const got = (await backend('GET', `/v1/b2b/organizations/${org.organization_id}`)).body
    expect(got.organization).toMatchObject({
      organization_name: 'Renamed in the browser',
      email_invites: 'RESTRICTED',
    })
    const member = (
      await backend(
        'GET',
        `/v1/b2b/organizations/${org.organization_id}/member?member_id=${target.member.member_id}`,
      )
    ).body.member
    expect(member.status).toBe('active')
    expect(member.roles.map((r: any) => r.role_id).sort()).toEqual([
      'stytch_admin',
      'stytch_member',
    ])
    // Deactivating the member revoked its session.
    const session = await backend('POST', '/v1/b2b/sessions/authenticate', {
      session_token: target.session_token,
    })
    expect(session.body.error_type).toBe('session_not_found')
    expect(noSdkErrors()).toEqual([])
  })

  it("a plain member is refused the same writes with Stytch's error, and may still edit itself", async () => {
    const { org, plain, target } = await organization()
    const page = await pageAs(plain)
    const result = await page.evaluate(
      async ({ target }) => {
        const c = (window as any).client
        const error = (p: Promise<unknown>) =>
          p.then(
            () => 'succeeded',
            (e: any) => `${e.status_code} ${e.error_type}`,
          )
        return {
          update: await error(c.organization.update({ organization_name: 'Not allowed' })),
          create: await error(c.organization.members.create({ email_address: 'x@example.com' })),
          search: await error(c.organization.members.search({})),
          reRole: await error(
            c.organization.members.update({ member_id: target, roles: ['stytch_admin'] }),
          ),
          rename: await error(
            c.organization.members.update({ member_id: target, name: 'Renamed' }),
          ),
          deactivate: await error(c.organization.members.delete(target)),
          reactivate: await error(c.organization.members.reactivate(target)),
          deleteOrg: await error(c.organization.delete()),
          selfReRole: await error(
            c.organization.members.update({
              member_id: c.self.getSync().member_id,
              roles: ['stytch_admin'],
            }),
          ),
          self: (await c.self.update({ name: 'Just Me' })).member.name,
        }
      },
      { target: target.member.member_id },
    )
    const denied = '403 session_authorization_error'
    expect(result).toEqual({
      update: denied,
      create: denied,
      search: denied,
      reRole: denied,
      rename: denied,
      deactivate: denied,
      reactivate: denied,
      deleteOrg: denied,
      selfReRole: denied,
      self: 'Just Me',
    })
    // Nothing changed but the plain member's own name.
    expect(
      (await backend('GET', `/v1/b2b/organizations/${org.organization_id}`)).body.organization
        .organization_name,
    ).toBe('Admin UI')
    const member = (
      await backend(
        'GET',
        `/v1/b2b/organizations/${org.organization_id}/member?member_id=${target.member.member_id}`,
      )
    ).body.member
    expect(member.roles.map((r: any) => r.role_id)).toEqual(['stytch_member'])
    expect(
      (
        await backend('POST', '/v1/b2b/sessions/authenticate', {
          session_token: target.session_token,
        })
      ).status,
    ).toBe(200)
  })

  it('self.* factor deletions, the admin portal configuration, and organization.delete signing everyone out', async () => {
    const { org, admin, target } = await organization()
    await backend(
      'PUT',
      `/v1/b2b/organizations/${org.organization_id}/members/${admin.member.member_id}`,
      {
        mfa_phone_number: '+15555550142',
      },
    )
    const page = await pageAs(admin)
    const result = await page.evaluate(
      async ({ token, base }) => {
        const c = (window as any).client
        await c.self.get()
        const before = c.self.getSync().mfa_phone_number
        const phone = await c.self.deleteMFAPhoneNumber()
        const config = await fetch(`${base}/sdk/v1/b2b/admin_portal_config`, {
          headers: { authorization: `Basic ${btoa(`${token}:${token}`)}` },
        }).then((r) => r.json())
        const deleted = await c.organization.delete()
        return {
          before,
          after: phone.member.mfa_phone_number,
          cached: c.self.getSync(),
          config: config.data,
          deleted: deleted.organization_id,
        }
      },
      { token: ui.mock.config.b2bPublicToken, base: ui.mock.base },
    )
    expect(result.before).toBe('+15555550142')
    expect(result.after).toBe('')
    expect(result.config).toMatchObject({
      sso_config: {
        sso_enabled: true,
        can_create_saml_connection: true,
        can_create_oidc_connection: true,
      },
      organization_config: { mfa_controls_enabled: true },
      scim_config: { scim_enabled: true },
    })
    expect(result.deleted).toBe(org.organization_id)
    expect(result.cached).toBeNull()
    for (const s of [admin, target])
      expect(
        (await backend('POST', '/v1/b2b/sessions/authenticate', { session_token: s.session_token }))
          .body.error_type,
      ).toBe('session_not_found')
    expect(
      (await backend('GET', `/v1/b2b/organizations/${org.organization_id}`)).body.error_type,
    ).toBe('organization_not_found')
  })
})
