// The inspector's view model: what the page shows, read from the world without changing it.
// Sessions get a state and the reason for it (active, expired and why, revoked and by which
// call); a session's story joins its journal entries, the test-control calls that touched it and
// its revocation; its current JWT is the one the mock issued at its last access.
import type { JournalEntry } from '../platform/journal/journal.js'
import type { Fault } from '../platform/journal/faults.js'
import type { OutboxMessage } from '../platform/login/message.js'
import type { OAuthAnswer } from '../products/oauth/store.js'
import type { CryptoWalletRecord, WebAuthnRecord } from '../platform/login/user-records.js'
import { ORGANIZATION_CLAIM } from '../platform/sessions/b2b.js'
import { timestamps } from '../platform/sessions/core.js'
import {
  InspectorStore,
  type KeyHistoryRow,
  type SessionListRow,
  type UserListRow,
} from './store.js'
import type { MemberObject, OrganizationObject } from '../platform/sessions/organization-store.js'
import type { UserObject } from '../platform/sessions/user-store.js'
import type { World } from '../world.js'
import { isoSeconds, offsetText, relative } from './format.js'
import { Recorder, type ControlCall, type Revocation, type SnapshotTaken } from './recorder.js'

export const PAGE_SIZE = 50
/** Journal rows a page shows at most (the journal keeps 10,000). */
export const JOURNAL_ROWS = 100

export const VIEWS = [
  'sessions',
  'users',
  'orgs',
  'journal',
  'keys',
  'faults',
  'outbox',
  'jwt',
  'state',
] as const
export type View = (typeof VIEWS)[number]
export type StateFilter = 'any' | 'active' | 'expired' | 'revoked'

/** The page's address, parsed: which view or detail, filters and page number. */
export interface UiQuery {
  view: View
  session: string
  user: string
  org: string
  member: string
  state: StateFilter
  q: string
  page: number
  kid: string
  path: string
  method: string
  status: string
  subject: string
  jwt: string
}

/** Unknown or malformed values fall back to defaults: a hand-edited address still renders. */
export function parseQuery(get: (name: string) => string | undefined): UiQuery {
  const text = (name: string, max = 500) => (get(name) ?? '').trim().slice(0, max)
  const view = text('view') as View
  const state = text('state') as StateFilter
  const page = Number(text('page'))
  return {
    view: VIEWS.includes(view) ? view : 'sessions',
    session: text('session'),
    user: text('user'),
    org: text('org'),
    member: text('member'),
    state: ['any', 'active', 'expired', 'revoked'].includes(state) ? state : 'any',
    q: text('q'),
    page: Number.isInteger(page) && page >= 1 && page <= 1_000_000 ? page : 1,
    kid: text('kid'),
    path: text('path'),
    method: text('method', 10).toUpperCase(),
    status: text('status', 10).toLowerCase(),
    subject: text('subject'),
    jwt: text('jwt', 16_000),
  }
}

export interface ClockModel {
  virtual_ms: number
  wall_ms: number
  frozen: boolean
  offset_seconds: number
}

export type SessionState = 'active' | 'expired' | 'revoked'

/** A TOTP registration of a user or member, with what its authenticator app shows now. */
export interface TotpItem {
  totp_id: string
  verified: boolean
  code: string
  /** epoch seconds the code's window ends */
  valid_until: number
  recovery_codes_left: number
}

/** A user's passkey or WebAuthn registration: its entry on the user, and its stored credential. */
export interface PasskeyItem {
  webauthn_registration_id: string
  name: string
  domain: string
  /** `platform`, `cross-platform`, or '' when the registration asked for neither. */
  authenticator_type: string
  verified: boolean
  user_agent: string
  /** The signature counter of the last assertion verified; null when no credential is stored. */
  counter: number | null
  /** When it was registered, epoch ms; null when no credential is stored. */
  created_ms: number | null
}

/** A Connected App a user or member granted access to. */
export interface ConnectedAppItem {
  client_id: string
  client_name: string
  client_type: string
  scopes: string[]
  consented: boolean
  created_at: number
}

/** A user's crypto wallet, as on the user object. */
export interface WalletItem {
  crypto_wallet_id: string
  crypto_wallet_type: string
  crypto_wallet_address: string
  verified: boolean
}

