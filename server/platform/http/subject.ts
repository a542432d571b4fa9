// Who a call concerns, read from the request before it is handled: scoped faults match on it.
// Only a caller who could make the call learns anything: the project's credentials on /v1, a
// known public token on /sdk/v1; anyone else concerns no one, and authentication answers them.
// The session's token or JWT (body, the frontend SDK's Basic auth, the session cookies), the ids
// in the path, and the ids the body or query names. Best effort: an unreadable request concerns
// no one.
import type { Context } from 'hono'
import { MATCH_KEYS, type FaultMatch } from '../journal/faults.js'
import { StytchError } from '../../errors.js'
import { checkBasicAuth } from './auth.js'
import type { AppEnv } from './env.js'
import type { Platform } from '../platform.js'
import { bodyText, decoded, header } from './request.js'
import { basicCredentials, sessionArguments } from './sdk-caller.js'

export async function requestSubject(
  c: Context<AppEnv>,
  { config, core, directory }: Platform,
): Promise<FaultMatch> {
  const { user, password } = basicCredentials(header(c, 'authorization'))
  const sdk = c.req.path.startsWith('/sdk/')
  // The M2M token endpoint: a client names itself, in the body or as the Basic user name.
  if (TOKEN_PATH.test(c.req.path)) {
    const text = await bodyText(c)
    const body = header(c, 'content-type')?.includes('json')
      ? (safeJson(text) as Record<string, unknown> | null)
      : Object.fromEntries(new URLSearchParams(text))
    const named = typeof body?.client_id === 'string' ? body.client_id : decoded(user)
    return named ? { client_id: named } : {}
  }
  if (sdk ? user !== config.publicToken && user !== config.b2bPublicToken : !authorized(c, config))
    return {}
  const fields: Record<string, unknown> = { ...c.req.query() }
  const client = /^\/v1\/m2m\/clients\/([^/]+)/.exec(c.req.path)?.[1]
  if (client && client !== 'search') fields.client_id = decoded(client)
  if (header(c, 'content-type')?.includes('json')) {
    try {
      const body: unknown = JSON.parse(await bodyText(c))
      if (body && typeof body === 'object') Object.assign(fields, body)
    } catch {
      // Not JSON: the handler answers that; the call concerns no one here.
    }
  }
  const text = (name: string) => (typeof fields[name] === 'string' ? fields[name] : undefined)
  const session =
    text('session_token') !== undefined
      ? { session_token: text('session_token')! }
      : text('session_jwt') !== undefined
        ? { session_jwt: text('session_jwt')! }
        : sdk
          ? sessionArguments(c, user, password)
          : undefined
  const subject: FaultMatch = { ...(session ? core.subjectOf(session) : {}) }
  const found = (lookup: () => Partial<FaultMatch>) => {
    try {
      for (const [key, value] of Object.entries(lookup()))
        subject[key as keyof FaultMatch] ??= value
    } catch (err) {
      if (!(err instanceof StytchError)) throw err // not found: the handler answers that
    }
  }
  // The reads name their subject in the path: /v1/users/{id}, /v1/b2b/organizations/{id}[/member].
  const user_ = /^\/v1\/users\/([^/]+)$/.exec(c.req.path)?.[1]
  if (user_) found(() => ({ user_id: directory.user(decoded(user_)).user_id }))
  const org = /^\/v1\/b2b\/organizations\/([^/]+)(\/member)?$/.exec(c.req.path)
  if (org) {
    const id = decoded(org[1]!)
    found(() => ({ organization_id: directory.organization(id).organization_id }))
    if (org[2])
      found(() => ({
        member_id: directory.member(id, {
          member_id: text('member_id'),
          email_address: text('email_address'),
        }).member.member_id,
      }))
  }
  for (const key of MATCH_KEYS) {
    const named = text(key)
    if (subject[key] === undefined && named !== undefined) subject[key] = named
  }
  return subject
}

const TOKEN_PATH = /^\/v1\/public\/[^/]+\/oauth2\/token$/

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

function authorized(c: Context<AppEnv>, config: Platform['config']): boolean {
  try {
    checkBasicAuth(header(c, 'authorization'), config.projectId, config.secret)
    return true
  } catch {
    return false
  }
}
