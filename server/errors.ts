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
  // The mock's own (test control): a seeded session's token must be new.
  duplicate_session_token: [
    400,
    'session_token is already in use: give a new one, or none for a random one.',
  ],
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
  // sessions.exchangeAccessToken (server/products/idp-tokens/): the types are Stytch's
  // (stytch-android's list); statuses and texts unverified.
  oauth_access_token_exchange_missing_full_access: [
    400,
    'The access token must be granted the full_access scope to be exchanged for a session.',
  ],
  oauth_access_token_exchange_token_invalid_grant: [
    400,
    'The access token is invalid, expired, revoked or was already exchanged.',
  ],
  oauth_access_token_exchange_token_too_old: [
    400,
    'The access token must be exchanged within 5 minutes of its issue.',
  ],
  session_not_found: [404, 'Session could not be found.'],
  organization_not_found: [404, 'Organization could not be found.'],
  member_not_found: [404, 'Member could not be found.'],
  user_not_found: [404, 'User could not be found.'],
  // Users (server/products/users/): types from Stytch's error list (its SDKs' error enums);
  // biometric_registration_not_found's text is Stytch's, the others follow it, and the statuses
  // and texts of the rest are the mock's (openapi.yaml marks them Unverified).
  password_not_found: [404, 'Password could not be found.'],
  totp_not_found: [404, 'TOTP could not be found.'],
  webauthn_registration_not_found: [404, 'WebAuthn registration could not be found.'],
  biometric_registration_not_found: [404, 'Biometric registration could not be found.'],
  crypto_wallet_not_found: [404, 'Crypto wallet could not be found.'],
  oauth_user_registration_not_found: [404, 'OAuth user registration could not be found.'],
  duplicate_user_external_id: [400, 'A user with the specified external_id already exists.'],
  // Authenticator apps (platform/login/totp.ts): types from Stytch's SDKs' error enums; the
  // already-authenticated text is Stytch's (its iOS SDK), the others follow it.
  active_totp_exists: [
    400,
    'An active TOTP registration already exists: delete it before creating another.',
  ],
  totp_code_already_authenticated: [
    400,
    'This TOTP code has already been authenticated. Please attempt with the next generated code.',
  ],
  invalid_recovery_code: [400, 'The recovery code is invalid or has already been used.'],
  // Consumer authenticator apps (server/products/totps/): types from Stytch's SDKs' error enums;
  // insufficient_factors' text begins as Stytch's 401 page shows it, the rest are the mock's.
  totps_not_found_for_user: [404, 'No TOTP registrations could be found for this user.'],
  invalid_totp_code: [400, 'The TOTP code is invalid: it must be 6 digits.'],
  recovery_code_used_as_totp_code: [
    400,
    'A recovery code was sent as a TOTP code: use totps/recover for recovery codes.',
  ],
  totp_code_used_as_recovery_code: [
    400,
    'A TOTP code was sent as a recovery code: use totps/authenticate for TOTP codes.',
  ],
  insufficient_factors: [
    401,
    'User must be logged in with multiple categories of factors to call this endpoint.',
  ],
  // WebAuthn (server/products/webauthn/): types from Stytch's error list (its SDKs' error enums);
  // the first two are Stytch's documented answers, the statuses and texts of the rest the mock's
  // (openapi.yaml marks them Unverified).
  invalid_public_key_credential: [
    400,
    "Invalid public key credential. Please confirm you're passing a correctly formatted public key credential.",
  ],
  unable_to_auth_webauthn_registration: [401, 'WebAuthn registration could not be authenticated.'],
  unable_to_register_webauthn_registration: [
    400,
    'The WebAuthn registration could not be verified: its attestation, origin, RP ID or user presence was refused.',
  ],
  no_pending_webauthn_registration: [
    400,
    'No pending WebAuthn registration for this user: call register/start first (its challenge is good once, for five minutes).',
  ],
  duplicate_webauthn_registration: [400, 'This WebAuthn credential is already registered.'],
  no_active_webauthn_registrations: [404, 'The user has no WebAuthn registrations on this domain.'],
  empty_webauthn_registration_name: [400, 'The WebAuthn registration name cannot be empty.'],
  invalid_webauthn_registration_domain: [
    400,
    'domain must be a host name (the RP ID), without a scheme, port or path.',
  ],
  invalid_authenticator_type: [400, 'authenticator_type must be platform or cross-platform.'],
  // Crypto wallets (server/products/crypto-wallets/): types from Stytch's error list (its SDKs'
  // error enums); the statuses and texts are the mock's (openapi.yaml marks them Unverified).
  invalid_wallet_type: [400, 'crypto_wallet_type must be ethereum or solana.'],
  invalid_crypto_wallet_address: [400, 'crypto_wallet_address is required.'],
  invalid_ethereum_address: [
    400,
    'crypto_wallet_address is not an Ethereum address: 0x and 40 hexadecimal digits.',
  ],
  invalid_solana_address: [
    400,
    'crypto_wallet_address is not a Solana address: a base58 Ed25519 public key (32 bytes).',
  ],
  duplicate_wallet_address: [
    400,
    'A user with the specified crypto wallet address already exists for this project.',
  ],
  user_id_mismatch: [400, 'The user_id and the session belong to different users.'],
  crypto_wallet_type_incompatible_with_siwe: [
    400,
    'siwe_params (Sign-In with Ethereum) may only be passed for an ethereum wallet.',
  ],
  invalid_siwe_domain: [400, 'siwe_params.domain must be an RFC 3986 authority.'],
  invalid_siwe_uri: [400, 'siwe_params.uri must be an RFC 3986 URI.'],
  invalid_siwe_chain_id: [
    400,
    'siwe_params.chain_id must be an integer from 1 to 9223372036854775771, as a string.',
  ],
  invalid_siwe_statement: [
    400,
    'siwe_params.statement may hold only RFC 3986 reserved and unreserved characters and spaces.',
  ],
  invalid_siwe_resource: [400, 'Every siwe_params.resources entry must be an RFC 3986 URI.'],
  invalid_siwe_message_request_id: [400, 'siwe_params.message_request_id must be RFC 3986 pchars.'],
  signature_missing: [400, 'signature is required.'],
  invalid_signature: [
    400,
    'The signature is not encoded as the wallet signs: hex (r, s, v) for Ethereum, base58 for Solana.',
  ],
  signature_is_incorrect_size: [
    400,
    'The signature has the wrong size: 65 bytes for Ethereum, 64 bytes for Solana.',
  ],
  unable_to_authenticate_crypto_wallet: [
    401,
    "The crypto wallet could not be authenticated: the signature is not the wallet's signature of its current challenge, or that challenge was already used or has expired.",
  ],
  siwe_message_expired: [400, 'The Sign-In with Ethereum message has expired: start again.'],
  siwe_message_not_valid_yet: [
    400,
    'The Sign-In with Ethereum message is not valid yet: its Not Before time has not come.',
  ],
  invalid_create_user_request: [400, 'An email or a phone_number is required to create a user.'],
  invalid_exchange_primary_factor_fields: [
    400,
    'Exactly one of email_address and phone_number is required.',
  ],
  invalid_exchange_primary_factor_user: [
    400,
    'Only a user whose one factor is an email address or a phone number can exchange it.',
  ],
  cannot_update_trusted_metadata: [
    400,
    'trusted_metadata cannot be updated from the frontend SDK; update it with the backend API.',
  ],
  user_search_invalid_operator: [400, 'The query operator must be AND or OR.'],
  user_search_invalid_limit: [400, 'limit must be an integer from 0 to 1000.'],
  user_search_invalid_cursor: [400, 'The cursor is not one a previous search returned.'],
  user_search_missing_filter_name: [400, 'Every query operand needs a filter_name.'],
  user_search_filter_name_must_be_string: [400, 'filter_name must be a string.'],
  user_search_filter_name_not_recognized: [400, 'The filter_name is not a user search filter.'],
  user_search_missing_filter_value: [400, 'Every query operand needs a filter_value.'],
  user_search_expected_array_of_string: [400, 'This filter takes an array of strings.'],
  user_search_expected_bool: [400, 'This filter takes a boolean.'],
  user_search_expected_string: [400, 'This filter takes a string.'],
  user_search_expected_object: [400, 'This filter takes an object.'],
  user_search_expected_timestamp: [400, 'This filter takes an RFC 3339 timestamp.'],
  user_search_invalid_status_filter: [400, 'The status filter must be active or pending.'],
  user_search_invalid_oauth_provider_filter: [400, 'The oauth_provider filter names no provider.'],
  user_search_cannot_mix_internal_and_external_user_ids: [
    400,
    'The user_id filter takes user_ids or external_ids, not both.',
  ],
  user_search_email_address_fuzzy_too_short: [
    400,
    'email_address_fuzzy must be at least 3 characters.',
  ],
  user_search_full_name_fuzzy_too_short: [400, 'full_name_fuzzy must be at least 3 characters.'],
  user_search_phone_number_fuzzy_too_short: [
    400,
    'phone_number_fuzzy must be at least 3 characters.',
  ],
  user_search_missing_user_ids: [400, 'The user_id filter needs at least one user_id.'],
  user_search_missing_email_addresses: [400, 'The email_address filter needs an address.'],
  user_search_missing_email_ids: [400, 'The email_id filter needs at least one email_id.'],
  user_search_missing_email_domain: [400, 'The email_domain filter needs a domain.'],
  user_search_missing_phone_numbers: [400, 'The phone_number filter needs a phone number.'],
  user_search_missing_phone_ids: [400, 'The phone_id filter needs at least one phone_id.'],
  user_search_missing_oauth_providers: [400, 'The oauth_provider filter needs a provider.'],
  user_search_missing_webauthn_registration_ids: [
    400,
    'The webauthn_registration_id filter needs at least one id.',
  ],
  user_search_missing_biometric_registration_ids: [
    400,
    'The biometric_registration_id filter needs at least one id.',
  ],
  user_search_missing_crypto_wallet_id: [400, 'The crypto_wallet_id filter needs an id.'],
  user_search_missing_crypto_wallet_address: [
    400,
    'The crypto_wallet_address filter needs an address.',
  ],
  user_search_missing_totp_ids: [400, 'The totp_id filter needs at least one totp_id.'],
  user_search_missing_status: [400, 'The status filter needs a status.'],
  user_search_missing_full_name_fuzzy: [400, 'The full_name_fuzzy filter needs a name.'],
  user_search_missing_email_address_fuzzy: [400, 'The email_address_fuzzy filter needs text.'],
  user_search_missing_phone_number_fuzzy: [400, 'The phone_number_fuzzy filter needs digits.'],
  user_search_missing_created_at_greater_than: [
    400,
    'The created_at_greater_than filter needs a timestamp.',
  ],
  user_search_missing_created_at_less_than: [
    400,
    'The created_at_less_than filter needs a timestamp.',
  ],
  user_search_missing_greater_than: [400, 'created_at_between needs greater_than.'],
  user_search_missing_less_than: [400, 'created_at_between needs less_than.'],
  project_not_found: [404, 'Project could not be found.'],
  route_not_found: [404, 'The route provided is not supported.'],
  // Invites, embeddable links and OAuth attach (server/products/magic-links/, b2b-magic-links/,
  // oauth/). Types from Stytch's error list; statuses and texts the mock's (openapi.yaml marks
  // them Unverified).
  duplicate_member_email: [
    400,
    'A member with the specified email already exists for this organization.',
  ],
  invalid_email_for_invites: [
    400,
    "This email address may not be invited: its domain is not in the organization's email_allowed_domains (email_invites is RESTRICTED).",
  ],
  invalid_rbac_role_id: [400, 'The role is not defined in the RBAC policy.'],
  invalid_oauth_attach_token: [
    400,
    'The oauth_attach_token is invalid: unknown, already used, expired, or for another provider.',
  ],
  invalid_oauth_provider: [400, 'The OAuth provider is not one Stytch offers.'],
  no_user_selection_arguments: [
    400,
    'Please include one of user_id, session_token or session_jwt.',
  ],
  too_many_user_selection_arguments: [
    400,
    'Please include only one of user_id, session_token or session_jwt, not several.',
  ],
  // Organizations and members (server/products/organizations/): types from Stytch's error list
  // (its SDKs' error enums); the texts of action_available_only_for_active_members and
  // allowed_auth_methods_required_for_restricted are Stytch's, the statuses and texts of the rest
  // the mock's (openapi.yaml marks them Unverified).
  organization_name_missing: [400, 'organization_name is required.'],
  invalid_organization_external_id: [
    400,
    'organization_external_id format is invalid: up to 128 letters, digits and . _ - |.',
  ],
  organization_external_id_already_used: [
    400,
    'The organization_external_id is already used by another organization in this project.',
  ],
  organization_settings_domain_too_common: [
    400,
    'This domain is too common to allow in email_allowed_domains.',
  ],
  allowed_auth_methods_required_for_restricted: [
    400,
    "Allowed auth methods must be set for 'RESTRICTED' auth methods",
  ],
  allowed_mfa_methods_required_for_restricted: [
    400,
    "Allowed MFA methods must be set for 'RESTRICTED' MFA methods",
  ],
  metadata_too_many_keys: [400, 'Metadata objects may contain at most 20 top-level keys.'],
  metadata_too_large: [400, 'Metadata objects cannot exceed 4KB in size.'],
  duplicate_member_external_id: [
    400,
    'A member with the specified external_id already exists for this organization.',
  ],
  duplicate_member_phone_number: [
    400,
    'A member with the specified phone number already exists for this organization.',
  ],
  duplicate_member_phone_number_for_member: [
    400,
    'The member already has an MFA phone number: delete it before setting another.',
  ],
  retired_member_email: [
    400,
    'This email address is a retired email of another member of the organization: unlink it first.',
  ],
  action_available_only_for_active_members: [
    400,
    'You may not attach an MFA factor to a member that is not active.',
  ],
  // B2B second factors (platform/sessions/second-factor.ts): the first is Stytch's documented text;
  // the others' statuses and texts are the mock's (openapi.yaml marks them Unverified).
  action_available_only_once_primary_authentication_is_met: [
    400,
    'You must complete the primary authentication requirements for an organization before completing an MFA flow.',
  ],
  operation_restricted_by_organization_mfa_methods: [
    400,
    "This MFA method is not allowed by the organization's allowed_mfa_methods.",
  ],
  invalid_intermediate_session_token_for_organization: [
    400,
    'The intermediate session token is not valid for this organization.',
  ],
  no_associated_session_passed_in: [
    400,
    'Please include an intermediate_session_token, session_token or session_jwt of this member: a second factor completes MFA or steps up a session, it never logs in alone.',
  ],
  default_mfa_member_missing_factor: [
    400,
    'The member has no such MFA factor to make its default_mfa_method.',
  ],
  member_cannot_update_their_email_address: [
    400,
    'A member cannot update its own email address: use the self-serve email update.',
  ],
  member_phone_number_not_found: [404, 'Member phone number could not be found.'],
  retired_email_missing_email_identifiers: [
    400,
    'Please include email_id or email_address (or both) to name the retired email.',
  ],
  member_oauth_token_not_found: [404, 'Member OAuth Token not found'],
  no_deleted_member_found_for_reactivation: [
    404,
    'No deleted member with this member_id was found to reactivate.',
  ],
  email_unverified_for_reactivation: [
    400,
    "The member's email address was never verified: it cannot be reactivated.",
  ],
  reactivation_email_belongs_to_another_member: [
    400,
    "The member's email address now belongs to another member of the organization.",
  ],
  email_updates_available_only_for_active_members: [
    400,
    'Only an active member can update its email address.',
  ],
  member_has_no_active_verified_email: [400, 'The member has no verified email address.'],
  desired_email_deactivated_by_different_member: [
    400,
    'The email address is a retired email of another member of the organization.',
  ],
  desired_email_updating_for_different_member: [
    400,
    'Another member of the organization is updating to this email address.',
  ],
  unable_to_verify_member_email_update: [
    400,
    'The email update could not be verified: another member of the organization has the address now.',
  ],
  search_invalid_status_filter: [400, 'statuses takes active, pending, invited and deleted only.'],
  member_search_organization_ids_empty: [400, 'organization_ids needs at least one organization.'],
  member_search_missing_filter_name: [400, 'Every query operand needs a filter_name.'],
  member_search_filter_name_must_be_string: [400, 'filter_name must be a string.'],
  member_search_filter_name_not_recognized: [400, 'The filter_name is not a member search filter.'],
  member_search_missing_filter_value: [400, 'Every query operand needs a filter_value.'],
  member_search_expected_array_of_strings: [400, 'This filter takes an array of strings.'],
  member_search_expected_string: [400, 'This filter takes a string.'],
  member_search_expected_boolean: [400, 'This filter takes a boolean.'],
  member_search_member_email_fuzzy_too_short: [
    400,
    'member_email_fuzzy must be at least 3 characters.',
  ],
  member_search_member_mfa_phone_number_fuzzy_too_short: [
    400,
    'The phone number fuzzy filter must be at least 3 characters.',
  ],
  organization_search_missing_filter_name: [400, 'Every query operand needs a filter_name.'],
  organization_search_filter_name_must_be_string: [400, 'filter_name must be a string.'],
  organization_search_filter_name_not_recognized: [
    400,
    'The filter_name is not an organization search filter.',
  ],
  organization_search_missing_filter_value: [400, 'Every query operand needs a filter_value.'],
  organization_search_expected_array_of_strings: [400, 'This filter takes an array of strings.'],
  organization_search_expected_string: [400, 'This filter takes a string.'],
  organization_search_expected_boolean: [400, 'This filter takes a boolean.'],
  organization_search_organization_name_fuzzy_too_short: [
    400,
    'organization_name_fuzzy must be at least 3 characters.',
  ],
  organization_search_organization_slug_fuzzy_too_short: [
    400,
    'organization_slug_fuzzy must be at least 3 characters.',
  ],
  organization_search_member_email_fuzzy_too_short: [
    400,
    'member_email_fuzzy must be at least 3 characters.',
  ],
  organization_search_allowed_domain_fuzzy_too_short: [
    400,
    'allowed_domain_fuzzy must be at least 3 characters.',
  ],
  // SSO connections (server/products/sso/connections.ts): the types are Stytch's; statuses and
  // texts are the mock's (openapi.yaml marks them Unverified).
  sso_connection_not_found: [404, 'SSO connection could not be found.'],
  saml_connection_not_found: [404, 'SAML connection could not be found.'],
  oidc_connection_not_found: [404, 'OIDC connection could not be found.'],
  sso_connection_organization_mismatch: [
    400,
    'The SSO connection does not belong to this organization.',
  ],
  cannot_delete_default_sso_connection: [
    400,
    "The organization's default SSO connection cannot be deleted while it has other active connections: make another one the default first.",
  ],
  cannot_delete_last_sso_verification_key: [
    400,
    'An active SAML connection must keep at least one verification certificate.',
  ],
  sso_verification_key_not_found: [404, 'SAML verification certificate could not be found.'],
  sso_encryption_private_key_not_found: [404, 'SAML encryption private key could not be found.'],
  too_many_sso_verification_certificates: [
    400,
    'A SAML connection can have at most 5 verification certificates: delete one first.',
  ],
  too_many_encryption_certificates: [
    400,
    'A SAML connection can have at most 5 encryption private keys: delete one first.',
  ],
  invalid_x509_certificate: [400, 'x509_certificate is not a valid PEM-encoded X.509 certificate.'],
  saml_signing_private_key_format_not_supported: [
    400,
    'The private key must be a PEM-encoded PKCS#1 RSA private key (-----BEGIN RSA PRIVATE KEY-----).',
  ],
  saml_signing_private_key_invalid: [
    400,
    'The private key could not be read as an RSA private key.',
  ],
  saml_connection_attribute_mapping_missing_groups_key: [
    400,
    'Group role assignments need a groups key in the attribute_mapping.',
  ],
  saml_connection_email_mapping_required: [400, 'attribute_mapping must map email.'],
  saml_connection_name_mapping_required: [
    400,
    'attribute_mapping must map full_name, or first_name and last_name.',
  ],
  saml_connection_no_nested_keys_in_attribute_mapping: [
    400,
    "attribute_mapping's values must be attribute names (strings), not nested objects.",
  ],
  saml_connection_idp_sso_url_invalid_format: [400, 'idp_sso_url must be an http(s) URL.'],
  invalid_sso_idp: [400, 'identity_provider is not one of the supported identity providers.'],
  invalid_saml_metadata_url: [
    400,
    'The metadata URL could not be fetched: it must be an http(s) URL answering 200.',
  ],
  invalid_xml_from_saml_metadata_url: [400, 'The metadata URL did not answer with XML.'],
  saml_connection_metadata_invalid_format: [
    400,
    'The metadata is not SAML IdP metadata: it needs an EntityDescriptor with an entityID, an IDPSSODescriptor with a SingleSignOnService and a signing certificate.',
  ],
  oidc_connection_issuer_url_invalid_format: [400, 'issuer must be an http(s) URL.'],
  oidc_connection_authorization_url_invalid_format: [
    400,
    'authorization_url must be an http(s) URL.',
  ],
  oidc_connection_token_url_invalid_format: [400, 'token_url must be an http(s) URL.'],
  oidc_connection_userinfo_url_invalid_format: [400, 'userinfo_url must be an http(s) URL.'],
  oidc_connection_jwks_url_invalid_format: [400, 'jwks_url must be an http(s) URL.'],
  external_connection_id_not_found: [
    404,
    'The external connection could not be found in the external organization.',
  ],
  external_connection_not_active: [400, 'The external connection is not active.'],
  external_organization_id_same_as_organization_id: [
    400,
    'An external connection must come from another organization.',
  ],
  duplicate_external_sso_connection: [
    400,
    'The organization already has an external connection to this connection.',
  ],
  invalid_sso_default_connection_id: [
    400,
    "sso_default_connection_id must be one of the organization's active SSO connections.",
  ],
  invalid_connection_for_jit_provisioning: [
    400,
    "sso_jit_provisioning_allowed_connections may name only the organization's active SSO connections.",
  ],
  invalid_restricted_sso_setting: [
    400,
    'sso_jit_provisioning RESTRICTED needs at least one connection in sso_jit_provisioning_allowed_connections.',
  ],
  // SSO logins (server/products/sso/: the start, the ACS / callback, sso.authenticate): the
  // types are Stytch's; statuses and texts are the mock's (openapi.yaml marks them Unverified).
  sso_token_not_found: [
    404,
    'The SSO token could not be found: it is unknown, used, or expired (10 minutes).',
  ],
  missing_sso_connection_locator: [400, 'One of connection_id or organization_id is required.'],
  too_many_sso_connection_locators: [
    400,
    'Only one of connection_id or organization_id may be passed.',
  ],
  no_sso_connection_exists_for_organization: [
    400,
    'The organization has no active SSO connection.',
  ],
  indeterminate_sso_connection_for_organization: [
    400,
    'The organization has several active SSO connections and no default one: pass connection_id.',
  ],
  requires_active_sso_connection: [
    400,
    'The SSO connection is not active: finish its configuration first.',
  ],
  invalid_login_sso_url: [400, 'login_redirect_url is not an allowed redirect URL.'],
  invalid_signup_sso_url: [400, 'signup_redirect_url is not an allowed redirect URL.'],
  missing_saml_response: [400, 'The request carries no SAMLResponse.'],
  invalid_saml_response: [400, 'The SAMLResponse is not a valid SAML response.'],
  invalid_xml_saml_response: [400, 'The SAMLResponse is not well-formed XML.'],
  missing_signature_saml_response: [400, 'The SAMLResponse carries no signature.'],
  invalid_signature_saml_response: [
    400,
    "The SAMLResponse's signature does not verify with the connection's verification certificates.",
  ],
  saml_certificate_mismatch: [
    400,
    "The SAMLResponse was signed with a certificate that is not one of the connection's verification certificates.",
  ],
  expired_saml_response: [400, 'The SAML assertion has expired.'],
  not_yet_valid_saml_response: [400, 'The SAML assertion is not valid yet.'],
  invalid_audience_saml_response: [
    400,
    "The SAML assertion's audience is not the connection's audience_uri.",
  ],
  duplicate_saml_response: [400, 'This SAML assertion was used already.'],
  unsolicited_saml_response: [
    400,
    'The SAMLResponse answers no SSO login started for this connection (or one answered already).',
  ],
  invalid_saml_response_email: [
    400,
    "The SAML assertion's mapped email attribute is missing or not an email address.",
  ],
  missing_saml_relay_state: [400, 'The SAMLResponse came without its RelayState.'],
  saml_idp_initiated_auth_disabled: [
    400,
    'IdP-initiated logins are disabled for this connection (idp_initiated_auth_disabled).',
  ],
  failed_saml_response: [400, 'The identity provider answered that the login failed.'],
  missing_oidc_state_param: [400, 'The OIDC callback came without its state parameter.'],
  unsolicited_oidc_response: [
    400,
    'The OIDC callback answers no SSO login started for this connection (or one answered already).',
  ],
  oidc_invalid_callback_request: [
    400,
    'The OIDC callback carries no valid authorization code for this login.',
  ],
  oidc_response_email_missing: [400, 'The identity provider sent no email address.'],
  member_oidc_token_not_found: [
    404,
    'No OIDC tokens were found for this member: it has not logged in through an OIDC connection.',
  ],
  // SCIM connections (server/products/scim/): types from Stytch's generated error list; the
  // statuses and texts are the mock's (openapi.yaml marks them Unverified).
  active_scim_connection_exists: [
    400,
    'This organization already has a SCIM connection: only one is allowed.',
  ],
  no_active_scim_connection: [404, 'This organization has no SCIM connection with this ID.'],
  scim_connection_not_rotating_token: [
    400,
    'No token rotation was started for this SCIM connection: call rotate/start first.',
  ],
  invalid_scim_idp: [
    400,
    'identity_provider must be one of generic, okta, microsoft-entra, cyberark, jumpcloud, onelogin, pingfederate, rippling.',
  ],
  scim_group_role_assignment_group_does_not_exist: [
    400,
    'A SCIM group role assignment names a group this SCIM connection does not have.',
  ],
  scim_group_role_assignment_does_not_contain_group_id: [
    400,
    'Each SCIM group role assignment needs a group_id.',
  ],
  // M2M (server/products/m2m/). The not-found text follows its siblings'; the others' types,
  // statuses and texts are the mock's (openapi.yaml marks them Unverified).
  m2m_client_not_found: [404, 'M2M client could not be found.'],
  m2m_client_already_exists: [400, 'An M2M client with this client_id already exists.'],
  m2m_client_secret_rotation_not_started: [
    400,
    'No secret rotation was started for this M2M client: call rotate/start first.',
  ],
  invalid_cursor: [400, 'The cursor is not one a previous search returned.'],
  // Connected Apps (server/products/connected-apps/): the mock's types, statuses and texts
  // (openapi.yaml marks them Unverified).
  connected_app_not_found: [404, 'Connected App could not be found.'],
  connected_app_secret_rotation_not_started: [
    400,
    'No secret rotation was started for this Connected App: call rotate/start first.',
  ],
  connected_app_public_client_has_no_secret: [
    400,
    'A public Connected App has no client secret: only first_party and third_party clients do.',
  ],
  connected_app_first_party_only_setting: [
    400,
    'full_access_allowed and bypass_consent_for_offline_access are valid for first party clients only.',
  ],
  invalid_connected_app_redirect_url: [
    400,
    'A redirect URL must be https, http on a loopback host (localhost, 127.0.0.1, [::1]), or an app scheme, without a fragment or userinfo.',
  ],
  invalid_connected_app_template: [400, 'A token template must be empty or a JSON object.'],
  // The authorize step (server/products/idp/): types Stytch's API answers (seen in apps built on
  // it); statuses and texts the mock's (openapi.yaml marks them Unverified).
  connected_app_supplied_redirect_url_not_found_in_client: [
    400,
    'The redirect_uri is not one of the Connected App’s redirect URLs.',
  ],
  oauth_invalid_request: [400, 'The OAuth authorization request is invalid.'],
  oauth_invalid_scope_requested: [400, 'A requested scope is not defined in this project.'],
  connected_app_not_allowed_by_organization: [
    403,
    'The Organization’s Connected Apps policy does not allow this Connected App.',
  ],
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
  'duplicate_member_email',
  'organization_name_missing',
  'invalid_organization_external_id',
  'organization_external_id_already_used',
  'organization_settings_domain_too_common',
  'allowed_auth_methods_required_for_restricted',
  'allowed_mfa_methods_required_for_restricted',
  'duplicate_member_external_id',
  'duplicate_member_phone_number',
  'duplicate_member_phone_number_for_member',
  'retired_member_email',
  'action_available_only_for_active_members',
  'action_available_only_once_primary_authentication_is_met',
  'operation_restricted_by_organization_mfa_methods',
  'invalid_intermediate_session_token_for_organization',
  'no_associated_session_passed_in',
  'default_mfa_member_missing_factor',
  'member_cannot_update_their_email_address',
  'member_phone_number_not_found',
  'retired_email_missing_email_identifiers',
  'member_oauth_token_not_found',
  'no_deleted_member_found_for_reactivation',
  'email_unverified_for_reactivation',
  'reactivation_email_belongs_to_another_member',
  'email_updates_available_only_for_active_members',
  'member_has_no_active_verified_email',
  'desired_email_deactivated_by_different_member',
  'desired_email_updating_for_different_member',
  'unable_to_verify_member_email_update',
  'search_invalid_status_filter',
  'member_search_organization_ids_empty',
  'member_search_missing_filter_name',
  'member_search_filter_name_must_be_string',
  'member_search_filter_name_not_recognized',
  'member_search_missing_filter_value',
  'member_search_expected_array_of_strings',
  'member_search_expected_string',
  'member_search_expected_boolean',
  'member_search_member_email_fuzzy_too_short',
  'member_search_member_mfa_phone_number_fuzzy_too_short',
  'organization_search_missing_filter_name',
  'organization_search_filter_name_must_be_string',
  'organization_search_filter_name_not_recognized',
  'organization_search_missing_filter_value',
  'organization_search_expected_array_of_strings',
  'organization_search_expected_string',
  'organization_search_expected_boolean',
  'organization_search_organization_name_fuzzy_too_short',
  'organization_search_organization_slug_fuzzy_too_short',
  'organization_search_member_email_fuzzy_too_short',
  'organization_search_allowed_domain_fuzzy_too_short',
  'invalid_email_for_invites',
  'sso_connection_not_found',
  'saml_connection_not_found',
  'oidc_connection_not_found',
  'sso_connection_organization_mismatch',
  'cannot_delete_default_sso_connection',
  'cannot_delete_last_sso_verification_key',
  'sso_verification_key_not_found',
  'sso_encryption_private_key_not_found',
  'too_many_sso_verification_certificates',
  'too_many_encryption_certificates',
  'invalid_x509_certificate',
  'saml_signing_private_key_format_not_supported',
  'saml_signing_private_key_invalid',
  'saml_connection_attribute_mapping_missing_groups_key',
  'saml_connection_email_mapping_required',
  'saml_connection_name_mapping_required',
  'saml_connection_no_nested_keys_in_attribute_mapping',
  'saml_connection_idp_sso_url_invalid_format',
  'invalid_sso_idp',
  'invalid_saml_metadata_url',
  'invalid_xml_from_saml_metadata_url',
  'saml_connection_metadata_invalid_format',
  'oidc_connection_issuer_url_invalid_format',
  'oidc_connection_authorization_url_invalid_format',
  'oidc_connection_token_url_invalid_format',
  'oidc_connection_userinfo_url_invalid_format',
  'oidc_connection_jwks_url_invalid_format',
  'external_connection_id_not_found',
  'external_connection_not_active',
  'external_organization_id_same_as_organization_id',
  'duplicate_external_sso_connection',
  'invalid_sso_default_connection_id',
  'invalid_connection_for_jit_provisioning',
  'invalid_restricted_sso_setting',
  'sso_token_not_found',
  'missing_sso_connection_locator',
  'too_many_sso_connection_locators',
  'no_sso_connection_exists_for_organization',
  'indeterminate_sso_connection_for_organization',
  'requires_active_sso_connection',
  'invalid_login_sso_url',
  'invalid_signup_sso_url',
  'missing_saml_response',
  'invalid_saml_response',
  'invalid_xml_saml_response',
  'missing_signature_saml_response',
  'invalid_signature_saml_response',
  'saml_certificate_mismatch',
  'expired_saml_response',
  'not_yet_valid_saml_response',
  'invalid_audience_saml_response',
  'duplicate_saml_response',
  'unsolicited_saml_response',
  'invalid_saml_response_email',
  'missing_saml_relay_state',
  'saml_idp_initiated_auth_disabled',
  'failed_saml_response',
  'missing_oidc_state_param',
  'unsolicited_oidc_response',
  'oidc_invalid_callback_request',
  'oidc_response_email_missing',
  'member_oidc_token_not_found',
  'active_scim_connection_exists',
  'no_active_scim_connection',
  'scim_connection_not_rotating_token',
  'invalid_scim_idp',
  'scim_group_role_assignment_group_does_not_exist',
  'scim_group_role_assignment_does_not_contain_group_id',
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
