// Builds a fresh, self-contained world (database, keys, clock, services) from a Config.
// No module state: two worlds in one process share nothing, which keeps tests isolated.
import { readFileSync } from 'node:fs'
import { Clock } from './clock.js'
import type { Config } from './config.js'
import { Faults } from './control/faults.js'
import { Directory } from './directory/directory.js'
import { Journal } from './control/journal.js'
import { StateControl } from './control/state.js'
import { MemberSessions } from './sessions/b2b.js'
import { ConsumerSessions } from './sessions/consumer.js'
import { SessionCore } from './sessions/core.js'
import type { RbacPolicy } from './sessions/rbac.js'
import { Seeder } from './sessions/seed.js'
import { loadFixtures, seedFixtures } from './sessions/fixtures.js'
import { openDatabase, type Db } from './store/db.js'
import { DiscoverySecretStore, DiscoverySessionStore } from './store/discovery.js'
import { IntermediateSessionStore } from './store/intermediate-sessions.js'
import { KeyStore } from './store/keys.js'
import { LoginSecretStore, OutboxStore, PasswordStore } from './store/login.js'
import { MemberLogins } from './login/b2b.js'
import { DiscoveryLogins } from './login/discovery.js'
import { ConsumerLogins } from './login/consumer.js'
import { OAuthConsent } from './oauth/consent.js'
import { OAuthLogins } from './oauth/logins.js'
import { OAuthStore } from './store/oauth.js'
import { OneTimeSecrets } from './login/one-time.js'
import { Outbox } from './login/outbox.js'
import { UserRecords } from './login/user-records.js'
import { OrganizationStore } from './store/organizations.js'
import { SessionStore } from './store/sessions.js'
import { SnapshotStore } from './store/snapshots.js'
import { UserStore } from './store/users.js'
import { databaseProblem, fsProblem, StartupError } from './startup-error.js'
import { SessionJwts } from './tokens/jwt.js'
import { KeyManager } from './tokens/key-manager.js'
import { checkSigningKey } from './tokens/keys.js'

export interface World {
  config: Config
  clock: Clock
  db: Db
  keys: KeyManager
  users: UserStore
  orgs: OrganizationStore
  consumer: ConsumerSessions
  members: MemberSessions
  /** The token of the last fixture session, for the start-up banner. */
  fixtureToken: string | undefined
  faults: Faults
  journal: Journal
  state: StateControl
  seeder: Seeder
  directory: Directory
  /** What consumer and member sessions share: test control expires and identifies sessions. */
  core: SessionCore
  /** The fixtures' RBAC policy: authorization_check answers from it, the SDK bootstrap carries it. */
  rbacPolicy: RbacPolicy
  /** The login flows (login/): consumer, B2B, and the outbox they send to. */
  logins: ConsumerLogins
  memberLogins: MemberLogins
  /** B2B discovery: organizations an email can enter, before choosing one. */
  discovery: DiscoveryLogins
  outbox: Outbox
  /** OAuth (oauth/): the start and its local consent page, and the authenticate calls. */
  consent: OAuthConsent
  oauthLogins: OAuthLogins
  close(): void
}

export async function createWorld(config: Config, clock = new Clock()): Promise<World> {
  const fixtures = await loadFixtures(config.fixtures)
  const signingKeyPem = readSigningKey(config.signingKey)
  const db = openStore(config.db)
  try {
    const keys = await KeyManager.open(new KeyStore(db), clock, signingKeyPem)
    const sessions = new SessionStore(db)
    const core = new SessionCore(sessions, new SessionJwts(keys.ring, config.projectId), clock)
    const users = new UserStore(db)
    const orgs = new OrganizationStore(db)
    const consumer = new ConsumerSessions(core, users, fixtures.rbac_policy)
    const members = new MemberSessions(
      core,
      orgs,
      new IntermediateSessionStore(db),
      fixtures.rbac_policy,
    )
    const faults = new Faults()
    const journal = new Journal()
    const passwords = new PasswordStore(db)
    const seed = { db, clock, users, orgs, consumer, members, passwords }
    const seeder = new Seeder({ clock, users, orgs, sessions, consumer, members })
    const snapshots = new SnapshotStore(db)
    const state = new StateControl({
      snapshots,
      fixturesPath: config.fixtures,
      seed,
      keys,
      clock,
      faults,
      journal,
    })
    const outbox = new Outbox(new OutboxStore(db), clock)
    const secrets = new OneTimeSecrets(new LoginSecretStore(db), clock, config.otpCode)
    const records = new UserRecords({ clock, users, passwords })
    const logins = new ConsumerLogins({
      clock,
      records,
      sessions: consumer,
      secrets,
      outbox,
      redirectUrl: config.redirectUrl,
    })
    const memberLogins = new MemberLogins({
      clock,
      orgs,
      members,
      secrets,
      outbox,
      redirectUrl: config.redirectUrl,
    })
    const discovery = new DiscoveryLogins({
      clock,
      orgs,
      members,
      secrets: new OneTimeSecrets(new DiscoverySecretStore(db), clock, config.otpCode),
      sessions: new DiscoverySessionStore(db),
      outbox,
      redirectUrl: config.redirectUrl,
    })
    const oauthStore = new OAuthStore(db)
    const consent = new OAuthConsent({
      clock,
      store: oauthStore,
      orgs,
      users,
      redirectUrl: config.redirectUrl,
      allowedOrigins: config.allowedOrigins,
    })
    const oauthLogins = new OAuthLogins({
      clock,
      store: oauthStore,
      records,
      consumer,
      members,
      memberLogins,
      orgs,
      discovery,
    })
    // A persistent database keeps its state across restarts; fixtures seed only a new one.
    if (users.count() + orgs.count() === 0) seedFixtures(fixtures, seed)
    // The parsed fixtures are not kept (a large set costs memory); reset reads them again.
    const fixtureToken = fixtures.sessions.at(-1)?.session_token
    return {
      config,
      clock,
      db,
      keys,
      users,
      orgs,
      consumer,
      members,
      fixtureToken,
      faults,
      journal,
      state,
      seeder,
      directory: new Directory(users, orgs),
      core,
      rbacPolicy: fixtures.rbac_policy,
      logins,
      memberLogins,
      discovery,
      outbox,
      consent,
      oauthLogins,
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

function openStore(path: string): Db {
  try {
    return openDatabase(path)
  } catch (err) {
    throw new StartupError('STYTCH_MOCK_DB', path, databaseProblem(path, err))
  }
}
