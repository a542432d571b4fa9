// loadConfig(env) -> Config. Pure: reads only the object it is given, reports every problem at once.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from './paths.js'

export interface Config {
  host: string
  port: number
  /** null: no HTTPS listener. */
  httpsPort: number | null
  projectId: string
  secret: string
  /** Frontend SDK public tokens: one for a consumer project, one for a B2B project. */
  publicToken: string
  b2bPublicToken: string
  /** ':memory:' or a file path. */
  db: string
  /** A fixture file or a folder of them. */
  fixtures: string
  /** A PEM file with an RSA private key (and optionally its certificate). */
  signingKey: string
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug'
  /** Where the local CA and TLS certificate live. */
  dataDir: string
  tlsCert: string | undefined
  tlsKey: string | undefined
  tlsHostnames: string[]
  /** Frontend SDK: tokens only in HttpOnly cookies, as with Stytch's HttpOnly cookie setting. */
  httpOnlyCookies: boolean
  /** Frontend SDK: the origins allowed to call /sdk/v1 (Stytch's authorized domains); null for any. */
  allowedOrigins: string[] | null
  /**
   * Login flows: where a link (or an OAuth or SSO login) leads when the call names no redirect
   * URL, per project and kind, as each Stytch project has its default redirect URLs.
   */
  redirectUrls: RedirectUrls
  /** Login flows: every one-time passcode is this one (tests that type it blindly); else random. */
  otpCode: string | undefined
  /** sessions.migrate: the external OIDC provider's userinfo URL (Stytch's dashboard setting). */
  sessionMigrationUrl: string | undefined
  /** Frontend SDK bootstrap: every pkce_required_for_* (OAuth, magic links, resets, SSO). */
  pkce: boolean
  /** Frontend SDK bootstrap: B2B members may create organizations (create_organization_enabled). */
  createOrganizations: boolean
  /** Frontend SDK bootstrap: Ethereum wallets sign in with SIWE (siwe_required_for_crypto_wallets). */
  siweRequired: boolean
  /** Passwords: the project's strength policy, for consumer and B2B passwords alike. */
  passwordPolicy: PasswordPolicyConfig
}

export type PasswordPolicyConfig =
  { kind: 'zxcvbn' } | { kind: 'luds'; minimumCount: number; complexity: number }

export const CONSUMER_REDIRECTS = ['login', 'signup', 'reset', 'invite'] as const
export const B2B_REDIRECTS = [...CONSUMER_REDIRECTS, 'discovery'] as const
export interface RedirectUrls {
  consumer: Record<(typeof CONSUMER_REDIRECTS)[number], string>
  b2b: Record<(typeof B2B_REDIRECTS)[number], string>
}

export const DEFAULTS = {
  HOST: '127.0.0.1',
  PORT: '9010',
  STYTCH_PROJECT_ID: 'project-test-11111111-1111-4111-8111-111111111111',
  STYTCH_SECRET: 'secret-test-stytch-mock-local-only-00000000000=',
  HTTPS_PORT: '9443',
  STYTCH_PUBLIC_TOKEN: 'public-token-test-11111111-1111-4111-8111-111111111111',
  STYTCH_B2B_PUBLIC_TOKEN: 'public-token-test-22222222-2222-4222-8222-222222222222',
  STYTCH_MOCK_DB: ':memory:',
  STYTCH_MOCK_FIXTURES: join(packageRoot(), 'fixtures'),
  STYTCH_MOCK_SIGNING_KEY: join(packageRoot(), 'fixtures', 'signing-key.pem'),
  LOG_LEVEL: 'info',
  STYTCH_MOCK_DATA_DIR: '.stytch-mock',
  STYTCH_MOCK_TLS_CERT: '',
  STYTCH_MOCK_TLS_KEY: '',
  STYTCH_MOCK_TLS_HOSTNAMES: '',
  STYTCH_MOCK_HTTPONLY_COOKIES: 'false',
  STYTCH_MOCK_ALLOWED_ORIGINS: '',
  STYTCH_MOCK_REDIRECT_URL: 'http://localhost:3000/authenticate',
  STYTCH_MOCK_CONSUMER_REDIRECT_URLS: '',
  STYTCH_MOCK_B2B_REDIRECT_URLS: '',
  STYTCH_MOCK_OTP_CODE: '',
  STYTCH_MOCK_SESSION_MIGRATION_URL: '',
  STYTCH_MOCK_PKCE: 'false',
  STYTCH_MOCK_CREATE_ORGANIZATIONS: 'false',
  STYTCH_MOCK_SIWE_REQUIRED: 'false',
  STYTCH_MOCK_PASSWORD_POLICY: 'zxcvbn',
} as const

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const

