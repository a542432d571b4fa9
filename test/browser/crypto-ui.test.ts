// Issue #27, "Proof": crypto wallets with the frontend SDK (the unmodified @stytch/vanilla-js
// bundle) in Chromium against the mock. The page calls cryptoWallets.authenticateStart and
// authenticate as an app does; the wallet is one made in the test (test/helpers/wallets.ts) and
// signs the challenge in Node as MetaMask's personal_sign or Phantom's signMessage would. An
// Ethereum and a Solana wallet each sign up a new user and log in (the session's crypto_wallet
// factor and the user's verified wallet, through the official Node SDK); the spent signature, and
// a signature by another wallet, are refused. A user logged in by password adds a wallet
// (authenticate/start/secondary) and the same session gets the second factor. With the project's
// SIWE switch on (STYTCH_MOCK_SIWE_REQUIRED, the bootstrap's siwe_required_for_crypto_wallets) the
// SDK sends siwe_params with the page's origin, and the wallet signs a Sign-In with Ethereum
// message naming the page's host; the answer carries the SIWE fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checksummed, ethereumWallet, solanaWallet, type TestWallet } from '../helpers/wallets.js'
import { api, startApp, startMock } from './harness.js'
import {
  browserSuite,
  consumerClientPage,
  nodeClient,
  runClient,
  watch,
  type Seen,
} from './ui-harness.js'

type Mock = Awaited<ReturnType<typeof startMock>>
// `backend`: the Node SDK's warning about the mock's custom `env` URL silenced.
const ui = browserSuite({ app: () => startApp(), backend: 'consumer' })
let siweMock: Mock
let seen: Seen

beforeAll(async () => {
  siweMock = await startMock({ STYTCH_MOCK_SIWE_REQUIRED: 'true' })
})
afterAll(async () => {
  await siweMock?.close()
})

const PASSWORD = 'correct-horse-battery'
const random = () => Math.random().toString(36).slice(2, 10)
const backendOf = (m: Mock) => nodeClient(m, 'consumer')

/** The consumer page with the headless SDK pointed at this mock. */
async function page(at: Mock) {
  seen = await watch(ui.browser, ui.app, at)
  return consumerClientPage(ui.browser, ui.app, at)
}

/** Runs a client call in the page: its result, or the Stytch error type it failed with. */
const run = (code: string) => runClient(ui.browser.page, code, true)

const start = (wallet: TestWallet) =>
  run(
    `c.cryptoWallets.authenticateStart(${JSON.stringify({ crypto_wallet_address: wallet.address, crypto_wallet_type: wallet.type })})`,
  )
const authenticate = (wallet: TestWallet, signature: string) =>
  run(
    `c.cryptoWallets.authenticate(${JSON.stringify({ crypto_wallet_address: wallet.address, crypto_wallet_type: wallet.type, signature, session_duration_minutes: 60 })})`,
  )
/** The body the page sent to a mock path last. */
const sentTo = (path: string) => seen.mock.filter((r) => r.path === path).at(-1)

/** The session's crypto factor for this wallet, as the backend sees it. */
const cryptoFactor = (walletId: string, wallet: TestWallet) => ({
  type: 'crypto',
  delivery_method: 'crypto_wallet',
  crypto_wallet_factor: {
    crypto_wallet_id: walletId,
    crypto_wallet_address: wallet.address,
    crypto_wallet_type: wallet.type,
  },
})

