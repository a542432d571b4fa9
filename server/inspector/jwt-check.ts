// "Would this mock accept this JWT, and if not, why?" The verdict is the mock's own: the same
// lookup authenticate makes (SessionCore.find: signature, kid, audience, issuer, then a live
// session), without recording an access. The checks around it explain that verdict one by one.
import { createPublicKey } from 'node:crypto'
import { StytchError } from '../errors.js'
import { ORGANIZATION_CLAIM } from '../platform/sessions/b2b.js'
import { SESSION_CLAIM } from '../platform/sessions/core.js'
import { isObject } from '../platform/sessions/claims.js'
import { isoSeconds, offsetText, relative } from './format.js'
import type { Inspector, KeyItem, SessionItem } from './model.js'

export type CheckResult = 'ok' | 'fail' | 'warn' | 'info'

export interface Check {
  label: string
  result: CheckResult
  detail: string
}

export interface JwtVerdict {
  /** Which authenticate the verdict is for: the JWT's organization claim picks B2B. */
  endpoint: string
  accepted: boolean
  status: number
  error_type: string | null
  message: string
}

export interface JwtCheck {
  header: Record<string, unknown> | null
  payload: Record<string, unknown> | null
  checks: Check[]
  verdict: JwtVerdict | null
  session: SessionItem | undefined
}

let josePromise: Promise<typeof import('jose')> | undefined
const jose = () => (josePromise ??= import('jose'))

export async function checkJwt(inspector: Inspector, jwt: string): Promise<JwtCheck> {
  const { world } = inspector
  const checks: Check[] = []
  const add = (label: string, result: CheckResult, detail: string) =>
    checks.push({ label, result, detail })
  const result: JwtCheck = {
    header: null,
    payload: null,
    checks,
    verdict: null,
    session: undefined,
  }

  const parts = jwt.split('.')
  const decode = (part: string | undefined): Record<string, unknown> | null => {
    try {
      const value: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'))
      return isObject(value) ? value : null
    } catch {
      return null
    }
  }
  result.header = parts.length === 3 ? decode(parts[0]) : null
  result.payload = parts.length === 3 ? decode(parts[1]) : null
  const { header, payload } = result
  if (!header || !payload) {
    add(
      'Structure',
      'fail',
      'Not a JWT: expected three base64url parts (header.payload.signature), the first two JSON objects.',
    )
  } else {
    add('Structure', 'ok', 'Three parts; the header and the payload are JSON objects.')
    add(
      'Algorithm',
      header.alg === 'RS256' ? 'ok' : 'fail',
      header.alg === 'RS256'
        ? 'RS256, as the mock signs.'
        : `${JSON.stringify(header.alg)}: the mock accepts RS256 only.`,
    )
    await keyAndSignature(inspector, jwt, header, add)
    const projectId = world.config.projectId
    const aud = payload.aud
    const audOk = aud === projectId || (Array.isArray(aud) && aud.includes(projectId))
    add(
      'Audience (aud)',
      audOk ? 'ok' : 'fail',
      audOk
        ? `Names this project (${projectId}).`
        : `${JSON.stringify(aud)} does not name this project (${projectId}): another project's JWT.`,
    )
    const issuer = `stytch.com/${projectId}`
    add(
      'Issuer (iss)',
      payload.iss === issuer ? 'ok' : 'fail',
      payload.iss === issuer ? issuer : `${JSON.stringify(payload.iss)}, expected ${issuer}.`,
    )
    expiry(inspector, payload, add)
    result.session = session(inspector, payload, add)
  }

  // The verdict: what authenticate's lookup answers for this JWT, right now.
  const b2b = payload !== null && isObject(payload[ORGANIZATION_CLAIM])
  const endpoint = b2b ? 'POST /v1/b2b/sessions/authenticate' : 'POST /v1/sessions/authenticate'
  try {
    await world.core.find(b2b ? 'member' : 'consumer', { session_jwt: jwt })
    result.verdict = {
      endpoint,
      accepted: true,
      status: 200,
      error_type: null,
      message: 'Accepted: the session is live; authenticate would answer 200 with a fresh JWT.',
    }
  } catch (err) {
    if (!(err instanceof StytchError)) throw err
    result.verdict = {
      endpoint,
      accepted: false,
      status: err.status,
      error_type: err.errorType,
      message: err.message,
    }
  }
  return result
}

