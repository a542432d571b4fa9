// Fixture files: read, validated against fixtures/fixtures.schema.json, and seeded in one transaction.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { packageRoot } from '../paths.js'
import type { Db } from '../store/db.js'
import type { UserStore } from '../store/users.js'
import type { Clock } from '../clock.js'
import type { JsonObject } from './claims.js'
import type { ConsumerSessions } from './consumer.js'
import { buildUser, emailMagicLinkFactor, type NewUser } from './users.js'

export interface FixtureSession {
  session_id: string
  user_id: string
  session_token: string
  expires_in_minutes?: number
  started_at?: string
  authentication_factors?: unknown[]
  attributes?: JsonObject
  custom_claims?: JsonObject
  roles?: string[]
}

export interface Fixtures {
  users: (NewUser & { user_id: string })[]
  sessions: FixtureSession[]
}

export class FixtureError extends Error {}

const DEFAULT_EXPIRY_MINUTES = 525600

/** Loads a fixture file, or every *.json file of a folder (in name order). */
export function loadFixtures(path: string): Fixtures {
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
        .sort()
        .map((f) => join(path, f))
    : [path]
  const validate = compileSchema()
  const all: Fixtures = { users: [], sessions: [] }
  // Where each user and session came from, so cross-file problems name the file and JSON path.
  const where = { users: [] as string[], sessions: [] as string[] }
  for (const file of files) {
    let data: unknown
    try {
      data = JSON.parse(readFileSync(file, 'utf8'))
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
    for (const kind of ['users', 'sessions'] as const) {
      const items = fixtures[kind] ?? []
      ;(all[kind] as unknown[]).push(...items)
      where[kind].push(...items.map((_, i) => `${file}: /${kind}/${i}`))
    }
  }
  checkReferences(all, where)
  return all
}

function compileSchema() {
  const schema = JSON.parse(readFileSync(join(packageRoot(), 'fixtures', 'fixtures.schema.json'), 'utf8'))
  const ajv = new Ajv2020({ allErrors: true })
  addFormats.default(ajv)
  return ajv.compile(schema)
}

function checkReferences({ users, sessions }: Fixtures, where: { users: string[]; sessions: string[] }): void {
  const problems: string[] = []
  const unique = (kind: 'users' | 'sessions', field: string, values: (string | undefined)[]) => {
    const seen = new Map<string, string>()
    values.forEach((v, i) => {
      if (v === undefined) return
      const first = seen.get(v)
      if (first) problems.push(`${where[kind][i]}/${field}: duplicate "${v}" (first at ${first})`)
      else seen.set(v, where[kind][i]!)
    })
  }
  unique('users', 'user_id', users.map((u) => u.user_id))
  unique('users', 'email', users.map((u) => u.email?.toLowerCase()))
  unique('users', 'external_id', users.map((u) => u.external_id))
  unique('sessions', 'session_id', sessions.map((s) => s.session_id))
  unique('sessions', 'session_token', sessions.map((s) => s.session_token))
  const userIds = new Set(users.map((u) => u.user_id))
  sessions.forEach((s, i) => {
    if (!userIds.has(s.user_id)) problems.push(`${where.sessions[i]}/user_id: "${s.user_id}" is not a fixture user`)
  })
  if (problems.length > 0) throw new FixtureError(problems.join('\n'))
}

export function seedFixtures(
  fixtures: Fixtures,
  deps: { db: Db; users: UserStore; consumer: ConsumerSessions; clock: Clock },
): void {
  const now = deps.clock.nowSeconds()
  deps.db.transaction(() => {
    for (const u of fixtures.users) {
      deps.users.insert(buildUser(u, now), u.email?.toLowerCase() ?? null, u.external_id ?? null)
    }
    for (const s of fixtures.sessions) {
      const user = deps.users.byId(s.user_id)!
      deps.consumer.insert({
        ...s,
        duration_minutes: s.expires_in_minutes ?? DEFAULT_EXPIRY_MINUTES,
        authentication_factors: s.authentication_factors ?? [emailMagicLinkFactor(user, now)],
      })
    }
  })()
}
