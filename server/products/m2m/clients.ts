// M2M clients (m2m.clients.*) and the client-credentials token endpoint (m2m.token): clients
// made, read, changed, searched and deleted; secrets rotated as Stytch documents (during a
// rotation both the current and the next secret get tokens; rotate makes the next one current,
// cancel forgets it); access tokens signed with the JWKS for an hour, on the mock's clock.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto'
import type { Clock } from '../../clock.js'
import { StytchError } from '../../errors.js'
import type { SessionJwts } from '../../platform/tokens/jwt.js'
import { newSessionToken } from '../../platform/tokens/ids.js'
import type { M2MClient, M2MClientRow, M2MClientStore } from './store.js'

/** M2M access tokens live an hour (Stytch's documented lifetime). */
export const TOKEN_SECONDS = 3600

export interface CreateInput {
  scopes: string[]
  client_id?: string | undefined
  client_secret?: string | undefined
  client_name?: string | undefined
  client_description?: string | undefined
  trusted_metadata?: Record<string, unknown> | undefined
}
export type UpdateInput = Partial<
  Pick<M2MClient, 'client_name' | 'client_description' | 'status' | 'scopes' | 'trusted_metadata'>
>
export interface SearchQuery {
  operator: string
  operands: { filter_name: 'client_id' | 'client_name' | 'scopes'; filter_value: string[] }[]
}

/** An error of the token endpoint, in OAuth 2.0's shape (RFC 6749 §5.2), as Stytch answers it. */
export class OAuthError extends Error {
  constructor(
    readonly error:
      'invalid_request' | 'invalid_client' | 'invalid_scope' | 'unsupported_grant_type',
    readonly description: string,
    readonly status = error === 'invalid_client' ? 401 : 400,
  ) {
    super(description)
  }
}

const hash = (secret: string) => createHash('sha256').update(secret).digest('base64url')
const same = (secret: string, stored: string | null) =>
  stored !== null && timingSafeEqual(Buffer.from(hash(secret)), Buffer.from(stored))

/** What other products use of M2M: how many clients there are (project.metrics). */
export type M2MCount = Pick<M2MClients, 'count'>
/** ... and the client-credentials grant (the token endpoint idp-tokens serves). */
export type M2MTokens = Pick<M2MClients, 'token'>

export class M2MClients {
  constructor(private readonly deps: { store: M2MClientStore; clock: Clock; jwts: SessionJwts }) {}

  create(input: CreateInput) {
    const client_id = input.client_id ?? `m2m-client-test-${randomUUID()}`
    if (this.deps.store.get(client_id)) throw new StytchError('m2m_client_already_exists')
    const client_secret = input.client_secret ?? newSessionToken()
    const client: M2MClient = {
      client_id,
      client_name: input.client_name ?? '',
      client_description: input.client_description ?? '',
      status: 'active',
      scopes: [...new Set(input.scopes)],
      client_secret_last_four: client_secret.slice(-4),
      trusted_metadata: input.trusted_metadata ?? {},
    }
    this.deps.store.insert(client, hash(client_secret))
    return { ...client, client_secret }
  }

  count(): number {
    return this.deps.store.count()
  }

  get(clientId: string): M2MClient {
    return this.row(clientId).client
  }

  update(clientId: string, changes: UpdateInput): M2MClient {
    const row = this.row(clientId)
    const { client_name, client_description, status, scopes, trusted_metadata } = changes
    const client: M2MClient = {
      ...row.client,
      ...(client_name === undefined ? {} : { client_name }),
      ...(client_description === undefined ? {} : { client_description }),
      ...(status === undefined ? {} : { status }),
      ...(scopes === undefined ? {} : { scopes: [...new Set(scopes)] }),
      ...(trusted_metadata === undefined ? {} : { trusted_metadata }),
    }
    this.deps.store.save({ ...row, client })
    return client
  }

  delete(clientId: string): void {
    if (!this.deps.store.delete(clientId)) throw new StytchError('m2m_client_not_found')
  }