async function keyAndSignature(
  inspector: Inspector,
  jwt: string,
  header: Record<string, unknown>,
  add: (label: string, result: CheckResult, detail: string) => void,
) {
  const kid = typeof header.kid === 'string' ? header.kid : undefined
  const keys: KeyItem[] = inspector.keyWindows()
  const key = kid === undefined ? undefined : keys.find((k) => k.kid === kid)
  if (!key) {
    add(
      'Key (kid)',
      'fail',
      kid === undefined
        ? 'No kid in the header: the mock picks a key by kid only.'
        : `${kid} is not a key of this mock: another project or environment signed it, or a reset forgot a rotated key.`,
    )
    add('Signature', 'info', 'Not checked: no key of this mock has that kid.')
    return
  }
  add(
    'Key (kid)',
    key.state === 'retired' ? 'fail' : 'ok',
    key.state === 'active'
      ? `${kid}: the active signing key.`
      : key.state === 'previous'
        ? `${kid}: a previous key, still in the JWKS until retired.`
        : `${kid}: retired at ${isoSeconds(key.retired_ms ?? 0)} (POST /_mock/keys/retire); it is no longer in the JWKS, so nothing accepts its JWTs.`,
  )
  const certificate = inspector.store.keyHistory().find((k) => k.kid === kid)?.certificate_pem
  try {
    const { compactVerify } = await jose()
    await compactVerify(jwt, createPublicKey(certificate ?? ''), { algorithms: ['RS256'] })
    add('Signature', 'ok', `Valid for key ${kid}.`)
  } catch {
    add(
      'Signature',
      'fail',
      `Does not verify with key ${kid}: the JWT was altered, or another key signed it.`,
    )
  }
}

function expiry(
  inspector: Inspector,
  payload: Record<string, unknown>,
  add: (label: string, result: CheckResult, detail: string) => void,
) {
  const { clock } = inspector.world
  const exp = payload.exp
  if (typeof exp !== 'number') {
    add('Expiry (exp)', 'fail', 'No numeric exp claim.')
    return
  }
  const now = clock.nowMs() / 1000
  add(
    'Expiry on the mock’s clock',
    exp > now ? 'ok' : 'warn',
    exp > now
      ? `Valid until ${isoSeconds(exp * 1000)} (${relative(exp - now)}).`
      : `Expired ${relative(exp - now)} (${isoSeconds(exp * 1000)}). The mock’s authenticate still accepts an expired JWT while its session lives (and returns a fresh one); local verification (authenticateJwt) refuses it.`,
  )
  const wall = clock.wallMs() / 1000
  if (clock.offsetSeconds !== 0) {
    add(
      'Expiry in real time',
      exp > wall ? 'info' : 'warn',
      `SDKs verifying locally use the real clock, not the mock’s (it runs ${offsetText(clock.offsetSeconds)}): there the JWT ${exp > wall ? `is valid until ${isoSeconds(exp * 1000)}` : `expired ${relative(exp - wall)}`}. The Node SDK takes current_date for that.`,
    )
  }
  const iat = payload.iat
  if (typeof iat === 'number' && iat > now + 1)
    add(
      'Issued at (iat)',
      'warn',
      `Issued ${relative(iat - now)} on the mock’s clock: the clock was moved back since.`,
    )
}

function session(
  inspector: Inspector,
  payload: Record<string, unknown>,
  add: (label: string, result: CheckResult, detail: string) => void,
): SessionItem | undefined {
  const claim = payload[SESSION_CLAIM]
  const id = isObject(claim) && typeof claim.id === 'string' ? claim.id : undefined
  if (!id) {
    add('Session', 'fail', `No ${SESSION_CLAIM} claim with an id: not a Stytch session JWT.`)
    return undefined
  }
  const item = inspector.session(id)
  if (!item) {
    add(
      'Session',
      'fail',
      `${id} is not stored here and was not revoked here: it never existed in this mock, or a reset or snapshot restore removed it.`,
    )
    return undefined
  }
  if (payload.sub !== item.row.subject_id) {
    add(
      'Subject (sub)',
      'fail',
      `${JSON.stringify(payload.sub)} is not the session's ${item.row.kind === 'member' ? 'member' : 'user'} (${item.row.subject_id}).`,
    )
  }
  add('Session', item.state === 'active' ? 'ok' : 'fail', `${id} is ${item.state}. ${item.why}`)
  return item
}
