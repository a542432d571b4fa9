// B2B discovery (the B2B SDKs' `discovery`, and the discovery flavours of `magicLinks` and
// `otps.email`): an email address proven before any organization, then one entered or created.
import { defineProduct } from '../../platform/product.js'
import { OneTimeSecrets } from '../../platform/login/one-time.js'
import { DiscoveryLogins } from './logins.js'
import { discoveryRoutes } from './routes.js'
import { LoginSecretStore } from '../../platform/login/store.js'
import { DiscoverySessionStore, SCHEMA } from './store.js'

export const discovery = defineProduct<{ discovery: DiscoveryLogins }>({
  name: 'discovery',
  schema: SCHEMA,
  services: (p) => ({
    discovery: new DiscoveryLogins({
      clock: p.clock,
      orgs: p.orgs,
      members: p.members,
      secrets: new OneTimeSecrets(
        new LoginSecretStore(p.db, 'discovery_secrets'),
        p.clock,
        p.config.otpCode,
      ),
      sessions: new DiscoverySessionStore(p.db),
      outbox: p.outbox,
      redirectUrl: p.config.redirectUrls.b2b.discovery,
    }),
  }),
  routes: discoveryRoutes,
})
