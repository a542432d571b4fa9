// Who calls /sdk/v1: the public token (which picks the vertical) and the session, from Basic auth
// or the session cookies; the {data} envelope of the frontend SDK API, and a login's answer with
// its tokens handed over. Shared by its routes.
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Config } from '../../config.js'
import { StytchError } from '../../errors.js'
import { b2bSessionInput, noteMember, noteSubject, type B2BSessionBody } from './login-answers.js'
import type { AppEnv } from './env.js'
import { header } from './request.js'

export const COOKIE = {
  session: 'stytch_session',
  jwt: 'stytch_session_jwt',
  ist: 'stytch_intermediate_session_token',
}

export type Vertical = 'CONSUMER' | 'B2B'

/** The frontend SDK's three ways to send a consumer passcode or link. */
export const SEND_PATHS = ['login_or_create', 'send/primary', 'send/secondary'] as const
export type SendPath = (typeof SEND_PATHS)[number]

export function sdkCaller(config: Config) {
  const data = (c: Context<AppEnv>, body: object = {}) =>
    c.json({ data: { request_id: c.get('requestId'), status_code: 200, ...body } })
  const verticalOf = (publicToken: string): Vertical | null =>
    publicToken === config.publicToken
      ? 'CONSUMER'
      : publicToken === config.b2bPublicToken
        ? 'B2B'
        : null

  /**
   * A caller who may not have a session yet (a login): the public token must be the project's
   * of this vertical; the session it sends along (Basic auth or cookies), if any, is returned.
   */
  const loginCaller = (c: Context<AppEnv>, vertical: Vertical) => {
    const { user: publicToken, password } = basicCredentials(header(c, 'authorization'))
    const actual = verticalOf(publicToken)
    if (!actual) throw new StytchError('unauthorized_credentials')
    if (actual !== vertical)
      throw new StytchError(
        vertical === 'B2B' ? 'invalid_b2b_endpoint' : 'invalid_consumer_endpoint',
      )
    return sessionArguments(c, publicToken, password)
  }

  /** A caller who must have a session: its public token's vertical checked, as loginCaller. */
  const caller = (c: Context<AppEnv>, vertical: Vertical) => {
    const session = loginCaller(c, vertical)
    if (!session) throw new StytchError('unauthorized_credentials')
    return session
  }

  /**
   * HttpOnly mode: the session (and intermediate session) tokens travel only as HttpOnly
   * cookies; the body carries empty strings.
   */
  const handOver = <
    T extends { session_token?: string; session_jwt?: string; intermediate_session_token?: string },
  >(
    c: Context<AppEnv>,
    result: T,
    expiresAt: string | undefined,
  ): T => {
    if (!config.httpOnlyCookies) return result
    const base = {
      httpOnly: true,
      path: '/',
      sameSite: 'Lax' as const,
      secure: new URL(c.req.url).protocol === 'https:',
    }
    const options = { ...base, ...(expiresAt ? { expires: new Date(expiresAt) } : {}) }
    if (result.session_token) {
      setCookie(c, COOKIE.session, result.session_token, options)
      setCookie(c, COOKIE.jwt, result.session_jwt ?? '', options)
      deleteCookie(c, COOKIE.ist, { path: '/' })
    }
    const ist = result.intermediate_session_token
    if (ist) {
      setCookie(c, COOKIE.ist, ist, { ...base, maxAge: 600 })
      // Not logged in (yet): the old session's cookies go, as the SDK would drop them itself
      // if it could read them.
      if (!result.session_token)
        for (const name of [COOKIE.session, COOKIE.jwt]) deleteCookie(c, name, { path: '/' })
    }
    // Only the fields the answer has: a discovery answer carries no session tokens at all.
    return {
      ...result,
      ...('session_token' in result ? { session_token: '', session_jwt: '' } : {}),
      ...(ist ? { intermediate_session_token: '' } : {}),
    }
  }
  const clearCookies = (c: Context<AppEnv>) => {
    if (!config.httpOnlyCookies) return
    for (const name of Object.values(COOKIE)) deleteCookie(c, name, { path: '/' })
  }

  /** The intermediate session the browser holds only as an HttpOnly cookie. */
  const istCookie = (c: Context<AppEnv>) => getCookie(c, COOKIE.ist)

  /** A consumer login's answer: its subject journaled, its tokens handed over (cookies). */
  const loggedIn = (
    c: Context<AppEnv>,
    result: Parameters<typeof noteSubject>[1] & {
      session_token: string
      session_jwt: string
      session?: { session_id: string; expires_at: string } | undefined
    },
  ) => {
    noteSubject(c, result)
    return data(c, handOver(c, result, result.session?.expires_at))
  }

  /** A B2B login's answer: a member session or an intermediate session, handed over. */
  const memberLoggedIn = (
    c: Context<AppEnv>,
    result: Parameters<typeof noteMember>[1] & {
      session_token: string
      session_jwt: string
      member_session: { member_session_id: string; expires_at: string } | null
    },
  ) => {
    noteMember(c, result)
    return data(c, handOver(c, result, result.member_session?.expires_at))
  }

  /**
   * A B2B login's session input: the body's duration, the session the SDK sends along, and its
   * stored intermediate session (in the body, or in HttpOnly mode only in its cookie). Routes
   * check the caller (loginCaller) before reading the body, as Stytch answers 401 first.
   */
  const memberLoginInput = (c: Context<AppEnv>, body: B2BSessionBody) => {
    const input = b2bSessionInput(body)
    return {
      ...input,
      ...(loginCaller(c, 'B2B') ?? {}),
      intermediate_session_token: input.intermediate_session_token ?? istCookie(c),
      // Custom claims are the backend's to set, never the browser's.
      session_custom_claims: undefined,
    }
  }

  /**
   * Who a consumer passcode or link send is for: login_or_create anyone; send/primary an existing
   * user; send/secondary the logged-in caller, to whose user the address is added (the SDK's
   * `send` with a session).
   */
  const sendTarget = (c: Context<AppEnv>, path: SendPath) =>
    path === 'send/secondary'
      ? { create: false, ...caller(c, 'CONSUMER') }
      : (loginCaller(c, 'CONSUMER'), { create: path === 'login_or_create' })

  return {
    data,
    verticalOf,
    sendTarget,
    caller,
    loginCaller,
    handOver,
    clearCookies,
    istCookie,
    loggedIn,
    memberLoggedIn,
    memberLoginInput,
  }
}

/** The user name and password of a Basic Authorization header ('' for what is missing). */
export function basicCredentials(header: string | undefined): { user: string; password: string } {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '')
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : ''
  const colon = decoded.indexOf(':')
  return colon < 0
    ? { user: decoded, password: '' }
    : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

/**
 * The session a frontend SDK call names: the Basic password, unless it equals the public token
 * ("no token in the header", as in HttpOnly mode), then the session cookie, then the JWT cookie.
 */
export function sessionArguments(
  c: Context<AppEnv>,
  publicToken: string,
  password: string,
): { session_token: string } | { session_jwt: string } | undefined {
  if (password && password !== publicToken) return { session_token: password }
  const token = getCookie(c, COOKIE.session)
  if (token) return { session_token: token }
  const jwt = getCookie(c, COOKIE.jwt)
  if (jwt) return { session_jwt: jwt }
  return undefined
}
