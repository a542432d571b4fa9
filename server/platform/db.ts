// Opens the SQLite database and creates the platform's tables, then each product's (its `schema`).
// Reset and snapshots cover every table there is.
import Database from 'better-sqlite3'

/**
 * A table of one-time secrets (login_secrets' columns), made of the `kinds` it holds: a flow that
 * keeps its links or passcodes apart (discovery, resets, invites) has one of its own, which
 * LoginSecretStore(db, name) reads, so no flow redeems another's while OneTimeSecrets' rules
 * (single use, expiry, PKCE, five attempts) apply unchanged.
 */
export const secretsTable = (name: string, kinds: string[]) => `
CREATE TABLE IF NOT EXISTS ${name} (
  secret_id       TEXT PRIMARY KEY,    -- a magic link's token, or 'otp:' + the method it was sent to
  kind            TEXT NOT NULL CHECK (kind IN (${kinds.map((k) => `'${k}'`).join(', ')})),
  subject_id      TEXT NOT NULL,       -- user_id or member_id (discovery: the email address)
  organization_id TEXT,
  method_id       TEXT NOT NULL,       -- email_id or phone_id the message went to
  address         TEXT NOT NULL,       -- that email address or phone number
  code            TEXT,                -- the passcode, for the otp kinds
  code_challenge  TEXT,                -- PKCE: base64url SHA-256 of the verifier, when sent
  expires_at      INTEGER NOT NULL,    -- epoch seconds
  attempts        INTEGER NOT NULL DEFAULT 0,
  used            INTEGER NOT NULL DEFAULT 0
) STRICT;`

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  user_id     TEXT PRIMARY KEY,
  email       TEXT,
  external_id TEXT,
  body        TEXT NOT NULL          -- the Stytch user object, as JSON
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users (email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS users_external_id ON users (external_id) WHERE external_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS organizations (
  organization_id   TEXT PRIMARY KEY,
  organization_slug TEXT NOT NULL UNIQUE,
  body              TEXT NOT NULL      -- the Stytch organization object, as JSON
) STRICT;

CREATE TABLE IF NOT EXISTS members (
  member_id       TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (organization_id),
  email           TEXT NOT NULL,       -- lower case; one member per organization and email
  body            TEXT NOT NULL,       -- the Stytch member object, as JSON
  UNIQUE (organization_id, email)
) STRICT;
CREATE INDEX IF NOT EXISTS members_email ON members (email);

-- Consumer sessions (kind 'consumer', subject = user_id) and B2B member sessions
-- (kind 'member', subject = member_id) share one table: the same lookups, expiry and revocation.
CREATE TABLE IF NOT EXISTS sessions (
  session_id             TEXT PRIMARY KEY,
  kind                   TEXT NOT NULL CHECK (kind IN ('consumer', 'member')),
  session_token          TEXT NOT NULL UNIQUE,
  subject_id             TEXT NOT NULL,
  organization_id        TEXT,
  started_at             TEXT NOT NULL,     -- RFC 3339, kept verbatim (sandbox sessions carry microseconds)
  last_accessed_at       INTEGER NOT NULL,  -- epoch seconds
  expires_at             INTEGER NOT NULL,  -- epoch seconds
  authentication_factors TEXT NOT NULL,     -- JSON
  attributes             TEXT NOT NULL,     -- JSON
  custom_claims          TEXT NOT NULL,     -- JSON
  roles                  TEXT NOT NULL      -- JSON
) STRICT;
CREATE INDEX IF NOT EXISTS sessions_subject ON sessions (subject_id, expires_at);

-- B2B intermediate sessions: handed out when an exchange still needs MFA or another primary factor.
CREATE TABLE IF NOT EXISTS intermediate_sessions (
  token                  TEXT PRIMARY KEY,
  member_id              TEXT NOT NULL,
  organization_id        TEXT NOT NULL,
  authentication_factors TEXT NOT NULL,     -- JSON
  expires_at             INTEGER NOT NULL   -- epoch seconds
) STRICT;

-- Login flows (server/platform/login/): one-time passcodes and magic-link tokens until used or expired,
-- password hashes, and the outbox of messages the mock "sent".
${secretsTable('login_secrets', ['otp', 'magic_link', 'b2b_otp', 'b2b_magic_link'])}

CREATE TABLE IF NOT EXISTS passwords (
  user_id TEXT PRIMARY KEY,            -- a user_id, or a member_id (B2B passwords)
  hash    TEXT NOT NULL                -- scrypt$<salt>$<key>, base64url; never the password
) STRICT;

-- Which one-time links are password resets (the link itself is in login_secrets, or discovery's
-- table): a reset redeems only a reset link of its own flow.
CREATE TABLE IF NOT EXISTS password_resets (
  secret_id TEXT PRIMARY KEY,
  flow      TEXT NOT NULL CHECK (flow IN ('consumer', 'organization', 'discovery'))
) STRICT;

CREATE TABLE IF NOT EXISTS outbox (
  seq        INTEGER PRIMARY KEY,
  message_id TEXT NOT NULL UNIQUE,
  recipient  TEXT NOT NULL,            -- lower-case email address or E.164 phone number
  body       TEXT NOT NULL             -- the message, as JSON
) STRICT;
CREATE INDEX IF NOT EXISTS outbox_recipient ON outbox (recipient, seq);

-- Authenticator-app (TOTP) registrations of users and members, with their recovery codes
-- (platform/login/totp.ts).
CREATE TABLE IF NOT EXISTS totps (
  totp_id         TEXT PRIMARY KEY,
  owner_id        TEXT NOT NULL,       -- user_id or member_id
  organization_id TEXT,                -- the member's organization (B2B)
  secret          TEXT NOT NULL,       -- base32
  verified        INTEGER NOT NULL,
  expires_at      INTEGER,             -- an unverified registration's end, epoch seconds
  last_step       INTEGER,             -- the last 30-second window a code was accepted in
  recovery_codes  TEXT NOT NULL        -- JSON [{id, code, used}]
) STRICT;
CREATE INDEX IF NOT EXISTS totps_owner ON totps (owner_id);

-- Organization-scoped RBAC roles (rbac.organizations.setOrgPolicy): the roles as JSON.
CREATE TABLE IF NOT EXISTS rbac_org_policies (
  organization_id TEXT PRIMARY KEY,
  body            TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS signing_keys (
  kid             TEXT PRIMARY KEY,
  private_key_pem TEXT NOT NULL,
  certificate_pem TEXT NOT NULL,
  created_at      INTEGER NOT NULL,        -- epoch milliseconds; the newest key signs
  retired_at      INTEGER
) STRICT;
`

export type Db = Database.Database

export function openDatabase(path: string, schemas: string[] = []): Db {
  const db = new Database(path)
  if (path !== ':memory:' && path !== '') {
    db.pragma('journal_mode = WAL')
    // Why NORMAL: in WAL mode every commit is in the log before the 200 goes out, so a crash of
    // the mock (even SIGKILL) loses nothing acknowledged; only a power cut could, and FULL would
    // fsync on every authenticate.
    db.pragma('synchronous = NORMAL')
    db.pragma('busy_timeout = 5000')
  }
  db.pragma('foreign_keys = ON')
  db.exec(SCHEMA)
  for (const schema of schemas) db.exec(schema)
  preparedOnFirstUse(db)
  return db
}

/**
 * How many writes the database has taken: whoever read something at one count, and finds the
 * same count now, would read the same again. Every statement that can write counts when it runs
 * (run, or get/all/iterate of one with RETURNING), and so does every exec() and pragma(); only a
 * statement marked `uncounted()` does not. What reads it: answers handed out again without
 * reading the tables they came from (platform/sessions/answer-cache.ts).
 */
export function writeCount(db: Db): number {
  const counter = counters.get(db)
  if (!counter) throw new Error('writeCount: a database that openDatabase() did not open')
  return counter.n
}

/**
 * A statement whose runs writeCount does not count: only for a write that nothing read from the
 * count depends on (a session's last access, made within the second its answers are for:
 * session-store.ts).
 */
export function uncounted<S extends Database.Statement>(statement: S): S {
  ;(statement as unknown as LazyStatement).uncounted()
  return statement
}

interface Counter {
  n: number
}
const counters = new WeakMap<Db, Counter>()

/**
 * Statements compiled on their first run, not when a store is made: the products make about 400
 * at start-up, most of which a test run never uses (5 ms of every start). Writes are counted here
 * too (writeCount).
 */
function preparedOnFirstUse(db: Db): void {
  const counter: Counter = { n: 0 }
  counters.set(db, counter)
  const prepare = db.prepare.bind(db)
  db.prepare = ((source: string) =>
    new LazyStatement(() => prepare(source), counter)) as unknown as Db['prepare']
  for (const name of ['exec', 'pragma'] as const) {
    const original = db[name].bind(db) as (...args: unknown[]) => unknown
    ;(db as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      counter.n++
      return original(...args)
    }
  }
}

class LazyStatement {
  #statement: Database.Statement | undefined
  /** Counted when it runs: it can write. */
  #counted = true
  constructor(
    private readonly make: () => Database.Statement,
    private readonly counter: Counter,
  ) {}
  get #s(): Database.Statement {
    if (!this.#statement) {
      this.#statement = this.make()
      if (this.#statement.readonly) this.#counted = false
    }
    return this.#statement
  }
  uncounted() {
    this.#counted = false
    return this
  }
  run(...params: unknown[]) {
    const s = this.#s
    if (this.#counted) this.counter.n++
    return s.run(...params)
  }
  get(...params: unknown[]) {
    const s = this.#s
    if (this.#counted) this.counter.n++
    return s.get(...params)
  }
  all(...params: unknown[]) {
    const s = this.#s
    if (this.#counted) this.counter.n++
    return s.all(...params)
  }
  iterate(...params: unknown[]) {
    const s = this.#s
    if (this.#counted) this.counter.n++
    return s.iterate(...params)
  }
  pluck(on?: boolean) {
    this.#s.pluck(on)
    return this
  }
  raw(on?: boolean) {
    this.#s.raw(on)
    return this
  }
  get source() {
    return this.#s.source
  }
  get reader() {
    return this.#s.reader
  }
}
