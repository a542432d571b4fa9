// Consumer email magic links (the SDKs' `magicLinks`).
import { defineProduct } from '../../platform/product.js'
import { MagicLinks } from './magic-links.js'
import { magicLinkRoutes } from './routes.js'

export const magicLinks = defineProduct<{ magicLinks: MagicLinks }>({
  name: 'magic-links',
  services: (p) => ({
    magicLinks: new MagicLinks({
      clock: p.clock,
      recipients: p.recipients,
      sessions: p.consumer,
      secrets: p.secrets,
      outbox: p.outbox,
      redirectUrls: p.config.redirectUrls.consumer,
    }),
  }),
  routes: magicLinkRoutes,
})
