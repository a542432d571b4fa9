// The programmatic API: `import { startStytchMock } from 'stytch-mock'` starts the mock in-process
// on a free port, for vitest / jest / Playwright global set-up.
import { loadConfig } from './config.js'
import type { Fault, FaultInput } from './platform/journal/faults.js'
import type { JournalEntry } from './platform/journal/journal.js'
import type { OutboxMessage } from './platform/login/message.js'
import { listen } from './listen.js'
import { unsupportedNode } from './runtime.js'

export type { Fault, FaultInput, JournalEntry, OutboxMessage }

export interface StytchMockOptions {
  /** HTTP port; default 0 (a free one). */
  port?: number
  /** HTTPS port, or 'off' (the default in-process: Node trusts a new CA only at start-up). */
  httpsPort?: number | 'off'
  host?: string
  /** A fixture file or folder; default the bundled fixtures. */
  fixtures?: string
  /** ':memory:' (default) or a SQLite file. */
  db?: string
  /** Any other setting, by environment variable name (see the README's table). */
  env?: Record<string, string>
  /** Default 'silent'. */
  logLevel?: 'silent' | 'error' | 'info' | 'debug'
}

/** What `POST /_mock/sessions` returns: the session, its token, a fresh JWT and the user. */
export interface SeededSession {
  status_code: 200
  request_id: string
  session: { session_id: string; user_id: string; expires_at: string; [field: string]: unknown }
  session_token: string
  session_jwt: string
  user: { user_id: string; [field: string]: unknown }
}

export interface SeededMemberSession {
  status_code: 200
  request_id: string
  member_session: {
    member_session_id: string
    member_id: string
    organization_id: string
    [field: string]: unknown
  }
  session_token: string
  session_jwt: string
  member: { member_id: string; email_address: string; [field: string]: unknown }
  organization: { organization_id: string; organization_slug: string; [field: string]: unknown }
}

export interface ClockState {
  now: string
  now_unix: number
  offset_seconds: number
  frozen: boolean
}

export interface StytchMock {
  /** e.g. http://127.0.0.1:53124, for the Node SDK's `env: url + '/'` and the browser SDK's endpoints. */
  url: string
  httpsUrl: string | null
  /** The local CA file (HTTPS on), for NODE_EXTRA_CA_CERTS in a child process. */
  caFile: string | null
  projectId: string
  secret: string
  publicToken: string
  b2bPublicToken: string
  /** The environment an app needs, as `stytch-mock --print-env` prints it. */
  env: Record<string, string>
  /** POST /_mock/sessions: a logged-in user (created if new). */
  createSession(body: Record<string, unknown>): Promise<SeededSession>
  /** POST /_mock/b2b/sessions: a logged-in member (organization and member created if new). */
  createMemberSession(body: Record<string, unknown>): Promise<SeededMemberSession>
  /** POST /_mock/reset: back to the fixtures. */
  reset(): Promise<void>
  snapshot(): Promise<string>
  restore(snapshotId: string): Promise<void>
  clock: {
    get(): Promise<ClockState>
    advance(seconds: number): Promise<ClockState>
    set(now: Date | string | number, options?: { freeze?: boolean }): Promise<ClockState>
    reset(): Promise<ClockState>
  }
  faults: { add(fault: FaultInput): Promise<Fault>; clear(): Promise<void> }
  requests(filter?: { path?: string; method?: string; limit?: number }): Promise<JournalEntry[]>
  /** GET /_mock/outbox: the passcodes and links the login flows sent, newest last. */
  outbox(filter?: { to?: string; limit?: number }): Promise<OutboxMessage[]>
  /** The newest one-time passcode sent to an email address or phone number. */
  latestCode(to: string): Promise<string>
  /** The newest magic link (its full URL) sent to an email address. */
  latestLink(to: string): Promise<string>
  /** The newest password reset link (its full URL: the reset page with the token) sent there. */
  latestResetLink(to: string): Promise<string>
  /** DELETE /_mock/outbox */
  clearOutbox(): Promise<void>
  /**
   * GET /_mock/totps/{id}: the code the authenticator app of this user's or member's TOTP
   * registration shows now, on the mock's clock. A code works once per 30-second window.
   */
  totpCode(userOrMemberId: string): Promise<string>
  /** POST /_mock/users: a user with a password (and phone number), ready to log in. */
  createUser(body: {
    email: string
    password?: string
    phone_number?: string
  }): Promise<{ user_id: string; user: Record<string, unknown> }>
  /**
   * POST /_mock/oauth/answers: the next OAuth start (of `provider`, or any) skips the consent
   * page and logs in as this email, or is denied.
   */
  answerOAuth(
    answer: { email: string; name?: string; provider?: string } | { deny: true; provider?: string },
  ): Promise<void>
  /**
   * POST /_mock/sso/answers: the next SSO start (of `connection_id`, or any) skips the identity
   * provider's page and logs in as this identity (its groups and attributes read through the
   * connection's attribute mapping), or is denied.
   */
  answerSSO(
    answer:
      | {
          email: string
          connection_id?: string
          first_name?: string
          last_name?: string
          name?: string
          groups?: string[]
          external_id?: string
          attributes?: Record<string, string | string[]>
        }
      | { deny: true; connection_id?: string },
  ): Promise<void>
  /**
   * An impersonation token, as the Stytch dashboard's "Impersonate" button makes it: for a user
   * (`user_id`) or a member (`organization_id`, `member_id`); `url` opens your login page with it.
   */
  impersonate(
    who:
      | { user_id: string; impersonator_email_address?: string }
      | { organization_id: string; member_id: string; impersonator_email_address?: string },
  ): Promise<{ impersonation_token: string; expires_at: string; url: string }>
  close(): Promise<void>
}

