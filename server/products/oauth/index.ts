// OAuth logins through a local consent page (the SDKs' `oauth`): consumer, B2B organization and
// B2B discovery. Uses discovery through its named interface (DiscoveryEntry), and records a
// member's provider tokens through the organizations product's (MemberProviderTokens).
import { defineProduct } from '../../platform/product.js'
import type { DiscoveryEntry } from '../discovery/logins.js'
import type { MemberProviderTokens } from '../organizations/provider-tokens.js'
import { OAuthConsent } from './consent.js'
import { OAuthLogins } from './logins.js'
import { oauthRoutes } from './routes.js'
import { OAuthStore, SCHEMA } from './store.js'

export const oauth = defineProduct<
  { consent: OAuthConsent; oauthLogins: OAuthLogins },
  { discovery: DiscoveryEntry; memberProviderTokens: MemberProviderTokens }
>({
  name: 'oauth',
  schema: SCHEMA,
  services: (p) => {
    const store = new OAuthStore(p.db)
    p.records.onForget((gone) => {
      if ('user_id' in gone) store.forgetUser(gone.user_id)
    })
    return {
      consent: new OAuthConsent({
        clock: p.clock,
        store,
        orgs: p.orgs,
        users: p.users,
        redirectUrls: p.config.redirectUrls,
        allowedOrigins: p.config.allowedOrigins,
      }),
      oauthLogins: new OAuthLogins({
        clock: p.clock,
        store,
        records: p.records,
        consumer: p.consumer,
        members: p.members,
        memberLogins: p.memberLogins,
        orgs: p.orgs,
        discovery: p.discovery,
        providerTokens: p.memberProviderTokens,
      }),
    }
  },
  routes: oauthRoutes,
})
