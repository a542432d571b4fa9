// Issue #27: crypto wallets (cryptoWallets.authenticateStart, authenticate) through the official
// `stytch` Node SDK, with Ethereum and Solana wallets made in the test (helpers/wallets.ts) whose
// signatures the mock verifies for real; Sign-In with Ethereum messages on the mock's clock; the
// frontend twins (/sdk/v1/crypto_wallets/...) over the wire, and the bootstrap's SIWE switch.
// Every response is also checked against openapi.yaml (helpers/server.ts).
import { decodeJwt } from 'jose'
import bs58 from 'bs58'
import * as stytch from 'stytch'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  controlOf,
  failure,
  mockWithSdk,
  sdkCallOf,
  startMock,
  type RunningMock,
} from '../helpers/server.js'
import { checksummed, ethereumWallet, solanaWallet, type TestWallet } from '../helpers/wallets.js'
import { ORIGIN } from '../helpers/world.js'

let mock: RunningMock
let control: ReturnType<typeof controlOf>
let client: stytch.Client

const sdk = mockWithSdk((options) => new stytch.Client(options))
beforeAll(() => {
  ;({ mock, client } = sdk)
  control = controlOf(mock)
})

beforeEach(async () => {
  mock.clock.reset()
  await control('POST', '/_mock/reset')
})

