// The inspector page, server-rendered with Hono's JSX. No inline script or style (the page runs
// under a strict Content-Security-Policy): behaviour is in app.js, keyed on data-* attributes.
// Each view is a layout around named regions; the page's script polls /_mock/ui/live for the same
// regions and swaps the ones that changed, so the page stays current without a reload.
import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import type { JournalEntry } from '../platform/journal/journal.js'
import type { OutboxMessage } from '../platform/login/message.js'
import type { OAuthAnswer } from '../products/oauth/store.js'
import { duration, isoSeconds, offsetText, relative } from './format.js'
import type { JwtCheck } from './jwt-check.js'
import type {
  ClockModel,
  CurrentJwt,
  KeyItem,
  Paged,
  PasskeyItem,
  SessionItem,
  StateFilter,
  StoryItem,
  TotpItem,
  View,
  WalletItem,
  ConnectedAppItem,
} from './model.js'
import type { Content, ViewModel } from './page.js'
import type { ControlCall } from './recorder.js'

export const BASE = '/_mock/ui'

/** A link to the page with these parameters (empty ones left out). */
export function href(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams()
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== '' && v !== 'any' && !(k === 'page' && v === 1))
      search.set(k, String(v))
  const text = search.toString()
  return text ? `${BASE}?${text}` : BASE
}

const TABS: [View, string][] = [
  ['sessions', 'Sessions'],
  ['users', 'Users'],
  ['orgs', 'Organizations'],
  ['journal', 'Journal'],
  ['keys', 'Keys'],
  ['faults', 'Faults'],
  ['outbox', 'Outbox'],
  ['jwt', 'JWT check'],
  ['state', 'Reset & snapshots'],
]

// ---------------------------------------------------------------------------------------------
// Small pieces

const Time = ({ ms, now }: { ms: number; now?: number }) => (
  <time
    datetime={isoSeconds(ms)}
    title={now === undefined ? undefined : relative((ms - now) / 1000)}
  >
    {isoSeconds(ms)}
  </time>
)

const When = ({ ms, now }: { ms: number; now: number }) => (
  <>
    <Time ms={ms} />
    <span class="rel"> {relative((ms - now) / 1000)}</span>
  </>
)

const KIND_TEXT: Record<OutboxMessage['kind'], string> = {
  otp: 'one-time passcode',
  magic_link: 'magic link',
  password_reset: 'password reset',
}

const Id = ({ children }: { children: Child }) => <code class="id">{children}</code>

const Badge = ({ state }: { state: string }) => <span class={`badge s-${state}`}>{state}</span>

const Json = ({ value }: { value: unknown }) => (
  <pre class="json">{JSON.stringify(value, null, 2)}</pre>
)

/** A value to copy: selectable in a read-only field, with a Copy button (app.js). */
const Copyable = ({
  id,
  label,
  value,
  rows,
}: {
  id: string
  label: string
  value: string
  rows?: number
}) => (
  <div class="copy">
    <label for={id}>{label}</label>
    {rows ? (
      <textarea id={id} readonly rows={rows} spellcheck={false}>
        {value}
      </textarea>
    ) : (
      <input id={id} readonly value={value} spellcheck={false} />
    )}
    <button type="button" data-copy={id} data-key={`copy-${id}`}>
      Copy
    </button>
  </div>
)

const Status = ({ status, error }: { status: number | null; error: string | null }) =>
  status === null ? (
    <></>
  ) : (
    <span
      class={status >= 400 ? 'st bad' : 'st good'}
      title={
        error === 'not_emulated'
          ? 'A route of Stytch’s API the mock does not serve yet: see docs/coverage.md'
          : undefined
      }
    >
      {status}
      {error ? ` ${error}` : ''}
    </span>
  )

function Pager({ paged, params }: { paged: Paged<unknown>; params: Record<string, string> }) {
  if (paged.pages <= 1) return <></>
  const { page, pages } = paged
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? <a href={href({ ...params, page: page - 1 })}>← Newer</a> : <span />}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? <a href={href({ ...params, page: page + 1 })}>Older →</a> : <span />}
    </nav>
  )
}

function Who({ row }: { row: SessionItem['row'] }) {
  if (row.kind === 'consumer')
    return (
      <>
        <a href={href({ user: row.subject_id })}>{row.email ?? row.subject_id}</a>
        <div class="sub">
          <Id>{row.subject_id}</Id>
        </div>
      </>
    )
  return (
    <>
      <a href={href({ member: row.subject_id })}>{row.email ?? row.subject_id}</a>
      {' in '}
      <a href={href({ org: row.organization_id ?? '' })}>
        {row.organization_slug ?? row.organization_id}
      </a>
      <div class="sub">
        <Id>{row.subject_id}</Id>
      </div>
    </>
  )
}

const factorNames = (factors: unknown[]) =>
  factors
    .map((f) => {
      const factor = f as { type?: unknown; delivery_method?: unknown }
      return `${String(factor.type)}/${String(factor.delivery_method)}`
    })
    .join(', ')

