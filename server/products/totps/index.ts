// Consumer authenticator apps (the SDKs' `totps`): create, authenticate, recovery codes, recover,
// on the platform's TOTP registrations (platform/login/totp.ts).
import { defineProduct } from '../../platform/product.js'
import { AuthenticatorApps } from './authenticator-apps.js'
import { totpRoutes } from './routes.js'

export const totps = defineProduct<{ authenticatorApps: AuthenticatorApps }>({
  name: 'totps',
  services: (p) => ({
    authenticatorApps: new AuthenticatorApps({
      config: p.config,
      clock: p.clock,
      totps: p.totps,
      records: p.records,
      directory: p.directory,
      sessions: p.consumer,
      core: p.core,
    }),
  }),
  routes: totpRoutes,
})
