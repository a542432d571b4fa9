// The official Rust SDK (the stytch crate, pinned in rust/Cargo.toml and rust/Cargo.lock, from
// crates.io) against the mock over HTTPS, trusting the local CA through SSL_CERT_FILE as a Rust
// user would (reqwest with rustls; its platform verifier reads the roots through
// rustls-native-certs, which honours SSL_CERT_FILE). The program also compares every response it
// gets, as raw JSON, with the crate's models read from the crate's source (rust/src/models.rs).
//
// Needs cargo (on PATH, or in $CARGO_HOME/bin or ~/.cargo/bin where rustup puts it) and a C
// compiler (aws-lc-sys, under jsonwebtoken and rustls); without cargo the suite fails, it does
// not skip. The build goes to ~/.cache/stytch-mock/rust-target (outside node_modules, which CI
// deletes before each Node version's npm ci): about 1.5 minutes on 2 cores the first time, a
// second or two after.
import { existsSync, utimesSync } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { afterAll, beforeAll, describe } from 'vitest'
import { FACTOR_DELIVERY_METHODS, FACTOR_TYPES } from '../../server/platform/sessions/factors.js'
import { CONSUMER_PROVIDERS } from '../../server/platform/login/oauth-providers.js'
import type { Listening } from '../../server/listen.js'
import { packageRoot } from '../../server/paths.js'
import {
  externalSessions,
  itPasses,
  mockEnv,
  run,
  runChecks,
  startHttpsMock,
  type CheckResult,
} from './harness.js'

const here = join(packageRoot(), 'test/conformance/rust')
// As the Schemathesis virtualenv: outside node_modules, which CI deletes before each npm ci.
const targetDir = join(
  process.env.XDG_CACHE_HOME || join(homedir(), '.cache'),
  'stytch-mock/rust-target',
)
const CHECKS = [
  'consumer sessions.authenticate by session_token (fixture ada)',
  'consumer sessions.authenticate by session_jwt',
  'consumer sessions.get_jwks, and a session JWT verified locally against it',
  "consumer sessions.get lists a user's sessions",
  'consumer sessions.revoke, then session_not_found as stytch::Error::Response',
  'B2B sessions.authenticate (fixture grace at acme)',
  'B2B sessions.exchange into globex, and into initech (MFA required)',
  'B2B sessions.get_jwks, and a member JWT verified locally against it',
  'B2B organizations.get and organizations.members.get',
  'rbac.policy (consumer and B2B) and rbac.organizations.get_org_policy',
  'users.get (fixture ada), and user_not_found',
  'M2M: m2m.token for the fixture client, m2m.authenticate_token verifies it locally',
  'passcode login: otps.email.login_or_create, the code from /_mock/outbox, otps.authenticate',
  'password login: a user from /_mock/users, passwords.authenticate',
  "OAuth login: a queued answer, the Google start's redirect, oauth.authenticate",
  'OAuth login through every consumer provider the mock serves',
  "every factor type and delivery method the mock accepts is one this SDK's enums declare",
  'impersonation.authenticate (consumer): a token from /_mock/impersonation, the impersonated factor, single use',
  'B2B impersonation.authenticate: a member session with the impersonated factor',
  'project.metrics and debug.whoami',
  'sessions.attest with a JWT of a Trusted Auth Token profile',
  "sessions.migrate through the old provider's userinfo endpoint",
  "SSO: SAML (by the stand-in's metadata URL), OIDC and external connections; sso.authenticate after a queued answer",
  "SCIM: scim.connection.create, a user pushed to its base_url, get, get_groups, the member's scim_registration",
  'Connected Apps: connected_app.clients create (third-party, confidential), get, search, update; secrets rotate_start, rotate_cancel, rotate',
  'Connected Apps: idp.oauth.authorize_start and authorize for ada, the code at /v1/oauth2/token, a refresh, users.connected_apps and users.revoke',
  'Connected Apps (B2B): idp.oauth.authorize for grace at acme, the code at /v1/oauth2/token, organizations.connected_apps, get_connected_app, members.get_connected_apps and connected_apps.revoke',
  'Connected Apps: sessions.exchange_access_token with a first-party full_access token',
  'Connected Apps: connected_app.clients.delete, then connected_app_not_found',
  'model comparison: no required field missing, no undeclared enum value, no wrong type',
  "model comparison: fields the crate's models do not know (informational)",
]

