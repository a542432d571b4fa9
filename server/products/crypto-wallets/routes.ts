// Consumer crypto wallets: /v1/crypto_wallets/authenticate/start and /authenticate, and their
// /sdk/v1 twins: authenticate/start/primary (no session), /secondary (the caller's session names
// the user the wallet is added to) and authenticate (a session the SDK sends along gets the factor).
import type { Context } from 'hono'
import { Hono } from 'hono'
import { StytchError } from '../../errors.js'
import type { Platform } from '../../platform/platform.js'
import { accessInput, jsonBody, type AccessBody } from '../../platform/http/body.js'
import { ok, type AppEnv } from '../../platform/http/env.js'
import { noteSubject } from '../../platform/http/login-answers.js'
import { privilegedCaller } from '../../platform/login/mfa-rule.js'
import { header } from '../../platform/http/request.js'
import { sdkCaller } from '../../platform/http/sdk-caller.js'
import { SDK } from '../../platform/sessions/core.js'
import type { SiweInput } from './siwe.js'
import type { WalletType } from './signatures.js'
import type { CryptoWallets } from './wallets.js'

interface WalletBody {
  crypto_wallet_type: WalletType
  crypto_wallet_address: string
}
type StartBody = WalletBody & {
  user_id?: string
  session_token?: string
  session_jwt?: string
  siwe_params?: SiweInput
}
type AuthenticateBody = WalletBody & AccessBody & { signature: string }
type SdkStartBody = WalletBody & {
  siwe_params?: Omit<SiweInput, 'domain' | 'uri'> & { uri?: string }
}
type SdkAuthenticateBody = WalletBody & { signature: string; session_duration_minutes?: number }

export function cryptoWalletRoutes(platform: Platform & { cryptoWallets: CryptoWallets }) {
  const { config, cryptoWallets: wallets } = platform
  /** The answer's siwe_params with the status_code (and request_id) the SDKs' models require. */
  const answer = <T extends { siwe_params: object | null }>(c: Context<AppEnv>, result: T) => ({
    ...result,
    siwe_params: result.siwe_params && {
      ...result.siwe_params,
      status_code: 200,
      request_id: c.get('requestId'),
    },
  })

  const api = new Hono<AppEnv>()

  api.post('/v1/crypto_wallets/authenticate/start', async (c) => {
    const body = await jsonBody<StartBody>(c)
    const result = await wallets.start(body)
    c.set('subject', { user_id: result.user_id })
    return ok(c, result)
  })

  api.post('/v1/crypto_wallets/authenticate', async (c) => {
    const body = await jsonBody<AuthenticateBody>(c)
    const result = await wallets.authenticate({
      ...accessInput(body),
      ...walletOf(body),
      signature: body.signature,
    })
    noteSubject(c, result)
    return ok(c, answer(c, result))
  })

  const sdk = new Hono<AppEnv>()
  const { data, caller, loginCaller, loggedIn } = sdkCaller(config)

  /**
   * The frontend's SIWE parameters: the SDK sends them (with the page's origin as `uri`) when the
   * bootstrap says siwe_required_for_crypto_wallets, never a domain: the domain is the page's
   * (its Origin's host and port), the uri the Origin unless the app gave one.
   */
  const sdkSiwe = (c: Context<AppEnv>, body: SdkStartBody): SiweInput | undefined => {
    const wanted =
      body.siwe_params ??
      (config.siweRequired && body.crypto_wallet_type === 'ethereum' ? {} : null)
    if (!wanted) return undefined
    const origin = header(c, 'origin')
    if (!origin || !URL.canParse(origin)) throw new StytchError('invalid_siwe_domain')
    const { domain: _ignored, ...params } = wanted as SiweInput
    return { ...params, domain: new URL(origin).host, uri: wanted.uri ?? origin }
  }

  // secondary adds a login factor to the caller's user: privileged, as WebAuthn's register/start
  // (Stytch's MFA rule for the SDK, platform/login/mfa-rule.ts).
  for (const path of ['primary', 'secondary'] as const) {
    sdk.post(`/sdk/v1/crypto_wallets/authenticate/start/${path}`, async (c) => {
      const session =
        path === 'secondary' ? caller(c, 'CONSUMER') : (loginCaller(c, 'CONSUMER'), {})
      const body = await jsonBody<SdkStartBody>(c)
      if (path === 'secondary') await privilegedCaller(platform, session)
      const result = await wallets.start({
        ...walletOf(body),
        ...session,
        siwe_params: sdkSiwe(c, body),
      })
      c.set('subject', { user_id: result.user_id })
      return data(c, result)
    })
  }

  sdk.post('/sdk/v1/crypto_wallets/authenticate', async (c) => {
    const session = loginCaller(c, 'CONSUMER') ?? {}
    const body = await jsonBody<SdkAuthenticateBody>(c)
    const input = {
      ...session,
      ...walletOf(body),
      signature: body.signature,
      session_duration_minutes: body.session_duration_minutes,
    }
    return loggedIn(c, answer(c, await wallets.authenticate(input, SDK)))
  })

  return { api, sdk }
}

const walletOf = (body: WalletBody) => ({
  crypto_wallet_type: body.crypto_wallet_type,
  crypto_wallet_address: body.crypto_wallet_address,
})
