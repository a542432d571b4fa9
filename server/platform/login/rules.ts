// What the login products share of their input (its rules are openapi.yaml's), and Stytch's fixed
// sandbox values.
import { createHash } from 'node:crypto'

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

/**
 * What a person typed on one of the mock's own pages (the OAuth consent page), checked as the API's
 * EmailAddress rule in openapi.yaml checks a request's, so the page can say so and ask again.
 */
export const looksLikeEmail = (text: string): boolean =>
  /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) && text.length <= 254

/** An email address as the login products store and compare it (its format is the spec's rule). */
export const normalEmail = (email: string): string => email.toLowerCase()

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

/**
 * The email_id a discovery message and factor name before there is a member: stable per
 * address, in Stytch's `email-test-<uuid>` form.
 */
export function discoveryEmailId(email: string): string {
  const h = createHash('sha256').update(`discovery:${email}`).digest('hex')
  return `email-test-${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
}
