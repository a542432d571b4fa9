// Who calls /sdk/v1: the public token (which picks the vertical) and the session, from Basic auth
// or the session cookies; and the {data} envelope of the frontend SDK API. Shared by its routes.
import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import type { Config } from '../config.js'
import { StytchError } from '../errors.js'
import type { AppEnv } from './env.js'

export const COOKIE = {
  session: 'stytch_session',
  jwt: 'stytch_session_jwt',
  ist: 'stytch_intermediate_session_token',
}

export type Vertical = 'CONSUMER' | 'B2B'

export function sdkCaller(config: Config) {
  const data = (c: Context<AppEnv>, body: object = {}) =>
    c.json({ data: { request_id: c.var.requestId, status_code: 200, ...body } })
  const verticalOf = (publicToken: string): Vertical | null =>
    publicToken === config.publicToken
      ? 'CONSUMER'
      : publicToken === config.b2bPublicToken
        ? 'B2B'
        : null

  /** The caller's public token (which picks the vertical) and session, from Basic auth or cookies. */
  const caller = (c: Context<AppEnv>, vertical: Vertical) => {
    const match = /^Basic\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')
    const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : ''
    const colon = decoded.indexOf(':')
    const [publicToken, secret] =
      colon < 0 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)]
    const actual = verticalOf(publicToken)
    if (!actual) throw new StytchError('unauthorized_credentials')
    if (actual !== vertical)
      throw new StytchError(
        vertical === 'B2B' ? 'invalid_b2b_endpoint' : 'invalid_consumer_endpoint',
      )
    // The password equal to the public token means "no token in the header": HttpOnly cookies then.
    if (secret && secret !== publicToken) return { session_token: secret }
    const token = getCookie(c, COOKIE.session)
    if (token) return { session_token: token }
    const jwt = getCookie(c, COOKIE.jwt)
    if (jwt) return { session_jwt: jwt }
    throw new StytchError('unauthorized_credentials')
  }

  return { data, verticalOf, caller }
}
