// Consumer email magic links (the SDKs' `magicLinks`): login links, invites, embeddable tokens.
import { OneTimeSecrets } from '../../platform/login/one-time.js'
import { LoginSecretStore } from '../../platform/login/store.js'
import { defineProduct } from '../../platform/product.js'
import { MagicLinks } from './magic-links.js'
import { magicLinkRoutes } from './routes.js'
import { EMBEDDED_TABLE, INVITES_TABLE, InviteLinks, SCHEMA } from './store.js'

export const magicLinks = defineProduct<{ magicLinks: MagicLinks }>({
  name: 'magic-links',
  schema: SCHEMA,
  services: (p) => {
    const own = (table: string) => {
      const store = new LoginSecretStore(p.db, table)
      return { store, secrets: new OneTimeSecrets(store, p.clock, p.config.otpCode) }
    }
    const links = new InviteLinks(p.db)
    p.records.onForget((gone) => links.forget(gone))
    return {
      magicLinks: new MagicLinks({
        clock: p.clock,
        recipients: p.recipients,
        sessions: p.consumer,
        secrets: p.secrets,
        outbox: p.outbox,
        redirectUrls: p.config.redirectUrls.consumer,
        invites: { ...own(INVITES_TABLE), links },
        embedded: own(EMBEDDED_TABLE),
      }),
    }
  },
  routes: magicLinkRoutes,
})
