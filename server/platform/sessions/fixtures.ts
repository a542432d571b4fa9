// Fixture files: read, validated against fixtures/fixtures.schema.json, and seeded in one transaction.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { fsProblem } from '../../startup-error.js'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { packageRoot } from '../../paths.js'
import type { Clock } from '../../clock.js'
import type { Db } from '../db.js'
import type { OrganizationStore } from './organization-store.js'
import type { PasswordStore } from '../login/store.js'
import type { UserStore } from './user-store.js'
import { hashPasswordSync } from '../tokens/password-hash.js'
import { commonJs } from '../http/validate.js'
import type { Totps } from '../login/totp.js'
import type { MemberSessions } from './b2b.js'
import type { JsonObject } from './claims.js'
import type { ConsumerSessions } from './consumer.js'
import {
  buildMember,
  buildOrganization,
  memberFactorEmail,
  type NewMember,
  type NewOrganization,
} from './organizations.js'
import { DEFAULT_POLICY, type RbacPolicy } from './rbac.js'
import { emailMagicLinkFactor } from './factors.js'
import { buildUser, userFactorEmail, type NewUser } from './users.js'

interface FixtureSessionCommon {
  session_token: string
  expires_in_minutes?: number
  started_at?: string
  authentication_factors?: unknown[]
  custom_claims?: JsonObject
}

export interface Fixtures {
  users: (NewUser & { user_id: string; password?: string })[]
  sessions: (FixtureSessionCommon & {
    session_id: string
    user_id: string
    attributes?: JsonObject
    roles?: string[]
  })[]
  organizations: (NewOrganization & { organization_id: string })[]
  members: (NewMember & { member_id: string; password?: string; totp_secret?: string })[]
  member_sessions: (FixtureSessionCommon & { member_session_id: string; member_id: string })[]
  /** M2M clients with fixed ids and secrets (seeded by the m2m product). */
  m2m_clients: {
    client_id: string
    client_secret: string
    scopes: string[]
    client_name?: string
    client_description?: string
    trusted_metadata?: JsonObject
  }[]
  /** Connected App clients with fixed ids and secrets (seeded by the connected-apps product). */
  connected_apps: FixtureConnectedApp[]
  /** The project's Connected Apps settings (the last file's that has them). */
  connected_apps_settings: { dynamic_client_registration?: boolean }
  /** Trusted Auth Token profiles (sessions.attest): project settings, read at start-up. */
  trusted_auth_token_profiles: TrustedTokenProfile[]
  rbac_policy: RbacPolicy
}

export interface FixtureConnectedApp {
  client_id: string
  client_type: 'first_party' | 'first_party_public' | 'third_party' | 'third_party_public'
  /** A confidential client's (first_party, third_party); a public client has none. */
  client_secret?: string
  client_name?: string
  client_description?: string
  redirect_urls?: string[]
  full_access_allowed?: boolean
  access_token_expiry_minutes?: number
  access_token_custom_audience?: string
  access_token_template_content?: string
  post_logout_redirect_urls?: string[]
  logo_url?: string
  bypass_consent_for_offline_access?: boolean
  id_token_template_content?: string
}

export interface TrustedTokenProfile {
  profile_id: string
  issuer: string
  audience: string
  jwks_url?: string
  public_key_pems?: string[]
  attribute_mapping: { email: string; token_id: string; organization_id?: string }
}

type Kind =
  | 'users'
  | 'sessions'
  | 'organizations'
  | 'members'
  | 'member_sessions'
  | 'm2m_clients'
  | 'connected_apps'
const KINDS: Kind[] = [
  'users',
  'sessions',
  'organizations',
  'members',
  'member_sessions',
  'm2m_clients',
  'connected_apps',
]

export class FixtureError extends Error {}

const DEFAULT_EXPIRY_MINUTES = 525600

