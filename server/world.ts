// Builds a fresh, self-contained world (database, keys, clock, services) from a Config.
// No module state: two worlds in one process share nothing, which keeps tests isolated.
import { createPublicKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Clock } from './clock.js'
import type { Config } from './config.js'
import { MemberSessions } from './sessions/b2b.js'
import { ConsumerSessions } from './sessions/consumer.js'
import { SessionCore } from './sessions/core.js'
import { loadFixtures, seedFixtures, type Fixtures } from './sessions/fixtures.js'
import { openDatabase, type Db } from './store/db.js'
import { IntermediateSessionStore } from './store/intermediate-sessions.js'
import { KeyStore } from './store/keys.js'
import { OrganizationStore } from './store/organizations.js'
import { SessionStore } from './store/sessions.js'
import { UserStore } from './store/users.js'
import { SessionJwts } from './tokens/jwt.js'
import { KeyRing, keyMaterialFromPem, kidFor, signingKey } from './tokens/keys.js'

export interface World {
  config: Config
  clock: Clock
  db: Db
  keys: KeyRing
  users: UserStore
  orgs: OrganizationStore
  consumer: ConsumerSessions
  members: MemberSessions
  fixtures: Fixtures
  close(): void
}

export async function createWorld(config: Config, clock = new Clock()): Promise<World> {
  const fixtures = loadFixtures(config.fixtures)
  const db = openDatabase(config.db)
  try {
    const keys = await loadKeys(db, config.signingKey, clock)
    const core = new SessionCore(new SessionStore(db), new SessionJwts(keys, config.projectId), clock)
    const users = new UserStore(db)
    const orgs = new OrganizationStore(db)
    const consumer = new ConsumerSessions(core, users, fixtures.rbac_policy)
    const members = new MemberSessions(core, orgs, new IntermediateSessionStore(db), fixtures.rbac_policy)
    // A persistent database keeps its state across restarts; fixtures seed only a new one.
    const seeded = db.prepare('SELECT EXISTS (SELECT 1 FROM users UNION ALL SELECT 1 FROM organizations) AS x').get() as { x: number }
    if (!seeded.x) seedFixtures(fixtures, { db, clock, users, orgs, consumer, members })
    return { config, clock, db, keys, users, orgs, consumer, members, fixtures, close: () => db.close() }
  } catch (err) {
    db.close()
    throw err
  }
}

/** The configured key file joins the ring stored in the database; the newest live key signs. */
async function loadKeys(db: Db, keyFile: string, clock: Clock): Promise<KeyRing> {
  const store = new KeyStore(db)
  const pem = readFileSync(keyFile, 'utf8')
  const kid = kidFor(createPublicKey(pem))
  if (!store.has(kid)) store.insert(kid, await keyMaterialFromPem(pem, clock.nowMs()), clock.nowMs())
  return new KeyRing(store.live().map(signingKey))
}