  /**
   * Clients in creation order matching the query: AND (every operand) or OR (any), each operand
   * matching a client whose id, name, or one of whose scopes is among its values.
   */
  search(input: {
    query?: SearchQuery | undefined
    limit?: number | undefined
    cursor?: string | undefined
  }) {
    const matches = (
      c: M2MClient,
      { filter_name, filter_value }: SearchQuery['operands'][number],
    ) =>
      filter_name === 'scopes'
        ? c.scopes.some((s) => filter_value.includes(s))
        : filter_value.includes(c[filter_name])
    const query = input.query
    const wanted = (c: M2MClient) =>
      !query || query.operands.length === 0
        ? true
        : query.operator.toUpperCase() === 'OR'
          ? query.operands.some((o) => matches(c, o))
          : query.operands.every((o) => matches(c, o))
    const all: M2MClientRow[] = []
    for (let after = 0; ;) {
      const page = this.deps.store.page(after, 500)
      all.push(...page.filter((r) => wanted(r.client)))
      if (page.length < 500) break
      after = page.at(-1)!.seq
    }
    const after = input.cursor ? cursorSeq(input.cursor) : 0
    const limit = input.limit ?? 100
    const rest = all.filter((r) => r.seq > after)
    const page = rest.slice(0, limit)
    const more = rest.length > limit
    return {
      m2m_clients: page.map((r) => r.client),
      results_metadata: {
        total: all.length,
        ...(more
          ? { next_cursor: Buffer.from(String(page.at(-1)!.seq)).toString('base64url') }
          : {}),
      },
    }
  }

  /** A next secret, returned once; until rotate or cancel, both secrets get tokens. */
  rotateStart(clientId: string) {
    const row = this.row(clientId)
    const next_client_secret = newSessionToken()
    const client = { ...row.client, next_client_secret_last_four: next_client_secret.slice(-4) }
    this.deps.store.save({ ...row, client, next_secret_hash: hash(next_client_secret) })
    return { ...client, next_client_secret }
  }

  rotateCancel(clientId: string): M2MClient {
    const row = this.row(clientId)
    const { next_client_secret_last_four: _, ...client } = row.client
    this.deps.store.save({ ...row, client, next_secret_hash: null })
    return client
  }

  /** The next secret becomes the only one: the old one gets no more tokens. */
  rotate(clientId: string): M2MClient {
    const row = this.row(clientId)
    if (row.next_secret_hash === null || !row.client.next_client_secret_last_four)
      throw new StytchError('m2m_client_secret_rotation_not_started')
    const { next_client_secret_last_four: last4, ...rest } = row.client
    const client = { ...rest, client_secret_last_four: last4 }
    this.deps.store.save({ client, secret_hash: row.next_secret_hash, next_secret_hash: null })
    return client
  }

  /**
   * The client-credentials grant: an active client's id and (current or, mid-rotation, next)
   * secret; `scope` a space-separated subset of its scopes, all of them by default.
   */
  async token(input: {
    grant_type?: string | undefined
    client_id?: string | undefined
    client_secret?: string | undefined
    scope?: string | undefined
  }) {
    if (input.grant_type !== 'client_credentials')
      throw new OAuthError(
        'unsupported_grant_type',
        'grant_type must be client_credentials for an M2M client.',
      )
    if (!input.client_id || !input.client_secret)
      throw new OAuthError('invalid_client', 'client_id and client_secret are required.')
    const row = this.deps.store.get(input.client_id)
    if (
      !row ||
      !(
        same(input.client_secret, row.secret_hash) ||
        same(input.client_secret, row.next_secret_hash)
      )
    )
      throw new OAuthError('invalid_client', 'The client_id or client_secret is not valid.')
    if (row.client.status !== 'active')
      throw new OAuthError('invalid_client', 'The M2M client is not active.')
    const asked = (input.scope ?? '').split(' ').filter(Boolean)
    const refused = asked.filter((s) => !row.client.scopes.includes(s))
    if (refused.length > 0)
      throw new OAuthError('invalid_scope', `The client may not have ${refused.join(', ')}.`)
    const scopes = asked.length > 0 ? [...new Set(asked)] : row.client.scopes
    const iat = this.deps.clock.nowSeconds()
    const access_token = await this.deps.jwts.sign(
      row.client.client_id,
      iat,
      { scope: scopes.join(' ') },
      false,
      TOKEN_SECONDS,
    )
    return { access_token, token_type: 'bearer', expires_in: TOKEN_SECONDS }
  }

  private row(clientId: string): M2MClientRow {
    const row = this.deps.store.get(clientId)
    if (!row) throw new StytchError('m2m_client_not_found')
    return row
  }
}

function cursorSeq(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  if (!/^[0-9]{1,15}$/.test(text)) throw new StytchError('invalid_cursor')
  return Number(text)
}
