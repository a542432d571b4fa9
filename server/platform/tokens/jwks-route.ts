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
  return (c: Context<AppEnv>) => {
    const auth = header(c, 'authorization')
    if (auth !== undefined) check(auth)
    if (c.req.param('project_id') !== projectId) throw new StytchError('project_not_found')
    // The same bytes as ok(c, {keys}), without serializing an unchanging document per call.
    const body = `{"status_code":200,"request_id":"${c.get('requestId')}","keys":${keys.ring.jwksJson()}}`
    return c.body(body, 200, { 'content-type': 'application/json' })
  }
}
