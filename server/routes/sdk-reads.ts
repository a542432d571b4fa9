// /sdk/v1 reads: user.get(), organization.get() and self.get() of the frontend SDKs. The caller's
// session is authenticated as sessions/authenticate does it; the objects are the ones its
// response carries. CORS and the origin check come from sdk.ts, mounted first.
import { Hono } from 'hono'
import type { AppEnv, Deps } from './env.js'
import { sdkCaller } from './sdk-caller.js'

export function sdkReadRoutes({ config, consumer, members }: Deps) {
  const app = new Hono<AppEnv>()
  const { data, caller } = sdkCaller(config)

  app.get('/sdk/v1/users/me', async (c) => {
    const { session, user } = await consumer.authenticate(caller(c, 'CONSUMER'))
    c.set('subject', { session_id: session.session_id, user_id: user.user_id })
    return data(c, user)
  })

  const member = async (c: Parameters<typeof caller>[0]) => {
    const result = await members.authenticate(caller(c, 'B2B'))
    const { member_session_id, member_id } = result.member_session
    c.set('subject', { session_id: member_session_id, member_id })
    return result
  }
  app.get('/sdk/v1/b2b/organizations/me', async (c) =>
    data(c, { organization: (await member(c)).organization }),
  )
  app.get('/sdk/v1/b2b/organizations/members/me', async (c) =>
    data(c, { member: (await member(c)).member }),
  )

  return app
}
