// HTTP Basic project_id:secret, as on every Stytch backend route.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { StytchError } from '../errors.js'

const digest = (s: string) => createHash('sha256').update(s).digest()

/** Throws the Stytch error for a missing, malformed or wrong Authorization header. */
export function checkBasicAuth(
  header: string | undefined,
  projectId: string,
  secret: string,
): void {
  if (header === undefined || header.trim() === '')
    throw new StytchError('unauthorized_credentials')
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header)
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : ''
  const colon = decoded.indexOf(':')
  if (colon < 0) throw new StytchError('invalid_authorization_header')
  // Why: compare fixed-length digests in constant time, so neither the secret's content nor
  // its length leaks through response timing.
  const given = digest(`${decoded.slice(0, colon)}\n${decoded.slice(colon + 1)}`)
  if (!timingSafeEqual(given, digest(`${projectId}\n${secret}`))) {
    throw new StytchError('unauthorized_credentials')
  }
}

export const basicAuth =
  (projectId: string, secret: string): MiddlewareHandler =>
  async (c, next) => {
    checkBasicAuth(c.req.header('authorization'), projectId, secret)
    await next()
  }
