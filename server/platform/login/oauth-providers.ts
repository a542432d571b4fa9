// The OAuth providers Stytch offers, and how each shows up in what Stytch answers: its name in
// user.providers / member.oauth_registrations (provider_type), the session factor's key and
// delivery method. No provider is ever contacted: the mock's consent page stands in for them all.

export interface Provider {
  /** The path segment: /v1/public/oauth/{id}/start. */
  id: string
  /** provider_type in Stytch's answers (unverified for all but Google: the casing is a guess). */
  name: string
  /** The name on the consent page, as the provider writes it. */
  label: string
}

const provider = (id: string, name: string, label = name): Provider => ({ id, name, label })

/** Consumer OAuth (stytch.com/docs/guides/oauth/idp-setup). */
export const CONSUMER_PROVIDERS: readonly Provider[] = [
  provider('amazon', 'Amazon'),
  provider('apple', 'Apple'),
  provider('bitbucket', 'Bitbucket'),
  provider('coinbase', 'Coinbase'),
  provider('discord', 'Discord'),
  provider('facebook', 'Facebook'),
  provider('figma', 'Figma'),
  provider('github', 'Github', 'GitHub'),
  provider('gitlab', 'GitLab'),
  provider('google', 'Google'),
  provider('linkedin', 'LinkedIn'),
  provider('microsoft', 'Microsoft'),
  provider('salesforce', 'Salesforce'),
  provider('slack', 'Slack'),
  provider('snapchat', 'Snapchat'),
  provider('tiktok', 'TikTok'),
  provider('twitch', 'Twitch'),
  provider('twitter', 'Twitter'),
  provider('yahoo', 'Yahoo'),
]

/** B2B OAuth, organization-scoped and discovery alike. */
export const B2B_PROVIDERS: readonly Provider[] = [
  provider('google', 'Google'),
  provider('microsoft', 'Microsoft'),
  provider('hubspot', 'HubSpot'),
  provider('slack', 'Slack'),
  provider('github', 'Github', 'GitHub'),
]

export function findProvider(list: readonly Provider[], id: string): Provider | undefined {
  return list.find((p) => p.id === id)
}

/** The session factor's delivery method (oauth_google) and its detail key (google_oauth_factor). */
export const deliveryMethod = (p: Provider) => `oauth_${p.id}`
export const factorKey = (p: Provider) => `${FACTOR_KEY_NAMES[p.id] ?? p.id}_oauth_factor`

/**
 * Where the factor key is not the path segment: the stytch Node SDK's types (generated from
 * Stytch's API spec) spell these git_lab_, linked_in_, tik_tok_ (@stytch/vanilla-js's types do
 * not; unverified which the wire uses).
 */
const FACTOR_KEY_NAMES: Record<string, string> = {
  gitlab: 'git_lab',
  linkedin: 'linked_in',
  tiktok: 'tik_tok',
}
