// Connected Apps (the SDKs' `connectedApp.clients`): the OAuth clients the project's identity
// provider (products/idp, products/idp-tokens) serves, and their dynamic registration.
import { StytchError } from '../../errors.js'
import { defineProduct } from '../../platform/product.js'
import { FixtureError } from '../../platform/sessions/fixtures.js'
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
    fixtures.connected_apps.forEach((client, i) => {
      try {
        w.connectedApps.seed(client)
      } catch (err) {
        // A rule the schema cannot state (first-party settings, templates, URLs no parser reads).
        if (err instanceof StytchError)
          throw new FixtureError(`connected_apps[${i}] (${client.client_id}): ${err.message}`)
        throw err
      }
    })
    w.connectedApps.changeSettings(fixtures.connected_apps_settings)
  },
  routes: connectedAppRoutes,
})
