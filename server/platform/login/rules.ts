// What the login flows check in their input, and Stytch's fixed sandbox values.
import { StytchError } from '../../errors.js'

/** Stytch's test-environment values (stytch.com/docs/guides/testing/sandbox-values). */
export const SANDBOX = {
  email: 'sandbox@stytch.com',
  phone: '+10000000000',
  code: '000000',
  userId: 'user-test-e3795c81-f849-4167-bfda-e4a6e9c280fd',
  /** magic_links/authenticate: 200 for the sandbox user. */
  magicLink: 'DOYoip3rvIMMW5lgItikFK-Ak1CfMsgjuiCyI7uuU94=',
  /** magic_links/authenticate: 401 unable_to_auth_magic_link. */
  usedMagicLink: '3pzjQpgksDlGKWEwUq2Up--hCHC_0oamfLHyfspKDFU=',
  /** magic_links/authenticate: 404 magic_link_not_found (as any unknown token). */
  unknownMagicLink: 'CprTtwhnRNiMBiUS2jSLcWYrfuO2POeBNdo5HhW6qTM=',
} as const

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const E164 = /^\+[1-9][0-9]{1,14}$/

/** The address, lower case, or 400 invalid_email. */
export function checkEmail(email: string): string {
  if (!EMAIL.test(email) || email.length > 254) throw new StytchError('invalid_email')
  return email.toLowerCase()
}

export function checkPhone(phone: string): string {
  if (!E164.test(phone)) throw new StytchError('invalid_phone_number')
  return phone
}

/** An expiration in minutes within Stytch's documented range, or its default. */
export function checkExpiration(
  name: string,
  minutes: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (minutes === undefined) return fallback
  if (!Number.isInteger(minutes) || minutes < min || minutes > max)
    throw new StytchError('invalid_argument', `${name} must be between ${min} and ${max}.`)
  return minutes
}

/** A redirect URL for a link: absolute http(s), as Stytch's redirect URL settings require. */
export function checkUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new StytchError('invalid_magic_link_url')
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new StytchError('invalid_magic_link_url')
  return url
}

/** The link in the message: the redirect URL with stytch_token_type and token added. */
export function linkUrl(redirect: string, tokenType: string, token: string): string {
  const url = new URL(redirect)
  url.searchParams.set('stytch_token_type', tokenType)
  url.searchParams.set('token', token)
  return url.toString()
}

/** Personal email providers: an address there names a person, not an organization. */
export const COMMON_EMAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'mail.com',
  'yandex.com',
  'zoho.com',
])
