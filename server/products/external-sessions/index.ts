// Sessions from outside Stytch (the SDKs' `sessions.attest` and `sessions.migrate`): trusted auth
// tokens (the fixtures' profiles) and a previous provider's OIDC userinfo endpoint.
import { defineProduct } from '../../platform/product.js'
import { ExternalSessions } from './external.js'
import { externalSessionRoutes } from './routes.js'

export const externalSessions = defineProduct<{ externalSessions: ExternalSessions }>({
  name: 'external-sessions',
  services: (p) => ({
    externalSessions: new ExternalSessions({
      clock: p.clock,
      profiles: p.trustedTokenProfiles,
      migrationUrl: p.config.sessionMigrationUrl,
      records: p.records,
      consumer: p.consumer,
      members: p.members,
      memberLogins: p.memberLogins,
      directory: p.directory,
    }),
  }),
  routes: externalSessionRoutes,
})
