// B2B email magic links (the B2B SDKs' `magicLinks`, organization-scoped; discovery's are in
// products/discovery).
import { defineProduct } from '../../platform/product.js'
import { MemberMagicLinks } from './magic-links.js'
import { b2bMagicLinkRoutes } from './routes.js'

export const b2bMagicLinks = defineProduct<{ b2bMagicLinks: MemberMagicLinks }>({
  name: 'b2b-magic-links',
  services: (p) => ({
    b2bMagicLinks: new MemberMagicLinks({
      core: p.memberLogins,
      members: p.members,
      secrets: p.secrets,
      outbox: p.outbox,
      redirectUrls: p.config.redirectUrls.b2b,
    }),
  }),
  routes: b2bMagicLinkRoutes,
})