export interface SessionItem {
  row: SessionListRow
  state: SessionState
  /** One sentence: why it is in that state, on the mock's clock. */
  why: string
  revocation: Revocation | undefined
  /** The clock move that carried the mock's clock past its expiry, if one did. */
  expiredBy: ControlCall | undefined
}

export interface Paged<T> {
  items: T[]
  total: number
  page: number
  pages: number
}

export interface StoryItem {
  virtual_ms: number
  wall_ms: number | null
  kind: 'start' | 'api' | 'control' | 'revoked' | 'expiry'
  text: string
  status: number | null
  error_type: string | null
  /** This item is what ended the session. */
  ending: boolean
}

export interface KeyItem {
  kid: string
  state: 'active' | 'previous' | 'retired'
  created_ms: number
  retired_ms: number | null
  /** Stored sessions whose last JWT was signed while this key was the active one. */
  signed: number
  /** [from, to) in epoch ms: when it was the active key. */
  from: number
  to: number | null
}

export interface CurrentJwt {
  jwt: string
  header: Record<string, unknown>
  payload: Record<string, unknown>
  /** The key that was active at the session's last access: it signed the JWT the app holds. */
  signer: KeyItem | undefined
  /** The copy shown is signed with the active key, not the signer (which rotated out since). */
  resigned: boolean
}

export class Inspector {
  readonly store: InspectorStore
  readonly recorder = new Recorder()

  /** Revoked sessions as shown: parsed, with their owner, once each. */
  readonly #revokedRows = new WeakMap<Revocation, SessionListRow>()

  constructor(readonly world: World) {
    this.store = new InspectorStore(world.db)
  }

  revokedRow(revocation: Revocation): SessionListRow {
    let row = this.#revokedRows.get(revocation)
    if (!row) this.#revokedRows.set(revocation, (row = this.store.withOwner(revocation.row)))
    return row
  }

  clock(): ClockModel {
    const { clock } = this.world
    return {
      virtual_ms: clock.nowMs(),
      wall_ms: clock.wallMs(),
      frozen: clock.frozen,
      offset_seconds: clock.offsetSeconds,
    }
  }

