// Issue #24: consumer users, complete, through the official `stytch` Node SDK: create (and its
// duplicates), get, update (names, metadata merged, external_id, roles), delete (its sessions end
// at once, its password and passcodes go, its address is free again), search (every filter, AND
// and OR, pages and searchAll, Stytch's errors), exchangePrimaryFactor, and each factor deletion
// (an address deleted no longer logs in). State survives snapshots and goes with reset. Every
// response is also checked against openapi.yaml (helpers/server.ts).
import * as stytch from 'stytch'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { OutboxMessage } from '../../server/index.js'
import type { UserObject } from '../../server/platform/sessions/user-store.js'
import { controlOf, failure, mockWithSdk, type RunningMock } from '../helpers/server.js'
import { FIXTURE } from '../helpers/world.js'

let mock: RunningMock
let control: ReturnType<typeof controlOf>
let client: stytch.Client

const sdk = mockWithSdk((options) => new stytch.Client(options))
beforeAll(() => {
  mock = sdk.mock
  client = sdk.client
  control = controlOf(mock)
})
beforeEach(async () => {
  mock.clock.reset()
  await control('POST', '/_mock/reset')
})

const tag = () => Math.random().toString(36).slice(2, 10)
const unique = (name: string) => `${name}-${tag()}@example.com`
const phone = () => `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
const latest = async (to: string): Promise<OutboxMessage> =>
  (await control('GET', `/_mock/outbox?to=${encodeURIComponent(to)}`)).body.messages.at(-1)
const PASSWORD = 'correct-horse-battery'
const ADA = { email: 'ada@example.com', externalId: 'ada-external-1' }

/** A user with a password and a live session (and its JWT). */
async function loggedIn(email = unique('user')) {
  await control('POST', '/_mock/users', { email, password: PASSWORD })
  const login = await client.passwords.authenticate({
    email,
    password: PASSWORD,
    session_duration_minutes: 60,
  })
  return { email, ...login }
}

/** Writes factors the mock has no login for (TOTPs, passkeys, wallets) into a stored user. */
function give(userId: string, factors: Partial<UserObject>) {
  const user = mock.world.users.byId(userId)!
  mock.world.records.write({ ...user, ...factors })
}

describe('users.create', () => {
  it('creates a user with every field the SDK sends, its addresses unverified', async () => {
    const email = unique('Create')
    const phone_number = phone()
    const created = await client.users.create({
      email,
      phone_number,
      name: { first_name: 'Grace', last_name: 'Hopper' },
      attributes: { ip_address: '203.0.113.9' },
      trusted_metadata: { plan: 'pro' },
      untrusted_metadata: { theme: 'dark' },
      external_id: `ext-${tag()}`,
      roles: ['editor'],
    })
    expect(created).toMatchObject({ status_code: 200, status: 'active' })
    expect(created.user.emails).toEqual([
      { email_id: created.email_id, email: email.toLowerCase(), verified: false },
    ])
    expect(created.user.phone_numbers).toEqual([
      { phone_id: created.phone_id, phone_number, verified: false },
    ])
    expect(created.user).toMatchObject({
      user_id: created.user_id,
      name: { first_name: 'Grace', middle_name: '', last_name: 'Hopper' },
      trusted_metadata: { plan: 'pro' },
      untrusted_metadata: { theme: 'dark' },
      roles: ['editor'],
      password: null,
    })
    const got = await client.users.get({ user_id: created.user.external_id! })
    expect(got.user_id).toBe(created.user_id)
  })

  it('creates a pending user with a phone only; its first login activates it', async () => {
    const phone_number = phone()
    const created = await client.users.create({ phone_number, create_user_as_pending: true })
    expect(created).toMatchObject({ status: 'pending', email_id: '' })
    expect(created.user.emails).toEqual([])
    await client.otps.sms.send({ phone_number })
    const { otp_code } = await latest(phone_number)
    const login = await client.otps.authenticate({ method_id: created.phone_id, code: otp_code! })
    expect(login.user).toMatchObject({ status: 'active', phone_numbers: [{ verified: true }] })
  })

  it("refuses another user's email, phone or external_id, and a call with neither address", async () => {
    const phone_number = phone()
    await client.users.create({ phone_number })
    expect(await failure(client.users.create({ email: ADA.email.toUpperCase() }))).toEqual({
      status: 400,
      type: 'duplicate_email',
    })
    expect(await failure(client.users.create({ phone_number }))).toEqual({
      status: 400,
      type: 'duplicate_phone_number',
    })
    const external = await failure(
      client.users.create({ email: unique('ext'), external_id: ADA.externalId }),
    )
    expect(external).toEqual({ status: 400, type: 'duplicate_user_external_id' })
    expect(await failure(client.users.create({ name: { first_name: 'No' } }))).toEqual({
      status: 400,
      type: 'invalid_create_user_request',
    })
    expect((await failure(client.users.create({ email: 'not-an-email' }))).type).toBe(
      'invalid_email',
    )
    expect((await failure(client.users.create({ phone_number: '5550100' }))).type).toBe(
      'invalid_phone_number',
    )
  })
})

describe('users.get and users.update', () => {
  it('an unknown user is 404 user_not_found for get, update and delete', async () => {
    const user_id = 'user-test-00000000-0000-0000-0000-000000000000'
    for (const call of [
      client.users.get({ user_id }),
      client.users.update({ user_id, name: { first_name: 'X' } }),
      client.users.delete({ user_id }),
      client.users.deleteExternalId({ user_id }),
      client.users.exchangePrimaryFactor({ user_id, email_address: unique('x') }),
    ])
      expect(await failure(call)).toEqual({ status: 404, type: 'user_not_found' })
  })

  it('replaces the name, merges metadata (null deletes a key), sets external_id and roles', async () => {
    await client.users.update({
      user_id: FIXTURE.adaUserId,
      trusted_metadata: { plan: 'pro', seats: 3 },
      untrusted_metadata: { theme: 'dark' },
    })
    const result = await client.users.update({
      user_id: ADA.externalId,
      name: { first_name: 'Augusta' },
      trusted_metadata: { seats: null, region: 'eu' },
      untrusted_metadata: { locale: 'en' },
      external_id: 'ada-renamed',
      roles: ['admin'],
    })
    expect(result.user_id).toBe(FIXTURE.adaUserId)
    expect(result.emails).toEqual(result.user.emails)
    expect(result.user).toMatchObject({
      name: { first_name: 'Augusta', middle_name: '', last_name: '' },
      trusted_metadata: { plan: 'pro', region: 'eu' },
      untrusted_metadata: { theme: 'dark', locale: 'en' },
      external_id: 'ada-renamed',
      roles: ['admin'],
    })
    expect(result.user.trusted_metadata).not.toHaveProperty('seats')
    // The old external_id names no one; the new one names Ada.
    expect((await failure(client.users.get({ user_id: ADA.externalId }))).type).toBe(
      'user_not_found',
    )
    expect((await client.users.get({ user_id: 'ada-renamed' })).user_id).toBe(FIXTURE.adaUserId)
    // Every session answer reads the stored user.
    const session = await client.sessions.authenticate({ session_token: FIXTURE.adaToken })
    expect(session.user.name).toEqual({ first_name: 'Augusta', middle_name: '', last_name: '' })
    expect(session.user.untrusted_metadata).toEqual({ theme: 'dark', locale: 'en' })
    // The session's roles follow the user's, beside the default stytch_user.
    expect(session.session.roles).toEqual(['stytch_user', 'admin'])
    // Stytch's metadata limits: 20 top-level keys, 4 KB.
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i]))
    expect(
      await failure(client.users.update({ user_id: FIXTURE.adaUserId, trusted_metadata: many })),
    ).toEqual({ status: 400, type: 'metadata_too_many_keys' })
    expect(
      await failure(
        client.users.create({ email: unique('big'), untrusted_metadata: { x: 'y'.repeat(5000) } }),
      ),
    ).toEqual({ status: 400, type: 'metadata_too_large' })
  })

  it("refuses another user's external_id and a malformed one", async () => {
    const other = await client.users.create({ email: unique('other'), external_id: 'taken-1' })
    const taken = await failure(
      client.users.update({ user_id: FIXTURE.adaUserId, external_id: 'taken-1' }),
    )
    expect(taken).toEqual({ status: 400, type: 'duplicate_user_external_id' })
    // Setting its own again is no conflict.
    await client.users.update({ user_id: other.user_id, external_id: 'taken-1' })
    const bad = await failure(
      client.users.update({ user_id: FIXTURE.adaUserId, external_id: 'has space' }),
    )
    expect(bad).toEqual({ status: 400, type: 'invalid_argument' })
  })

  it('deleteExternalId frees the id for another user', async () => {
    const result = await client.users.deleteExternalId({ user_id: FIXTURE.adaUserId })
    expect(result.user_id).toBe(FIXTURE.adaUserId)
    expect(result.user).not.toHaveProperty('external_id')
    const other = await client.users.create({ email: unique('x'), external_id: ADA.externalId })
    expect((await client.users.get({ user_id: ADA.externalId })).user_id).toBe(other.user_id)
  })
})

describe('users.delete', () => {
  it("revokes the user's sessions at once and frees its address; its password is gone", async () => {
    const { email, user_id, session_token, session_jwt } = await loggedIn()
    expect(mock.world.passwordHashes.hashOf(user_id)).not.toBeNull()
    expect(await client.users.delete({ user_id })).toMatchObject({ status_code: 200, user_id })
    expect(await failure(client.sessions.authenticate({ session_token }))).toEqual({
      status: 404,
      type: 'session_not_found',
    })
    expect((await failure(client.sessions.authenticate({ session_jwt }))).type).toBe(
      'session_not_found',
    )
    expect((await failure(client.users.get({ user_id }))).type).toBe('user_not_found')
    expect(mock.world.passwordHashes.hashOf(user_id)).toBeNull()
    const again = await failure(client.passwords.authenticate({ email, password: PASSWORD }))
    expect(again).toEqual({ status: 404, type: 'email_not_found' })
    const fresh = await client.users.create({ email })
    expect(fresh.user_id).not.toBe(user_id)
    expect((await failure(client.users.delete({ user_id }))).type).toBe('user_not_found')
  })

  it('a passcode sent before the delete does not log anyone in after it', async () => {
    const email = unique('otp')
    const { user_id, email_id } = await client.users.create({ email })
    await client.otps.email.send({ email })
    const { otp_code } = await latest(email)
    await client.users.delete({ user_id })
    // The same address, a new user: the old passcode is not theirs.
    await client.users.create({ email })
    expect(
      (await failure(client.otps.authenticate({ method_id: email_id, code: otp_code! }))).type,
    ).toBe('otp_code_not_found')
  })
})

describe('users.search', () => {
  /** Four users under one domain: two named, one pending, one with a phone and a password. */
  async function population() {
    const domain = `${tag()}.example.org`
    // A second apart each: the order is created_at's (then user_id's, within a second).
    mock.clock.advance(60)
    const grace = await client.users.create({
      email: `grace@${domain}`,
      name: { first_name: 'Grace', last_name: 'Hopper' },
    })
    mock.clock.advance(60)
    const alan = await client.users.create({
      email: `alan@${domain}`,
      name: { first_name: 'Alan', middle_name: 'Mathison', last_name: 'Turing' },
      external_id: `alan-${tag()}`,
    })
    mock.clock.advance(60)
    const pending = await client.users.create({
      email: `pending@${domain}`,
      create_user_as_pending: true,
    })
    mock.clock.advance(60)
    const phone_number = phone()
    const withPhone = await client.users.create({ email: `phone@${domain}`, phone_number })
    await control('POST', '/_mock/users', { email: `phone@${domain}`, password: PASSWORD })
    return { domain, grace, alan, pending, withPhone, phone_number }
  }
  const ids = (r: { results: { user_id: string }[] }) => r.results.map((u) => u.user_id)
  const query = (operator: string, operands: unknown[]) =>
    ({ operator, operands }) as stytch.SearchUsersQuery

  it('no query: every user, oldest first, total counted', async () => {
    const { grace, alan, pending, withPhone } = await population()
    const all = await client.users.search({})
    expect(all.results_metadata).toEqual({ total: 6, next_cursor: null })
    expect(ids(all).slice(-4)).toEqual([
      grace.user_id,
      alan.user_id,
      pending.user_id,
      withPhone.user_id,
    ])
  })

  it('each filter, AND and OR', async () => {
    const p = await population()
    const search = async (operator: string, ...operands: unknown[]) =>
      ids(await client.users.search({ query: query(operator, operands) }))
    const grace = p.grace.user_id
    const alan = p.alan.user_id
    const pending = p.pending.user_id
    const withPhone = p.withPhone.user_id
    const domain = { filter_name: 'email_address_fuzzy', filter_value: p.domain }
    expect(await search('AND', domain)).toEqual([grace, alan, pending, withPhone])
    expect(await search('AND', domain, { filter_name: 'status', filter_value: 'pending' })).toEqual(
      [pending],
    )
    expect(
      await search('AND', { filter_name: 'full_name_fuzzy', filter_value: 'grace h' }),
    ).toEqual([grace])
    expect(await search('AND', { filter_name: 'full_name_fuzzy', filter_value: 'Tur' })).toEqual([
      alan,
    ])
    expect(
      await search('AND', { filter_name: 'email_address_fuzzy', filter_value: 'ALAN@' }),
    ).toEqual([alan])
    expect(await search('AND', { filter_name: 'user_id', filter_value: [alan, grace] })).toEqual([
      grace,
      alan,
    ])
    // External ids stand for their users.
    expect(
      await search('AND', { filter_name: 'user_id', filter_value: [p.alan.user.external_id] }),
    ).toEqual([alan])
    expect(
      await search('AND', { filter_name: 'phone_number', filter_value: [p.phone_number] }),
    ).toEqual([withPhone])
    expect(
      await search('AND', {
        filter_name: 'phone_number_fuzzy',
        filter_value: p.phone_number.slice(5),
      }),
    ).toEqual([withPhone])
    expect(
      await search('AND', { filter_name: 'phone_id', filter_value: [p.withPhone.phone_id] }),
    ).toEqual([withPhone])
    expect(
      await search('AND', domain, { filter_name: 'password_exists', filter_value: true }),
    ).toEqual([withPhone])
    // /_mock/users verified phone@'s email; the others' are unverified.
    expect(
      await search('AND', domain, { filter_name: 'email_verified', filter_value: true }),
    ).toEqual([withPhone])
    expect(
      await search('AND', domain, { filter_name: 'email_verified', filter_value: false }),
    ).toEqual([grace, alan, pending])
    expect(
      await search('AND', { filter_name: 'email_address', filter_value: [`GRACE@${p.domain}`] }),
    ).toEqual([grace])
    expect(
      await search('AND', { filter_name: 'email_id', filter_value: [p.alan.email_id] }),
    ).toEqual([alan])
    expect(
      await search('AND', { filter_name: 'email_domain', filter_value: p.domain }),
    ).toHaveLength(4)
    const created = p.alan.user.created_at!
    expect(
      await search('AND', domain, {
        filter_name: 'created_at_greater_than',
        filter_value: created,
      }),
    ).toEqual([pending, withPhone])
    expect(
      await search('AND', domain, { filter_name: 'created_at_less_than', filter_value: created }),
    ).toEqual([grace])
    expect(
      await search('AND', domain, {
        filter_name: 'created_at_between',
        filter_value: {
          greater_than: p.grace.user.created_at,
          less_than: p.pending.user.created_at,
        },
      }),
    ).toEqual([alan])
    expect(
      await search(
        'OR',
        { filter_name: 'user_id', filter_value: [grace] },
        { filter_name: 'status', filter_value: 'pending' },
      ),
    ).toEqual([grace, pending])
    expect(
      await search(
        'AND',
        { filter_name: 'user_id', filter_value: [grace] },
        { filter_name: 'status', filter_value: 'pending' },
      ),
    ).toEqual([])
  })

  it('filters on registrations, TOTPs and wallets, and oauth_provider', async () => {
    const { user_id } = await client.users.create({ email: unique('factors') })
    give(user_id, {
      totps: [{ totp_id: 'totp-test-1', verified: true }],
      crypto_wallets: [
        {
          crypto_wallet_id: 'crypto-wallet-test-1',
          crypto_wallet_address: '0xABC',
          crypto_wallet_type: 'ethereum',
          verified: false,
        },
      ],
    })
    const user = mock.world.users.byId(user_id)!
    mock.world.records.withProvider(user, {
      provider_type: 'Google',
      provider_subject: 'google-subject-1',
      profile_picture_url: '',
      locale: 'en',
    })
    const search = async (operand: object) =>
      ids(await client.users.search({ query: query('AND', [operand]) }))
    expect(await search({ filter_name: 'totp_id', filter_value: ['totp-test-1'] })).toEqual([
      user_id,
    ])
    expect(await search({ filter_name: 'totp_verified', filter_value: true })).toEqual([user_id])
    expect(await search({ filter_name: 'crypto_wallet_address', filter_value: ['0xabc'] })).toEqual(
      [user_id],
    )
    expect(await search({ filter_name: 'crypto_wallet_verified', filter_value: true })).toEqual([])
    expect(await search({ filter_name: 'oauth_provider', filter_value: ['google'] })).toEqual([
      user_id,
    ])
    expect(await search({ filter_name: 'oauth_provider', filter_value: ['github'] })).toEqual([])
  })

  it('pages with limit and cursor, and searchAll walks every page', async () => {
    const p = await population()
    const q = query('AND', [{ filter_name: 'email_address_fuzzy', filter_value: p.domain }])
    const first = await client.users.search({ query: q, limit: 3 })
    expect(first.results).toHaveLength(3)
    expect(first.results_metadata.total).toBe(4)
    expect(first.results_metadata.next_cursor).toEqual(expect.any(String))
    const second = await client.users.search({
      query: q,
      limit: 3,
      cursor: first.results_metadata.next_cursor!,
    })
    expect(ids(second)).toEqual([p.withPhone.user_id])
    expect(second.results_metadata).toEqual({ total: 4, next_cursor: null })
    const pages: string[][] = []
    for await (const page of client.users.searchAll({ query: q, limit: 1 }))
      pages.push(page.map((u) => u.user_id))
    expect(pages).toEqual([
      [p.grace.user_id],
      [p.alan.user_id],
      [p.pending.user_id],
      [p.withPhone.user_id],
    ])
  })

  it("answers Stytch's error for a bad operator, filter, value, limit or cursor", async () => {
    const bad = async (body: object) =>
      failure(client.users.search(body as stytch.UsersSearchRequest))
    const operand = (filter_name: unknown, filter_value?: unknown) => ({
      query: query('AND', [{ filter_name, filter_value }]),
    })
    const cases: [object, string][] = [
      [{ query: query('XOR', []) }, 'user_search_invalid_operator'],
      [{ query: { operands: [] } }, 'user_search_invalid_operator'],
      [operand('favourite_colour', ['blue']), 'user_search_filter_name_not_recognized'],
      [operand(7, ['x']), 'user_search_filter_name_must_be_string'],
      [{ query: query('AND', [{ filter_value: ['x'] }]) }, 'user_search_missing_filter_name'],
      [operand('user_id'), 'user_search_missing_filter_value'],
      [operand('user_id', 'user-test-1'), 'user_search_expected_array_of_string'],
      [operand('user_id', []), 'user_search_missing_user_ids'],
      [
        operand('user_id', [FIXTURE.adaUserId, ADA.externalId]),
        'user_search_cannot_mix_internal_and_external_user_ids',
      ],
      [operand('email_verified', 'yes'), 'user_search_expected_bool'],
      [operand('status', 'deleted'), 'user_search_invalid_status_filter'],
      [operand('status', ''), 'user_search_missing_status'],
      [operand('full_name_fuzzy', 'Al'), 'user_search_full_name_fuzzy_too_short'],
      [operand('email_address_fuzzy', 'a'), 'user_search_email_address_fuzzy_too_short'],
      [operand('phone_number_fuzzy', '41'), 'user_search_phone_number_fuzzy_too_short'],
      [operand('oauth_provider', ['myspace']), 'user_search_invalid_oauth_provider_filter'],
      [operand('created_at_greater_than', 'yesterday'), 'user_search_expected_timestamp'],
      [operand('created_at_between', '2021-01-01T00:00:00Z'), 'user_search_expected_object'],
      [
        operand('created_at_between', { less_than: '2021-01-01T00:00:00Z' }),
        'user_search_missing_greater_than',
      ],
      [{ limit: 1001 }, 'user_search_invalid_limit'],
      [{ cursor: 'not-a-cursor' }, 'user_search_invalid_cursor'],
    ]
    for (const [body, type] of cases) expect(await bad(body), type).toEqual({ status: 400, type })
  })
})

describe('users.exchangePrimaryFactor', () => {
  it("exchanges a user's only email for a phone number; the email no longer logs in", async () => {
    const email = unique('exchange')
    const { user_id } = await client.users.create({ email })
    await client.otps.email.send({ email })
    const { otp_code, method_id } = await latest(email)
    const phone_number = phone()
    const result = await client.users.exchangePrimaryFactor({ user_id, phone_number })
    expect(result.user.emails).toEqual([])
    expect(result.user.phone_numbers).toEqual([
      { phone_id: expect.any(String), phone_number, verified: false },
    ])
    expect((await failure(client.otps.email.send({ email }))).type).toBe('email_not_found')
    expect((await failure(client.otps.authenticate({ method_id, code: otp_code! }))).type).toBe(
      'otp_code_not_found',
    )
    // And back to an email, upper case as typed.
    const back = await client.users.exchangePrimaryFactor({
      user_id,
      email_address: email.toUpperCase(),
    })
    expect(back.user.emails[0]!.email).toBe(email)
  })

  it('refuses both or neither address, a user of several factors, and a taken address', async () => {
    const { user_id } = await client.users.create({ email: unique('x') })
    expect(
      await failure(
        client.users.exchangePrimaryFactor({
          user_id,
          email_address: unique('y'),
          phone_number: phone(),
        }),
      ),
    ).toEqual({ status: 400, type: 'invalid_exchange_primary_factor_fields' })
    expect(await failure(client.users.exchangePrimaryFactor({ user_id }))).toEqual({
      status: 400,
      type: 'invalid_exchange_primary_factor_fields',
    })
    expect(
      await failure(client.users.exchangePrimaryFactor({ user_id, email_address: ADA.email })),
    ).toEqual({ status: 400, type: 'duplicate_email' })
    const two = await client.users.create({ email: unique('two'), phone_number: phone() })
    expect(
      await failure(
        client.users.exchangePrimaryFactor({ user_id: two.user_id, email_address: unique('z') }),
      ),
    ).toEqual({ status: 400, type: 'invalid_exchange_primary_factor_user' })
    const { user_id: withPassword } = await loggedIn()
    expect(
      (
        await failure(
          client.users.exchangePrimaryFactor({ user_id: withPassword, phone_number: phone() }),
        )
      ).type,
    ).toBe('invalid_exchange_primary_factor_user')
  })
})

describe('the factor deletions', () => {
  it("deleteEmail: the user without it; logins by it find no user; Stytch's 404 for an unknown id", async () => {
    const email = unique('second')
    const { session_token, user_id, email: first } = await loggedIn()
    // A second email, added to the user by a send with its session, then verified.
    await client.magicLinks.email.send({ email, session_token })
    const user = (await client.users.get({ user_id })) as unknown as UserObject
    const added = (user.emails as { email_id: string; email: string }[]).find(
      (e) => e.email === email,
    )!
    await client.magicLinks.email.send({ email })
    const { token } = await latest(email)
    const result = await client.users.deleteEmail({ email_id: added.email_id })
    expect(result.user_id).toBe(user_id)
    expect(result.user.emails.map((e) => e.email)).toEqual([first])
    expect((await failure(client.magicLinks.email.send({ email }))).type).toBe('email_not_found')
    expect((await failure(client.magicLinks.authenticate({ token: token! }))).type).toBe(
      'magic_link_not_found',
    )
    expect((await failure(client.passwords.authenticate({ email, password: PASSWORD }))).type).toBe(
      'email_not_found',
    )
    // The primary email still logs in; the session shows the user without the other.
    const session = await client.sessions.authenticate({ session_token })
    expect(session.user.emails.map((e) => e.email)).toEqual([first])
    expect(await failure(client.users.deleteEmail({ email_id: added.email_id }))).toEqual({
      status: 404,
      type: 'email_not_found',
    })
  })

  it('deletePhoneNumber: SMS to it finds no user', async () => {
    const phone_number = phone()
    const { user_id, phone_id } = await client.users.create({ email: unique('p'), phone_number })
    const result = await client.users.deletePhoneNumber({ phone_id })
    expect(result).toMatchObject({ user_id, user: { phone_numbers: [] } })
    expect((await failure(client.otps.sms.send({ phone_number }))).type).toBe(
      'phone_number_not_found',
    )
    expect(await failure(client.users.deletePhoneNumber({ phone_id }))).toEqual({
      status: 404,
      type: 'phone_number_not_found',
    })
  })

  it('deletePassword: the password no longer logs in; a new one can be set', async () => {
    const { email, user_id } = await loggedIn()
    const password_id = (await client.users.get({ user_id })).password!.password_id
    const result = await client.users.deletePassword({ password_id })
    expect(result.user_id).toBe(user_id)
    expect(result.user.password ?? null).toBeNull()
    expect(await failure(client.passwords.authenticate({ email, password: PASSWORD }))).toEqual({
      status: 400,
      type: 'no_user_password',
    })
    expect(await failure(client.users.deletePassword({ password_id }))).toEqual({
      status: 404,
      type: 'password_not_found',
    })
    // A reset by email sets a new one.
    await client.passwords.email.resetStart({ email })
    const { token } = await latest(email)
    const reset = await client.passwords.email.reset({ token: token!, password: `${PASSWORD}-2` })
    expect(reset.user.password!.password_id).not.toBe(password_id)
    await client.passwords.authenticate({ email, password: `${PASSWORD}-2` })
  })

  it('deleteOAuthRegistration, deleteTOTP, deleteWebAuthnRegistration, deleteBiometricRegistration, deleteCryptoWallet', async () => {
    const { user_id } = await client.users.create({ email: unique('f') })
    const { id } = mock.world.records.withProvider(mock.world.users.byId(user_id)!, {
      provider_type: 'Google',
      provider_subject: 'subject-1',
      profile_picture_url: '',
      locale: 'en',
    })
    give(user_id, {
      totps: [{ totp_id: 'totp-test-a', verified: true }],
      webauthn_registrations: [
        {
          webauthn_registration_id: 'webauthn-registration-test-a',
          domain: 'localhost',
          user_agent: 'test',
          verified: true,
          authenticator_type: 'platform',
          name: 'laptop',
        },
      ],
      biometric_registrations: [
        { biometric_registration_id: 'biometric-registration-test-a', verified: true },
      ],
      crypto_wallets: [
        {
          crypto_wallet_id: 'crypto-wallet-test-a',
          crypto_wallet_address: '0xabc',
          crypto_wallet_type: 'ethereum',
          verified: true,
        },
      ],
    })
    const calls: [() => Promise<{ user: stytch.User }>, keyof stytch.User, string][] = [
      [
        () => client.users.deleteOAuthRegistration({ oauth_user_registration_id: id }),
        'providers',
        'oauth_user_registration_not_found',
      ],
      [() => client.users.deleteTOTP({ totp_id: 'totp-test-a' }), 'totps', 'totp_not_found'],
      [
        () =>
          client.users.deleteWebAuthnRegistration({
            webauthn_registration_id: 'webauthn-registration-test-a',
          }),
        'webauthn_registrations',
        'webauthn_registration_not_found',
      ],
      [
        () =>
          client.users.deleteBiometricRegistration({
            biometric_registration_id: 'biometric-registration-test-a',
          }),
        'biometric_registrations',
        'biometric_registration_not_found',
      ],
      [
        () => client.users.deleteCryptoWallet({ crypto_wallet_id: 'crypto-wallet-test-a' }),
        'crypto_wallets',
        'crypto_wallet_not_found',
      ],
    ]
    for (const [call, list, notFound] of calls) {
      const before = (await client.users.get({ user_id }))[list] as unknown[]
      expect(before, list).toHaveLength(1)
      const result = await call()
      expect(result.user[list], list).toEqual([])
      expect(await failure(call()), list).toEqual({ status: 404, type: notFound })
    }
    const user = await client.users.get({ user_id })
    expect(user.emails).toHaveLength(1)
  })
})

describe('state', () => {
  it('users made and deleted survive a snapshot restore; reset brings back the fixtures', async () => {
    const created = await client.users.create({
      email: unique('snap'),
      name: { first_name: 'Snap' },
    })
    const snapshot = (await control('POST', '/_mock/snapshots')).body.snapshot_id as string
    await client.users.delete({ user_id: created.user_id })
    await client.users.update({ user_id: FIXTURE.adaUserId, name: { first_name: 'Changed' } })
    await control('POST', `/_mock/snapshots/${snapshot}/restore`)
    expect((await client.users.get({ user_id: created.user_id })).name!.first_name).toBe('Snap')
    expect((await client.users.get({ user_id: FIXTURE.adaUserId })).name!.first_name).toBe('Ada')
    await client.users.delete({ user_id: FIXTURE.adaUserId })
    await control('POST', '/_mock/reset')
    expect((await failure(client.users.get({ user_id: created.user_id }))).type).toBe(
      'user_not_found',
    )
    const ada = await client.sessions.authenticate({ session_token: FIXTURE.adaToken })
    expect(ada.user.name!.first_name).toBe('Ada')
  })
})

describe('the frontend routes, as the SDK calls them (their answers checked against the spec)', () => {
  const sdkCall = async (method: string, path: string, token: string | null, body?: unknown) => {
    const publicToken = mock.config.publicToken
    const res = await fetch(`${mock.url}/sdk/v1${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${publicToken}:${token ?? publicToken}`).toString('base64')}`,
        'content-type': 'application/json',
        origin: 'http://localhost:3000',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as Record<string, any> }
  }

  it("user.update answers with __user; another user's phone is not the caller's to delete", async () => {
    const { session_token, user_id } = await loggedIn()
    const phone_number = phone()
    const owner = await client.users.create({ email: unique('owner'), phone_number })
    const update = await sdkCall('PUT', '/users/me', session_token, {
      name: { first_name: 'After' },
      untrusted_metadata: { a: 1 },
    })
    expect(update.status).toBe(200)
    expect(update.body.data).toMatchObject({
      user_id,
      emails: [{ verified: true }],
      phone_numbers: [],
      crypto_wallets: [],
      __user: { name: { first_name: 'After', middle_name: '', last_name: '' } },
    })
    const theirs = await sdkCall('DELETE', `/users/phone_numbers/${owner.phone_id}`, session_token)
    expect(theirs.body).toMatchObject({ status_code: 404, error_type: 'phone_number_not_found' })
    expect((await client.users.get({ user_id: owner.user_id })).phone_numbers).toHaveLength(1)
    // No session: 401; a revoked one: 404.
    expect((await sdkCall('PUT', '/users/me', null, {})).status).toBe(401)
    await client.sessions.revoke({ session_token })
    expect((await sdkCall('DELETE', `/users/emails/x`, session_token)).body.error_type).toBe(
      'session_not_found',
    )
  })

  it('user.deleteEmail on the caller answers the user without it', async () => {
    const { session_token, user_id } = await loggedIn()
    const { emails } = await client.users.get({ user_id })
    const res = await sdkCall('DELETE', `/users/emails/${emails[0]!.email_id}`, session_token)
    expect(res.body.data).toMatchObject({ user_id, __user: { emails: [] } })
  })
})