/** Loads a fixture file, or every *.json file of a folder (in name order). */
export async function loadFixtures(path: string): Promise<Fixtures> {
  const files = fixtureFiles(path)
  const texts = files.map((file) => {
    try {
      return readFileSync(file, 'utf8')
    } catch (err) {
      throw new FixtureError(`${file}: cannot be read: ${fsProblem(err)}`)
    }
  })
  const validate = await fixtureValidator(texts)
  const all: Fixtures = {
    users: [],
    sessions: [],
    organizations: [],
    members: [],
    member_sessions: [],
    m2m_clients: [],
    connected_apps: [],
    connected_apps_settings: {},
    trusted_auth_token_profiles: [],
    rbac_policy: DEFAULT_POLICY,
  }
  // Where each item came from, so cross-file problems name the file and JSON path.
  const where = Object.fromEntries(KINDS.map((k) => [k, [] as string[]])) as Record<Kind, string[]>
  for (const [i, file] of files.entries()) {
    const text = texts[i]!
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch (err) {
      throw new FixtureError(`${file}: not valid JSON: ${(err as Error).message}`)
    }
    if (!validate(data)) {
      const problems = (validate.errors ?? []).map(
        (e) => `${file}: ${e.instancePath || '/'}: ${e.message ?? 'is invalid'}`,
      )
      throw new FixtureError(problems.join('\n'))
    }
    const fixtures = data as Partial<Fixtures>
    for (const kind of KINDS) {
      const items = fixtures[kind] ?? []
      ;(all[kind] as unknown[]).push(...items)
      where[kind].push(...items.map((_, i) => `${file}: /${kind}/${i}`))
    }
    if (fixtures.rbac_policy) all.rbac_policy = fixtures.rbac_policy
    if (fixtures.connected_apps_settings)
      all.connected_apps_settings = fixtures.connected_apps_settings
    all.trusted_auth_token_profiles.push(...(fixtures.trusted_auth_token_profiles ?? []))
  }
  checkReferences(all, where)
  return all
}

/** The file, or the *.json files of the folder in name order; an empty folder is a mistake. */
function fixtureFiles(path: string): string[] {
  try {
    if (!statSync(path).isDirectory()) return [path]
    const files = readdirSync(path)
      .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
      .sort()
      .map((f) => join(path, f))
    if (files.length === 0)
      throw new FixtureError(
        `${path}: the folder holds no *.json fixture file (to start with no fixtures, point STYTCH_MOCK_FIXTURES at a file holding {})`,
      )
    return files
  } catch (err) {
    if (err instanceof FixtureError) throw err
    throw new FixtureError(`${path}: cannot be read: ${fsProblem(err)}`)
  }
}

type Validate = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string }[] | null
}

const sha256Of = (text: string) => createHash('sha256').update(text).digest('hex')

/**
 * The fixture schema's validator: the one `npm run build` precompiled (no ajv to load, no schema
 * to compile at start-up), unless the schema changed since; otherwise compiled now. Fixture
 * files the build found valid against this very schema (the bundled ones, byte for byte) need
 * none: `fixtures.valid.json` lists them, and start-up skips loading the validator (#31).
 */
async function fixtureValidator(texts: string[]): Promise<Validate> {
  const text = readFileSync(join(packageRoot(), 'fixtures', 'fixtures.schema.json'), 'utf8')
  const sha256 = sha256Of(text)
  // Beside this module in dist/, or (bundled, or running from source) in the build's dist/.
  const built = [
    dirname(fileURLToPath(import.meta.url)),
    join(packageRoot(), 'dist/server/platform/sessions'),
  ]
  for (const dir of built) {
    const known = join(dir, 'fixtures.valid.json')
    if (!existsSync(known)) continue
    const { schemaSha256, valid } = JSON.parse(readFileSync(known, 'utf8')) as {
      schemaSha256: string
      valid: string[]
    }
    if (schemaSha256 === sha256 && texts.every((t) => valid.includes(sha256Of(t))))
      return () => true
  }
  for (const compiled of built.map((dir) => join(dir, 'fixtures.validate.cjs'))) {
    if (!existsSync(compiled)) continue
    const mod = createRequire(import.meta.url)(compiled) as {
      default: Validate
      schemaSha256: string
    }
    if (mod.schemaSha256 === sha256) return mod.default
  }
  const [ajvModule, { default: addFormats }] = await Promise.all([
    import('ajv/dist/2020.js'),
    import('ajv-formats'),
  ])
  const { Ajv2020 } = commonJs(ajvModule)
  const ajv = new Ajv2020({ allErrors: true })
  addFormats.default(ajv)
  return ajv.compile(JSON.parse(text)) as Validate
}

