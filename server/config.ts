// loadConfig(env) -> Config. Pure: reads only the object it is given, reports every problem at once.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from './paths.js'

export interface Config {
  host: string
  port: number
  projectId: string
  secret: string
  publicToken: string
  /** ':memory:' or a file path. */
  db: string
  /** A fixture file or a folder of them. */
  fixtures: string
  /** A PEM file with an RSA private key (and optionally its certificate). */
  signingKey: string
  logLevel: 'silent' | 'error' | 'info' | 'debug'
}

export const DEFAULTS = {
  HOST: '127.0.0.1',
  PORT: '9010',
  STYTCH_PROJECT_ID: 'project-test-11111111-1111-4111-8111-111111111111',
  STYTCH_SECRET: 'secret-test-stytch-mock-local-only-00000000000=',
  STYTCH_PUBLIC_TOKEN: 'public-token-test-11111111-1111-4111-8111-111111111111',
  STYTCH_MOCK_DB: ':memory:',
  STYTCH_MOCK_FIXTURES: join(packageRoot(), 'fixtures'),
  STYTCH_MOCK_SIGNING_KEY: join(packageRoot(), 'fixtures', 'signing-key.pem'),
  LOG_LEVEL: 'info',
} as const

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

const LOG_LEVELS = ['silent', 'error', 'info', 'debug'] as const

export function loadConfig(env: Record<string, string | undefined>): Config {
  const problems: string[] = []
  const get = (name: keyof typeof DEFAULTS) => {
    const value = env[name]
    return value === undefined || value === '' ? DEFAULTS[name] : value
  }

  const port = Number(get('PORT'))
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`PORT must be an integer from 0 to 65535, got "${get('PORT')}"`)
  }
  const projectId = get('STYTCH_PROJECT_ID')
  if (!/^project-(test|live)-[A-Za-z0-9-]+$/.test(projectId)) {
    problems.push(
      `STYTCH_PROJECT_ID must look like project-test-<uuid> (Stytch's SDKs pick their base URL from the prefix), got "${projectId}"`,
    )
  }
  const secret = get('STYTCH_SECRET')
  if (/[\s:]/.test(secret)) problems.push('STYTCH_SECRET must not contain white space or ":"')
  const publicToken = get('STYTCH_PUBLIC_TOKEN')
  if (!/^public-token-(test|live)-[A-Za-z0-9-]+$/.test(publicToken)) {
    problems.push(`STYTCH_PUBLIC_TOKEN must look like public-token-test-<uuid>, got "${publicToken}"`)
  }
  const fixtures = get('STYTCH_MOCK_FIXTURES')
  if (!existsSync(fixtures)) problems.push(`STYTCH_MOCK_FIXTURES: no such file or folder "${fixtures}"`)
  const signingKey = get('STYTCH_MOCK_SIGNING_KEY')
  if (!existsSync(signingKey)) problems.push(`STYTCH_MOCK_SIGNING_KEY: no such file "${signingKey}"`)
  const logLevel = get('LOG_LEVEL')
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`)
  }

  if (problems.length > 0) throw new ConfigError(problems)
  return {
    host: get('HOST'),
    port,
    projectId,
    secret,
    publicToken,
    db: get('STYTCH_MOCK_DB'),
    fixtures,
    signingKey,
    logLevel: logLevel as Config['logLevel'],
  }
}
