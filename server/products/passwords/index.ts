// Consumer passwords (the SDKs' `passwords`): create, authenticate, the strength rule, resets by
// email, by the existing password and by session, and migrate.
import { defineProduct } from '../../platform/product.js'
import { Passwords } from './passwords.js'
import { passwordRoutes } from './routes.js'

export const passwords = defineProduct<{ passwords: Passwords }>({
  name: 'passwords',
  services: (p) => ({
    passwords: new Passwords({
      clock: p.clock,
      recipients: p.recipients,
      sessions: p.consumer,
      core: p.core,
      policy: p.passwordPolicy,
      secrets: p.secrets,
      resets: p.passwordResets,
      outbox: p.outbox,
      redirectUrls: p.config.redirectUrls.consumer,
    }),
  }),
  routes: passwordRoutes,
})
