import type { Context } from 'hono'
import type { World } from '../world.js'

/** Hono's typing for what middleware hands to handlers. */
export interface AppEnv {
  Variables: {
    requestId: string
    /** The request body, once read (routes/request.ts). */
    bodyText?: string
    /** The error_type of an error response, for the request journal. */
    errorType?: string
    /** The session and its owner a call concerned, for the request journal. */
    subject?: { session_id?: string; user_id?: string; member_id?: string }
  }
}

export type Deps = World

/** A 200 with Stytch's status_code and request_id. */
export const ok = (c: Context<AppEnv>, body: object = {}) =>
  c.json({ status_code: 200, request_id: c.var.requestId, ...body })
