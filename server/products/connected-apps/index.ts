// Connected Apps (the SDKs' `connectedApp.clients`): the OAuth clients the project's identity
// provider (products/idp, products/idp-tokens) serves, and their dynamic registration.
import { defineProduct } from '../../platform/product.js'
import { ConnectedAppClientsService } from './clients.js'
import { connectedAppRoutes } from './routes.js'
import { ConnectedAppStore, SCHEMA } from './store.js'

export const connectedApps = defineProduct<{ connectedApps: ConnectedAppClientsService }>({
  name: 'connected-apps',
  schema: SCHEMA,
  services: (p) => ({ connectedApps: new ConnectedAppClientsService(new ConnectedAppStore(p.db)) }),
  // Fixture clients keep their ids and secrets, so a test suite can hard-code them; the
  // project's settings (dynamic registration off unless the fixtures turn it on).
  seed: (w) => (fixtures) => {
    for (const client of fixtures.connected_apps) w.connectedApps.seed(client)
    w.connectedApps.changeSettings(fixtures.connected_apps_settings)
  },
  routes: connectedAppRoutes,
})
