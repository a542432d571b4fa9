// /v1/users and /v1/b2b/organizations reads: what apps fetch next to an authenticated session.
import { Hono } from 'hono'
import { ok, type AppEnv, type Deps } from './env.js'

export function directoryRoutes({ directory }: Deps) {
  const app = new Hono<AppEnv>()

  // The user's fields at the top level, as Stytch's users.get answers.
  app.get('/v1/users/:user_id', (c) => {
    const user = directory.user(c.req.param('user_id'))
    c.set('subject', { user_id: user.user_id })
    return ok(c, user)
  })

  app.get('/v1/b2b/organizations/:organization_id', (c) =>
    ok(c, { organization: directory.organization(c.req.param('organization_id')) }),
  )

  app.get('/v1/b2b/organizations/:organization_id/member', (c) => {
    const { member, organization } = directory.member(c.req.param('organization_id'), {
      member_id: c.req.query('member_id'),
      email_address: c.req.query('email_address'),
    })
    c.set('subject', { member_id: member.member_id })
    return ok(c, { member_id: member.member_id, member, organization })
  })

  return app
}