function checkReferences(f: Fixtures, where: Record<Kind, string[]>): void {
  const problems: string[] = []
  const unique = (places: string[], field: string, values: (string | undefined)[]) => {
    const seen = new Map<string, string>()
    values.forEach((v, i) => {
      if (v === undefined) return
      const first = seen.get(v)
      if (first) problems.push(`${places[i]}/${field}: duplicate "${v}" (first at ${first})`)
      else seen.set(v, places[i]!)
    })
  }
  const exists = (
    places: string[],
    field: string,
    values: string[],
    known: string[],
    what: string,
  ) => {
    const set = new Set(known)
    values.forEach((v, i) => {
      if (!set.has(v)) problems.push(`${places[i]}/${field}: "${v}" is not a fixture ${what}`)
    })
  }
  const { users, sessions, organizations: orgs, members, member_sessions: memberSessions } = f
  unique(
    where.users,
    'user_id',
    users.map((u) => u.user_id),
  )
  unique(
    where.m2m_clients,
    'client_id',
    f.m2m_clients.map((c) => c.client_id),
  )
  unique(
    where.connected_apps,
    'client_id',
    f.connected_apps.map((c) => c.client_id),
  )
  unique(
    where.users,
    'email',
    users.map((u) => u.email?.toLowerCase()),
  )
  unique(
    where.users,
    'external_id',
    users.map((u) => u.external_id),
  )
  unique(
    where.organizations,
    'organization_id',
    orgs.map((o) => o.organization_id),
  )
  unique(
    where.organizations,
    'organization_slug',
    orgs.map((o) => o.organization_slug),
  )
  unique(
    where.members,
    'member_id',
    members.map((m) => m.member_id),
  )
  unique(
    where.members,
    'email_address',
    members.map((m) => `${m.organization_id} ${m.email_address.toLowerCase()}`),
  )
  // Consumer and member sessions share ids and tokens' namespace.
  const allSessions = [...where.sessions, ...where.member_sessions]
  unique(allSessions, 'session_id', [
    ...sessions.map((s) => s.session_id),
    ...memberSessions.map((s) => s.member_session_id),
  ])
  unique(
    allSessions,
    'session_token',
    [...sessions, ...memberSessions].map((s) => s.session_token),
  )
  exists(
    where.sessions,
    'user_id',
    sessions.map((s) => s.user_id),
    users.map((u) => u.user_id),
    'user',
  )
  exists(
    where.members,
    'organization_id',
    members.map((m) => m.organization_id),
    orgs.map((o) => o.organization_id),
    'organization',
  )
  exists(
    where.member_sessions,
    'member_id',
    memberSessions.map((s) => s.member_id),
    members.map((m) => m.member_id),
    'member',
  )
  if (problems.length > 0) throw new FixtureError(problems.join('\n'))
}

export interface SeedDeps {
  db: Db
  clock: Clock
  users: UserStore
  orgs: OrganizationStore
  consumer: ConsumerSessions
  members: MemberSessions
  passwords: PasswordStore
  totps: Totps
}

export function seedFixtures(f: Fixtures, deps: SeedDeps): void {
  const now = deps.clock.nowSeconds()
  deps.db.transaction(() => {
    for (const u of f.users) {
      const user = buildUser(u, now)
      if (u.password !== undefined) {
        deps.passwords.put(u.user_id, hashPasswordSync(u.password))
        user.password = {
          password_id: `password-test-${u.user_id.slice(-36)}`,
          requires_reset: false,
        }
      }
      deps.users.insert(user, u.email?.toLowerCase() ?? null, u.external_id ?? null)
    }
    for (const s of f.sessions) {
      deps.consumer.insert({
        ...s,
        duration_minutes: s.expires_in_minutes ?? DEFAULT_EXPIRY_MINUTES,
        authentication_factors: s.authentication_factors ?? [
          emailMagicLinkFactor(userFactorEmail(deps.users.byId(s.user_id)!), now),
        ],
      })
    }
    for (const o of f.organizations) deps.orgs.insertOrganization(buildOrganization(o, now))
    for (const m of f.members) {
      const { totp_secret, ...fields } = m
      const totp = totp_secret
        ? deps.totps.migrate(
            { owner_id: m.member_id, organization_id: m.organization_id },
            totp_secret,
            [],
          )
        : undefined
      const member = buildMember({ ...fields, totp_registration_id: totp?.totp_id }, now)
      if (m.password !== undefined) {
        deps.passwords.put(m.member_id, hashPasswordSync(m.password))
        member.member_password_id = `member-password-test-${m.member_id.slice(-36)}`
      }
      deps.orgs.insertMember(member)
    }
    for (const s of f.member_sessions) {
      deps.members.insert({
        ...s,
        session_id: s.member_session_id,
        duration_minutes: s.expires_in_minutes ?? DEFAULT_EXPIRY_MINUTES,
        authentication_factors: s.authentication_factors ?? [
          emailMagicLinkFactor(memberFactorEmail(deps.orgs.member(s.member_id)!), now),
        ],
      })
    }
  })()
}
