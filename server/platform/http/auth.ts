// HTTP Basic project_id:secret, as on every Stytch backend route.
import { hash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { StytchError } from '../../errors.js'
import { header } from './request.js'

const digest = (s: string) => hash('sha256', s, 'buffer')

/** The check of one project's credentials: throws the Stytch error for a missing, malformed or wrong header. */
export function basicAuthCheck(projectId: string, secret: string) {
  const expected = digest(`${projectId}\n${secret}`)
  // Headers already accepted, by their exact text: a client sends the same one on every call, and
  // hashing it again was about 2% of an authenticate's time. A Set finds them by hash, not by
  // comparing characters, so a hit tells no more than the constant-time check would.
  const accepted = new Set<string>()
  return (header: string | undefined): void => {
    if (header !== undefined && accepted.has(header)) return
    if (header === undefined || header.trim() === '')
      throw new StytchError('unauthorized_credentials')
    const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header)
    const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : ''
    const colon = decoded.indexOf(':')
    if (colon < 0) throw new StytchError('invalid_authorization_header')
    // Why: compare fixed-length digests in constant time, so neither the secret's content nor
    // its length leaks through response timing.
    const given = digest(`${decoded.slice(0, colon)}\n${decoded.slice(colon + 1)}`)
    if (!timingSafeEqual(given, expected)) throw new StytchError('unauthorized_credentials')
    if (accepted.size < 16) accepted.add(header)
  }
}

export const checkBasicAuth = (header: string | undefined, projectId: string, secret: string) =>
  basicAuthCheck(projectId, secret)(header)

export function basicAuth(projectId: string, secret: string): MiddlewareHandler {
  const check = basicAuthCheck(projectId, secret)
  return async (c, next) => {
    check(header(c, 'authorization'))
    await next()
  }
}
