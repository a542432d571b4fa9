// Command-line flags: each mirrors an environment variable and wins over it. Pure: argv in, plan out.
import { parseArgs } from 'node:util'

/** flag name -> [environment variable, help]. */
export const FLAGS = {
  port: ['PORT', 'HTTP port (0: any free port)'],
  host: ['HOST', 'address to listen on (0.0.0.0 in a container)'],
  'https-port': ['HTTPS_PORT', 'HTTPS port, or "off"'],
  'project-id': ['STYTCH_PROJECT_ID', 'project id (Basic user name; JWT aud and iss)'],
  secret: ['STYTCH_SECRET', 'project secret (Basic password)'],
  'public-token': ['STYTCH_PUBLIC_TOKEN', 'frontend SDK public token of the consumer project'],
  'b2b-public-token': ['STYTCH_B2B_PUBLIC_TOKEN', 'frontend SDK public token of the B2B project'],
  db: ['STYTCH_MOCK_DB', 'SQLite database: :memory: or a file that keeps state across restarts'],
  fixtures: ['STYTCH_MOCK_FIXTURES', 'fixture file or folder'],
  'signing-key': ['STYTCH_MOCK_SIGNING_KEY', 'PEM file with the RSA key that signs session JWTs'],
  'data-dir': ['STYTCH_MOCK_DATA_DIR', 'folder for the local CA and TLS certificate'],
  'tls-cert': ['STYTCH_MOCK_TLS_CERT', 'your own TLS certificate (PEM), instead of the local CA'],
  'tls-key': ['STYTCH_MOCK_TLS_KEY', 'its private key (PEM)'],
  'tls-hostnames': [
    'STYTCH_MOCK_TLS_HOSTNAMES',
    'extra names for the certificate, comma-separated',
  ],
  'httponly-cookies': [
    'STYTCH_MOCK_HTTPONLY_COOKIES',
    'true: frontend SDK tokens only in HttpOnly cookies',
  ],
  'allowed-origins': [
    'STYTCH_MOCK_ALLOWED_ORIGINS',
    'origins allowed to call /sdk/v1, comma-separated',
  ],
  'redirect-url': [
    'STYTCH_MOCK_REDIRECT_URL',
    'where links lead when the call names no redirect URL (both projects, every kind)',
  ],
  'consumer-redirect-urls': [
    'STYTCH_MOCK_CONSUMER_REDIRECT_URLS',
    "the consumer project's: a URL, or login=,signup=,reset=,invite= URLs",
  ],
  'b2b-redirect-urls': [
    'STYTCH_MOCK_B2B_REDIRECT_URLS',
    "the B2B project's: a URL, or login=,signup=,reset=,invite=,discovery= URLs",
  ],
  'otp-code': ['STYTCH_MOCK_OTP_CODE', 'six digits: every one-time passcode is this one'],
  'password-policy': [
    'STYTCH_MOCK_PASSWORD_POLICY',
    'zxcvbn (default), luds, or luds:<length>:<classes>: the password strength rule',
  ],
  'session-migration-url': [
    'STYTCH_MOCK_SESSION_MIGRATION_URL',
    "sessions.migrate: your old provider's OIDC userinfo URL",
  ],
  pkce: ['STYTCH_MOCK_PKCE', 'true: the bootstrap asks the frontend SDK for PKCE everywhere'],
  'create-organizations': [
    'STYTCH_MOCK_CREATE_ORGANIZATIONS',
    "true: the pre-built B2B UI offers 'Create an organization'",
  ],
  'siwe-required': [
    'STYTCH_MOCK_SIWE_REQUIRED',
    'true: Ethereum wallets sign in with Sign-In with Ethereum messages from the frontend SDK',
  ],
  'log-level': ['LOG_LEVEL', 'silent, error, warn, info or debug'],
} as const

export type CliPlan =
  | { action: 'help' }
  | { action: 'version' }
  | { action: 'start' | 'print-env'; env: Record<string, string> }

export function parseCli(argv: string[]): CliPlan {
  const options = Object.fromEntries(
    Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }]),
  )
  const { values } = parseArgs({
    args: argv,
    options: {
      ...options,
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      'print-env': { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  })
  if (values.help) return { action: 'help' }
  if (values.version) return { action: 'version' }
  const env: Record<string, string> = {}
  for (const [flag, [variable]] of Object.entries(FLAGS)) {
    const value = (values as Record<string, unknown>)[flag]
    if (typeof value === 'string') env[variable] = value
  }
  return { action: values['print-env'] ? 'print-env' : 'start', env }
}

export function helpText(version: string): string {
  const width = Math.max(...Object.keys(FLAGS).map((f) => f.length)) + 2
  return [
    `stytch-mock ${version}: a local stand-in for Stytch's session API`,
    '',
    'Usage: stytch-mock [flags]',
    '',
    'Flags (each also an environment variable; a flag wins):',
    ...Object.entries(FLAGS).map(
      ([flag, [variable, help]]) => `  --${flag.padEnd(width)}${help}  [${variable}]`,
    ),
    `  --${'print-env'.padEnd(width)}print the environment your app needs, KEY=value lines: eval "$(stytch-mock --print-env | sed 's/^/export /')"`,
    `  --${'version'.padEnd(width)}print the version`,
    `  --${'help'.padEnd(width)}this text`,
  ].join('\n')
}
