// The official Python SDK (pinned in python/requirements.txt, installed from PyPI into a cached
// virtualenv) against the mock over HTTPS, trusting the local CA as a Python user would.
import { join } from 'node:path'
import { afterAll, beforeAll, describe } from 'vitest'
import { ensureVenv } from '../helpers/venv.js'
import { FACTOR_DELIVERY_METHODS, FACTOR_TYPES } from '../../server/platform/sessions/factors.js'
import type { Listening } from '../../server/listen.js'
import { packageRoot } from '../../server/paths.js'
import {
  cacheDir,
  externalSessions,
  itPasses,
  mockEnv,
  runChecks,
  startHttpsMock,
  type CheckResult,
} from './harness.js'

const here = join(packageRoot(), 'test/conformance/python')
const venv = join(cacheDir, 'python-venv')
const CHECKS = [
  'authenticate by session_token',
  'authenticate_jwt_local against the JWKS',
  'expired JWT falls back to the API after the clock moves 301 s',
  'revoke, then session_not_found',
  'B2B authenticate and exchange',
  'users.get, organizations.get and organizations.members.get next to a session',
  'every factor type and delivery method the mock accepts is one this SDK parses',
  'a fault scoped to one user, and sessions aged without the clock',
  'one-time passcode login, the code read from the outbox',
  'password login for a user seeded through /_mock/users',
  'M2M: a client, a token from its credentials, authenticate_token against the JWKS',
  "Connected Apps: clients created, read, listed, rotated and deleted parse as the SDK's models",
  "RBAC: the policy, an organization's roles, and authenticate_jwt_local with authorization_check",
  'errors surface as StytchError with the error_type',
  'http escape hatch: environment=<http URL>',
  'impersonation.authenticate (consumer): a token from /_mock/impersonation, the impersonated factor, single use',
  'B2B impersonation.authenticate: a member session with the impersonated factor',
  'project.metrics and debug.whoami',
  'sessions.attest with a JWT of a Trusted Auth Token profile',
  "sessions.migrate through the old provider's userinfo endpoint",
  'passwords.email.reset_start and reset: the token from the outbox, a session, single use',
  'passwords.existing_password.reset and passwords.sessions.reset revoke the other sessions',
  'passwords.migrate with a bcrypt hash, then passwords.authenticate with its password',
  'passwords.strength_check (consumer and B2B): zxcvbn scores, breached passwords, LUDS feedback',
  'B2B passwords.email.reset_start and reset: a member session, then passwords.authenticate',
  'B2B passwords.discovery.authenticate: the discovered organizations, then one entered',
  'users: create, update, search with a filter and pagination, delete revokes the sessions',
  'B2B organizations and members: create, update, search, delete and reactivate a member',
  'TOTP enrolment (consumer): totps.create, authenticate with a code from the secret, a recovery code once',
  'B2B MFA login: an intermediate session, TOTP enrolled with it, a member session with both factors',
  "crypto wallets: a Sign-In with Ethereum login, siwe_params as the SDK's model reads it, the nonce once",
  'SSO: SAML, OIDC and external connections parse; a login through a queued answer and sso.authenticate',
  'SCIM: scim2-client provisions, queries, patches and deprovisions a member; the SDK sees it deleted, its session gone',
]

let mock: Listening
let external: Awaited<ReturnType<typeof externalSessions>> | undefined
let results = new Map<string, CheckResult>()

beforeAll(async () => {
  const python = join(
    await ensureVenv(venv, join(here, 'requirements.txt'), 'conformance'),
    'bin/python',
  )
  // A Trusted Auth Token profile (sessions.attest) and a userinfo endpoint (sessions.migrate).
  external = await externalSessions('migrated-python@example.com')
  mock = await startHttpsMock(external.mockConfig)
  results = await runChecks(python, [join(here, 'conformance.py')], {
    ...mockEnv(mock),
    ...external.programEnv,
    // requests (the API calls) reads REQUESTS_CA_BUNDLE; urllib (PyJWT's JWKS fetch) reads SSL_CERT_FILE.
    REQUESTS_CA_BUNDLE: mock.caFile!,
    SSL_CERT_FILE: mock.caFile!,
    // What the mock's seeds accept, compared there with the SDK's own enums.
    MOCK_FACTOR_TYPES: JSON.stringify(FACTOR_TYPES),
    MOCK_FACTOR_DELIVERY_METHODS: JSON.stringify(FACTOR_DELIVERY_METHODS),
  })
}, 400_000)
afterAll(async () => {
  await mock?.close()
  await external?.close()
})

describe('the official Python SDK (stytch on PyPI)', () => {
  itPasses(CHECKS, () => results)
})
