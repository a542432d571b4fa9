// B2B email magic links (the B2B SDKs' `magicLinks`, organization-scoped, and invites; discovery's
// are in products/discovery).
import { OneTimeSecrets } from '../../platform/login/one-time.js'
import { LoginSecretStore } from '../../platform/login/store.js'
import { defineProduct } from '../../platform/product.js'
import type { MemberActions } from '../b2b-sessions/member-actions.js'
import { MemberMagicLinks } from './magic-links.js'
import { b2bMagicLinkRoutes } from './routes.js'
import { INVITES_TABLE, SCHEMA } from './store.js'

export const b2bMagicLinks = defineProduct<
  { b2bMagicLinks: MemberMagicLinks },
  { memberActions: MemberActions }
>({
  name: 'b2b-magic-links',
  schema: SCHEMA,
  services: (p) => {
    const store = new LoginSecretStore(p.db, INVITES_TABLE)
    return {
      b2bMagicLinks: new MemberMagicLinks({
        core: p.memberLogins,
        members: p.members,
        secrets: p.secrets,
        outbox: p.outbox,
        redirectUrls: p.config.redirectUrls.b2b,
        clock: p.clock,
        orgs: p.orgs,
        directory: p.directory,
        rbac: p.rbac,
        invites: { store, secrets: new OneTimeSecrets(store, p.clock, p.config.otpCode) },
      }),
    }
  },
  routes: b2bMagicLinkRoutes,
})
