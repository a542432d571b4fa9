// Connected App clients (connectedApp.clients.*): made, read, changed, listed and deleted; first
// or third party, confidential (a secret, stored hashed) or public (none); secrets rotated as
// for M2M clients (mid-rotation both secrets authenticate); and dynamic client registration
// (RFC 7591), when the project allows it, making third-party clients as Stytch documents.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { StytchError } from '../../errors.js'
import type { ConnectedAppRow, ConnectedAppStore } from './store.js'
import type { ConnectedApp, ConnectedAppClients, ConnectedAppClientType } from './types.js'

/** Stytch's default access-token lifetime for a Connected App. */
export const DEFAULT_EXPIRY_MINUTES = 60

export interface ClientFields {
  client_name?: string | undefined
  client_description?: string | undefined
  redirect_urls?: string[] | undefined
  full_access_allowed?: boolean | undefined
  access_token_expiry_minutes?: number | undefined
  access_token_custom_audience?: string | undefined
  access_token_template_content?: string | undefined
  post_logout_redirect_urls?: string[] | undefined
  logo_url?: string | undefined
  bypass_consent_for_offline_access?: boolean | undefined
  id_token_template_content?: string | undefined
}
export interface CreateInput extends ClientFields {
  client_type: ConnectedAppClientType
}
/** A fixture client: a fixed id and, when confidential, a fixed secret. */
export interface FixtureClient extends CreateInput {
  client_id: string
  client_secret?: string | undefined
}

/** An RFC 7591 registration request, as the spec's schema lets it through. */
export interface Registration {
  redirect_uris: string[]
  client_name?: string
  logo_uri?: string
  token_endpoint_auth_method?: 'none' | 'client_secret_post' | 'client_secret_basic'
  [metadata: string]: unknown
}

/** A registration refused, in RFC 7591 §3.2.2's terms. */
export class RegistrationError extends Error {
  constructor(
    readonly error: 'invalid_redirect_uri' | 'invalid_client_metadata' | 'access_denied',
    readonly description: string,
    readonly status = error === 'access_denied' ? 403 : 400,
  ) {
    super(description)
  }
}

/** The project's Connected Apps settings (the dashboard's), as the mock keeps them. */
export interface ConnectedAppSettings {
  /** Dynamic client registration (RFC 7591) allowed: off unless the project turns it on. */
  dynamic_client_registration: boolean
}
const SETTINGS_DEFAULTS: ConnectedAppSettings = { dynamic_client_registration: false }

const UPDATABLE = [
  'client_name',
  'client_description',
  'redirect_urls',
  'full_access_allowed',
  'access_token_expiry_minutes',
  'access_token_custom_audience',
  'access_token_template_content',
  'post_logout_redirect_urls',
  'logo_url',
  'bypass_consent_for_offline_access',
  'id_token_template_content',
] as const satisfies (keyof ClientFields)[]

const CONFIDENTIAL = new Set<ConnectedAppClientType>(['first_party', 'third_party'])
const FIRST_PARTY = new Set<ConnectedAppClientType>(['first_party', 'first_party_public'])

const hash = (text: string) => createHash('sha256').update(text).digest('base64url')
/** Compared as hashes of equal length, in constant time. */
const same = (secret: string, stored: string | null) =>
  stored !== null && timingSafeEqual(Buffer.from(hash(secret)), Buffer.from(stored))
/** 36 random bytes, 48 characters: the length of Stytch's Connected App secrets. */
const newSecret = () => randomBytes(36).toString('base64url')

/**
 * The first redirect URL no WHATWG URL parser reads, and what to say of it: the spec's pattern lets
 * through some (a port over 65535, a host with characters no host may hold), which a redirect
 * could never be built on.
 */
function unparsable(urls: string[]): string | undefined {
  const bad = urls.find((url) => !URL.canParse(url))
  return bad === undefined
    ? undefined
    : `${JSON.stringify(bad.slice(0, 200))} is not a URL: check its host and port.`
}

function checkRedirectUrls(fields: ClientFields): void {
  const problem = unparsable([
    ...(fields.redirect_urls ?? []),
    ...(fields.post_logout_redirect_urls ?? []),
  ])
  if (problem) throw new StytchError('invalid_connected_app_redirect_url', problem)
}

/** A token template: empty, or a JSON object once its `{{ ... }}` placeholders are filled. */
function checkTemplate(field: string, template: string | undefined): void {
  if (template === undefined || template === '') return
  let parsed: unknown
  try {
    parsed = JSON.parse(template.replace(/\{\{[^{}]*\}\}/g, 'null'))
  } catch {
    parsed = null
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new StytchError(
      'invalid_connected_app_template',
      `${field} must be empty or a JSON object (placeholders such as {{ user.user_id }} allowed).`,
    )
}

/** Deeper than any real client metadata: refused rather than walked (the stack's limit). */
const MAX_METADATA_DEPTH = 16

/** A key of the JSON's content, whatever the order of its objects' keys. */
function canonical(value: unknown, depth = 0): string {
  if (depth > MAX_METADATA_DEPTH)
    throw new RegistrationError('invalid_client_metadata', 'The client metadata nests too deeply.')
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, depth + 1)).join(',')}]`
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map(
        (k) =>
          `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k], depth + 1)}`,
      )
      .join(',')}}`
  return JSON.stringify(value)
}

