// The project's JWKS (sessions.getJWKS, consumer and B2B paths). jose fetches it with no
// Authorization header and accepts only a 200, so it is served unauthenticated; a header, when
// sent, must be right.
import type { Context } from 'hono'
import { StytchError } from '../../errors.js'
import type { Config } from '../../config.js'
import { basicAuthCheck } from '../http/auth.js'
import type { AppEnv } from '../http/env.js'
import { header } from '../http/request.js'
import type { KeyManager } from './key-manager.js'

export function jwksHandler({ config, keys }: { config: Config; keys: KeyManager }) {
  const { projectId, secret } = config
  const check = basicAuthCheck(projectId, secret)
  const answer = jwksAnswer(keys)
  return (c: Context<AppEnv>) => {
    const auth = header(c, 'authorization')
    if (auth !== undefined) check(auth)
    if (c.req.param('project_id') !== projectId) throw new StytchError('project_not_found')
    return c.body(answer(c.get('requestId')), 200, JWKS_HEADERS)
  }
}

/** The JWKS answer's headers, as the route has always sent them. */
export const JWKS_HEADERS = { 'content-type': 'application/json' }

/**
 * The JWKS answer's bytes for a request id: the same bytes as ok(c, {keys}), from two parts made
 * once per set of keys. Nothing is serialized or encoded per call: the id (ASCII, the mock's own)
 * is written between them.
 */
export function jwksAnswer(keys: KeyManager): (requestId: string) => Uint8Array<ArrayBuffer> {
  let json: string | undefined
  let head = Buffer.alloc(0)
  let tail = Buffer.alloc(0)
  return (requestId) => {
    const now = keys.ring.jwksJson()
    if (now !== json) {
      json = now
      head = Buffer.from('{"status_code":200,"request_id":"')
      tail = Buffer.from(`","keys":${now}}`)
    }
    const out = Buffer.allocUnsafe(head.length + requestId.length + tail.length)
    head.copy(out, 0)
    out.write(requestId, head.length, 'latin1')
    tail.copy(out, head.length + requestId.length)
    return out
  }
}
