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
  // Login flows (server/platform/login/). Magic-link texts are recorded from Stytch's sandbox; the OTP and
  // password ones are the API messages Stytch's mobile SDKs ship, statuses as openapi.yaml notes.
  invalid_email: [400, 'Email format is invalid.'],
  invalid_phone_number: [
    400,
    'Phone number format is invalid. Ensure the phone number is in the E.164 format.',
  ],
  invalid_magic_link_url: [
    400,
    'magic_link_url format is invalid. Common issues include using http instead of https, omitting https://, or having a trailing /.',
  ],
  otp_code_not_found: [
    404,
    'The passcode was incorrect and could not be authenticated, encourage the user to try inputting the passcode again or send another passcode.',
  ],
  unable_to_auth_otp_code: [
    401,
    'The passcode could not be authenticated because it was either already used or expired. Send another passcode to this user.',
  ],
  magic_link_not_found: [
    404,
    'The magic link could not be authenticated, try sending another magic link to the user.',
  ],
  unable_to_auth_magic_link: [
    401,
    'The magic link could not be authenticated because it was either already used or expired. Send another magic link to this user.',
  ],
  pkce_mismatch: [
    400,
    'The submitted code_verifier does not match the code_challenge sent at the start of the flow.',
  ],
  pkce_expected_code_verifier: [
    400,
    'This flow was started using a code_challenge but the authentication call is missing the corresponding code_verifier.',
  ],
  email_not_found: [404, 'Email could not be found.'],
  phone_number_not_found: [404, 'Phone Number could not be found.'],
  duplicate_email: [400, 'A user with the specified email already exists for this project.'],
  duplicate_phone_number: [
    400,
    'A user with the specified phone number already exists for this project.',
  ],
  weak_password: [400, "password doesn't meet our strength requirements."],
  no_user_password: [400, "user doesn't have an associated password."],
  // Passwords (server/products/passwords/, b2b-passwords/): types from Stytch's error list and
  // its migrate docs; statuses and texts the mock's where openapi.yaml marks them Unverified.
  reset_password: [
    400,
    'This password must be reset before it can be used to log in: start a password reset by email.',
  ],
  member_reset_password: [
    400,
    'This password must be reset before it can be used to log in: start a password reset by email.',
  ],
  member_password_not_found: [400, 'Member password not found.'],
  password_already_exists: [400, 'This user already has a password.'],
  session_too_old_to_reset_password: [
    400,
    'The session was not authenticated in the last 5 minutes with a factor that allows a password reset. Authenticate again, then reset the password.',
  ],
  invalid_hash_type: [
    400,
    'hash_type must be one of bcrypt, md_5, argon_2i, argon_2id, sha_1, sha_512, scrypt, phpass or pbkdf_2.',
  ],
  invalid_hash: [400, 'The hash is not in a form this hash_type takes.'],
  invalid_bcrypt_hash: [
    400,
    'The bcrypt hash is invalid: it must be a $2a$, $2b$ or $2y$ modular crypt string.',
  ],
  invalid_bcrypt_cost: [400, 'The bcrypt cost must be between 4 and 16.'],
  invalid_md_5_hash: [400, 'The MD-5 hash must be 32 hexadecimal characters.'],
  invalid_sha_1_hash: [400, 'The SHA-1 hash must be 40 hexadecimal characters.'],
  invalid_sha_512_hash: [400, 'The SHA-512 hash must be 128 hexadecimal characters.'],
  invalid_base64_scrypt_hash: [400, 'The scrypt hash must be base64 encoded, or a PHC string.'],
  invalid_base64_scrypt_salt: [400, 'The scrypt salt must be base64 encoded.'],
  invalid_scrypt_salt_length: [400, 'The scrypt salt must be 8 to 64 bytes long.'],
  invalid_scrypt_n_parameter: [
    400,
    'The scrypt N parameter must be a power of two greater than 1 and less than 262,145.',
  ],
  invalid_scrypt_parameters: [
    400,
    'The scrypt parameters are out of range: r 1 to 64, p 1 to 16, and 128 * N * r at most 256 MiB.',
  ],
  scrypt_key_length_mismatch: [
    400,
    "The key_length value doesn't match the length of the provided hash.",
  ],
  invalid_pbkdf_2_hash: [400, 'The PBKDF2 hash must be base64 encoded.'],
  invalid_pbkdf_2_salt: [400, 'The PBKDF2 salt must be base64 encoded.'],
  invalid_pbkdf_2_iteration_amount: [400, 'The PBKDF2 iteration_amount must be at least 1.'],
  invalid_pbkdf_2_algorithm: [400, 'The PBKDF2 algorithm must be sha256 or sha512.'],
  pbkdf_2_key_length_mismatch: [
    400,
    "The key_length value doesn't match the length of the provided hash.",
  ],
  argon_2_key_length_mismatch: [
    400,
    "The key_length value doesn't match the length of the provided hash.",
  ],
  invalid_argon_2_salt: [400, 'The Argon2 salt must be at least 8 characters.'],
  invalid_phpass_hash_prefix: [400, 'The phpass hash must start with $P$ or $H$.'],
  intermediate_session_not_found: [404, 'Intermediate session could not be found.'],
  email_jit_provisioning_not_allowed: [
    403,
    'This email address is not allowed to join the organization: its domain is not in email_allowed_domains, or email JIT provisioning is off.',
  ],
  // B2B discovery (server/products/discovery/). Types from Stytch's error list; status and text
  // are the mock's (openapi.yaml marks them Unverified).
  organization_slug_already_used: [
    400,
    'The organization_slug is already used by another organization in this project.',
  ],
  invalid_organization_slug: [
    400,
    'organization_slug format is invalid. It must be 2 to 128 characters of letters, numbers, and -._~',
  ],
  // OAuth (server/products/oauth/). oauth_token_not_found's text is the one @stytch/vanilla-js shows for
  // it; its status, and that a used or expired token answers it too, are unverified.
  oauth_token_not_found: [404, 'OAuth Token could not be found.'],
  // The mock's own consent page (no Stytch counterpart): a start answered or gone.
  oauth_consent_not_found: [
    404,
    'This sign-in page has expired or was already answered. Start the OAuth flow again.',
  ],
  session_not_found: [404, 'Session could not be found.'],
  organization_not_found: [404, 'Organization could not be found.'],
  member_not_found: [404, 'Member could not be found.'],
  user_not_found: [404, 'User could not be found.'],
  project_not_found: [404, 'Project could not be found.'],
  route_not_found: [404, 'The route provided is not supported.'],
  // M2M (server/products/m2m/). The not-found text follows its siblings'; the others' types,
  // statuses and texts are the mock's (openapi.yaml marks them Unverified).
  m2m_client_not_found: [404, 'M2M client could not be found.'],
  m2m_client_already_exists: [400, 'An M2M client with this client_id already exists.'],
  m2m_client_secret_rotation_not_started: [
    400,
    'No secret rotation was started for this M2M client: call rotate/start first.',
  ],
  invalid_cursor: [400, 'The cursor is not one a previous search returned.'],
  // Attest and migrate (server/products/external-sessions/): the mock's types and texts
  // (openapi.yaml marks them Unverified).
  trusted_auth_token_profile_not_found: [404, 'Trusted auth token profile could not be found.'],
  invalid_trusted_auth_token: [401, 'The trusted auth token could not be verified.'],
  session_migration_not_configured: [
    400,
    'Session migration is not configured: no userinfo URL is set for this project.',
  ],
  invalid_session_migration: [
    401,
    'The external userinfo endpoint did not confirm this access token with an email address.',
  ],
  // Impersonation (server/products/impersonation/): the mock's type and text (Unverified).
  impersonation_token_not_found: [
    404,
    'The impersonation token could not be found: it is unknown, used, or expired (5 minutes).',
  ],
  // The mock's own (no Stytch counterpart): a route of Stytch's API that the mock does not serve.
  not_emulated: [501, 'stytch-mock does not emulate this endpoint yet; see docs/coverage.md.'],
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
  'intermediate_session_not_found',
  'email_jit_provisioning_not_allowed',
  'organization_slug_already_used',
  'invalid_organization_slug',
  'member_reset_password',
  'member_password_not_found',
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
    // An answer, not a failure: no stack trace to capture (capturing one was about an eighth
    // of a 404's time).
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    super(message ?? text)
    Error.stackTraceLimit = limit
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