export async function startStytchMock(options: StytchMockOptions = {}): Promise<StytchMock> {
  const tooOld = unsupportedNode()
  if (tooOld) throw new Error(`stytch-mock: ${tooOld}`)
  const set = (name: string, value: string | number | undefined) =>
    value === undefined ? {} : { [name]: String(value) }
  const config = loadConfig({
    ...options.env,
    PORT: String(options.port ?? 0),
    HTTPS_PORT: String(options.httpsPort ?? 'off'),
    LOG_LEVEL: options.logLevel ?? 'silent',
    ...set('HOST', options.host),
    ...set('STYTCH_MOCK_FIXTURES', options.fixtures),
    ...set('STYTCH_MOCK_DB', options.db),
  })
  const running = await listen(config)
  const auth = 'Basic ' + Buffer.from(`${config.projectId}:${config.secret}`).toString('base64')
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${running.url}${path}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const json = (await res.json()) as T & { error_type?: string; error_message?: string }
    if (!res.ok)
      throw new Error(
        `stytch-mock ${method} ${path}: ${res.status} ${json.error_type}: ${json.error_message}`,
      )
    return json
  }
  const clock = (body: unknown) => control<ClockState>('POST', '/_mock/clock', body)
  const outbox = async (filter: { to?: string; limit?: number }) => {
    const query = new URLSearchParams(
      Object.entries(filter).map(([k, v]) => [k, String(v)]),
    ).toString()
    return (
      await control<{ messages: OutboxMessage[] }>(
        'GET',
        `/_mock/outbox${query ? `?${query}` : ''}`,
      )
    ).messages
  }
  return {
    url: running.url,
    httpsUrl: running.httpsUrl,
    caFile: running.caFile,
    projectId: config.projectId,
    secret: config.secret,
    publicToken: config.publicToken,
    b2bPublicToken: config.b2bPublicToken,
    env: {
      STYTCH_PROJECT_ID: config.projectId,
      STYTCH_SECRET: config.secret,
      STYTCH_PUBLIC_TOKEN: config.publicToken,
      STYTCH_B2B_PUBLIC_TOKEN: config.b2bPublicToken,
      STYTCH_MOCK_URL: running.url,
      ...(running.httpsUrl ? { STYTCH_MOCK_HTTPS_URL: running.httpsUrl } : {}),
      ...(running.caFile ? { NODE_EXTRA_CA_CERTS: running.caFile } : {}),
    },
    createSession: (body) => control('POST', '/_mock/sessions', body),
    createMemberSession: (body) => control('POST', '/_mock/b2b/sessions', body),
    reset: async () => void (await control('POST', '/_mock/reset')),
    snapshot: async () =>
      (await control<{ snapshot_id: string }>('POST', '/_mock/snapshots')).snapshot_id,
    restore: async (id) =>
      void (await control('POST', `/_mock/snapshots/${encodeURIComponent(id)}/restore`)),
    clock: {
      get: () => control('GET', '/_mock/clock'),
      advance: (seconds) => clock({ advance_seconds: seconds }),
      set: (now, opts = {}) =>
        clock({
          now: now instanceof Date ? now.toISOString() : now,
          ...(opts.freeze === undefined ? {} : { freeze: opts.freeze }),
        }),
      reset: () => clock({ reset: true }),
    },
    faults: {
      add: async (fault) => (await control<{ fault: Fault }>('POST', '/_mock/faults', fault)).fault,
      clear: async () => void (await control('DELETE', '/_mock/faults')),
    },
    requests: async (filter = {}) => {
      const query = new URLSearchParams(
        Object.entries(filter).map(([k, v]) => [k, String(v)]),
      ).toString()
      return (
        await control<{ requests: JournalEntry[] }>(
          'GET',
          `/_mock/requests${query ? `?${query}` : ''}`,
        )
      ).requests
    },
    outbox: (filter = {}) => outbox(filter),
    latestCode: async (to) => {
      const code = (await outbox({ to })).filter((m) => m.otp_code).at(-1)?.otp_code
      if (!code) throw new Error(`stytch-mock: no passcode in the outbox for ${to}`)
      return code
    },
    latestLink: async (to) => {
      const url = (await outbox({ to })).filter((m) => m.kind === 'magic_link').at(-1)?.url
      if (!url) throw new Error(`stytch-mock: no magic link in the outbox for ${to}`)
      return url
    },
    latestResetLink: async (to) => {
      const url = (await outbox({ to })).filter((m) => m.kind === 'password_reset').at(-1)?.url
      if (!url) throw new Error(`stytch-mock: no password reset link in the outbox for ${to}`)
      return url
    },
    clearOutbox: async () => void (await control('DELETE', '/_mock/outbox')),
    totpCode: async (id) =>
      (await control<{ code: string }>('GET', `/_mock/totps/${encodeURIComponent(id)}`)).code,
    createUser: (body) => control('POST', '/_mock/users', body),
    answerOAuth: async (answer) => void (await control('POST', '/_mock/oauth/answers', answer)),
    answerSSO: async (answer) => void (await control('POST', '/_mock/sso/answers', answer)),
    impersonate: (who) => control('POST', '/_mock/impersonation', who),
    close: running.close,
  }
}