function SessionTable({ items, now, empty }: { items: SessionItem[]; now: number; empty: string }) {
  if (items.length === 0) return <p class="empty">{empty}</p>
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">State</th>
            <th scope="col">Session</th>
            <th scope="col">User or member</th>
            <th scope="col">Started</th>
            <th scope="col">Last access</th>
            <th scope="col">Expires</th>
            <th scope="col">Factors · roles</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr data-session={item.row.session_id} data-state={item.state}>
              <td>
                <Badge state={item.state} />
                {item.state === 'active' ? '' : <div class="why">{item.why}</div>}
              </td>
              <td class="wide">
                <a href={href({ session: item.row.session_id })}>
                  <Id>{item.row.session_id}</Id>
                </a>
                {item.row.kind === 'member' ? <div class="sub">member session</div> : ''}
              </td>
              <td class="wide">
                <Who row={item.row} />
              </td>
              <td>
                <span class="mono">{item.row.started_at}</span>
              </td>
              <td>
                <When ms={item.row.last_accessed_at * 1000} now={now} />
              </td>
              <td>
                {item.row.expires_at === 0 ? (
                  <span class="mono">ended</span>
                ) : (
                  <When ms={item.row.expires_at * 1000} now={now} />
                )}
              </td>
              <td>
                <span class="mono">{factorNames(item.row.authentication_factors)}</span>
                <div class="sub">{item.row.roles.join(', ')}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** A journal entry's subject of one kind, linked to its page; nothing when it names none. */
function About({ kind, id }: { kind: 'session' | 'user' | 'member'; id: string | null }) {
  if (!id) return ''
  return (
    <div>
      {kind}{' '}
      <a href={href({ [kind]: id })}>
        <Id>{id}</Id>
      </a>
    </div>
  )
}

function JournalTable({ entries, empty }: { entries: JournalEntry[]; empty: string }) {
  if (entries.length === 0) return <p class="empty">{empty}</p>
  return (
    <div class="scroll">
      <table class="journal">
        <thead>
          <tr>
            <th scope="col">Mock’s clock</th>
            <th scope="col">Real time</th>
            <th scope="col">Call</th>
            <th scope="col">Answer</th>
            <th scope="col">ms</th>
            <th scope="col">About</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr data-path={e.path} data-status={e.status}>
              <td class="mono">{e.virtual_time}</td>
              <td class="mono">{e.wall_time}</td>
              <td class="mono">
                {e.method} {e.path}
              </td>
              <td>
                <Status status={e.status} error={e.error_type} />
              </td>
              <td class="num">{e.duration_ms}</td>
              <td>
                <About kind="session" id={e.session_id} />
                <About kind="user" id={e.user_id} />
                <About kind="member" id={e.member_id} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function ControlTable({ calls }: { calls: ControlCall[] }) {
  if (calls.length === 0)
    return <p class="empty">No test-control calls since start-up or the last reset.</p>
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Real time</th>
            <th scope="col">Call</th>
            <th scope="col">Answer</th>
            <th scope="col">Mock’s clock before → after</th>
          </tr>
        </thead>
        <tbody>
          {calls.map((c) => (
            <tr>
              <td class="mono">{isoSeconds(c.wall_ms)}</td>
              <td class="mono">
                {c.method} {c.path}
              </td>
              <td>
                <Status status={c.status} error={c.error_type} />
              </td>
              <td class="mono">
                {isoSeconds(c.virtual_before_ms)}
                {Math.abs(c.virtual_after_ms - c.virtual_before_ms) >= 1000
                  ? ` → ${isoSeconds(c.virtual_after_ms)}`
                  : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** A user's or member's authenticator apps: the code each shows now, for typing into a login. */
function TotpTable({ totps, now }: { totps: TotpItem[]; now: number }) {
  if (totps.length === 0) return <p class="empty">No authenticator app (TOTP) registered.</p>
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">TOTP</th>
            <th scope="col">Verified</th>
            <th scope="col">Code now (mock’s clock)</th>
            <th scope="col">Next code</th>
            <th scope="col">Recovery codes left</th>
          </tr>
        </thead>
        <tbody>
          {totps.map((t) => (
            <tr>
              <td>
                <Id>{t.totp_id}</Id>
              </td>
              <td>{t.verified ? 'yes' : 'awaiting its first code'}</td>
              <td class="mono">{t.code}</td>
              <td>{t.code ? <When ms={t.valid_until * 1000} now={now} /> : ''}</td>
              <td>{t.recovery_codes_left}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** A user's passkeys and WebAuthn registrations, with the counter the mock verified last. */
function PasskeyTable({ passkeys, now }: { passkeys: PasskeyItem[]; now: number }) {
  if (passkeys.length === 0) return <p class="empty">No passkey or WebAuthn registration.</p>
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Domain</th>
            <th scope="col">Registration</th>
            <th scope="col">Authenticator type</th>
            <th scope="col">Verified</th>
            <th scope="col">Counter</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {passkeys.map((p) => (
            <tr data-passkey={p.webauthn_registration_id}>
              <td>{p.name}</td>
              <td class="mono">{p.domain}</td>
              <td>
                <Id>{p.webauthn_registration_id}</Id>
              </td>
              <td>{p.authenticator_type || 'any'}</td>
              <td>{p.verified ? 'yes' : 'no'}</td>
              <td class="mono">{p.counter ?? ''}</td>
              <td>{p.created_ms === null ? '' : <When ms={p.created_ms} now={now} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** A client's secret, by its last four (and the next one's during a rotation); none: public. */
/**
 * OAuth clients (M2M's, Connected Apps'): id, name, two columns of their own (the second in
 * monospace) and the secret's last four.
 */
const ClientTable = ({
  columns,
  rows,
}: {
  columns: [string, string]
  rows: {
    client: Parameters<typeof SecretCell>[0]['client'] & { client_id: string; client_name: string }
    cells: [string, string]
  }[]
}) =>
  rows.length === 0 ? (
    <p class="hint">None yet.</p>
  ) : (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">client_id</th>
            <th scope="col">Name</th>
            <th scope="col">{columns[0]}</th>
            <th scope="col">{columns[1]}</th>
            <th scope="col">Secret</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ client, cells }) => (
            <tr data-client-id={client.client_id}>
              <td>
                <Id>{client.client_id}</Id>
              </td>
              <td>{client.client_name}</td>
              <td>{cells[0]}</td>
              <td class="mono">{cells[1]}</td>
              <SecretCell client={client} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )

const SecretCell = ({
  client,
}: {
  client: { client_secret_last_four?: string; next_client_secret_last_four?: string | null }
}) => (
  <td class="mono">
    {client.client_secret_last_four ? `…${client.client_secret_last_four}` : 'none (public)'}
    {client.next_client_secret_last_four ? (
      <div class="sub">rotating to …{client.next_client_secret_last_four}</div>
    ) : (
      ''
    )}
  </td>
)

/** The Connected Apps a user granted access to. */
function ConnectedAppTable({ apps, now }: { apps: ConnectedAppItem[]; now: number }) {
  if (apps.length === 0) return <p class="empty">No connected app.</p>
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">App</th>
            <th scope="col">Type</th>
            <th scope="col">Scopes granted</th>
            <th scope="col">Consent</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {apps.map((a) => (
            <tr data-connected-app={a.client_id}>
              <td>
                {a.client_name}
                <div class="sub">
                  <Id>{a.client_id}</Id>
                </div>
              </td>
              <td>{a.client_type}</td>
              <td class="mono">{a.scopes.join(' ')}</td>
              <td>{a.consented ? 'given' : 'not needed (first party)'}</td>
              <td>
                <When ms={a.created_at * 1000} now={now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** A user's crypto wallets. */
function WalletTable({ wallets }: { wallets: WalletItem[] }) {
  if (wallets.length === 0) return <p class="empty">No crypto wallet.</p>
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Address</th>
            <th scope="col">Wallet</th>
            <th scope="col">Verified</th>
          </tr>
        </thead>
        <tbody>
          {wallets.map((w) => (
            <tr data-wallet={w.crypto_wallet_id}>
              <td>{w.crypto_wallet_type}</td>
              <td class="mono">{w.crypto_wallet_address}</td>
              <td>
                <Id>{w.crypto_wallet_id}</Id>
              </td>
              <td>{w.verified ? 'yes' : 'not yet signed'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function OutboxTable({ messages, now }: { messages: OutboxMessage[]; now: number }) {
  if (messages.length === 0) return <p class="empty">The outbox is empty.</p>
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Sent (mock’s clock)</th>
            <th scope="col">To</th>
            <th scope="col">What</th>
            <th scope="col">Passcode or link</th>
            <th scope="col">Expires</th>
          </tr>
        </thead>
        <tbody>
          {messages.map((m) => (
            <tr>
              <td class="mono">{m.created_at}</td>
              <td>
                {m.to} <span class="sub">({m.channel})</span>
                {m.user_id ? (
                  <div class="sub">
                    <a href={href({ user: m.user_id })}>user</a>
                  </div>
                ) : (
                  ''
                )}
                {m.member_id ? (
                  <div class="sub">
                    <a href={href({ member: m.member_id })}>member</a>
                  </div>
                ) : (
                  ''
                )}
              </td>
              <td>{KIND_TEXT[m.kind]}</td>
              <td class="mono">{m.otp_code ?? m.url ?? m.token ?? ''}</td>
              <td>
                <When ms={Date.parse(m.expires_at)} now={now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** A new session's duration and custom claims, as both seeding forms take them. */
function SessionFields({ claimsExample }: { claimsExample: string }) {
  return (
    <>
      <Field label="Duration (minutes)">
        <input
          name="session_duration_minutes"
          type="number"
          min="5"
          data-type="int"
          placeholder="60"
        />
      </Field>
      <Field label="Custom claims (JSON, optional)">
        <textarea name="custom_claims" data-type="json" rows={2} placeholder={claimsExample} />
      </Field>
    </>
  )
}

// ---------------------------------------------------------------------------------------------
// The clock: in the header (live), and its controls

export function ClockText({ clock }: { clock: ClockModel }) {
  return (
    <>
      <span class="label">Mock’s clock</span> <Time ms={clock.virtual_ms} />{' '}
      <span class={clock.frozen ? 'badge s-frozen' : 'badge s-running'}>
        {clock.frozen ? 'frozen' : 'running'}
      </span>{' '}
      <span class="sub">
        {clock.offset_seconds === 0 && !clock.frozen
          ? '= real time'
          : `${offsetText(clock.offset_seconds)} from real time (${isoSeconds(clock.wall_ms)})`}
      </span>
    </>
  )
}

const clockButton = (label: string, body: object, done: string) => (
  <button
    type="button"
    data-api="POST /_mock/clock"
    data-body={JSON.stringify(body)}
    data-done={done}
  >
    {label}
  </button>
)

function ClockCard() {
  return (
    <section class="card" aria-labelledby="clock-h">
      <h2 id="clock-h">Clock</h2>
      <p class="hint">Moves the mock’s virtual clock: session expiry, JWT iat and exp follow it.</p>
      <div class="buttons" role="group" aria-label="Advance the clock">
        {clockButton('+1 min', { advance_seconds: 60 }, 'Clock advanced 1 minute.')}
        {clockButton(
          '+5 min 1 s',
          { advance_seconds: 301 },
          'Clock advanced 301 s: JWTs minted before are past exp.',
        )}
        {clockButton('+1 h', { advance_seconds: 3600 }, 'Clock advanced 1 hour.')}
        {clockButton('+1 day', { advance_seconds: 86400 }, 'Clock advanced 1 day.')}
      </div>
      <div class="buttons" role="group" aria-label="Run or stop the clock">
        {clockButton('Freeze', { freeze: true }, 'Clock frozen.')}
        {clockButton('Run', { freeze: false }, 'Clock running.')}
        {clockButton('Real time', { reset: true }, 'Clock back to real time.')}
      </div>
      <form data-api="POST /_mock/clock" data-done="Clock set." class="inline">
        <label>
          Set to (RFC 3339)
          <input
            name="now"
            required
            placeholder="2030-01-01T00:00:00Z"
            pattern="\d{4}-\d{2}-\d{2}T.+"
          />
        </label>
        <label class="check">
          <input type="checkbox" name="freeze" data-type="bool" /> frozen
        </label>
        <button>Set clock</button>
      </form>
    </section>
  )
}

const Field = ({ label, children }: { label: string; children: Child }) => (
  <label>
    {label}
    {children}
  </label>
)

function CreateCards() {
  return (
    <>
      <section class="card" aria-labelledby="new-h">
        <h2 id="new-h">New consumer session</h2>
        <form data-api="POST /_mock/sessions" data-then="created" data-done="Session created.">
          <Field label="Email (the user is created if new)">
            <input name="email" type="email" required value="ada@example.com" autocomplete="off" />
          </Field>
          <SessionFields claimsExample='{"role": "admin"}' />
          <button>Create session</button>
        </form>
      </section>
      <section class="card" aria-labelledby="newm-h">
        <h2 id="newm-h">New member session</h2>
        <form
          data-api="POST /_mock/b2b/sessions"
          data-then="created"
          data-done="Member session created."
        >
          <Field label="Organization slug (created if new)">
            <input name="organization_slug" required value="acme" autocomplete="off" />
          </Field>
          <Field label="Member email (created if new)">
            <input
              name="email_address"
              type="email"
              required
              value="grace@example.com"
              autocomplete="off"
            />
          </Field>
          <SessionFields claimsExample='{"team": "blue"}' />
          <button>Create member session</button>
        </form>
      </section>
    </>
  )
}

/** Filled in by app.js from the create call's answer. */
function CreatedPanel() {
  return (
    <section id="created" class="card created" hidden aria-labelledby="created-h">
      <h2 id="created-h" tabindex={-1}>
        Session created
      </h2>
      <p>
        <a data-k="link" href={BASE}>
          <Id>
            <span data-k="session_id" />
          </Id>
        </a>{' '}
        for <span data-k="who" />
      </p>
      <Copyable id="c-token" label="session_token" value="" />
      <Copyable id="c-jwt" label="session_jwt" value="" rows={3} />
      <Copyable id="c-cookie" label="Cookie header (for your app’s backend)" value="" rows={3} />
      <Copyable
        id="c-document"
        label="Session cookies, in your app’s page (browser console)"
        value=""
        rows={3}
      />
      <Copyable
        id="c-update"
        label="Frontend SDK, in your app’s page (then session.authenticate())"
        value=""
        rows={3}
      />
    </section>
  )
}

// ---------------------------------------------------------------------------------------------
// Views: a layout, and the regions inside it that app.js keeps current

type Regions = Record<string, Child>
/** A region's place in a layout: filled with the region's HTML as /_mock/ui/live renders it. */
type Slot = (name: string) => Child
type ViewParts = [(slot: Slot) => Child, Regions]

function SessionsRegion({ c, now }: { c: Extract<Content, { kind: 'sessions' }>; now: number }) {
  const { page, query } = c
  const params = { view: 'sessions', state: query.state, q: query.q, kid: query.kid }
  const filters: [StateFilter, string][] = [
    ['any', 'stored'],
    ['active', 'active'],
    ['expired', 'expired'],
    ['revoked', 'revoked'],
  ]
  return (
    <>
      <p class="counts">
        {filters.map(([state, label]) => (
          <>
            {state === query.state ? (
              <strong aria-current="true">
                {page.counts[state]} {label}
              </strong>
            ) : (
              <a href={href({ ...params, state, page: 1 })}>
                {page.counts[state]} {label}
              </a>
            )}{' '}
          </>
        ))}
        <span class="sub">
          {query.state === 'revoked'
            ? 'Revoked sessions are remembered by the inspector (revoke deletes them).'
            : 'Stored sessions, newest first.'}{' '}
          {page.total} match.
        </span>
      </p>
      <SessionTable
        items={page.items}
        now={now}
        empty={query.q || query.kid ? 'No session matches.' : 'No sessions here.'}
      />
      <Pager paged={page} params={params} />
    </>
  )
}

function sessionsView(vm: ViewModel, c: Extract<Content, { kind: 'sessions' }>): ViewParts {
  const { query } = c
  return [
    (slot) => (
      <>
        <h1>Sessions</h1>
        <p class="jump">
          <a href="#new-h">Create a session</a> · <a href="#clock-h">Move the clock</a>
        </p>
        <section aria-labelledby="list-h">
          <h2 id="list-h" class="sr">
            Sessions{query.kid ? ` whose current JWT key ${query.kid} signed` : ''}
          </h2>
          {query.kid ? (
            <p>
              Sessions whose current JWT key <Id>{query.kid}</Id> signed (last accessed while it was
              the active key).
            </p>
          ) : (
            ''
          )}
          <form method="get" action={BASE} class="filters" role="search">
            <input type="hidden" name="view" value="sessions" />
            {query.kid ? <input type="hidden" name="kid" value={query.kid} /> : ''}
            <label>
              State
              <select name="state">
                {(['any', 'active', 'expired', 'revoked'] as const).map((s) => (
                  <option value={s} selected={s === query.state}>
                    {s === 'any' ? 'stored (active and expired)' : s}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Search
              <input name="q" value={query.q} placeholder="email, id, token or org slug" />
            </label>
            <button>Filter</button>
          </form>
          <div data-region="sessions">{slot('sessions')}</div>
        </section>
        <div class="cards">
          <CreateCards />
          <ClockCard />
        </div>
        <CreatedPanel />
      </>
    ),
    { sessions: <SessionsRegion c={c} now={vm.clock.virtual_ms} /> },
  ]
}

function StoryList({ story }: { story: StoryItem[] }) {
  return (
    <ol class="story">
      {story.map((s) => (
        <li class={`k-${s.kind}${s.ending ? ' ending' : ''}`}>
          <span class="mono">{isoSeconds(s.virtual_ms)}</span>
          {s.wall_ms !== null ? <span class="sub"> (real {isoSeconds(s.wall_ms)})</span> : ''}{' '}
          <span class="mono">{s.text}</span> <Status status={s.status} error={s.error_type} />
          {s.ending ? <strong class="ends"> ← this ended it</strong> : ''}
        </li>
      ))}
    </ol>
  )
}

function JwtPanel({ jwt, idPrefix }: { jwt: CurrentJwt; idPrefix: string }) {
  const { payload, signer } = jwt
  return (
    <>
      <p>
        Signed by key <Id>{String(jwt.header.kid)}</Id>
        {signer ? ` (${signer.state})` : ''}; issued {isoSeconds(Number(payload.iat) * 1000)}, exp{' '}
        {isoSeconds(Number(payload.exp) * 1000)}.
        {jwt.resigned && signer ? (
          <>
            {' '}
            The copy your app holds was signed by <Id>{signer.kid}</Id> ({signer.state}); this copy
            is signed again with the active key.
          </>
        ) : (
          ' Byte for byte the JWT the mock returned at the last access.'
        )}
      </p>
      <Copyable id={`${idPrefix}-jwt`} label="session_jwt" value={jwt.jwt} rows={3} />
      <p>
        <a href={href({ view: 'jwt', jwt: jwt.jwt })}>Check this JWT</a>
      </p>
      <div class="cols">
        <div>
          <h3>Header</h3>
          <Json value={jwt.header} />
        </div>
        <div>
          <h3>Payload</h3>
          <Json value={jwt.payload} />
        </div>
      </div>
    </>
  )
}

function SessionRegion({ c, now }: { c: Extract<Content, { kind: 'session' }>; now: number }) {
  const { item } = c
  if (!item)
    return (
      <p class="empty">
        No session <Id>{c.id}</Id> here: it never existed in this mock, or a reset or snapshot
        restore removed it. Revoked sessions are remembered from start-up or the last reset.
      </p>
    )
  const { row } = item
  return (
    <>
      <p class={`state s-${item.state}`}>
        <Badge state={item.state} /> {item.why}
      </p>
      {item.state === 'active' ? (
        <div class="buttons">
          <button
            type="button"
            data-api={`POST ${BASE}/sessions/${encodeURIComponent(row.session_id)}/revoke`}
            data-done="Session revoked: its token and JWT now answer 404 session_not_found."
            data-key="revoke"
          >
            Revoke
          </button>
          <button
            type="button"
            data-api={`POST /_mock/sessions/${encodeURIComponent(row.session_id)}/expire`}
            data-done="Session expired now on the mock’s clock."
            data-key="expire"
          >
            Expire now
          </button>
        </div>
      ) : (
        ''
      )}
      <dl class="facts">
        <dt>Kind</dt>
        <dd>{row.kind === 'member' ? 'B2B member session' : 'consumer session'}</dd>
        <dt>{row.kind === 'member' ? 'Member' : 'User'}</dt>
        <dd>
          <Who row={row} />
        </dd>
        <dt>started_at</dt>
        <dd class="mono">{row.started_at}</dd>
        <dt>last_accessed_at</dt>
        <dd>
          <When ms={row.last_accessed_at * 1000} now={now} />
        </dd>
        <dt>expires_at</dt>
        <dd>
          {row.expires_at === 0 ? (
            <span class="mono">ended (epoch)</span>
          ) : (
            <When ms={row.expires_at * 1000} now={now} />
          )}
          <span class="sub">
            {' '}
            (lifetime {duration(row.expires_at - Date.parse(row.started_at) / 1000)})
          </span>
        </dd>
        <dt>Roles</dt>
        <dd class="mono">{row.roles.join(', ') || 'none'}</dd>
      </dl>
      <Copyable id="s-token" label="session_token" value={row.session_token} />
      <div class="cols">
        <div>
          <h3>Authentication factors</h3>
          <Json value={row.authentication_factors} />
        </div>
        <div>
          <h3>Custom claims</h3>
          <Json value={row.custom_claims} />
          {row.kind === 'consumer' ? (
            <>
              <h3>Attributes</h3>
              <Json value={row.attributes} />
            </>
          ) : (
            ''
          )}
        </div>
      </div>
      <h2>Story</h2>
      <p class="hint">
        Ordered by the mock’s clock: its start, the API calls about it (from the journal), the
        test-control calls that moved the clock or touched it, and how it ended.
      </p>
      <StoryList story={c.story} />
      <h2>Current JWT</h2>
      {c.jwt ? (
        <JwtPanel jwt={c.jwt} idPrefix="s" />
      ) : (
        <p class="empty">Its organization is gone.</p>
      )}
    </>
  )
}

function sessionView(vm: ViewModel, c: Extract<Content, { kind: 'session' }>): ViewParts {
  return [
    (slot) => (
      <>
        <p>
          <a href={href({ view: 'sessions' })}>← All sessions</a>
        </p>
        <h1>
          Session <Id>{c.id}</Id>
        </h1>
        <div data-region="session">{slot('session')}</div>
        <div class="cards">
          <ClockCard />
        </div>
      </>
    ),
    { session: <SessionRegion c={c} now={vm.clock.virtual_ms} /> },
  ]
}

/** A list view's search box: the view kept, `q` searched. */
function SearchForm(props: { view: string; q: string; placeholder: string }) {
  return (
    <form method="get" action={BASE} class="filters" role="search">
      <input type="hidden" name="view" value={props.view} />
      <label>
        Search
        <input name="q" value={props.q} placeholder={props.placeholder} />
      </label>
      <button>Filter</button>
    </form>
  )
}

function usersView(c: Extract<Content, { kind: 'users' }>): ViewParts {
  const { page, query } = c
  const params = { view: 'users', q: query.q }
  return [
    (slot) => (
      <>
        <h1>Users</h1>
        <SearchForm view="users" q={query.q} placeholder="email, user id or external id" />
        <div data-region="users">{slot('users')}</div>
      </>
    ),
    {
      users:
        page.items.length === 0 ? (
          <p class="empty">No user matches.</p>
        ) : (
          <>
            <p class="sub">{page.total} users, newest first.</p>
            <div class="scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">User id</th>
                    <th scope="col">Status</th>
                    <th scope="col">Created</th>
                    <th scope="col">Sessions</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((u) => {
                    const emails = u.body.emails as { email: string }[]
                    return (
                      <tr>
                        <td>
                          <a href={href({ user: u.body.user_id })}>
                            {emails[0]?.email ?? '(no email)'}
                          </a>
                        </td>
                        <td>
                          <Id>{u.body.user_id}</Id>
                        </td>
                        <td class="mono">{String(u.body.status)}</td>
                        <td class="mono">{String(u.body.created_at)}</td>
                        <td>
                          {u.active} active, {u.expired} expired, {u.revoked} revoked
                        </td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </div>
            <Pager paged={page} params={params} />
          </>
        ),
    },
  ]
}

function userView(vm: ViewModel, c: Extract<Content, { kind: 'user' }>): ViewParts {
  const now = vm.clock.virtual_ms
  return [
    (slot) => (
      <>
        <p>
          <a href={href({ view: 'users' })}>← All users</a>
        </p>
        <h1>
          User <Id>{c.id}</Id>
        </h1>
        <div data-region="user">{slot('user')}</div>
      </>
    ),
    {
      user: !c.user ? (
        <p class="empty">No user with this id or external id.</p>
      ) : (
        <>
          <div class="cols">
            <div>
              <h2>Sessions</h2>
              <SessionTable items={c.sessions} now={now} empty="No sessions." />
            </div>
          </div>
          <h2>Recent API calls about this user</h2>
          <JournalTable entries={c.journal} empty="No journaled call names this user." />
          <h2>Messages sent to this user</h2>
          <OutboxTable messages={c.outbox} now={now} />
          <h2>Authenticator app</h2>
          <TotpTable totps={c.totps} now={now} />
          <h2>Passkeys and WebAuthn</h2>
          <PasskeyTable passkeys={c.passkeys} now={now} />
          <h2>Crypto wallets</h2>
          <WalletTable wallets={c.wallets} />
          <h2>Connected apps</h2>
          <ConnectedAppTable apps={c.connectedApps} now={now} />
          <h2>User object</h2>
          <Json value={c.user} />
        </>
      ),
    },
  ]
}

function orgsView(c: Extract<Content, { kind: 'orgs' }>): ViewParts {
  const { page, query } = c
  return [
    (slot) => (
      <>
        <h1>Organizations</h1>
        <SearchForm view="orgs" q={query.q} placeholder="slug or organization id" />
        <div data-region="orgs">{slot('orgs')}</div>
      </>
    ),
    {
      orgs:
        page.items.length === 0 ? (
          <p class="empty">No organization matches.</p>
        ) : (
          <>
            <div class="scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Slug</th>
                    <th scope="col">Name</th>
                    <th scope="col">Organization id</th>
                    <th scope="col">MFA policy</th>
                    <th scope="col">Members</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((o) => (
                    <tr>
                      <td>
                        <a href={href({ org: o.body.organization_id })}>
                          {o.body.organization_slug}
                        </a>
                      </td>
                      <td>{String(o.body.organization_name ?? '')}</td>
                      <td>
                        <Id>{o.body.organization_id}</Id>
                      </td>
                      <td class="mono">{String(o.body.mfa_policy ?? '')}</td>
                      <td class="num">{o.members}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager paged={page} params={{ view: 'orgs', q: query.q }} />
          </>
        ),
    },
  ]
}

function orgView(vm: ViewModel, c: Extract<Content, { kind: 'org' }>): ViewParts {
  const now = vm.clock.virtual_ms
  const org = c.org
  return [
    (slot) => (
      <>
        <p>
          <a href={href({ view: 'orgs' })}>← All organizations</a>
        </p>
        <h1>Organization {org ? org.organization_slug : <Id>{c.id}</Id>}</h1>
        <div data-region="org">{slot('org')}</div>
      </>
    ),
    {
      org: !org ? (
        <p class="empty">No organization with this id or slug.</p>
      ) : (
        <>
          <dl class="facts">
            <dt>organization_id</dt>
            <dd>
              <Id>{org.organization_id}</Id>
            </dd>
            <dt>Name</dt>
            <dd>{String(org.organization_name ?? '')}</dd>
            <dt>MFA policy</dt>
            <dd class="mono">{String(org.mfa_policy ?? '')}</dd>
            <dt>Auth methods</dt>
            <dd class="mono">
              {String(org.auth_methods ?? '')}{' '}
              {Array.isArray(org.allowed_auth_methods) && org.allowed_auth_methods.length
                ? `(${org.allowed_auth_methods.join(', ')})`
                : ''}
            </dd>
            <dt>Email JIT provisioning</dt>
            <dd class="mono">{String(org.email_jit_provisioning ?? '')}</dd>
          </dl>
          <h2>Members</h2>
          {c.members.length === 0 ? (
            <p class="empty">No members.</p>
          ) : (
            <div class="scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Member id</th>
                    <th scope="col">Status</th>
                    <th scope="col">Roles</th>
                    <th scope="col">MFA enrolled</th>
                    <th scope="col">Sessions</th>
                  </tr>
                </thead>
                <tbody>
                  {c.members.map((m) => (
                    <tr>
                      <td>
                        <a href={href({ member: m.body.member_id })}>{m.body.email_address}</a>
                      </td>
                      <td>
                        <Id>{m.body.member_id}</Id>
                      </td>
                      <td class="mono">{String(m.body.status)}</td>
                      <td class="mono">
                        {((m.body.roles as { role_id: string }[] | undefined) ?? [])
                          .map((r) => r.role_id)
                          .join(', ')}
                      </td>
                      <td>{m.body.mfa_enrolled ? 'yes' : 'no'}</td>
                      <td>
                        {m.active} active, {m.expired} expired, {m.revoked} revoked
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h2>Sessions in this organization</h2>
          <SessionTable items={c.sessions} now={now} empty="No stored sessions." />
          <SsoSection sso={c.sso} />
          {c.scim && <ScimSection scim={c.scim} />}
          <h2>Organization object</h2>
          <Json value={org} />
        </>
      ),
    },
  ]
}

/** An organization's SSO connections. */
function SsoSection({ sso }: { sso: Extract<Content, { kind: 'org' }>['sso'] }) {
  return (
    <>
      <h2>SSO connections</h2>
      {sso.length === 0 ? (
        <p class="empty">No SSO connections.</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Connection id</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Identity provider</th>
                <th scope="col">Default</th>
                <th scope="col">JIT</th>
                <th scope="col">Roles it grants</th>
              </tr>
            </thead>
            <tbody>
              {sso.map((c) => (
                <tr>
                  <td>{c.display_name}</td>
                  <td>
                    <Id>{c.connection_id}</Id>
                  </td>
                  <td class="mono">{c.kind}</td>
                  <td class="mono">{c.status}</td>
                  <td class="mono">
                    {c.identity_provider} {c.idp}
                  </td>
                  <td>{c.is_default ? 'yes' : 'no'}</td>
                  <td>{c.jit ? 'yes' : 'no'}</td>
                  <td class="mono">{c.roles.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

/** An organization's SCIM connection and the groups its identity provider pushed. */
function ScimSection({ scim }: { scim: NonNullable<Extract<Content, { kind: 'org' }>['scim']> }) {
  const { connection, groups } = scim
  return (
    <>
      <h2>SCIM connection</h2>
      <dl class="facts">
        <dt>connection_id</dt>
        <dd>
          <Id>{connection.connection_id}</Id>
        </dd>
        <dt>Name</dt>
        <dd>
          {connection.display_name} <span class="mono">({connection.identity_provider})</span>
        </dd>
        <dt>Bearer token</dt>
        <dd class="mono">
          …{connection.bearer_token_last_four}, expires {connection.bearer_token_expires_at}
          {connection.next_bearer_token_last_four
            ? `; rotating to …${connection.next_bearer_token_last_four}`
            : ''}
        </dd>
      </dl>
      <h3>SCIM groups</h3>
      {groups.length === 0 ? (
        <p class="empty">No groups pushed.</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Group id</th>
                <th scope="col">Roles it grants</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr>
                  <td>{g.group_name}</td>
                  <td>
                    <Id>{g.group_id}</Id>
                  </td>
                  <td class="mono">{g.roles.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

function memberView(vm: ViewModel, c: Extract<Content, { kind: 'member' }>): ViewParts {
  const now = vm.clock.virtual_ms
  return [
    (slot) => (
      <>
        <p>
          {c.member ? (
            <a href={href({ org: c.member.organization_id })}>← Its organization</a>
          ) : (
            <a href={href({ view: 'orgs' })}>← All organizations</a>
          )}
        </p>
        <h1>Member {c.member ? c.member.email_address : <Id>{c.id}</Id>}</h1>
        <div data-region="member">{slot('member')}</div>
      </>
    ),
    {
      member: !c.member ? (
        <p class="empty">No member with this id.</p>
      ) : (
        <>
          <h2>Sessions</h2>
          <SessionTable items={c.sessions} now={now} empty="No sessions." />
          <h2>Recent API calls about this member</h2>
          <JournalTable entries={c.journal} empty="No journaled call names this member." />
          <h2>Authenticator app</h2>
          <TotpTable totps={c.totps} now={now} />
          {c.member.scim_registration ? <ScimRegistration member={c.member} /> : null}
          <h2>Member object</h2>
          <Json value={c.member} />
        </>
      ),
    },
  ]
}

/** The member's SCIM registration: which connection provisioned it, as what. */
function ScimRegistration({ member }: { member: Record<string, unknown> }) {
  const registration = member.scim_registration as {
    connection_id: string
    external_id: string
    scim_attributes: { user_name: string; active: boolean; groups: { display: string }[] }
  }
  const attributes = registration.scim_attributes
  return (
    <>
      <h2>SCIM registration</h2>
      <dl class="facts">
        <dt>connection_id</dt>
        <dd>
          <Id>{registration.connection_id}</Id>
        </dd>
        <dt>userName</dt>
        <dd class="mono">{attributes.user_name}</dd>
        <dt>externalId</dt>
        <dd class="mono">{registration.external_id}</dd>
        <dt>Active in the directory</dt>
        <dd>{attributes.active ? 'yes' : 'no'}</dd>
        <dt>Groups</dt>
        <dd>{attributes.groups.map((g) => g.display).join(', ') || 'none'}</dd>
      </dl>
    </>
  )
}

function journalView(c: Extract<Content, { kind: 'journal' }>): ViewParts {
  const { query } = c
  return [
    (slot) => (
      <>
        <h1>Journal</h1>
        <p class="hint">
          Every call to <code>/v1</code> and <code>/sdk/v1</code> (the newest 10,000), newest first,
          updating live. A failed call names the session it was about when the mock can tell.
        </p>
        <form method="get" action={BASE} class="filters" role="search">
          <input type="hidden" name="view" value="journal" />
          <label>
            Path (exact, or prefix*)
            <input name="path" value={query.path} placeholder="/v1/sessions/*" />
          </label>
          <label>
            Method
            <input name="method" value={query.method} placeholder="POST" size={6} />
          </label>
          <label>
            Status
            <input name="status" value={query.status} placeholder="404, 4xx or error" size={8} />
          </label>
          <label>
            Subject
            <input name="subject" value={query.subject} placeholder="session, user or member id" />
          </label>
          <button>Filter</button>
        </form>
        <div class="buttons">
          <button type="button" data-api="DELETE /_mock/requests" data-done="Journal emptied.">
            Empty the journal
          </button>
        </div>
        <div data-region="journal">{slot('journal')}</div>
      </>
    ),
    {
      journal: (
        <>
          <h2>API calls</h2>
          <p class="sub">
            {c.journal.matching === c.journal.total
              ? `${c.journal.total} ${c.journal.total === 1 ? 'call' : 'calls'}`
              : `${c.journal.matching} of ${c.journal.total} calls match`}
            {c.journal.matching > c.journal.entries.length
              ? `; the newest ${c.journal.entries.length} shown`
              : ''}
            .
          </p>
          <JournalTable
            entries={c.journal.entries}
            empty={c.journal.total === 0 ? 'No API calls yet.' : 'No call matches.'}
          />
          <h2>Test-control calls (/_mock)</h2>
          <ControlTable calls={c.control} />
        </>
      ),
    },
  ]
}

function keysView(c: Extract<Content, { kind: 'keys' }>): ViewParts {
  return [
    (slot) => (
      <>
        <h1>Signing keys</h1>
        <p class="hint">
          The newest key signs; previous ones stay in the JWKS (
          <a href={c.jwksPath}>{c.jwksPath}</a>) until retired. A reset goes back to the configured
          key alone.
        </p>
        <div class="buttons">
          <button
            type="button"
            data-api="POST /_mock/keys/rotate"
            data-done="Rotated: a new key signs from now on."
          >
            Rotate
          </button>
          <button
            type="button"
            data-api="POST /_mock/keys/retire"
            data-confirm="Retire every key but the active one? JWTs they signed stop verifying."
            data-done="Previous keys retired."
          >
            Retire previous keys
          </button>
        </div>
        <div data-region="keys">{slot('keys')}</div>
        <h2>M2M clients</h2>
        <p class="hint">
          The clients whose secrets get access tokens (
          <code>POST /v1/public/&#123;project_id&#125;/oauth2/token</code>), signed with the keys
          above. Secrets are never shown: only their last four characters.
        </p>
        <div data-region="m2m">{slot('m2m')}</div>
        <h2>Connected App clients</h2>
        <p class="hint">
          The OAuth clients your app is the provider for (
          <code>/.well-known/openid-configuration</code>
          ). Dynamic client registration is <strong>
            {c.dynamicRegistration ? 'on' : 'off'}
          </strong>{' '}
          (<code>PUT /_mock/connected_apps/settings</code>). Secrets: only their last four.
        </p>
        <div data-region="connected-apps">{slot('connectedApps')}</div>
      </>
    ),
    {
      connectedApps: (
        <ClientTable
          columns={['Type', 'Redirect URLs']}
          rows={c.connectedApps.map((a) => ({
            client: a,
            cells: [a.client_type, a.redirect_urls.join(' ')],
          }))}
        />
      ),
      m2m: (
        <ClientTable
          columns={['Status', 'Scopes']}
          rows={c.m2mClients.map((m) => ({ client: m, cells: [m.status, m.scopes.join(' ')] }))}
        />
      ),
      keys: (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">kid</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
                <th scope="col">Retired</th>
                <th scope="col">Signed the current JWT of</th>
              </tr>
            </thead>
            <tbody>
              {c.keys.map((k: KeyItem) => (
                <tr data-kid={k.kid}>
                  <td>
                    <Id>{k.kid}</Id>
                  </td>
                  <td>
                    <Badge state={k.state} />
                  </td>
                  <td class="mono">{isoSeconds(k.created_ms)}</td>
                  <td class="mono">{k.retired_ms === null ? '' : isoSeconds(k.retired_ms)}</td>
                  <td>
                    <a href={href({ view: 'sessions', kid: k.kid })}>
                      {k.signed} {k.signed === 1 ? 'session' : 'sessions'}
                    </a>
                    <div class="sub">last accessed while it was the active key</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ),
    },
  ]
}

function faultsView(c: Extract<Content, { kind: 'faults' }>): ViewParts {
  return [
    (slot) => (
      <>
        <h1>Faults</h1>
        <p class="hint">
          The next calls matching a path fail with a Stytch error, stall, or both. Tried in the
          order added; the first that matches takes the call.
        </p>
        <section class="card" aria-labelledby="fault-h">
          <h2 id="fault-h">Add a fault</h2>
          <form data-api="POST /_mock/faults" data-done="Fault added." class="grid">
            <Field label="Path (exact, or prefix*)">
              <input
                name="path"
                required
                list="fault-paths"
                placeholder="/v1/sessions/authenticate"
              />
            </Field>
            <datalist id="fault-paths">
              {c.paths.map((p) => (
                <option value={p} />
              ))}
            </datalist>
            <Field label="Method (any if empty)">
              <input name="method" placeholder="POST" />
            </Field>
            <Field label="Status">
              <input
                name="status"
                type="number"
                min="400"
                max="599"
                data-type="int"
                placeholder="429"
              />
            </Field>
            <Field label="Error type">
              <select name="error_type">
                <option value="">(from the status)</option>
                {c.errorTypes.map((t) => (
                  <option value={t}>{t}</option>
                ))}
              </select>
            </Field>
            <Field label="Delay (ms)">
              <input name="delay_ms" type="number" min="0" max="60000" data-type="int" />
            </Field>
            <Field label="Times (-1: until cleared)">
              <input name="times" type="number" min="-1" data-type="int" placeholder="1" />
            </Field>
            <Field label="Only for session_id">
              <input name="match.session_id" />
            </Field>
            <Field label="Only for user_id">
              <input name="match.user_id" />
            </Field>
            <Field label="Only for member_id">
              <input name="match.member_id" />
            </Field>
            <Field label="Only for organization_id">
              <input name="match.organization_id" />
            </Field>
            <div>
              <button>Add fault</button>
            </div>
          </form>
        </section>
        <h2>Armed faults</h2>
        <div class="buttons">
          <button type="button" data-api="DELETE /_mock/faults" data-done="Faults cleared.">
            Clear all faults
          </button>
        </div>
        <div data-region="faults">{slot('faults')}</div>
      </>
    ),
    {
      faults:
        c.faults.length === 0 ? (
          <p class="empty">No faults armed.</p>
        ) : (
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Fault</th>
                  <th scope="col">Matches</th>
                  <th scope="col">Answers</th>
                  <th scope="col">Remaining</th>
                  <th scope="col">
                    <span class="sr">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {c.faults.map((f) => (
                  <tr>
                    <td class="mono">{f.fault_id}</td>
                    <td class="mono">
                      {f.method ?? 'any'} {f.path}
                      {f.match ? <div class="sub">only {JSON.stringify(f.match)}</div> : ''}
                    </td>
                    <td>
                      {f.status !== null ? <Status status={f.status} error={f.error_type} /> : ''}
                      {f.delay_ms ? ` after ${f.delay_ms} ms` : ''}
                    </td>
                    <td>{f.remaining === -1 ? 'every call' : f.remaining}</td>
                    <td>
                      <button
                        type="button"
                        data-api={`DELETE /_mock/faults/${encodeURIComponent(f.fault_id)}`}
                        data-done="Fault removed."
                        data-key={`remove-${f.fault_id}`}
                      >
                        Remove <span class="sr">{f.fault_id}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ),
    },
  ]
}

function outboxView(vm: ViewModel, c: Extract<Content, { kind: 'outbox' }>): ViewParts {
  return [
    (slot) => (
      <>
        <h1>Outbox</h1>
        <p class="hint">
          The passcodes and magic links the login flows sent (the newest 50), newest first.
        </p>
        <div class="buttons">
          <button type="button" data-api="DELETE /_mock/outbox" data-done="Outbox emptied.">
            Empty the outbox
          </button>
        </div>
        <div data-region="outbox">{slot('outbox')}</div>
        <h2>Queued OAuth answers</h2>
        <p class="hint">
          What the next OAuth starts answer instead of showing the consent page (
          <code>POST /_mock/oauth/answers</code>), oldest first.
        </p>
        <div class="buttons">
          <button
            type="button"
            data-api="DELETE /_mock/oauth/answers"
            data-done="OAuth answers forgotten."
          >
            Forget the answers
          </button>
        </div>
        <div data-region="oauth">{slot('oauth')}</div>
      </>
    ),
    {
      outbox: <OutboxTable messages={c.messages} now={vm.clock.virtual_ms} />,
      oauth: <OAuthAnswers answers={c.answers} />,
    },
  ]
}

function OAuthAnswers({ answers }: { answers: OAuthAnswer[] }) {
  if (answers.length === 0) return <p class="empty">None: an OAuth start shows the consent page.</p>
  return (
    <ol>
      {answers.map((a) => (
        <li>
          {a.provider ?? 'any provider'}:{' '}
          {a.deny ? <strong>deny</strong> : `${a.email}${a.name ? ` (${a.name})` : ''}`}
        </li>
      ))}
    </ol>
  )
}

const MARK: Record<string, string> = { ok: '✓', fail: '✗', warn: '!', info: 'i' }

function JwtRegion({ check }: { check: JwtCheck | undefined }) {
  if (!check) return <p class="empty">Paste a session JWT above.</p>
  const { verdict } = check
  return (
    <>
      {verdict ? (
        <p class={`verdict ${verdict.accepted ? 'good' : 'bad'}`}>
          <strong>{verdict.accepted ? 'This mock accepts it.' : 'This mock rejects it.'}</strong>{' '}
          {verdict.endpoint}: {verdict.status}
          {verdict.error_type ? ` ${verdict.error_type}` : ''}. {verdict.message}
        </p>
      ) : (
        ''
      )}
      <ul class="checks">
        {check.checks.map((c) => (
          <li class={`r-${c.result}`}>
            <span class="mark" aria-hidden="true">
              {MARK[c.result]}
            </span>
            <span class="sr">{c.result}: </span>
            <strong>{c.label}</strong> {c.detail}
          </li>
        ))}
      </ul>
      {check.session ? (
        <p>
          Its session:{' '}
          <a href={href({ session: check.session.row.session_id })}>
            {check.session.row.session_id}
          </a>
        </p>
      ) : (
        ''
      )}
      <div class="cols">
        <div>
          <h3>Header</h3>
          <Json value={check.header} />
        </div>
        <div>
          <h3>Payload</h3>
          <Json value={check.payload} />
        </div>
      </div>
    </>
  )
}

function jwtView(c: Extract<Content, { kind: 'jwt' }>): ViewParts {
  return [
    (slot) => (
      <>
        <h1>JWT check</h1>
        <p class="hint">
          Would this mock accept a session JWT, and if not, why: signature, key, audience, expiry
          and its session. Nothing is recorded and no session is touched.
        </p>
        <form method="get" action={BASE} class="jwtform">
          <input type="hidden" name="view" value="jwt" />
          <label for="jwt-in">Session JWT</label>
          <textarea
            id="jwt-in"
            name="jwt"
            rows={4}
            required
            spellcheck={false}
            placeholder="eyJhbGciOiJSUzI1NiIs..."
          >
            {c.query.jwt}
          </textarea>
          <button>Check</button>
        </form>
        <div data-region="jwt">{slot('jwt')}</div>
      </>
    ),
    { jwt: <JwtRegion check={c.check} /> },
  ]
}

function stateView(c: Extract<Content, { kind: 'state' }>): ViewParts {
  return [
    (slot) => (
      <>
        <h1>Reset and snapshots</h1>
        <div class="buttons">
          <button
            type="button"
            data-api="POST /_mock/reset"
            data-confirm="Reset to the fixtures? Sessions, users, keys, faults, the journal and the clock go back to start-up."
            data-done="Reset to the fixtures."
          >
            Reset to the fixtures
          </button>
          <button type="button" data-api="POST /_mock/snapshots" data-done="Snapshot taken.">
            Take a snapshot
          </button>
        </div>
        <p class="hint">
          A snapshot holds every user, organization, session, key and message, and the clock. These
          are the snapshots taken through <code>POST /_mock/snapshots</code> (by tests or here)
          since start-up, newest first; the mock keeps the newest 100.
        </p>
        <div data-region="state">{slot('state')}</div>
      </>
    ),
    {
      state:
        c.snapshots.length === 0 ? (
          <p class="empty">No snapshots taken yet.</p>
        ) : (
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Snapshot</th>
                  <th scope="col">Mock’s clock then</th>
                  <th scope="col">Taken (real time)</th>
                  <th scope="col">
                    <span class="sr">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {c.snapshots.map((s) => (
                  <tr>
                    <td>
                      <Id>{s.snapshot_id}</Id>
                    </td>
                    <td class="mono">{s.created_at}</td>
                    <td class="mono">{isoSeconds(s.wall_ms)}</td>
                    <td>
                      <button
                        type="button"
                        data-api={`POST /_mock/snapshots/${encodeURIComponent(s.snapshot_id)}/restore`}
                        data-confirm="Restore this snapshot? The current state is replaced."
                        data-done="Snapshot restored."
                        data-key={`restore-${s.snapshot_id}`}
                      >
                        Restore <span class="sr">{s.snapshot_id}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ),
    },
  ]
}

function viewFor(vm: ViewModel): ViewParts {
  const c = vm.content
  switch (c.kind) {
    case 'sessions':
      return sessionsView(vm, c)
    case 'session':
      return sessionView(vm, c)
    case 'users':
      return usersView(c)
    case 'user':
      return userView(vm, c)
    case 'orgs':
      return orgsView(c)
    case 'org':
      return orgView(vm, c)
    case 'member':
      return memberView(vm, c)
    case 'journal':
      return journalView(c)
    case 'keys':
      return keysView(c)
    case 'faults':
      return faultsView(c)
    case 'outbox':
      return outboxView(vm, c)
    case 'jwt':
      return jwtView(c)
    case 'state':
      return stateView(c)
  }
}

/** The regions of a view and the header's clock, as HTML: what /_mock/ui/live answers. */
export async function renderRegions(vm: ViewModel): Promise<Record<string, string>> {
  const [, regions] = viewFor(vm)
  const all: Regions = { clock: <ClockText clock={vm.clock} />, ...regions }
  const out: Record<string, string> = {}
  for (const [name, child] of Object.entries(all)) out[name] = await (<>{child}</>).toString()
  return out
}

/** The whole page. Its regions are exactly what /live answers, so the two never differ. */
export async function renderPage(vm: ViewModel, assetVersion: string): Promise<string> {
  const [layout] = viewFor(vm)
  const filled = await renderRegions(vm)
  const slot: Slot = (name) => raw(filled[name] ?? '')
  const tab = vm.tab
  const page = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{vm.title} · stytch-mock inspector</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={`${BASE}/app.css?v=${assetVersion}`} />
        <script src={`${BASE}/app.js?v=${assetVersion}`} defer />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href={BASE}>
            stytch-mock <span>inspector</span>
          </a>
          <div class="clock" data-region="clock">
            {slot('clock')}
          </div>
          <span id="live" class="live" role="status" data-state="off">
            static
          </span>
        </header>
        <nav class="tabs" aria-label="Inspector sections">
          <ul>
            {TABS.map(([view, label]) => (
              <li>
                <a href={href({ view })} aria-current={view === tab ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabindex={-1}>
          <p id="flash" class="flash" role="status" aria-live="polite" />
          {layout(slot)}
        </main>
        <footer>
          Project <Id>{vm.projectId}</Id> · <a href="/openapi.yaml">openapi.yaml</a> · times are UTC
        </footer>
      </body>
    </html>
  )
  return `<!doctype html>${await page.toString()}`
}
