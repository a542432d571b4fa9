// Hono's typing for what middleware hands to handlers, and the backend API's 200 envelope.
import type { Context } from 'hono'
import type { Input } from './body.js'

export interface AppEnv {
  Variables: {
    requestId: string
    /** The request body, once read (request.ts). */
    bodyText?: string
    /** The request's input, once validated (body.ts). */
    input?: Input
    /** The error_type of an error response, for the request journal. */
    errorType?: string
    /** The session and its owner a call concerned, for the request journal. */
    subject?: { session_id?: string; user_id?: string; member_id?: string }
  }
}

/** A 200 with Stytch's status_code and request_id. */
export const ok = (c: Context<AppEnv>, body: object = {}) =>
  c.json({ status_code: 200, request_id: c.get('requestId'), ...body })

/**
 * The same 200 as ok(c, body), from the JSON text of the body's fields (what JSON.stringify
 * writes between its braces): for answers made once and handed out again.
 */
export const okText = (c: Context<AppEnv>, fields: string) =>
  c.body(`{"status_code":200,"request_id":"${c.get('requestId')}",${fields}}`, 200, JSON_TYPE)

// As c.json() names it.
const JSON_TYPE = { 'Content-Type': 'application/json' }
