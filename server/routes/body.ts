// Reading request input: a JSON object body, and typed optional fields. Wrong types are
// 400 invalid_argument, as Stytch answers a mistyped field (stytch-errors.md, invalid_argument).
import type { Context } from 'hono'
import { StytchError } from '../errors.js'
import { isObject, type JsonObject } from '../sessions/claims.js'
import type { AppEnv } from './env.js'
import { bodyText } from './request.js'

export async function jsonBody(c: Context<AppEnv>): Promise<JsonObject> {
  const text = await bodyText(c)
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

const wrongType = (name: string, expected: string, value: unknown) =>
  new StytchError(
    'invalid_argument',
    `could not interpret value for ${name}: expected ${expected}, got ${Array.isArray(value) ? 'array' : typeof value}`,
  )

/** A missing or null field is absent, like the SDKs' dropped `undefined` keys. */
export function optionalString(body: JsonObject, name: string): string | undefined {
  const value = body[name]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw wrongType(name, 'a string', value)
  return value
}

/** A field the call cannot do without: missing or empty is 400 invalid_argument. */
export function requiredString(body: JsonObject, name: string): string {
  const value = optionalString(body, name)
  if (value === undefined || value === '')
    throw new StytchError('invalid_argument', `${name} is required.`)
  return value
}

export function optionalInteger(body: JsonObject, name: string): number | undefined {
  const value = body[name]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw wrongType(name, 'an integer', value)
  return value
}

export function optionalObject(body: JsonObject, name: string): JsonObject | undefined {
  const value = body[name]
  if (value === undefined || value === null) return undefined
  if (!isObject(value)) throw wrongType(name, 'an object', value)
  return value
}

export function optionalBoolean(body: JsonObject, name: string): boolean | undefined {
  const value = body[name]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') throw wrongType(name, 'a boolean', value)
  return value
}

export function optionalNumber(body: JsonObject, name: string): number | undefined {
  const value = body[name]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) throw wrongType(name, 'a number', value)
  return value
}

export function optionalArray(body: JsonObject, name: string): unknown[] | undefined {
  const value = body[name]
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value)) throw wrongType(name, 'an array', value)
  return value
}

export function optionalStrings(body: JsonObject, name: string): string[] | undefined {
  const value = optionalArray(body, name)
  if (value?.some((v) => typeof v !== 'string')) throw wrongType(name, 'an array of strings', value)
  return value as string[] | undefined
}

/** authorization_check: {resource_id, action} strings, plus organization_id for B2B. */
export function authorizationCheck(body: JsonObject, b2b: boolean) {
  const check = optionalObject(body, 'authorization_check')
  if (!check) return undefined
  const need = (name: string) => {
    const value = optionalString(check, name)
    if (!value)
      throw new StytchError('invalid_argument', `authorization_check.${name} is required.`)
    return value
  }
  return {
    ...(b2b ? { organization_id: need('organization_id') } : {}),
    resource_id: need('resource_id'),
    action: need('action'),
  }
}

/** The fields every authenticate-like call takes: one of token / JWT, a duration, custom claims. */
export function accessInput(body: JsonObject) {
  return {
    session_token: optionalString(body, 'session_token'),
    session_jwt: optionalString(body, 'session_jwt'),
    session_duration_minutes: optionalInteger(body, 'session_duration_minutes'),
    session_custom_claims: optionalObject(body, 'session_custom_claims'),
  }
}
