// Machine-to-machine (the SDKs' `m2m`): clients, their secrets, and the access tokens they trade
// them for, which the SDKs' m2m.authenticateToken verifies locally against the JWKS.
import { defineProduct } from '../../platform/product.js'
import { M2MClients } from './clients.js'
import { m2mRoutes } from './routes.js'
import { M2MClientStore, SCHEMA } from './store.js'

export const m2m = defineProduct<{ m2mClients: M2MClients }>({
  name: 'm2m',
  schema: SCHEMA,
  services: (p) => ({
    m2mClients: new M2MClients({ store: new M2MClientStore(p.db), clock: p.clock, jwts: p.jwts }),
  }),
  // Fixture clients keep their ids and secrets, so a test suite can hard-code them.
  seed: (w) => (fixtures) => {
    for (const client of fixtures.m2m_clients) w.m2mClients.create(client)
  },
  routes: m2mRoutes,
})
