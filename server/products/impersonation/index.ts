// Impersonation (the SDKs' `impersonation`): a session as a user or member, started by a token
// the Stytch dashboard would mint (here: POST /_mock/impersonation).
import { defineProduct } from '../../platform/product.js'
import { Impersonations } from './impersonations.js'
import { impersonationRoutes } from './routes.js'
import { ImpersonationTokenStore, SCHEMA } from './store.js'

export const impersonation = defineProduct<{ impersonations: Impersonations }>({
  name: 'impersonation',
  schema: SCHEMA,
  services: (p) => ({
    impersonations: new Impersonations({
      clock: p.clock,
      store: new ImpersonationTokenStore(p.db),
      users: p.users,
      orgs: p.orgs,
      consumer: p.consumer,
      members: p.members,
      redirectUrls: p.config.redirectUrls,
    }),
  }),
  routes: impersonationRoutes,
})
