// SSO's login journey: /v1/public/sso/start, the identity provider's page, the ACS / callback,
// sso.authenticate and /_mock/sso/answers.
import type { ProductRoutes } from '../../platform/product.js'
import type { SsoWorld } from './routes.js'

export function journeyRoutes(_world: SsoWorld): ProductRoutes {
  return {}
}
