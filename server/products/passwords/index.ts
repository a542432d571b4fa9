// Consumer passwords (the SDKs' `passwords`): create, authenticate, the strength rule.
import { defineProduct } from '../../platform/product.js'
import { Passwords } from './passwords.js'
import { passwordRoutes } from './routes.js'

export const passwords = defineProduct<{ passwords: Passwords }>({
  name: 'passwords',
  services: (p) => ({
    passwords: new Passwords({ clock: p.clock, recipients: p.recipients, sessions: p.consumer }),
  }),
  routes: passwordRoutes,
})
