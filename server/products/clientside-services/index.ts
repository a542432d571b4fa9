// Stytch's clientside-services page (js.stytch.com/clientside-services/index.html), the hidden
// iframe in which @stytch/vanilla-js checks and formats phone numbers: the pre-built login's SMS
// tab and the B2B UI's SMS MFA screens use it. Served by the mock so they work offline; no state.
import { defineProduct } from '../../platform/product.js'
import { clientsideServicesRoutes } from './routes.js'

export const clientsideServices = defineProduct({
  name: 'clientside-services',
  routes: clientsideServicesRoutes,
})