export class ConnectedAppClientsService implements ConnectedAppClients {
  readonly #forget: ((clientId: string) => void)[] = []

  constructor(private readonly store: ConnectedAppStore) {}

  // The named interface (types.ts).

  find(clientId: string): ConnectedApp | null {
    return this.store.get(clientId)?.client ?? null
  }

  secretMatches(clientId: string, secret: string): boolean {
    const row = this.store.get(clientId)
    if (!row) return false
    // Both compared, so a wrong secret takes as long as a right one.
    const current = same(secret, row.secret_hash)
    const next = same(secret, row.next_secret_hash)
    return current || next
  }

  onDeleted(forget: (clientId: string) => void): void {
    this.#forget.push(forget)
  }

  dynamicRegistrationEnabled(): boolean {
    return this.settings().dynamic_client_registration
  }

  // connectedApp.clients.*

  create(input: CreateInput, creation_method = 'api') {
    return this.insert(`connected-app-test-${randomUUID()}`, input, creation_method, null)
  }

  /** A fixture's client, with its fixed id and secret (dashboard-made, as far as Stytch knows). */
  seed(input: FixtureClient): void {
    const { client_id, client_secret, ...fields } = input
    this.insert(client_id, fields, 'dashboard', null, client_secret)
  }

  get(clientId: string): ConnectedApp {
    return this.row(clientId).client
  }

  /** Changes what is given; the client type, id and secrets stay. */
  update(clientId: string, changes: ClientFields): ConnectedApp {
    const row = this.row(clientId)
    checkFirstPartyOnly(row.client.client_type, changes)
    checkRedirectUrls(changes)
    checkTemplate('access_token_template_content', changes.access_token_template_content)
    checkTemplate('id_token_template_content', changes.id_token_template_content)
    // Only the fields update takes: a body's other keys (client_type, status, ...) change nothing.
    const given = Object.fromEntries(
      UPDATABLE.flatMap((k) =>
        changes[k] === undefined
          ? []
          : [[k, Array.isArray(changes[k]) ? [...new Set(changes[k] as string[])] : changes[k]]],
      ),
    )
    const client = withOptional({ ...row.client, ...given })
    this.store.save({ ...row, client })
    return client
  }