describe('@stytch/vanilla-js cryptoWallets', () => {
  for (const make of [ethereumWallet, solanaWallet]) {
    const kind = make().type
    it(`a new ${kind} wallet signs up and logs in; a spent or foreign signature is refused`, async () => {
      const backend = backendOf(ui.mock)
      await page(ui.mock)
      const wallet = make()

      // authenticateStart with no session: start/primary, a new user, the challenge to sign.
      const started = await start(wallet)
      expect(started.ok, JSON.stringify(started)).toMatchObject({
        user_created: true,
        status_code: 200,
        challenge: expect.stringMatching(/^Signing in with Project: \S+$/),
      })
      expect(sentTo('/sdk/v1/crypto_wallets/authenticate/start/primary')).toMatchObject({
        body: { crypto_wallet_address: wallet.address, crypto_wallet_type: kind },
        status: 200,
      })
      const user_id: string = started.ok.user_id
      const pending = await backend.users.get({ user_id })
      expect(pending.crypto_wallets).toEqual([
        {
          crypto_wallet_id: expect.stringMatching(/^crypto-wallet-test-/),
          crypto_wallet_address: wallet.address,
          crypto_wallet_type: kind,
          verified: false,
        },
      ])
      const walletId = pending.crypto_wallets[0]!.crypto_wallet_id

      // The wallet signs the challenge; authenticate logs the user in with the crypto factor.
      const signature = wallet.sign(started.ok.challenge)
      const login = await authenticate(wallet, signature)
      expect(login.ok, JSON.stringify(login)).toMatchObject({ user_id, siwe_params: null })
      expect(login.ok.session.authentication_factors).toEqual([
        expect.objectContaining(cryptoFactor(walletId, wallet)),
      ])
      const session = await backend.sessions.authenticate({ session_token: login.ok.session_token })
      expect(session.session.authentication_factors).toEqual([
        expect.objectContaining(cryptoFactor(walletId, wallet)),
      ])
      expect(session.user.crypto_wallets).toEqual([
        { ...pending.crypto_wallets[0], verified: true },
      ])
      const cached = await ui.browser.page.evaluate(() => (window as any).client.user.getSync())
      expect(cached.crypto_wallets[0].verified).toBe(true)

      // The challenge is spent: the same signature again is refused.
      await run(`c.session.revoke()`)
      expect(await authenticate(wallet, signature)).toEqual({
        error: 'unable_to_authenticate_crypto_wallet',
      })

      // The wallet known now: a start finds its user. Another wallet's signature of its
      // challenge is refused; its own still logs in.
      const again = await start(wallet)
      expect(again.ok).toMatchObject({ user_id, user_created: false })
      expect(again.ok.challenge).not.toBe(started.ok.challenge)
      const other = make()
      expect(await authenticate(wallet, other.sign(again.ok.challenge))).toEqual({
        error: 'unable_to_authenticate_crypto_wallet',
      })
      const second = await start(wallet)
      const relogin = await authenticate(wallet, wallet.sign(second.ok.challenge))
      expect(relogin.ok?.user_id, JSON.stringify(relogin)).toBe(user_id)
    })
  }

  it('a user logged in by password adds a wallet: start/secondary, one session, two factors', async () => {
    const backend = backendOf(ui.mock)
    const email = `crypto-ui-${random()}@example.com`
    const { user_id } = (await api(ui.mock)('/_mock/users', { email, password: PASSWORD })).body
    await page(ui.mock)
    const login = await run(
      `c.passwords.authenticate(${JSON.stringify({ email, password: PASSWORD, session_duration_minutes: 60 })})`,
    )
    expect(login.ok?.user_id, JSON.stringify(login)).toBe(user_id)

    const wallet = ethereumWallet()
    const started = await start(wallet)
    expect(started.ok, JSON.stringify(started)).toMatchObject({ user_id, user_created: false })
    expect(sentTo('/sdk/v1/crypto_wallets/authenticate/start/secondary')?.status).toBe(200)
    const stepped = await authenticate(wallet, wallet.sign(started.ok.challenge))
    expect(stepped.ok, JSON.stringify(stepped)).toMatchObject({ user_id })
    expect(stepped.ok.session.session_id).toBe(login.ok.session.session_id)
    const session = await backend.sessions.authenticate({ session_token: login.ok.session_token })
    expect(
      session.session.authentication_factors.map((f) => `${f.type}/${f.delivery_method}`),
    ).toEqual(['password/knowledge', 'crypto/crypto_wallet'])
    expect(session.user.crypto_wallets).toEqual([
      expect.objectContaining({ crypto_wallet_address: wallet.address, verified: true }),
    ])
    expect(session.user.emails.map((e) => e.email)).toEqual([email])
  })

  it('with SIWE required, Ethereum signs a Sign-In with Ethereum message for the page', async () => {
    const backend = backendOf(siweMock)
    await page(siweMock)
    const wallet = ethereumWallet()
    const started = await run(
      `c.cryptoWallets.authenticateStart(${JSON.stringify({
        crypto_wallet_address: wallet.address,
        crypto_wallet_type: 'ethereum',
        siwe_params: { statement: 'Welcome to the e2e app', chain_id: '10' },
      })})`,
    )
    expect(started.ok, JSON.stringify(started)).toMatchObject({ user_created: true })
    // The SDK adds the page's origin as the uri; it sends no domain.
    expect(sentTo('/sdk/v1/crypto_wallets/authenticate/start/primary')?.body).toEqual({
      crypto_wallet_address: wallet.address,
      crypto_wallet_type: 'ethereum',
      siwe_params: { statement: 'Welcome to the e2e app', chain_id: '10', uri: ui.app.origin },
    })
    const host = new URL(ui.app.origin).host
    const message: string = started.ok.challenge
    expect(message.split('\n').slice(0, 5)).toEqual([
      `${host} wants you to sign in with your Ethereum account:`,
      // EIP-4361 writes the address in EIP-55's checksum spelling.
      checksummed(wallet.address),
      '',
      'Welcome to the e2e app',
      '',
    ])
    expect(message).toContain(`\nURI: ${ui.app.origin}\nVersion: 1\nChain ID: 10\nNonce: `)

    const login = await authenticate(wallet, wallet.sign(message))
    expect(login.ok, JSON.stringify(login)).toMatchObject({
      user_id: started.ok.user_id,
      siwe_params: { domain: host, uri: ui.app.origin, chain_id: '10' },
    })
    const session = await backend.sessions.authenticate({ session_token: login.ok.session_token })
    expect(session.session.authentication_factors[0]).toMatchObject({
      type: 'crypto',
      crypto_wallet_factor: { crypto_wallet_address: wallet.address },
    })

    // Solana wallets sign Stytch's plain message even so: the SDK sends no siwe_params for them.
    const solana = solanaWallet()
    await run(`c.session.revoke()`)
    const plain = await start(solana)
    expect(sentTo('/sdk/v1/crypto_wallets/authenticate/start/primary')?.body).toEqual({
      crypto_wallet_address: solana.address,
      crypto_wallet_type: 'solana',
    })
    expect(plain.ok.challenge).toMatch(/^Signing in with Project: /)
    expect((await authenticate(solana, solana.sign(plain.ok.challenge))).ok?.user_id).toBe(
      plain.ok.user_id,
    )
  })
})
