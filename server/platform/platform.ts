// The platform every product stands on, built fresh from a Config: the database, the clock, keys
// and JWTs, the session core (users, organizations and members, their sessions and the RBAC
// policy), the login core (one-time secrets, the outbox, user records, organization logins), and
// the journal, faults and state control. Knows no product.
import { readFileSync } from 'node:fs'
import { Clock } from '../clock.js'
import type { Config } from '../config.js'
import { databaseProblem, fsProblem, StartupError } from '../startup-error.js'
import { openDatabase, type Db } from './db.js'
import { Faults } from './journal/faults.js'
import { Journal } from './journal/journal.js'
import { MemberLogins } from './login/member-logins.js'
import { OneTimeSecrets } from './login/one-time.js'
import { Outbox } from './login/outbox.js'
import { PasswordPolicy } from './login/password-policy.js'
import { PasswordResets } from './login/password-resets.js'
import { LoginSecretStore, OutboxStore, PasswordStore } from './login/store.js'
import { Recipients } from './login/recipients.js'
import { Totps } from './login/totp.js'
import { UserRecords } from './login/user-records.js'
import { MemberSessions } from './sessions/b2b.js'
import { ConsumerSessions } from './sessions/consumer.js'
import { SessionCore } from './sessions/core.js'
import { Directory } from './sessions/directory.js'
import {
  loadFixtures,
  type Fixtures,
  type SeedDeps,
  type TrustedTokenProfile,
} from './sessions/fixtures.js'
import { IntermediateSessionStore } from './sessions/intermediate-store.js'
import { OrganizationStore } from './sessions/organization-store.js'
import { RbacPolicies } from './sessions/rbac-policies.js'
import { Seeder } from './sessions/seed.js'
import { SessionStore } from './sessions/session-store.js'
import { UserStore } from './sessions/user-store.js'
import { SnapshotStore } from './snapshots.js'
import { StateControl } from './state.js'
import { SessionJwts } from './tokens/jwt.js'
import { KeyManager } from './tokens/key-manager.js'
import { KeyStore } from './tokens/key-store.js'
import { checkSigningKey } from './tokens/keys.js'

export interface Platform {
  config: Config
  clock: Clock
  db: Db
  keys: KeyManager
  /** Signs and verifies the project's JWTs with the JWKS's keys (sessions, M2M tokens). */
  jwts: SessionJwts
  users: UserStore
  orgs: OrganizationStore
  consumer: ConsumerSessions
  members: MemberSessions
  /** What consumer and member sessions share: test control expires and identifies sessions. */
  core: SessionCore
  /** The project's RBAC policy (the fixtures') and each organization's own roles. */
  rbac: RbacPolicies
  directory: Directory
  faults: Faults
  journal: Journal
  state: StateControl
  seeder: Seeder
  /** The login core: user records, one-time secrets, the outbox, organization logins. */
  records: UserRecords
  /** Who a consumer passcode or link goes to (the consumer login products share it). */
  recipients: Recipients
  secrets: OneTimeSecrets
  outbox: Outbox
  memberLogins: MemberLogins
  /** Password hashes (users' and members'), the strength policy, reset links. */
  passwordHashes: PasswordStore
  passwordPolicy: PasswordPolicy
  passwordResets: PasswordResets
  /** Authenticator-app (TOTP) registrations of users and members, with their recovery codes. */
  totps: Totps
  /** The token of the last fixture session, for the start-up banner. */
  fixtureToken: string | undefined
  /** The project's Trusted Auth Token profiles (the fixtures'), for sessions.attest. */
  trustedTokenProfiles: TrustedTokenProfile[]
  /**
   * The fixtures, until createWorld seeds a new database with them (platform and products); then
   * dropped: a large set costs memory, and reset reads them again.
   */
  fixtures: Fixtures | undefined
  /** A new database: nothing in it yet, so the fixtures are to be seeded. */
  fresh: boolean
  close(): void
}

/**
 * Opens the database (the platform's tables and each product's `schema`), builds the platform and
 * seeds the fixtures into a new database. `build` runs before seeding, with the database open.
 */
export async function createPlatform(
  config: Config,
  clock: Clock,
  schemas: string[],
): Promise<Platform> {
  const fixtures = await loadFixtures(config.fixtures)
  const signingKeyPem = readSigningKey(config.signingKey)
  const db = openStore(config.db, schemas)
  try {
    const keys = await KeyManager.open(new KeyStore(db), clock, signingKeyPem)
    const sessions = new SessionStore(db)
    const jwts = new SessionJwts(keys.ring, config.projectId)
    const core = new SessionCore(sessions, jwts, clock)
    const users = new UserStore(db)
    const orgs = new OrganizationStore(db)
    const rbac = new RbacPolicies(db, fixtures.rbac_policy, orgs)
    const consumer = new ConsumerSessions(core, users, rbac)
    const members = new MemberSessions(core, orgs, new IntermediateSessionStore(db), rbac)
    const faults = new Faults()
    const journal = new Journal()
    const passwords = new PasswordStore(db)
    const totps = new Totps(db, clock)
    const seed: SeedDeps = { db, clock, users, orgs, consumer, members, passwords, totps }
    const seeder = new Seeder({ clock, users, orgs, sessions, consumer, members })
    const state = new StateControl({
      snapshots: new SnapshotStore(db),
      fixturesPath: config.fixtures,
      seed,
      keys,
      clock,
      faults,
      journal,
    })
    const outbox = new Outbox(new OutboxStore(db), clock)
    const secrets = new OneTimeSecrets(new LoginSecretStore(db), clock, config.otpCode)
    const directory = new Directory(users, orgs)
    const memberLogins = new MemberLogins({ clock, orgs, members, directory })
    const records = new UserRecords({ clock, users, passwords })
    // A user's registrations go with it; users.deleteTOTP removes one (its totp_id).
    records.onForget((gone) => {
      if ('user_id' in gone) totps.deleteOwner(gone.user_id)
      else totps.delete(gone.method_id)
    })
    return {
      config,
      clock,
      db,
      keys,
      jwts,
      users,
      orgs,
      consumer,
      members,
      core,
      rbac,
      directory,
      faults,
      journal,
      state,
      seeder,
      records,
      recipients: new Recipients(records, consumer),
      secrets,
      outbox,
      memberLogins,
      passwordHashes: passwords,
      passwordPolicy: new PasswordPolicy(config.passwordPolicy),
      passwordResets: new PasswordResets(db),
      totps,
      fixtureToken: fixtures.sessions.at(-1)?.session_token,
      trustedTokenProfiles: fixtures.trusted_auth_token_profiles,
      fixtures,
      // A persistent database keeps its state across restarts; fixtures seed only a new one: one
      // never seeded (its user_version, set by seeding) and holding no data (from before the mark).
      fresh:
        db.pragma('user_version', { simple: true }) === 0 && users.count() + orgs.count() === 0,
      close: () => db.close(),
    }
  } catch (err) {
    db.close()
    throw err
  }
}

function readSigningKey(path: string): string {
  let pem: string
  try {
    pem = readFileSync(path, 'utf8')
  } catch (err) {
    throw new StartupError('STYTCH_MOCK_SIGNING_KEY', path, `cannot be read: ${fsProblem(err)}`)
  }
  const problem = checkSigningKey(pem)
  if (problem) throw new StartupError('STYTCH_MOCK_SIGNING_KEY', path, problem)
  return pem
}

function openStore(path: string, schemas: string[]): Db {
  try {
    return openDatabase(path, schemas)
  } catch (err) {
    throw new StartupError('STYTCH_MOCK_DB', path, databaseProblem(path, err))
  }
}
