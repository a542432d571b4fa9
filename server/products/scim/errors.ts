// The SCIM 2.0 endpoint's errors: RFC 7644 §3.12 bodies (application/scim+json), not Stytch's
// envelope. A Stytch error a route meets on the way (the spec's validation of the request, a JSON
// body that does not parse) becomes the SCIM error for it.
import type { Context } from 'hono'
import { StytchError } from '../../errors.js'
import type { AppEnv } from '../../platform/http/env.js'

export class ScimError extends Error {
  constructor(
    readonly status: number,
    /** RFC 7644's scimType (invalidFilter, uniqueness, ...), for 400 and 409. */
    readonly scimType: string | undefined,
    detail: string,
  ) {
    super(detail)
  }
}

export const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8'

/** A SCIM JSON answer. */
export const scimJson = (c: Context<AppEnv>, body: object, status = 200) =>
  c.body(JSON.stringify(body), status as 200, { 'content-type': SCIM_CONTENT_TYPE })

/** The SCIM error for what a route threw; anything else is rethrown (the app's 500). */
export function scimErrorResponse(c: Context<AppEnv>, err: unknown) {
  let scim: ScimError
  if (err instanceof ScimError) scim = err
  else if (err instanceof StytchError && err.status === 400)
    scim = new ScimError(
      400,
      err.errorType === 'bad_request' ? 'invalidSyntax' : 'invalidValue',
      err.message,
    )
  else if (err instanceof StytchError && err.status < 500)
    scim = new ScimError(err.status, undefined, err.message)
  else throw err
  c.set('errorType', scim.scimType ?? `scim_${scim.status}`)
  if (scim.status === 401) c.header('www-authenticate', 'Bearer realm="SCIM"')
  return scimJson(
    c,
    {
      schemas: [SCIM_ERROR],
      status: String(scim.status),
      ...(scim.scimType ? { scimType: scim.scimType } : {}),
      detail: scim.message,
    },
    scim.status,
  )
}
