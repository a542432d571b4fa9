// /v1/b2b/sessions: member session authenticate, revoke, exchange and list.
import { Hono } from 'hono'
import { StytchError } from '../errors.js'
import { accessInput, authorizationCheck, jsonBody, optionalString } from './body.js'
import { ok, type AppEnv, type Deps } from './env.js'

export function b2bSessionRoutes({ members }: Deps) {
  const app = new Hono<AppEnv>()

  app.post('/v1/b2b/sessions/authenticate', async (c) => {
    const body = await jsonBody(c)
    const result = await members.authenticate({
      ...accessInput(body),
      authorization_check: authorizationCheck(body, true),
    })
    const { member_session_id, member_id } = result.member_session
    c.set('subject', { session_id: member_session_id, member_id })
    return ok(c, result)
  })

  app.post('/v1/b2b/sessions/revoke', async (c) => {
    const body = await jsonBody(c)
    await members.revoke({
      member_session_id: optionalString(body, 'member_session_id'),
      session_token: optionalString(body, 'session_token'),
      session_jwt: optionalString(body, 'session_jwt'),
      member_id: optionalString(body, 'member_id'),
    })
    return ok(c)
  })

  app.post('/v1/b2b/sessions/exchange', async (c) => {
    const body = await jsonBody(c)
    const organizationId = optionalString(body, 'organization_id')
    if (!organizationId)
      throw new StytchError('invalid_organization_id', 'organization_id is required.')
    optionalString(body, 'locale')
    const result = await members.exchange({ ...accessInput(body), organization_id: organizationId })
    return ok(c, result)
  })

  app.get('/v1/b2b/sessions', (c) => {
    const organizationId = c.req.query('organization_id')
    const memberId = c.req.query('member_id')
    if (!organizationId)
      throw new StytchError('invalid_organization_id', 'organization_id is required.')
    if (!memberId) throw new StytchError('invalid_argument', 'member_id is required.')
    const member_sessions = members.list(organizationId, memberId)
    return ok(c, { member_sessions })
  })

  return app
}
