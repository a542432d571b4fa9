// Builds a fresh, self-contained world (database, keys, clock, services) from a Config.
// No module state: two worlds in one process share nothing, which keeps tests isolated.
import { readFileSync } from 'node:fs'
import { Clock } from './clock.js'
import type { Config } from './config.js'
import { ConsumerSessions } from './sessions/consumer.js'
import { loadFixtures, seedFixtures, type Fixtures } from './sessions/fixtures.js'
import { openDatabase, type Db } from './store/db.js'
import { KeyStore } from './store/keys.js'
import { SessionStore } from './store/sessions.js'
import { UserStore } from './store/users.js'
import { SessionJwts } from './tokens/jwt.js'
import { KeyRing, keyMaterialFromPem, kidFor, signingKey } from './tokens/keys.js'
import { createPublicKey } from 'node:crypto'

export interface World {
  config: Config
  clock: Clock
  db: Db
  keys: KeyRing
  jwts: SessionJwts
  users: UserStore
  consumer: ConsumerSessions
  fixtures: Fixtures
  close(): void
}

export async function createWorld(config: Config, clock = new Clock()): Promise<World> {
  const db = openDatabase(config.db)
  try {
    const keys = await loadKeys(db, config.signingKey, clock)
    const jwts = new SessionJwts(keys, config.projectId)
    const users = new UserStore(db)
    const consumer = new ConsumerSessions(new SessionStore(db), users, jwts, clock)
    const fixtures = loadFixtures(config.fixtures)
    const fresh = db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }
    // A persistent database keeps its state across restarts; fixtures seed only an empty one.
    if (fresh.n === 0) seedFixtures(fixtures, { db, users, consumer, clock })
    return { config, clock, db, keys, jwts, users, consumer, fixtures, close: () => db.close() }
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
