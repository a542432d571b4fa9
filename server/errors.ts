// The one error type and the one catalog of Stytch errors the mock can answer with.
// Statuses and messages follow ../shared/reference/stytch-errors.md; where that file marks
// something inferred, openapi.yaml says so too.

export const ERRORS = {
  bad_request: [400, 'The submitted request is invalid.'],
  invalid_argument: [400, 'The submitted request is invalid.'],
  invalid_authorization_header: [
    400,
    'The authorization header sent is not valid. Please contact support@stytch.com for help.',
  ],
  unauthorized_credentials: [401, 'Unauthorized credentials.'],
  invalid_session_token: [400, 'Session token format is invalid.'],
  invalid_session_id: [400, 'session_id format is invalid.'],
  invalid_user_id: [400, 'user_id format is invalid.'],
  invalid_project_id: [400, 'project_id format is invalid.'],
  invalid_session_duration_minutes: [
    400,
    'session_duration_minutes is invalid, should be between 5 to 527040 minutes.',
  ],
  no_session_arguments: [
    400,
    'Please include one of session_token or session_jwt in an authenticate request.',
  ],
  too_many_session_arguments: [
    400,
    'Please include at most one of session_token, session_jwt, or intermediate_session_token in an authenticate request, not multiple.',
  ],
  no_session_revoke_arguments: [
    400,
    'Please include one of session_id, session_token, or session_jwt in a revoke request.',
  ],
  too_many_session_revoke_arguments: [
    400,
    'Please include at most one of session_id, session_token, or session_jwt in a revoke request, not multiple.',
  ],
  unable_to_parse_session_jwt: [400, 'Unable to parse the session JWT.'],
  jwt_invalid_audience: [400, 'The session JWT has an invalid audience.'],
  jwt_invalid_issuer: [400, 'The session JWT has an invalid issuer.'],
  jwt_invalid_claims: [400, 'The session JWT is missing required claims.'],
  reserved_claims_in_custom_claims: [
    400,
    'Custom claims cannot contain reserved claims: iss, sub, aud, exp, nbf, iat, jti.',
  ],
  stytch_claims_in_custom_claims: [
    400,
    'Custom claims cannot contain claims under the https://stytch.com/ namespace.',
  ],
  custom_claims_too_large: [400, 'Custom claims cannot exceed 4 kilobytes in size.'],
  invalid_organization_id: [400, 'organization_id format is invalid.'],
  consumer_session_authorization_error: [
    403,
    'The User is not authorized to perform the requested action on that resource.',
  ],
  session_authorization_error: [
    403,
    'The Member is not authorized to perform the requested action on that resource.',
  ],
  session_authorization_tenancy_error: [
    403,
    "OrganizationID in AuthorizationCheck request does not match session's Organization ID",
  ],
  bad_domain_for_stytch_sdk: [
    403,
    'This domain is not authorized to use the Stytch SDK. Add it to STYTCH_MOCK_ALLOWED_ORIGINS (Authorized Domains on Stytch).',
  ],
  invalid_b2b_endpoint: [
    400,
    'This endpoint is only available for B2B projects; use the B2B public token.',
  ],
  invalid_consumer_endpoint: [
    400,
    'This endpoint is only available for Consumer projects; use the Consumer public token.',
  ],
  session_not_found: [404, 'Session could not be found.'],
  organization_not_found: [404, 'Organization could not be found.'],
  member_not_found: [404, 'Member could not be found.'],
  user_not_found: [404, 'User could not be found.'],
  project_not_found: [404, 'Project could not be found.'],
  route_not_found: [404, 'The route provided is not supported.'],
  request_too_large: [413, 'The request body is too large.'],
  too_many_requests: [429, 'Too many requests have been made.'],
  service_unavailable: [503, 'The service is temporarily unavailable. Please try again later.'],
  snapshot_not_found: [404, 'Snapshot could not be found.'],
  internal_server_error: [
    500,
    'Oops, something seems to have gone wrong. If this issue persists, please reach out to support.',
  ],
} as const satisfies Record<string, readonly [number, string]>

export type ErrorType = keyof typeof ERRORS

/** Types that only exist in Stytch's B2B product; their error_url lives under /docs/b2b/api. */
const B2B_ONLY = new Set<string>([
  'session_authorization_error',
  'session_authorization_tenancy_error',
  'member_not_found',
])

export class StytchError extends Error {
  readonly status: number
  constructor(
    readonly errorType: ErrorType,
    message?: string,
    /** Only injected faults answer with a status other than the catalog's. */
    status?: number,
  ) {
    const [catalogStatus, text] = ERRORS[errorType]
    super(message ?? text)
    this.status = status ?? catalogStatus
  }
}

export function errorBody(err: StytchError, requestId: string) {
  const vertical = B2B_ONLY.has(err.errorType) ? 'b2b/api' : 'api'
  return {
    status_code: err.status,
    request_id: requestId,
    error_type: err.errorType,
    error_message: err.message,
    error_url: `https://stytch.com/docs/${vertical}/errors/${err.status}#${err.errorType}`,
  }
}
