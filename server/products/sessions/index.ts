// Consumer sessions (the SDKs' `sessions`): authenticate by token or JWT, revoke, list, the JWKS.
// The session core they stand on is the platform's (platform/sessions/).
import { defineProduct } from '../../platform/product.js'
import { sessionRoutes } from './routes.js'

export const sessions = defineProduct({
  name: 'sessions',
  routes: sessionRoutes,
})
