// B2B member sessions (the B2B SDKs' `sessions`): authenticate, revoke, exchange, list, the JWKS.
import { defineProduct } from '../../platform/product.js'
import { b2bSessionRoutes } from './routes.js'

export const b2bSessions = defineProduct({
  name: 'b2b-sessions',
  routes: b2bSessionRoutes,
})
