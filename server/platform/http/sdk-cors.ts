// What every /sdk/v1 response gets before its route: CORS, and the allowed origins.
import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import type { Config } from '../../config.js'
import { StytchError } from '../../errors.js'
import type { AppEnv } from './env.js'
import { header } from './request.js'

/**
 * CORS for every /sdk/v1 response, injected faults and errors included: app.ts puts it before
 * the request journal and faults. Why reflect the Origin: the SDK sends credentials, and browsers
 * refuse `*` with credentials. Refused origins are reflected too, so the SDK can read the error
 * rather than "unreachable".
 */
export const sdkCors = () =>
  cors({
    origin: (origin) => origin || null,
    credentials: true,
    allowHeaders: ['Authorization', 'Content-Type', 'X-SDK-Client', 'X-SDK-Parent-Host'],
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    maxAge: 600,
  })

/** With STYTCH_MOCK_ALLOWED_ORIGINS set, other origins get 403 bad_domain_for_stytch_sdk. */
export const sdkOrigins =
  (config: Config): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const origin = header(c, 'origin')
    if (origin && config.allowedOrigins && !config.allowedOrigins.includes(origin))
      throw new StytchError('bad_domain_for_stytch_sdk')
    await next()
  }