const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}@example.com`
const PLAIN = /^Signing in with Project: [A-Za-z0-9_-]{80}$/

/** The wallet's fields an SDK call names it by. */
const named = (wallet: TestWallet) => ({
  crypto_wallet_type: wallet.type,
  crypto_wallet_address: wallet.address,
})

/** A start, then the wallet's signature of the challenge authenticated into a new session. */
async function login(
  wallet: TestWallet,
  extra: Partial<stytch.CryptoWalletsAuthenticateRequest> = {},
) {
  const start = await client.cryptoWallets.authenticateStart(named(wallet))
  const auth = await client.cryptoWallets.authenticate({
    ...named(wallet),
    signature: wallet.sign(start.challenge),
    session_duration_minutes: 60,
    ...extra,
  })
  return { start, auth }
}

const cryptoFactor = (user: stytch.User, wallet: TestWallet) => {
  const entry = user.crypto_wallets.find((w) => w.crypto_wallet_type === wallet.type)!
  return {
    type: 'crypto',
    delivery_method: 'crypto_wallet',
    crypto_wallet_factor: {
      crypto_wallet_id: entry.crypto_wallet_id,
      crypto_wallet_address: entry.crypto_wallet_address,
      crypto_wallet_type: wallet.type,
    },
  }
}

/** A frontend SDK call (/sdk/v1) to `at`, as @stytch/vanilla-js sends it (the bootstrap by GET). */
const sdkCall = (
  at: RunningMock,
  path: string,
  session: string | null,
  body?: object,
  origin: string | null = ORIGIN,
) => sdkCallOf(at, path.startsWith('/projects/') ? 'GET' : 'POST', path, session, body, origin)

describe('cryptoWallets with an Ethereum wallet', () => {
  it('a new wallet makes a user; its signature logs in, then the same wallet logs in to it again', async () => {
    const wallet = ethereumWallet()
    const { start, auth } = await login(wallet)
    expect(start.user_created).toBe(true)
    expect(start.challenge).toMatch(PLAIN)
    expect(auth.user_id).toBe(start.user_id)
    expect(auth.siwe_params).toBeNull()
    const [entry] = auth.user.crypto_wallets
    expect(auth.user.crypto_wallets).toEqual([
      {
        crypto_wallet_id: expect.stringMatching(/^crypto-wallet-test-/),
        crypto_wallet_address: wallet.address,
        crypto_wallet_type: 'ethereum',
        verified: true,
      },
    ])
    expect(auth.session!.authentication_factors).toEqual([
      expect.objectContaining(cryptoFactor(auth.user, wallet)),
    ])
    // The session, its JWT and users.get all show it.
    const session = await client.sessions.authenticate({ session_token: auth.session_token })
    expect(session.session.authentication_factors).toEqual([
      expect.objectContaining(cryptoFactor(auth.user, wallet)),
    ])
    const claims = decodeJwt(auth.session_jwt)['https://stytch.com/session'] as {
      authentication_factors: unknown[]
    }
    expect(claims.authentication_factors).toEqual([
      expect.objectContaining(cryptoFactor(auth.user, wallet)),
    ])
    expect((await client.users.get({ user_id: start.user_id })).crypto_wallets).toEqual([entry])

    // Again, by its EIP-55 spelling: the same wallet, the same user.
    const again = await client.cryptoWallets.authenticateStart({
      crypto_wallet_type: 'ethereum',
      crypto_wallet_address: checksummed(wallet.address),
    })
    expect(again).toMatchObject({ user_id: start.user_id, user_created: false })
    expect(again.challenge).not.toBe(start.challenge)
    const second = await client.cryptoWallets.authenticate({
      ...named(wallet),
      signature: wallet.sign(again.challenge),
    })
    // No session_duration_minutes: no session, as Stytch answers.
    expect(second).toMatchObject({ user_id: start.user_id, session_token: '', session_jwt: '' })
    expect(second.session).toBeUndefined()
    expect(second.user.crypto_wallets).toEqual([entry])
  })

  it('builds the Sign-In with Ethereum message from siwe_params and answers them back', async () => {
    const wallet = ethereumWallet()
    const siwe_params = {
      domain: 'app.example.com:8443',
      uri: 'https://app.example.com:8443/login',
      statement: 'Sign in to the example app.',
      chain_id: '137',
      resources: [
        'https://app.example.com/terms',
        'ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq',
      ],
      issued_at: '2030-01-02T03:04:05Z',
      not_before: '2020-01-01T00:00:00Z',
      message_request_id: 'request-7',
    }
    const start = await client.cryptoWallets.authenticateStart({ ...named(wallet), siwe_params })
    const lines = start.challenge.split('\n')
    expect(lines).toEqual([
      'app.example.com:8443 wants you to sign in with your Ethereum account:',
      checksummed(wallet.address),
      '',
      'Sign in to the example app.',
      '',
      'URI: https://app.example.com:8443/login',
      'Version: 1',
      'Chain ID: 137',
      expect.stringMatching(/^Nonce: [A-Za-z0-9]{24}$/),
      'Issued At: 2030-01-02T03:04:05Z',
      'Not Before: 2020-01-01T00:00:00Z',
      'Request ID: request-7',
      'Resources:',
      '- https://app.example.com/terms',
      '- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq',
    ])
    const auth = await client.cryptoWallets.authenticate({
      ...named(wallet),
      signature: wallet.sign(start.challenge),
      session_duration_minutes: 30,
    })
    expect(auth.siwe_params).toEqual({
      domain: 'app.example.com:8443',
      uri: 'https://app.example.com:8443/login',
      chain_id: '137',
      resources: siwe_params.resources,
      issued_at: '2030-01-02T03:04:05Z',
      message_request_id: 'request-7',
      status_code: 200,
      request_id: expect.stringMatching(/^request-id-test-/),
    })

    // Only domain and uri given: chain 1, issued and valid from now, no statement or resources.
    const bare = await client.cryptoWallets.authenticateStart({
      ...named(wallet),
      siwe_params: { domain: 'localhost:3000', uri: 'http://localhost:3000', resources: [] },
    })
    const now = new Date(mock.clock.nowSeconds() * 1000).toISOString().replace(/\.\d+Z$/, 'Z')
    expect(bare.challenge.split('\n')).toEqual([
      'localhost:3000 wants you to sign in with your Ethereum account:',
      checksummed(wallet.address),
      // EIP-4361: address LF LF [statement LF] LF "URI: ": without a statement, two blank lines.
      '',
      '',
      'URI: http://localhost:3000',
      'Version: 1',
      'Chain ID: 1',
      expect.stringMatching(/^Nonce: [A-Za-z0-9]{24}$/),
      `Issued At: ${now}`,
      `Not Before: ${now}`,
    ])
    const answered = await client.cryptoWallets.authenticate({
      ...named(wallet),
      signature: wallet.sign(bare.challenge),
    })
    expect(answered.siwe_params).toEqual({
      domain: 'localhost:3000',
      uri: 'http://localhost:3000',
      chain_id: '1',
      resources: [],
      issued_at: now,
      status_code: 200,
      request_id: expect.any(String),
    })
  })

  it('holds a SIWE message to its Not Before and its life on the mock clock', async () => {
    mock.clock.freeze()
    const wallet = ethereumWallet()
    const inTwoMinutes = new Date((mock.clock.nowSeconds() + 120) * 1000).toISOString()
    const early = await client.cryptoWallets.authenticateStart({
      ...named(wallet),
      siwe_params: {
        domain: 'example.com',
        uri: 'https://example.com',
        resources: [],
        not_before: inTwoMinutes,
      },
    })
    const signature = wallet.sign(early.challenge)
    expect(
      await failure(client.cryptoWallets.authenticate({ ...named(wallet), signature })),
    ).toEqual({ status: 400, type: 'siwe_message_not_valid_yet' })
    mock.clock.advance(121)
    await client.cryptoWallets.authenticate({ ...named(wallet), signature })

    const late = await client.cryptoWallets.authenticateStart({
      ...named(wallet),
      siwe_params: { domain: 'example.com', uri: 'https://example.com', resources: [] },
    })
    mock.clock.advance(10 * 60)
    expect(
      await failure(
        client.cryptoWallets.authenticate({
          ...named(wallet),
          signature: wallet.sign(late.challenge),
        }),
      ),
    ).toEqual({ status: 400, type: 'siwe_message_expired' })
  })

  it('refuses a signature of another message, by another key, a reused challenge, an expired one', async () => {
    mock.clock.freeze()
    const wallet = ethereumWallet()
    const other = ethereumWallet()
    const start = await client.cryptoWallets.authenticateStart(named(wallet))
    const refused = { status: 401, type: 'unable_to_authenticate_crypto_wallet' }
    const attempt = (signature: string) =>
      failure(client.cryptoWallets.authenticate({ ...named(wallet), signature }))
    expect(await attempt(wallet.sign(`${start.challenge}.`))).toEqual(refused)
    expect(await attempt(wallet.sign('Signing in with Project: something else'))).toEqual(refused)
    expect(await attempt(other.sign(start.challenge))).toEqual(refused)
    // A failed attempt leaves the challenge; the good signature works once.
    const good = wallet.sign(start.challenge)
    await client.cryptoWallets.authenticate({ ...named(wallet), signature: good })
    expect(await attempt(good)).toEqual(refused)
    // A start replaces the challenge before it: the older one's signature no longer works.
    const first = await client.cryptoWallets.authenticateStart(named(wallet))
    const second = await client.cryptoWallets.authenticateStart(named(wallet))
    expect(await attempt(wallet.sign(first.challenge))).toEqual(refused)
    // Ten minutes on the mock's clock, then it is gone.
    mock.clock.advance(10 * 60)
    expect(await attempt(wallet.sign(second.challenge))).toEqual(refused)
  })

  it('checks the signature encoding and size, and the address, before anything', async () => {
    const wallet = ethereumWallet()
    const start = await client.cryptoWallets.authenticateStart(named(wallet))
    const signature = wallet.sign(start.challenge)
    const attempt = (sig: string, address = wallet.address) =>
      failure(
        client.cryptoWallets.authenticate({
          crypto_wallet_type: 'ethereum',
          crypto_wallet_address: address,
          signature: sig,
        }),
      )
    expect(await attempt(signature.slice(0, -2))).toEqual({
      status: 400,
      type: 'signature_is_incorrect_size',
    })
    expect(await attempt(`${signature}00`)).toEqual({
      status: 400,
      type: 'signature_is_incorrect_size',
    })
    expect(await attempt(`${signature.slice(0, -2)}zz`)).toEqual({
      status: 400,
      type: 'invalid_signature',
    })
    expect(await attempt(`${signature.slice(0, -2)}1d`)).toEqual({
      status: 400,
      type: 'invalid_signature',
    })
    expect(await attempt('')).toEqual({ status: 400, type: 'signature_missing' })
    expect(await attempt(signature, '0x1234')).toEqual({
      status: 400,
      type: 'invalid_ethereum_address',
    })
    expect(await attempt(signature, ethereumWallet().address)).toEqual({
      status: 404,
      type: 'crypto_wallet_not_found',
    })
    // None of these spent the challenge; v as 0/1 instead of 27/28 is the same signature.
    const v = parseInt(signature.slice(-2), 16) - 27
    await client.cryptoWallets.authenticate({
      ...named(wallet),
      signature: `${signature.slice(0, -2)}0${v}`,
    })
  })

  it('refuses bad starts with Stytch-shaped 400s', async () => {
    const wallet = ethereumWallet()
    const start = (body: object) =>
      failure(
        client.cryptoWallets.authenticateStart(
          body as stytch.CryptoWalletsAuthenticateStartRequest,
        ),
      )
    const siwe = (params: object) =>
      start({
        ...named(wallet),
        siwe_params: {
          domain: 'example.com',
          uri: 'https://example.com',
          resources: [],
          ...params,
        },
      })
    expect(
      await start({ crypto_wallet_type: 'bitcoin', crypto_wallet_address: wallet.address }),
    ).toEqual({
      status: 400,
      type: 'invalid_wallet_type',
    })
    expect(await start({ crypto_wallet_type: 'ethereum', crypto_wallet_address: '' })).toEqual({
      status: 400,
      type: 'invalid_crypto_wallet_address',
    })
    expect(
      await start({ crypto_wallet_type: 'ethereum', crypto_wallet_address: `${wallet.address}00` }),
    ).toEqual({
      status: 400,
      type: 'invalid_ethereum_address',
    })
    expect(await siwe({ domain: 'https://example.com/x' })).toEqual({
      status: 400,
      type: 'invalid_siwe_domain',
    })
    expect(await siwe({ domain: null })).toEqual({ status: 400, type: 'invalid_siwe_domain' })
    expect(await siwe({ uri: 'not a uri' })).toEqual({ status: 400, type: 'invalid_siwe_uri' })
    expect(await siwe({ chain_id: '0' })).toEqual({ status: 400, type: 'invalid_siwe_chain_id' })
    expect(await siwe({ chain_id: '9223372036854775772' })).toEqual({
      status: 400,
      type: 'invalid_siwe_chain_id',
    })
    expect(await siwe({ statement: 'two\nlines' })).toEqual({
      status: 400,
      type: 'invalid_siwe_statement',
    })
    expect(await siwe({ resources: ['no uri'] })).toEqual({
      status: 400,
      type: 'invalid_siwe_resource',
    })
    expect(await siwe({ message_request_id: 'a b' })).toEqual({
      status: 400,
      type: 'invalid_siwe_message_request_id',
    })
    expect(await siwe({ issued_at: 'yesterday' })).toEqual({
      status: 400,
      type: 'invalid_argument',
    })
    // The largest chain id, and nulls (as Python sends its None fields), are fine.
    const ok = await client.cryptoWallets.authenticateStart({
      ...named(wallet),
      siwe_params: {
        domain: 'example.com',
        uri: 'https://example.com',
        resources: [],
        chain_id: '9223372036854775771',
        statement: null,
        not_before: null,
      } as unknown as stytch.SIWEParams,
    })
    expect(ok.challenge).toContain('\nChain ID: 9223372036854775771\n')
  })
})

describe('cryptoWallets with a Solana wallet', () => {
  it('a new wallet makes a user; its signature logs in, then the same wallet logs in to it again', async () => {
    const wallet = solanaWallet()
    const { start, auth } = await login(wallet)
    expect(start.user_created).toBe(true)
    expect(start.challenge).toMatch(PLAIN)
    expect(auth.user.crypto_wallets).toEqual([
      {
        crypto_wallet_id: expect.stringMatching(/^crypto-wallet-test-/),
        crypto_wallet_address: wallet.address,
        crypto_wallet_type: 'solana',
        verified: true,
      },
    ])
    expect(auth.session!.authentication_factors).toEqual([
      expect.objectContaining(cryptoFactor(auth.user, wallet)),
    ])
    expect(auth.siwe_params).toBeNull()
    const again = await login(wallet)
    expect(again.start).toMatchObject({ user_id: start.user_id, user_created: false })
    expect(again.auth.user_id).toBe(start.user_id)
  })

  it('refuses SIWE, bad addresses, other signatures and reused challenges', async () => {
    const wallet = solanaWallet()
    expect(
      await failure(
        client.cryptoWallets.authenticateStart({
          ...named(wallet),
          siwe_params: { domain: 'example.com', uri: 'https://example.com', resources: [] },
        }),
      ),
    ).toEqual({ status: 400, type: 'crypto_wallet_type_incompatible_with_siwe' })
    for (const address of [
      '0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl',
      bs58.encode(new Uint8Array(31).fill(7)),
      wallet.address.slice(0, 20),
    ])
      expect(
        await failure(
          client.cryptoWallets.authenticateStart({
            crypto_wallet_type: 'solana',
            crypto_wallet_address: address,
          }),
        ),
      ).toEqual({ status: 400, type: 'invalid_solana_address' })
    // An Ethereum address is not a Solana one, nor the reverse.
    expect(
      await failure(
        client.cryptoWallets.authenticateStart({
          crypto_wallet_type: 'ethereum',
          crypto_wallet_address: wallet.address,
        }),
      ),
    ).toEqual({ status: 400, type: 'invalid_ethereum_address' })

    const start = await client.cryptoWallets.authenticateStart(named(wallet))
    const attempt = (signature: string) =>
      failure(client.cryptoWallets.authenticate({ ...named(wallet), signature }))
    const refused = { status: 401, type: 'unable_to_authenticate_crypto_wallet' }
    expect(await attempt(wallet.sign('another message'))).toEqual(refused)
    expect(await attempt(solanaWallet().sign(start.challenge))).toEqual(refused)
    expect(await attempt(bs58.encode(new Uint8Array(63).fill(1)))).toEqual({
      status: 400,
      type: 'signature_is_incorrect_size',
    })
    expect(await attempt('0x00')).toEqual({ status: 400, type: 'invalid_signature' })
    const good = wallet.sign(start.challenge)
    await client.cryptoWallets.authenticate({ ...named(wallet), signature: good })
    expect(await attempt(good)).toEqual(refused)
  })
})

describe('wallets of existing users', () => {
  it('attaches a wallet to the user of a session, or of a user_id; one user may hold several', async () => {
    const { body } = await control('POST', '/_mock/users', {
      email: unique('wallet'),
      password: 'correct-horse-battery',
    })
    const user_id = body.user_id as string
    const password = await client.passwords.authenticate({
      email: (await client.users.get({ user_id })).emails[0]!.email,
      password: 'correct-horse-battery',
      session_duration_minutes: 60,
    })
    const eth = ethereumWallet()
    const start = await client.cryptoWallets.authenticateStart({
      ...named(eth),
      session_token: password.session_token,
    })
    expect(start).toMatchObject({ user_id, user_created: false })
    // Signed into that session: it now holds both factors.
    const auth = await client.cryptoWallets.authenticate({
      ...named(eth),
      signature: eth.sign(start.challenge),
      session_token: password.session_token,
    })
    expect(auth.session!.session_id).toBe(password.session!.session_id)
    expect(auth.session!.authentication_factors.map((f) => f.type)).toEqual(['password', 'crypto'])

    const sol = solanaWallet()
    const byId = await client.cryptoWallets.authenticateStart({ ...named(sol), user_id })
    expect(byId).toMatchObject({ user_id, user_created: false })
    const user = await client.users.get({ user_id })
    expect(user.crypto_wallets.map((w) => [w.crypto_wallet_type, w.verified])).toEqual([
      ['ethereum', true],
      ['solana', false],
    ])
    // users.search finds the user by the wallet's address.
    const found = await client.users.search({
      query: {
        operator: 'AND',
        operands: [{ filter_name: 'crypto_wallet_address', filter_value: [sol.address] }],
      },
    })
    expect(found.results.map((u) => u.user_id)).toEqual([user_id])
  })

  it('a start naming a user binds no one: the wallet logs in to its owner, who may still add it', async () => {
    const { body } = await control('POST', '/_mock/users', {
      email: unique('ada'),
      password: 'correct-horse-battery',
    })
    const ada = body.user_id as string
    const adaSession = await client.passwords.authenticate({
      email: (await client.users.get({ user_id: ada })).emails[0]!.email,
      password: 'correct-horse-battery',
      session_duration_minutes: 60,
    })
    // Ada names a wallet she does not hold: from the frontend, then by user_id.
    const victim = ethereumWallet()
    const squat = await sdkCall(
      mock,
      '/crypto_wallets/authenticate/start/secondary',
      adaSession.session_token,
      named(victim),
    )
    expect(squat.data).toMatchObject({ user_id: ada, user_created: false })
    const byId = await client.cryptoWallets.authenticateStart({ ...named(victim), user_id: ada })
    expect(byId).toMatchObject({ user_id: ada, user_created: false })
    expect((await client.users.get({ user_id: ada })).crypto_wallets).toEqual([
      expect.objectContaining({ crypto_wallet_address: victim.address, verified: false }),
    ])
    // Its owner signs in with it: a new user of their own, not Ada's account.
    const { start, auth } = await login(victim)
    expect(start.user_created).toBe(true)
    expect(start.user_id).not.toBe(ada)
    expect(auth.user_id).toBe(start.user_id)
    expect(auth.user.crypto_wallets).toEqual([
      expect.objectContaining({ crypto_wallet_address: victim.address, verified: true }),
    ])
    // Ada cannot finish what she started (no signature), nor start it again now it is verified.
    expect(
      await failure(client.cryptoWallets.authenticateStart({ ...named(victim), user_id: ada })),
    ).toEqual({ status: 400, type: 'duplicate_wallet_address' })

    // The owner of another squatted wallet adds it to their own account.
    const mine = solanaWallet()
    await client.cryptoWallets.authenticateStart({ ...named(mine), user_id: ada })
    const owner = await client.users.create({ email: unique('owner') })
    const added = await client.cryptoWallets.authenticateStart({
      ...named(mine),
      user_id: owner.user_id,
    })
    expect(added).toMatchObject({ user_id: owner.user_id, user_created: false })
    const signed = await client.cryptoWallets.authenticate({
      ...named(mine),
      signature: mine.sign(added.challenge),
    })
    expect(signed.user_id).toBe(owner.user_id)
    // ... and it logs in there from now on.
    expect((await login(mine)).auth.user_id).toBe(owner.user_id)
  })

  it("refuses a wallet that is another user's, an unknown user, and a user_id with another's session", async () => {
    const owner = ethereumWallet()
    const { start } = await login(owner)
    const other = await client.users.create({ email: unique('other') })
    expect(
      await failure(
        client.cryptoWallets.authenticateStart({ ...named(owner), user_id: other.user_id }),
      ),
    ).toEqual({ status: 400, type: 'duplicate_wallet_address' })
    expect(
      await failure(
        client.cryptoWallets.authenticateStart({
          ...named(ethereumWallet()),
          user_id: 'user-test-00000000-0000-4000-8000-000000000000',
        }),
      ),
    ).toEqual({ status: 404, type: 'user_not_found' })
    const session = await client.sessions.authenticate({
      session_token: (await login(owner)).auth.session_token,
    })
    expect(
      await failure(
        client.cryptoWallets.authenticateStart({
          ...named(ethereumWallet()),
          user_id: other.user_id,
          session_token: session.session_token,
        }),
      ),
    ).toEqual({ status: 400, type: 'user_id_mismatch' })
    expect(
      await failure(
        client.cryptoWallets.authenticateStart({
          ...named(ethereumWallet()),
          session_token: 'WJtR5BCy38Szd5AfoDpf0iqFKEt4EE5JhjlWUY7l3Fxx',
        }),
      ),
    ).toEqual({ status: 404, type: 'session_not_found' })
    expect(start.user_created).toBe(true)
  })

  it('users.deleteCryptoWallet: the wallet logs in no more; users.delete takes its wallets', async () => {
    const wallet = ethereumWallet()
    const { start, auth } = await login(wallet)
    const pending = await client.cryptoWallets.authenticateStart(named(wallet))
    const signature = wallet.sign(pending.challenge)
    const { crypto_wallet_id } = auth.user.crypto_wallets[0]!
    const deleted = await client.users.deleteCryptoWallet({ crypto_wallet_id })
    expect(deleted.user.crypto_wallets).toEqual([])
    expect(
      await failure(client.cryptoWallets.authenticate({ ...named(wallet), signature })),
    ).toEqual({ status: 404, type: 'crypto_wallet_not_found' })
    // Started again, the address is a new wallet: of a new user.
    const fresh = await client.cryptoWallets.authenticateStart(named(wallet))
    expect(fresh.user_created).toBe(true)
    expect(fresh.user_id).not.toBe(start.user_id)

    await client.users.delete({ user_id: fresh.user_id })
    expect(
      await failure(
        client.cryptoWallets.authenticate({
          ...named(wallet),
          signature: wallet.sign(fresh.challenge),
        }),
      ),
    ).toEqual({ status: 404, type: 'crypto_wallet_not_found' })
  })

  it('a snapshot keeps wallets and their challenge; reset drops them', async () => {
    const wallet = solanaWallet()
    const { start } = await login(wallet)
    const pending = await client.cryptoWallets.authenticateStart(named(wallet))
    const signature = wallet.sign(pending.challenge)
    const { snapshot_id } = (await control('POST', '/_mock/snapshots')).body
    await client.cryptoWallets.authenticate({ ...named(wallet), signature })
    await client.users.delete({ user_id: start.user_id })
    await control('POST', `/_mock/snapshots/${snapshot_id}/restore`)
    // Restored to before that challenge was spent: it works again, once.
    const auth = await client.cryptoWallets.authenticate({ ...named(wallet), signature })
    expect(auth.user_id).toBe(start.user_id)
    expect(
      await failure(client.cryptoWallets.authenticate({ ...named(wallet), signature })),
    ).toEqual({ status: 401, type: 'unable_to_authenticate_crypto_wallet' })
    await control('POST', '/_mock/reset')
    expect(
      await failure(client.cryptoWallets.authenticate({ ...named(wallet), signature })),
    ).toEqual({ status: 404, type: 'crypto_wallet_not_found' })
  })
})

describe('the frontend routes (/sdk/v1/crypto_wallets)', () => {
  it('primary: a new user and a session; secondary: the wallet added to the caller, the factor to its session', async () => {
    const wallet = ethereumWallet()
    const start = await sdkCall(mock, '/crypto_wallets/authenticate/start/primary', null, {
      ...named(wallet),
      captcha_token: undefined,
    })
    expect(start.status).toBe(200)
    expect(start.data).toMatchObject({
      user_created: true,
      challenge: expect.stringMatching(PLAIN),
    })
    const auth = await sdkCall(mock, '/crypto_wallets/authenticate', null, {
      ...named(wallet),
      signature: wallet.sign(start.data.challenge),
      session_duration_minutes: 60,
    })
    expect(auth.status).toBe(200)
    expect(auth.data).toMatchObject({ user_id: start.data.user_id, siwe_params: null })
    const token = auth.data.session_token as string

    // Logged in, the SDK starts on /secondary: a second wallet goes to the same user.
    expect(
      (await sdkCall(mock, '/crypto_wallets/authenticate/start/secondary', null, named(wallet)))
        .error,
    ).toBe('unauthorized_credentials')
    const sol = solanaWallet()
    const second = await sdkCall(
      mock,
      '/crypto_wallets/authenticate/start/secondary',
      token,
      named(sol),
    )
    expect(second.data).toMatchObject({ user_id: start.data.user_id, user_created: false })
    const stepUp = await sdkCall(mock, '/crypto_wallets/authenticate', token, {
      ...named(sol),
      signature: sol.sign(second.data.challenge),
      session_duration_minutes: 60,
    })
    expect(stepUp.data.session.session_id).toBe(auth.data.session.session_id)
    expect(stepUp.data.user.crypto_wallets.map((w: { verified: boolean }) => w.verified)).toEqual([
      true,
      true,
    ])
    // One crypto factor per session (the Solana one replaced the Ethereum one).
    expect(stepUp.data.session.authentication_factors).toEqual([
      expect.objectContaining({
        crypto_wallet_factor: expect.objectContaining({ crypto_wallet_type: 'solana' }),
      }),
    ])
    // A wrong signature from the frontend: Stytch's error in the envelope.
    const refused = await sdkCall(mock, '/crypto_wallets/authenticate', null, {
      ...named(sol),
      signature: sol.sign('not the challenge'),
    })
    expect([refused.status, refused.error]).toEqual([401, 'unable_to_authenticate_crypto_wallet'])
  })

  it("secondary is privileged: the MFA rule holds a two-kind user's one-factor session back", async () => {
    const email = unique('mfa')
    await control('POST', '/_mock/users', {
      email,
      password: 'correct-horse-battery',
      phone_number: '+12025550123',
    })
    const login = await client.passwords.authenticate({
      email,
      password: 'correct-horse-battery',
      session_duration_minutes: 60,
    })
    const refused = await sdkCall(
      mock,
      '/crypto_wallets/authenticate/start/secondary',
      login.session_token,
      named(ethereumWallet()),
    )
    expect([refused.status, refused.error]).toEqual([401, 'insufficient_factors'])
  })

  it('without the SIWE switch the bootstrap says so and an Ethereum start gets the plain challenge', async () => {
    const boot = await sdkCall(mock, `/projects/bootstrap/${mock.config.publicToken}`, null)
    expect(boot.data.siwe_required_for_crypto_wallets).toBe(false)
    const start = await sdkCall(
      mock,
      '/crypto_wallets/authenticate/start/primary',
      null,
      named(ethereumWallet()),
    )
    expect(start.data.challenge).toMatch(PLAIN)
  })
})

describe('the frontend with STYTCH_MOCK_SIWE_REQUIRED=true', () => {
  let siweMock: RunningMock
  beforeAll(async () => {
    siweMock = await startMock({ STYTCH_MOCK_SIWE_REQUIRED: 'true' })
  })
  afterAll(async () => {
    await siweMock.close()
  })

  it('the bootstrap asks for SIWE; the domain is the page origin, the uri the origin unless given', async () => {
    const boot = await sdkCall(siweMock, `/projects/bootstrap/${siweMock.config.publicToken}`, null)
    expect(boot.data.siwe_required_for_crypto_wallets).toBe(true)
    const wallet = ethereumWallet()
    // What the SDK sends: siwe_params without a domain, the uri its page's origin.
    const start = await sdkCall(siweMock, '/crypto_wallets/authenticate/start/primary', null, {
      ...named(wallet),
      siwe_params: { uri: ORIGIN, statement: 'Welcome back.' },
    })
    const lines = (start.data.challenge as string).split('\n')
    expect(lines.slice(0, 6)).toEqual([
      'localhost:3000 wants you to sign in with your Ethereum account:',
      checksummed(wallet.address),
      '',
      'Welcome back.',
      '',
      `URI: ${ORIGIN}`,
    ])
    const auth = await sdkCall(siweMock, '/crypto_wallets/authenticate', null, {
      ...named(wallet),
      signature: wallet.sign(start.data.challenge),
      session_duration_minutes: 60,
    })
    expect(auth.data.siwe_params).toMatchObject({
      domain: 'localhost:3000',
      uri: ORIGIN,
      chain_id: '1',
    })
    // No siwe_params at all: still SIWE for Ethereum; Solana stays plain.
    const bare = await sdkCall(
      siweMock,
      '/crypto_wallets/authenticate/start/primary',
      null,
      named(wallet),
    )
    expect(bare.data.challenge).toMatch(
      /^localhost:3000 wants you to sign in[\s\S]*\nURI: http:\/\/localhost:3000\n/,
    )
    const sol = await sdkCall(
      siweMock,
      '/crypto_wallets/authenticate/start/primary',
      null,
      named(solanaWallet()),
    )
    expect(sol.data.challenge).toMatch(PLAIN)
    // Without an Origin there is no domain to put in the message.
    const noOrigin = await sdkCall(
      siweMock,
      '/crypto_wallets/authenticate/start/primary',
      null,
      named(wallet),
      null,
    )
    expect([noOrigin.status, noOrigin.error]).toEqual([400, 'invalid_siwe_domain'])
  })
})
