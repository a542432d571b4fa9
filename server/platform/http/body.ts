// A route's input: the body, query and path parameters of its request, validated against the
// operation it serves in openapi.yaml (validate.ts) before the route sees them. Unparseable JSON
// is 400 bad_request; a field the spec's rules refuse, 400 with the error type the spec names. A
// null field reads as absent, like the SDKs' dropped `undefined` keys (top level only: inside
// session_custom_claims a null deletes a claim).
import type { Context } from 'hono'
import { StytchError } from '../../errors.js'
import { isObject, type JsonObject } from '../sessions/claims.js'
import type { AppEnv } from './env.js'
import { bodyText, header } from './request.js'
import { check, requestValidators } from './validate.js'

export interface Input {
  body: JsonObject
  query: Record<string, string>
  params: Record<string, string>
}

/** Go's strconv.ParseBool spellings, as Stytch reads a boolean query parameter. */
const GO_BOOLEANS: Record<string, string> = Object.fromEntries([
  ...['1', 't', 'T', 'TRUE', 'true', 'True'].map((v) => [v, 'true']),
  ...['0', 'f', 'F', 'FALSE', 'false', 'False'].map((v) => [v, 'false']),
])

/** The request's validated input, read and checked once per request. */
export async function readInput(c: Context<AppEnv>): Promise<Input> {
  const read = c.get('input')
  if (read) return read
  const key = `${c.req.method} ${c.req.routePath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')}`
  const op = await requestValidators().forOperation(key)
  const params = check(
    op?.path,
    { ...c.req.param() } as Record<string, string>,
    'path',
    op?.annotations.path ?? {},
  )
  const raw = { ...c.req.query() }
  // Stytch parses a boolean query parameter as Go's strconv.ParseBool does: Python's SDK sends
  // `True` (ajv's coercion takes only true and false).
  for (const name of op?.booleanQuery ?? [])
    if (raw[name] !== undefined && Object.hasOwn(GO_BOOLEANS, raw[name]))
      raw[name] = GO_BOOLEANS[raw[name]]!
  const query = check(op?.query, raw, 'query', op?.annotations.query ?? {})
  const text = await bodyText(c)
  // A form where the operation takes one (only one, or the request says so), else JSON.
  const form =
    op?.form &&
    (!op.json ||
      header(c, 'content-type')?.toLowerCase().startsWith('application/x-www-form-urlencoded'))
  const parsed = form ? Object.fromEntries(new URLSearchParams(text)) : parseJson(text)
  const body = check(op?.body, parsed, 'body', op?.annotations.body ?? {})
  for (const [name, value] of Object.entries(body)) if (value === null) delete body[name]
  const input = { body, query, params }
  c.set('input', input)
  return input
}

/** The validated JSON body, typed as the spec's schema for the route describes it. */
export async function jsonBody<T extends object = JsonObject>(c: Context<AppEnv>): Promise<T> {
  return (await readInput(c)).body as T
}

/** The validated query parameters. */
export async function queryInput<T extends object = Record<string, string>>(
  c: Context<AppEnv>,
): Promise<T> {
  return (await readInput(c)).query as T
}

function parseJson(text: string): JsonObject {
  if (text.trim() === '') return {}
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (err) {
    throw new StytchError(
      'bad_request',
      `The submitted request is invalid: ${(err as Error).message}.`,
    )
  }
  if (!isObject(body)) {
    throw new StytchError(
      'bad_request',
      'The submitted request is invalid: the body must be a JSON object.',
    )
  }
  return body
}

/** The fields every authenticate-like call takes: a token or JWT, a duration, custom claims. */
export interface AccessBody {
  session_token?: string
  session_jwt?: string
  session_duration_minutes?: number
  session_custom_claims?: JsonObject
}

export const accessInput = (body: AccessBody) => ({
  session_token: body.session_token,
  session_jwt: body.session_jwt,
  session_duration_minutes: body.session_duration_minutes,
  session_custom_claims: body.session_custom_claims,
})