/** cargo from PATH, else where rustup installs it; a missing cargo fails the suite. */
function findCargo(): string {
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter).filter((d) => d.startsWith('/')),
    join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin'),
  ]
  const found = dirs.map((d) => join(d, 'cargo')).find((p) => existsSync(p))
  if (!found)
    throw new Error(
      'cargo not found on PATH, in $CARGO_HOME/bin or in ~/.cargo/bin: the Rust conformance suite needs a Rust toolchain (rustup.rs)',
    )
  return found
}

let mock: Listening
let external: Awaited<ReturnType<typeof externalSessions>> | undefined
let results = new Map<string, CheckResult>()

beforeAll(async () => {
  const cargo = findCargo()
  // cargo runs rustc and cc from PATH: its own folder first.
  const env = { ...process.env, PATH: `${dirname(cargo)}${delimiter}${process.env.PATH ?? ''}` }
  const manifest = join(here, 'Cargo.toml')
  console.log(
    `conformance: the Rust SDK from crates.io, built into ${targetDir} (about 1.5 minutes the first time)`,
  )
  const started = Date.now()
  // The target folder is shared by every checkout (the dependencies build once), and cargo judges
  // freshness by mtimes: a binary built later from another checkout's program would pass for
  // this one's. Touching the program makes cargo rebuild it (seconds; the dependencies stay).
  const now = new Date()
  utimesSync(join(here, 'src/main.rs'), now, now)
  // --locked: Cargo.lock is the pin; a stale lock fails instead of changing.
  await run(cargo, ['build', '--locked', '--quiet', '--manifest-path', manifest], {
    env: { ...env, CARGO_TARGET_DIR: targetDir },
    timeout: 600_000,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((err: { stderr?: string; message: string }) => {
    throw new Error(`cargo build failed: ${err.stderr || err.message}`)
  })
  console.log(`conformance: cargo build took ${((Date.now() - started) / 1000).toFixed(1)} s`)
  // Where Cargo unpacked the stytch crate: the model comparison reads its source.
  const host = (await run('rustc', ['-vV'], { env })).stdout.match(/^host: (\S+)$/m)?.[1]
  const metadata = await run(
    cargo,
    [
      'metadata',
      '--format-version',
      '1',
      '--locked',
      '--offline',
      '--manifest-path',
      manifest,
    ].concat(host ? ['--filter-platform', host] : []),
    { env, maxBuffer: 64 * 1024 * 1024 },
  )
  const stytch = (
    JSON.parse(metadata.stdout) as { packages: { name: string; manifest_path: string }[] }
  ).packages.find((p) => p.name === 'stytch')
  if (!stytch) throw new Error('cargo metadata lists no stytch package')

  // A Trusted Auth Token profile (sessions.attest) and a userinfo endpoint (sessions.migrate).
  external = await externalSessions('migrated-rust@example.com')
  mock = await startHttpsMock(external.mockConfig)
  results = await runChecks(join(targetDir, 'debug/stytch-mock-conformance'), [], {
    ...mockEnv(mock),
    ...external.programEnv,
    STYTCH_PUBLIC_TOKEN: mock.config.publicToken,
    STYTCH_CRATE_SRC: dirname(stytch.manifest_path),
    // reqwest (rustls-platform-verifier, then rustls-native-certs) reads the roots from here.
    SSL_CERT_FILE: mock.caFile!,
    // What the mock accepts and serves, compared there with the crate's enums.
    MOCK_FACTOR_TYPES: JSON.stringify(FACTOR_TYPES),
    MOCK_FACTOR_DELIVERY_METHODS: JSON.stringify(FACTOR_DELIVERY_METHODS),
    MOCK_OAUTH_PROVIDERS: JSON.stringify(CONSUMER_PROVIDERS.map((p) => p.id)),
  })
  const extras = results.get(CHECKS.at(-1)!)
  if (extras?.ok) console.log(`conformance (Rust): ${extras.detail}`)
}, 900_000)
afterAll(async () => {
  await mock?.close()
  await external?.close()
})

describe('the official Rust SDK (stytch on crates.io)', () => {
  itPasses(CHECKS, () => results)
})
