// Who a call concerns, read from the request before it is handled: scoped faults match on it.
// The session's token or JWT (body, Basic auth of the frontend SDK, session cookies), and the
// ids the body or query names outright. Best effort: an unreadable request concerns no one.
import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { MATCH_KEYS, type FaultMatch } from '../control/faults.js'
import type { SessionCore } from '../sessions/core.js'
import type { AppEnv } from './env.js'
import { COOKIE } from './sdk-caller.js'

export async function requestSubject(c: Context<AppEnv>, core: SessionCore): Promise<FaultMatch> {
  const fields: Record<string, unknown> = { ...c.req.query() }
  if (c.req.header('content-type')?.includes('json')) {
    try {
      const body: unknown = JSON.parse(await c.req.text())
      if (body && typeof body === 'object') Object.assign(fields, body)
    } catch {
      // Not JSON: the handler answers that; the call concerns no one here.
    }
  }
  const text = (name: string) => (typeof fields[name] === 'string' ? fields[name] : undefined)
  const basic = /^Basic\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')
  const password = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[1] : ''
  const sdkToken = c.req.path.startsWith('/sdk/') && password ? password : undefined
  const session_token = text('session_token') ?? sdkToken ?? getCookie(c, COOKIE.session)
  const session_jwt = text('session_jwt') ?? getCookie(c, COOKIE.jwt)
  const subject: FaultMatch = {
    ...(session_token !== undefined
      ? core.subjectOf({ session_token })
      : session_jwt !== undefined
        ? core.subjectOf({ session_jwt })
        : {}),
  }
  for (const key of MATCH_KEYS) {
    const named = text(key)
    if (subject[key] === undefined && named !== undefined) subject[key] = named
  }
  return subject
}