  /** The client goes, and with it what was granted to it (the hooks, in the same transaction). */
  delete(clientId: string): void {
    this.store.transaction(() => {
      if (!this.store.delete(clientId)) throw new StytchError('connected_app_not_found')
      for (const forget of this.#forget) forget(clientId)
    })
  }

  /** Clients in creation order, `limit` a page (0 or none: 100), `next_cursor` while more remain, then null. */
  search(input: { limit?: number | undefined; cursor?: string | undefined }) {
    const after = input.cursor ? cursorSeq(input.cursor) : 0
    const limit = input.limit || 100
    const rows = this.store.page(after, limit + 1)
    const page = rows.slice(0, limit)
    return {
      connected_apps: page.map((r) => r.client),
      results_metadata: {
        total: this.store.count(),
        next_cursor:
          rows.length > limit ? Buffer.from(String(page.at(-1)!.seq)).toString('base64url') : null,
      },
    }
  }

  /** A next secret, returned once; until rotate or cancel, both secrets authenticate. */
  rotateStart(clientId: string) {
    const row = this.confidential(clientId)
    const next_client_secret = newSecret()
    const client = { ...row.client, next_client_secret_last_four: next_client_secret.slice(-4) }
    this.store.save({ ...row, client, next_secret_hash: hash(next_client_secret) })
    return { ...client, next_client_secret }
  }

  rotateCancel(clientId: string): ConnectedApp {
    const row = this.confidential(clientId)
    const { next_client_secret_last_four: _, ...client } = row.client
    this.store.save({ ...row, client, next_secret_hash: null })
    return client
  }

  /** The next secret becomes the only one: the old one authenticates no more. */
  rotate(clientId: string): ConnectedApp {
    const row = this.confidential(clientId)
    if (row.next_secret_hash === null || !row.client.next_client_secret_last_four)
      throw new StytchError('connected_app_secret_rotation_not_started')
    const { next_client_secret_last_four: last4, ...rest } = row.client
    const client = { ...rest, client_secret_last_four: last4 }
    this.store.save({ client, secret_hash: row.next_secret_hash, next_secret_hash: null })
    return client
  }

  // Dynamic client registration.

  settings(): ConnectedAppSettings {
    return this.store.setting('settings', SETTINGS_DEFAULTS)
  }

  changeSettings(changes: Partial<ConnectedAppSettings>): ConnectedAppSettings {
    const settings = { ...this.settings(), ...changes }
    this.store.setSetting('settings', settings)
    return settings
  }

  /**
   * RFC 7591 as Stytch documents it: `token_endpoint_auth_method` none (the default) makes a
   * third-party public client, and the same metadata again answers the same client (while it
   * exists); client_secret_post or client_secret_basic a third-party confidential one, always new,
   * its secret in the answer only.
   */
  register(input: Registration) {
    if (!this.settings().dynamic_client_registration)
      throw new RegistrationError(
        'access_denied',
        'Dynamic client registration is not enabled for this project.',
      )
    const problem = unparsable(input.redirect_uris)
    if (problem) throw new RegistrationError('invalid_redirect_uri', problem)
    const method = input.token_endpoint_auth_method ?? 'none'
    const fields: CreateInput = {
      client_type: method === 'none' ? 'third_party_public' : 'third_party',
      client_name: input.client_name ?? '',
      redirect_urls: [...new Set(input.redirect_uris)],
      ...(input.logo_uri === undefined ? {} : { logo_url: input.logo_uri }),
    }
    const key = method === 'none' ? hash(canonical(input)) : null
    const existing = key === null ? null : this.store.byRegistration(key)
    const made = existing
      ? existing.client
      : this.insert(
          `connected-app-test-${randomUUID()}`,
          fields,
          'dynamic_client_registration',
          key,
        )
    const secret = 'client_secret' in made ? (made.client_secret as string) : undefined
    return {
      client_id: made.client_id,
      client_name: made.client_name,
      redirect_uris: made.redirect_urls,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: method,
      ...(made.logo_url === undefined ? {} : { logo_uri: made.logo_url }),
      // RFC 7591 §3.2.1: with a secret, when it expires (0: never).
      ...(secret === undefined ? {} : { client_secret: secret, client_secret_expires_at: 0 }),
    }
  }

  private insert(
    client_id: string,
    input: CreateInput,
    creation_method: string,
    registrationKey: string | null,
    fixedSecret?: string,
  ): ConnectedApp & { client_secret?: string } {
    checkFirstPartyOnly(input.client_type, input)
    checkRedirectUrls(input)
    checkTemplate('access_token_template_content', input.access_token_template_content)
    checkTemplate('id_token_template_content', input.id_token_template_content)
    const secret = CONFIDENTIAL.has(input.client_type) ? (fixedSecret ?? newSecret()) : null
    const client: ConnectedApp = withOptional({
      client_id,
      client_name: input.client_name ?? '',
      client_description: input.client_description ?? '',
      status: 'active',
      full_access_allowed: input.full_access_allowed ?? false,
      client_type: input.client_type,
      redirect_urls: [...new Set(input.redirect_urls ?? [])],
      access_token_expiry_minutes: input.access_token_expiry_minutes ?? DEFAULT_EXPIRY_MINUTES,
      access_token_template_content: input.access_token_template_content ?? '',
      post_logout_redirect_urls: [...new Set(input.post_logout_redirect_urls ?? [])],
      bypass_consent_for_offline_access: input.bypass_consent_for_offline_access ?? false,
      creation_method,
      id_token_template_content: input.id_token_template_content ?? '',
      ...(secret === null ? {} : { client_secret_last_four: secret.slice(-4) }),
      access_token_custom_audience: input.access_token_custom_audience,
      logo_url: input.logo_url,
    })
    this.store.insert(client, secret === null ? null : hash(secret), registrationKey)
    return secret === null ? client : { ...client, client_secret: secret }
  }

  private row(clientId: string): ConnectedAppRow {
    const row = this.store.get(clientId)
    if (!row) throw new StytchError('connected_app_not_found')
    return row
  }

  /** A client with a secret: a public client has none to rotate. */
  private confidential(clientId: string): ConnectedAppRow {
    const row = this.row(clientId)
    if (!CONFIDENTIAL.has(row.client.client_type))
      throw new StytchError('connected_app_public_client_has_no_secret')
    return row
  }
}

/** Full access and consent-free offline access are first-party settings (Stytch: "valid for first party clients only"). */
function checkFirstPartyOnly(type: ConnectedAppClientType, fields: ClientFields): void {
  if (FIRST_PARTY.has(type)) return
  if (fields.full_access_allowed === true || fields.bypass_consent_for_offline_access === true)
    throw new StytchError('connected_app_first_party_only_setting')
}

type Loose<T> = { [K in keyof T]: T[K] | undefined }

/** The optional fields present only when set (an empty string unsets one). */
function withOptional(client: Loose<ConnectedApp>): ConnectedApp {
  const out: Record<string, unknown> = { ...client }
  for (const [key, value] of Object.entries(out))
    if (value === undefined || (OPTIONAL.has(key) && value === '')) delete out[key]
  return out as unknown as ConnectedApp
}
const OPTIONAL = new Set(['access_token_custom_audience', 'logo_url'])

function cursorSeq(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  if (!/^[0-9]{1,15}$/.test(text)) throw new StytchError('invalid_cursor')
  return Number(text)
}