export function loadConfig(env: Record<string, string | undefined>): Config {
  const problems: string[] = []
  const get = (name: keyof typeof DEFAULTS): string => {
    const value = env[name]
    return value === undefined || value === '' ? DEFAULTS[name] : value
  }
  const list = (name: keyof typeof DEFAULTS) =>
    get(name)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)

  const port = Number(get('PORT'))
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`PORT must be an integer from 0 to 65535, got "${get('PORT')}"`)
  }
  const httpsRaw = get('HTTPS_PORT')
  const httpsPort = httpsRaw === 'off' ? null : Number(httpsRaw)
  if (httpsPort !== null && (!Number.isInteger(httpsPort) || httpsPort < 0 || httpsPort > 65535)) {
    problems.push(`HTTPS_PORT must be an integer from 0 to 65535, or "off", got "${httpsRaw}"`)
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
  const b2bPublicToken = get('STYTCH_B2B_PUBLIC_TOKEN')
  for (const [name, token] of [
    ['STYTCH_PUBLIC_TOKEN', publicToken],
    ['STYTCH_B2B_PUBLIC_TOKEN', b2bPublicToken],
  ]) {
    // Why: the frontend SDKs pick test.stytch.com or api.stytch.com from "public-token-test".
    if (!/^public-token-(test|live)-[A-Za-z0-9-]+$/.test(token!)) {
      problems.push(`${name} must look like public-token-test-<uuid>, got "${token}"`)
    }
  }
  if (publicToken === b2bPublicToken)
    problems.push('STYTCH_PUBLIC_TOKEN and STYTCH_B2B_PUBLIC_TOKEN must differ')
  const tlsCert = env.STYTCH_MOCK_TLS_CERT || undefined
  const tlsKey = env.STYTCH_MOCK_TLS_KEY || undefined
  if (Boolean(tlsCert) !== Boolean(tlsKey))
    problems.push('STYTCH_MOCK_TLS_CERT and STYTCH_MOCK_TLS_KEY go together')
  for (const [name, file] of [
    ['STYTCH_MOCK_TLS_CERT', tlsCert],
    ['STYTCH_MOCK_TLS_KEY', tlsKey],
  ]) {
    if (file && !existsSync(file)) problems.push(`${name}: no such file "${file}"`)
  }
  const flag = (name: keyof typeof DEFAULTS) => {
    const value = get(name)
    if (!['true', 'false'].includes(value))
      problems.push(`${name} must be true or false, got "${value}"`)
    return value === 'true'
  }
  const httpOnly = flag('STYTCH_MOCK_HTTPONLY_COOKIES')
  const pkce = flag('STYTCH_MOCK_PKCE')
  const createOrganizations = flag('STYTCH_MOCK_CREATE_ORGANIZATIONS')
  const siweRequired = flag('STYTCH_MOCK_SIWE_REQUIRED')
  const allowedOrigins = list('STYTCH_MOCK_ALLOWED_ORIGINS')
  for (const origin of allowedOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      problems.push(
        `STYTCH_MOCK_ALLOWED_ORIGINS: "${origin}" is not an origin like http://localhost:3000`,
      )
    }
  }
  const isUrl = (url: string) => /^https?:\/\/\S+$/.test(url) && URL.canParse(url)
  const redirectUrl = get('STYTCH_MOCK_REDIRECT_URL')
  if (!isUrl(redirectUrl))
    problems.push(
      `STYTCH_MOCK_REDIRECT_URL: "${redirectUrl}" is not a URL like http://localhost:3000/authenticate`,
    )
  /** `url`, or `kind=url,...` (a bare URL for the kinds not named), over the project default. */
  const redirects = <K extends string>(name: keyof typeof DEFAULTS, kinds: readonly K[]) => {
    const urls = Object.fromEntries(kinds.map((k) => [k, redirectUrl])) as Record<K, string>
    const items = list(name).map((item) => {
      const m = /^([a-z]+)=(.*)$/.exec(item)
      return m ? { kind: m[1]!, url: m[2]! } : { kind: undefined, url: item }
    })
    for (const { kind, url } of [...items.filter((i) => !i.kind), ...items.filter((i) => i.kind)]) {
      if (kind !== undefined && !(kinds as readonly string[]).includes(kind))
        problems.push(`${name}: "${kind}" is not one of ${kinds.join(', ')}`)
      else if (!isUrl(url)) problems.push(`${name}: "${url}" is not a URL`)
      else if (kind === undefined) for (const k of kinds) urls[k] = url
      else urls[kind as K] = url
    }
    return urls
  }
  const redirectUrls: RedirectUrls = {
    consumer: redirects('STYTCH_MOCK_CONSUMER_REDIRECT_URLS', CONSUMER_REDIRECTS),
    b2b: redirects('STYTCH_MOCK_B2B_REDIRECT_URLS', B2B_REDIRECTS),
  }
  const sessionMigrationUrl = get('STYTCH_MOCK_SESSION_MIGRATION_URL')
  if (sessionMigrationUrl !== '' && !isUrl(sessionMigrationUrl))
    problems.push(
      `STYTCH_MOCK_SESSION_MIGRATION_URL: "${sessionMigrationUrl}" is not a URL like http://localhost:4000/userinfo`,
    )
  const otpCode = get('STYTCH_MOCK_OTP_CODE')
  if (otpCode !== '' && !/^[0-9]{6}$/.test(otpCode))
    problems.push(`STYTCH_MOCK_OTP_CODE must be six digits, got "${otpCode}"`)
  const fixtures = get('STYTCH_MOCK_FIXTURES')
  if (!existsSync(fixtures))
    problems.push(`STYTCH_MOCK_FIXTURES: no such file or folder "${fixtures}"`)
  const signingKey = get('STYTCH_MOCK_SIGNING_KEY')
  if (!existsSync(signingKey))
    problems.push(`STYTCH_MOCK_SIGNING_KEY: no such file "${signingKey}"`)
  const passwordPolicy = parsePasswordPolicy(get('STYTCH_MOCK_PASSWORD_POLICY'))
  if (typeof passwordPolicy === 'string') problems.push(passwordPolicy)
  const logLevel = get('LOG_LEVEL')
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`)
  }

  if (problems.length > 0) throw new ConfigError(problems)
  return {
    host: get('HOST'),
    port,
    httpsPort,
    projectId,
    secret,
    publicToken,
    b2bPublicToken,
    db: get('STYTCH_MOCK_DB'),
    fixtures,
    signingKey,
    logLevel: logLevel as Config['logLevel'],
    dataDir: get('STYTCH_MOCK_DATA_DIR'),
    tlsCert,
    tlsKey,
    tlsHostnames: list('STYTCH_MOCK_TLS_HOSTNAMES'),
    httpOnlyCookies: httpOnly,
    allowedOrigins: allowedOrigins.length > 0 ? allowedOrigins : null,
    redirectUrls,
    otpCode: otpCode || undefined,
    sessionMigrationUrl: sessionMigrationUrl || undefined,
    pkce,
    createOrganizations,
    siweRequired,
    passwordPolicy: passwordPolicy as PasswordPolicyConfig,
  }
}

/** `zxcvbn`, `luds` (8 characters, 3 classes) or `luds:<minimum length>:<classes>`. */
function parsePasswordPolicy(value: string): PasswordPolicyConfig | string {
  if (value === 'zxcvbn') return { kind: 'zxcvbn' }
  const luds = /^luds(?::(\d+):(\d+))?$/.exec(value)
  const minimumCount = Number(luds?.[1] ?? 8)
  const complexity = Number(luds?.[2] ?? 3)
  // Stytch's dashboard: a minimum length of 8 to 32, and 1 to 4 character classes.
  if (luds && minimumCount >= 8 && minimumCount <= 32 && complexity >= 1 && complexity <= 4)
    return { kind: 'luds', minimumCount, complexity }
  return `STYTCH_MOCK_PASSWORD_POLICY must be zxcvbn, luds or luds:<8-32>:<1-4>, got "${value}"`
}