  /** The state of a stored or revoked session, and why, at the mock's now. */
  describe(row: SessionListRow, revocation: Revocation | undefined): SessionItem {
    return this.#describe(
      row,
      revocation,
      this.world.clock.nowSeconds(),
      this.recorder.controlCalls(),
    )
  }

  #describe(
    row: SessionListRow,
    revocation: Revocation | undefined,
    now: number,
    control: ControlCall[],
  ): SessionItem {
    const item = (state: SessionState, why: string, expiredBy?: ControlCall): SessionItem => ({
      row,
      state,
      why,
      revocation,
      expiredBy,
    })
    if (revocation) {
      const at = isoSeconds(revocation.virtual_ms)
      return item(
        'revoked',
        `Revoked ${relative(revocation.virtual_ms / 1000 - now)} (${at}) by ${revocation.via}, named by its ${revocation.by}.`,
      )
    }
    if (row.expires_at > now)
      return item(
        'active',
        `Expires ${relative(row.expires_at - now)} (${isoSeconds(row.expires_at * 1000)}).`,
      )
    if (row.expires_at === 0) {
      const ended = findLast(
        control,
        (c) => c.path === `/_mock/sessions/${row.session_id}/expire` && c.status === 200,
      )
      return item(
        'expired',
        `Ended by test control: POST /_mock/sessions/{session_id}/expire${ended ? ` at ${isoSeconds(ended.virtual_before_ms)}` : ''}.`,
        ended,
      )
    }
    const expiresMs = row.expires_at * 1000
    const when = `Expired ${relative(row.expires_at - now)} (${isoSeconds(expiresMs)})`
    const startedMs = Date.parse(row.started_at)
    const mover = findLast(
      control,
      (c) =>
        c.path === '/_mock/clock' &&
        c.status === 200 &&
        duringLife(c, startedMs) &&
        c.virtual_before_ms < expiresMs &&
        c.virtual_after_ms >= expiresMs,
    )
    if (mover)
      return item(
        'expired',
        `${when}: POST /_mock/clock moved the mock's clock past it, from ${isoSeconds(mover.virtual_before_ms)} to ${isoSeconds(mover.virtual_after_ms)}.`,
        mover,
      )
    if (expiresMs > this.world.clock.wallMs())
      return item(
        'expired',
        `${when} on the mock's clock only: it runs ${offsetText(this.world.clock.offsetSeconds)} from real time.`,
      )
    return item('expired', `${when}: its lifetime ran out.`)
  }

  /** A page of sessions, newest first: stored ones by state, or the revoked ones. */
  sessions(query: UiQuery): Paged<SessionItem> & { counts: Record<StateFilter, number> } {
    const now = this.world.clock.nowSeconds()
    const control = this.recorder.controlCalls()
    const stored = this.store.stateCounts(now)
    const counts = {
      any: stored.total,
      active: stored.active,
      expired: stored.total - stored.active,
      revoked: this.recorder.revokedCount,
    }
    const offset = (query.page - 1) * PAGE_SIZE
    if (query.state === 'revoked') {
      const q = query.q.toLowerCase()
      const all = this.recorder.revocations((r) => q === '' || matches(this.revokedRow(r), q))
      const items = all
        .slice(offset, offset + PAGE_SIZE)

        .map((r) => this.#describe(this.revokedRow(r), r, now, control))
      return { ...paged(items, all.length, query.page), counts }
    }
    const kid = query.kid ? this.keyWindows().find((k) => k.kid === query.kid) : undefined
    const { rows, total } = this.store.sessions(
      {
        state: query.state,
        now,
        q: query.q,
        accessedFromMs: kid ? kid.from : null,
        accessedToMs: kid ? kid.to : null,
      },
      PAGE_SIZE,
      offset,
    )
    const items = rows.map((row) => this.#describe(row, undefined, now, control))
    return { ...paged(items, total, query.page), counts }
  }

  /** A session by id: stored (live or expired), or revoked. */
  session(sessionId: string): SessionItem | undefined {
    // A row stored again (a snapshot restored after the revoke) is what counts.
    const row = this.store.session(sessionId)
    if (row) return this.describe(row, undefined)
    const revocation = this.recorder.revocation(sessionId)
    return revocation && this.describe(this.revokedRow(revocation), revocation)
  }

  /** The user's or member's TOTP registrations, each with its current code. */
  totpsOf(ownerId: string): TotpItem[] {
    const { totps } = this.world
    const current = totps.currentCode(ownerId)
    return totps.list(ownerId).map((row) => ({
      totp_id: row.totp_id,
      verified: row.verified,
      code: current?.totp_id === row.totp_id ? current.code : '',
      valid_until: current?.valid_until ?? 0,
      recovery_codes_left: row.recovery_codes.filter((c) => !c.used).length,
    }))
  }

  /**
   * The user's passkeys and WebAuthn registrations: the entries of its `webauthn_registrations`,
   * with the counter and creation time of the credential the mock stores for each.
   */
  passkeysOf(user: UserObject): PasskeyItem[] {
    return (user.webauthn_registrations as WebAuthnRecord[]).map((r) => {
      const credential = this.world.webauthn.stored(r.webauthn_registration_id)
      return {
        webauthn_registration_id: r.webauthn_registration_id,
        name: r.name,
        domain: r.domain,
        authenticator_type: r.authenticator_type,
        verified: r.verified,
        user_agent: r.user_agent,
        counter: credential?.counter ?? null,
        created_ms: credential ? credential.created_at * 1000 : null,
      }
    })
  }

  /** The user's crypto wallets, as its `crypto_wallets` lists them. */
  /** The Connected Apps a user or member granted access to, and what. */
  connectedAppsOf(kind: 'consumer' | 'b2b', subjectId: string): ConnectedAppItem[] {
    return this.world.idp.grantsOf(kind, subjectId).map(({ grant, client }) => ({
      client_id: client.client_id,
      client_name: client.client_name,
      client_type: client.client_type,
      scopes: grant.scopes,
      consented: grant.consented,
      created_at: grant.created_at,
    }))
  }

  walletsOf(user: UserObject): WalletItem[] {
    return (user.crypto_wallets as CryptoWalletRecord[]).map((w) => ({
      crypto_wallet_id: w.crypto_wallet_id,
      crypto_wallet_type: w.crypto_wallet_type,
      crypto_wallet_address: w.crypto_wallet_address,
      verified: w.verified,
    }))
  }

  /** Every session of a user or member: stored ones, then revoked ones. */
  sessionsOf(kind: 'consumer' | 'member', subjectId: string): SessionItem[] {
    const now = this.world.clock.nowSeconds()
    const control = this.recorder.controlCalls()
    return [
      ...this.store
        .sessionsOf(kind, subjectId)
        .map((row) => this.#describe(row, undefined, now, control)),
      ...this.recorder
        .revocations((r) => r.row.kind === kind && r.row.subject_id === subjectId)
        .slice(0, 200)
        .map((r) => this.#describe(this.revokedRow(r), r, now, control)),
    ]
  }

  /** What happened to a session, in the order of the mock's clock. */
  story(item: SessionItem): StoryItem[] {
    const { row } = item
    const startedMs = Date.parse(row.started_at)
    const story: StoryItem[] = [
      {
        virtual_ms: startedMs,
        wall_ms: null,
        kind: 'start',
        text: `Started (${row.kind === 'member' ? 'member session' : 'consumer session'})`,
        status: null,
        error_type: null,
        ending: false,
      },
    ]
    // Oldest first, so calls in the same millisecond keep the order they were made in.
    for (const e of this.world.journal.list({})) {
      if (e.session_id !== row.session_id) continue
      story.push({
        virtual_ms: Date.parse(e.virtual_time),
        wall_ms: Date.parse(e.wall_time),
        kind: 'api',
        text: `${e.method} ${e.path}`,
        status: e.status,
        error_type: e.error_type,
        ending: false,
      })
    }
    for (const c of this.recorder.controlCalls()) {
      const own = c.path.includes(row.session_id)
      // A reset cannot be in the story of a session that still exists (it deletes them all); a
      // restore can (it brings sessions back).
      const everyone =
        c.path === '/_mock/clock' ||
        c.path.startsWith('/_mock/keys/') ||
        (c.path.startsWith('/_mock/snapshots/') && c.path.endsWith('/restore'))
      if (!own && !(everyone && duringLife(c, startedMs))) continue
      story.push({
        virtual_ms: c.virtual_before_ms,
        wall_ms: c.wall_ms,
        kind: 'control',
        text: `${c.method} ${c.path}${c.path === '/_mock/clock' && c.status === 200 ? `: the clock went from ${isoSeconds(c.virtual_before_ms)} to ${isoSeconds(c.virtual_after_ms)}` : ''}`,
        status: c.status,
        error_type: c.error_type,
        ending: c === item.expiredBy,
      })
    }
    if (item.revocation && item.state === 'revoked') {
      const r = item.revocation
      story.push({
        virtual_ms: r.virtual_ms,
        wall_ms: r.wall_ms,
        kind: 'revoked',
        text: `Revoked by ${r.via} (named by its ${r.by})`,
        status: null,
        error_type: null,
        ending: true,
      })
    }
    if (item.state === 'expired' && row.expires_at !== 0) {
      story.push({
        virtual_ms: row.expires_at * 1000,
        wall_ms: null,
        kind: 'expiry',
        text: 'expires_at reached on the mock’s clock',
        status: null,
        error_type: null,
        ending: item.expiredBy === undefined,
      })
    }
    // Stable: items at the same instant keep the order above (a clock move before the expiry).
    story.sort((a, b) => a.virtual_ms - b.virtual_ms)
    // The revocation right after the call that made it: a call in the same millisecond after it
    // (the one that failed because of it) must not come first.
    const revoked = story.findIndex((s) => s.kind === 'revoked')
    if (revoked >= 0) {
      const [mark] = story.splice(revoked, 1)
      let by = story.length - 1
      while (by >= 0) {
        const s = story[by]!
        if (s.kind === 'api' && s.text === item.revocation!.via && s.status === 200) break
        by--
      }
      story.splice(by >= 0 ? by + 1 : revoked, 0, mark!)
    }
    return story
  }

  /** The JWT the session's last authenticate (or its creation) returned, decoded. */
  async currentJwt(row: SessionListRow): Promise<CurrentJwt | undefined> {
    const { core, orgs } = this.world
    let extra = {}
    const claim: Record<string, unknown> = { id: row.session_id, ...timestamps(row) }
    if (row.kind === 'consumer') claim.attributes = row.attributes
    else {
      const org = row.organization_id ? orgs.organization(row.organization_id) : null
      if (!org) return undefined
      extra = {
        [ORGANIZATION_CLAIM]: { organization_id: org.organization_id, slug: org.organization_slug },
      }
    }
    claim.authentication_factors = row.authentication_factors
    claim.roles = row.roles
    // The same minting as authenticate, at the instant of the last access: RS256 is deterministic,
    // so while the same key signs, this is byte for byte the JWT the app was given.
    const jwt = await core.mint(row, claim, extra, false, row.last_accessed_at)
    const [header, payload] = jwt
      .split('.')
      .slice(0, 2)
      .map(
        (part) =>
          JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>,
      )
    const signer = this.signerAt(row.last_accessed_at)
    return {
      jwt,
      header: header!,
      payload: payload!,
      signer,
      resigned: signer !== undefined && signer.kid !== header!.kid,
    }
  }

  /**
   * Every key (retired ones too), oldest first, and when each was the active one: from its
   * creation until the next key's (rotation makes the new key sign; retire and reset never
   * change which key signs).
   */
  keyWindows(): KeyItem[] {
    const history: KeyHistoryRow[] = this.store.keyHistory()
    const live = new Map(this.world.keys.list().map((k) => [k.kid, k.state]))
    return history.map((k, i) => ({
      kid: k.kid,
      state: live.get(k.kid) ?? 'retired',
      created_ms: k.created_at,
      retired_ms: k.retired_at,
      signed: 0,
      from: k.created_at,
      to: history[i + 1]?.created_at ?? null,
    }))
  }

  /** keyWindows, with how many stored sessions' current JWT each signed. */
  keys(): KeyItem[] {
    const now = this.world.clock.nowSeconds()
    return this.keyWindows().map((k) => ({
      ...k,
      signed: this.store.sessions(
        { state: 'any', now, q: '', accessedFromMs: k.from, accessedToMs: k.to },
        0,
        0,
      ).total,
    }))
  }

  /** The key that was the active one at an instant (epoch seconds, as a JWT's iat). */
  signerAt(seconds: number): KeyItem | undefined {
    const ms = seconds * 1000 + 999
    return findLast(this.keyWindows(), (k) => k.from <= ms && (k.to === null || ms < k.to))
  }

  /** The request journal, newest first. */
  journal(): JournalEntry[] {
    return this.world.journal.list({}).reverse()
  }

  /** The journal filtered as the page asks: path (exact or prefix*), method, status, subject. */
  journalPage(query: UiQuery): { entries: JournalEntry[]; matching: number; total: number } {
    const all = this.journal()
    const { path, method, status, subject } = query
    const statusMatch = /^([1-5])xx$/.exec(status)
    const keep = (e: JournalEntry) =>
      (!path || (path.endsWith('*') ? e.path.startsWith(path.slice(0, -1)) : e.path === path)) &&
      (!method || e.method === method) &&
      (!status ||
        (status === 'error'
          ? e.status >= 400
          : statusMatch
            ? Math.floor(e.status / 100) === Number(statusMatch[1])
            : String(e.status) === status)) &&
      (!subject ||
        [e.session_id, e.user_id, e.member_id].some((id) => id !== null && id.includes(subject)))
    const matching = all.filter(keep)
    return {
      entries: matching.slice(0, JOURNAL_ROWS),
      matching: matching.length,
      total: all.length,
    }
  }

  /** Test-control calls, newest first. */
  controlCalls(): ControlCall[] {
    return this.recorder.controlCalls().reverse()
  }

  users(query: UiQuery): Paged<UserListRow & { revoked: number }> {
    const { rows, total } = this.store.users(
      query.q,
      this.world.clock.nowSeconds(),
      PAGE_SIZE,
      (query.page - 1) * PAGE_SIZE,
    )
    const revoked = countBy(this.recorder.revocations((r) => r.row.kind === 'consumer'))
    return paged(
      rows.map((r) => ({ ...r, revoked: revoked.get(r.body.user_id) ?? 0 })),
      total,
      query.page,
    )
  }

  user(userId: string): UserObject | null {
    return this.world.users.byId(userId) ?? this.world.users.byExternalId(userId)
  }

  organizations(query: UiQuery) {
    const { rows, total } = this.store.organizations(
      query.q,
      PAGE_SIZE,
      (query.page - 1) * PAGE_SIZE,
    )
    return paged(rows, total, query.page)
  }

  organization(idOrSlug: string): OrganizationObject | null {
    return this.world.orgs.organization(idOrSlug)
  }

  members(organizationId: string) {
    const revoked = countBy(this.recorder.revocations((r) => r.row.kind === 'member'))
    return this.store
      .members(organizationId, this.world.clock.nowSeconds())
      .map((m) => ({ ...m, revoked: revoked.get(m.body.member_id) ?? 0 }))
  }

  member(memberId: string): MemberObject | null {
    return this.world.orgs.member(memberId, true)
  }

  /** The organization's SCIM connection (no token) and the groups its provider pushed. */
  scimOf(organizationId: string) {
    const { scimConnections } = this.world
    const connection = scimConnections.of(organizationId)
    if (!connection) return null
    const { scim_groups } = scimConnections.groups(connection.connection_id, { limit: 1000 })
    const roles = connection.scim_group_implicit_role_assignments
    return {
      connection,
      groups: scim_groups.map((g) => ({
        ...g,
        roles: roles.filter((a) => a.group_id === g.group_id).map((a) => a.role_id),
      })),
    }
  }

  /**
   * The organization's SSO connections, oldest first: kind, name, status, where its identity
   * provider is, whether it is the default and may JIT-provision, and the roles it grants.
   */
  ssoOf(organizationId: string) {
    const { ssoConnections, orgs } = this.world
    const org = orgs.organization(organizationId)
    const restricted = org?.sso_jit_provisioning === 'RESTRICTED'
    const allowed = new Set((org?.sso_jit_provisioning_allowed_connections ?? []) as string[])
    return ssoConnections.ofOrganization(organizationId).map((row) => {
      const c = row.connection
      const roles = ssoConnections.roleAssignments(row)
      return {
        kind: row.kind,
        connection_id: c.connection_id,
        display_name: c.display_name,
        status: c.status,
        identity_provider: String(ssoConnections.sourceOf(row)?.connection.identity_provider ?? ''),
        idp: String(
          row.kind === 'saml'
            ? c.idp_sso_url
            : row.kind === 'oidc'
              ? c.issuer
              : `${String(c.external_connection_id)} (${String(c.external_organization_id)})`,
        ),
        is_default: org?.sso_default_connection_id === c.connection_id,
        jit:
          org?.sso_jit_provisioning === 'ALL_ALLOWED' ||
          (restricted && allowed.has(c.connection_id)),
        roles: [
          ...roles.connection.map((a) => a.role_id),
          ...roles.groups.map((a) => `${a.role_id} (group ${a.group})`),
        ],
      }
    })
  }

  /** An organization's sessions (every member's), newest first. */
  organizationSessions(organizationId: string): SessionItem[] {
    const now = this.world.clock.nowSeconds()
    const control = this.recorder.controlCalls()
    return this.store
      .sessions(
        { state: 'any', now, q: organizationId, accessedFromMs: null, accessedToMs: null },
        PAGE_SIZE,
        0,
      )
      .rows.filter((row) => row.organization_id === organizationId)
      .map((row) => this.#describe(row, undefined, now, control))
  }

  faults(): Fault[] {
    return this.world.faults.list()
  }

  /** Newest first. */
  outbox(filter?: (m: OutboxMessage) => boolean, limit = PAGE_SIZE): OutboxMessage[] {
    const all = this.world.outbox.list(undefined, filter ? 1000 : limit).reverse()
    return (filter ? all.filter(filter) : all).slice(0, limit)
  }

  /** The OAuth consent answers tests queued (/_mock/oauth/answers), oldest first. */
  oauthAnswers(): OAuthAnswer[] {
    return this.world.consent.queued()
  }

  snapshots(): SnapshotTaken[] {
    return this.recorder.snapshots()
  }
}

function matches(row: SessionListRow, q: string): boolean {
  return (
    row.session_id.includes(q) ||
    row.subject_id.includes(q) ||
    row.session_token === q ||
    (row.email ?? '').includes(q) ||
    row.organization_slug === q ||
    row.organization_id === q
  )
}

/**
 * Whether a control call came after the session started, on the mock's clock (a clock move from
 * before its start cannot have touched it: the session was created after the move).
 */
const duringLife = (c: ControlCall, startedMs: number) => c.virtual_before_ms >= startedMs

function countBy(revocations: Revocation[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const r of revocations) counts.set(r.row.subject_id, (counts.get(r.row.subject_id) ?? 0) + 1)
  return counts
}

function paged<T>(items: T[], total: number, page: number): Paged<T> {
  return { items, total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) }
}

function findLast<T>(items: T[], keep: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (keep(items[i]!)) return items[i]
  return undefined
}
