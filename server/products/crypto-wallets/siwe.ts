// Sign-In with Ethereum (EIP-4361): the message Stytch builds from a start's `siwe_params`, the
// times an authenticate holds it to, and the `siwe_params` the authenticate answers with. The
// fields' own shapes (an RFC 3986 authority, URIs, a pchar request id, a statement of reserved,
// unreserved and space characters) are the spec's rules; the chain id's upper bound is here.
import { randomInt } from 'node:crypto'
import { rfc3339 } from '../../clock.js'
import { StytchError } from '../../errors.js'
import { checksumAddress } from './signatures.js'

/** A start's siwe_params, as the spec lets them through (null for absent: Python sends None). */
export interface SiweInput {
  domain: string
  uri: string
  resources?: string[] | null | undefined
  chain_id?: string | null | undefined
  statement?: string | null | undefined
  issued_at?: string | null | undefined
  not_before?: string | null | undefined
  message_request_id?: string | null | undefined
}

/** What a SIWE challenge keeps: its fields as the message wrote them, times in epoch seconds. */
export interface SiweRecord {
  domain: string
  uri: string
  chain_id: string
  resources: string[]
  issued_at: string
  not_before: number
  message_request_id?: string
}

/** EIP-155's largest chain id (the SDKs' docs: "between 1 and 9,223,372,036,854,775,771"). */
const MAX_CHAIN_ID = 9_223_372_036_854_775_771n
const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** The params with their defaults (chain 1, issued and valid from now); 400 for a chain id. */
export function siweRecord(input: SiweInput, nowSeconds: number): SiweRecord {
  const chainId = input.chain_id ?? '1'
  if (BigInt(chainId) > MAX_CHAIN_ID) throw new StytchError('invalid_siwe_chain_id')
  const seconds = (text: string | null | undefined) => {
    if (text == null) return nowSeconds
    const ms = Date.parse(text)
    // The spec lets only RFC 3339 through; a leap second (23:59:60) is one Date cannot read.
    if (Number.isNaN(ms)) throw new StytchError('invalid_argument', `${text} is not a time.`)
    return Math.floor(ms / 1000)
  }
  return {
    domain: input.domain,
    uri: input.uri,
    chain_id: chainId,
    resources: input.resources ?? [],
    issued_at: rfc3339(seconds(input.issued_at)),
    not_before: seconds(input.not_before),
    ...(input.message_request_id == null ? {} : { message_request_id: input.message_request_id }),
  }
}

/**
 * The EIP-4361 text (its ABNF: `address LF LF [statement LF] LF "URI: "...`, so two blank lines
 * when there is no statement, as spruceid's siwe writes it), the address in its EIP-55 spelling,
 * a new alphanumeric nonce.
 */
export function siweMessage(
  siwe: SiweRecord,
  address: string,
  statement: string | null | undefined,
): string {
  const nonce = Array.from({ length: 24 }, () => NONCE_ALPHABET[randomInt(62)]).join('')
  return [
    `${siwe.domain} wants you to sign in with your Ethereum account:`,
    checksumAddress(address),
    '',
    ...(statement ? [statement] : []),
    '',
    `URI: ${siwe.uri}`,
    'Version: 1',
    `Chain ID: ${siwe.chain_id}`,
    `Nonce: ${nonce}`,
    `Issued At: ${siwe.issued_at}`,
    `Not Before: ${rfc3339(siwe.not_before)}`,
    ...(siwe.message_request_id === undefined ? [] : [`Request ID: ${siwe.message_request_id}`]),
    ...(siwe.resources.length === 0 ? [] : ['Resources:', ...siwe.resources.map((r) => `- ${r}`)]),
  ].join('\n')
}

/**
 * The times an authenticate holds a SIWE challenge to, on the mock's clock: not before its Not
 * Before (400 `siwe_message_not_valid_yet`), not after the challenge's life (400
 * `siwe_message_expired`).
 */
export function checkSiweTimes(siwe: SiweRecord, expiresAt: number, nowSeconds: number): void {
  if (nowSeconds < siwe.not_before) throw new StytchError('siwe_message_not_valid_yet')
  if (nowSeconds >= expiresAt) throw new StytchError('siwe_message_expired')
}

/** authenticate's `siwe_params` (the SDKs' SIWEParamsResponse, Python's with a request_id). */
export function siweAnswer(siwe: SiweRecord) {
  return {
    domain: siwe.domain,
    uri: siwe.uri,
    chain_id: siwe.chain_id,
    resources: siwe.resources,
    issued_at: siwe.issued_at,
    ...(siwe.message_request_id === undefined
      ? {}
      : { message_request_id: siwe.message_request_id }),
  }
}
