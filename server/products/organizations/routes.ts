// B2B organizations and members: /v1/b2b/organizations/{organization_id} (organizations.get),
// .../member (organizations.members.get), and the frontend's organization.get and self.get.
import { Hono, type Context } from 'hono'
import type { Platform } from '../../platform/platform.js'
import { readInput } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'

export function organizationRoutes({ config, directory, members }: Platform) {
  const api = new Hono<AppEnv>()

  api.get('/v1/b2b/organizations/:organization_id', async (c) => {
    const { params } = await readInput(c)
    return ok(c, { organization: directory.organization(params.organization_id!) })
  })

  api.get('/v1/b2b/organizations/:organization_id/member', async (c) => {
    const { params, query } = await readInput(c)
    const { member, organization } = directory.member(params.organization_id!, {
      member_id: query.member_id,
      email_address: query.email_address,
    })
    c.set('subject', { member_id: member.member_id })
    return ok(c, { member_id: member.member_id, member, organization })
  })

  const sdk = new Hono<AppEnv>()
  const { data, caller } = sdkCaller(config)
  const member = async (c: Context<AppEnv>) => {
    const result = await members.authenticate(caller(c, 'B2B'))
    const { member_session_id, member_id } = result.member_session
    c.set('subject', { session_id: member_session_id, member_id })
    return result
  }
  sdk.get('/sdk/v1/b2b/organizations/me', async (c) =>
    data(c, { organization: (await member(c)).organization }),
  )
  sdk.get('/sdk/v1/b2b/organizations/members/me', async (c) =>
    data(c, { member: (await member(c)).member }),
  )

  return { api, sdk }
}
